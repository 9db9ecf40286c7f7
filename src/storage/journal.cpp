#include "storage/journal.hpp"

#include <algorithm>
#include <cerrno>
#include <sstream>

#include "storage/layout.hpp"

namespace casectl::storage {
namespace {

constexpr const char* k_header = "casectl-journal 1";
constexpr const char* k_footer = "end";

bool exists(Disk& disk, const std::string& path) { return disk.type(path).has_value(); }

void remove_if_present(Disk& disk, const std::string& path) {
  try {
    disk.remove(path);
  } catch (const IoError& e) {
    if (e.code() != ENOENT) {
      throw;
    }
  }
}

/// Removes a folder that a transaction staged, with the files it put there (and nothing else).
void remove_staged_folder(Disk& disk, const std::string& dir, const std::vector<std::string>& files) {
  if (!exists(disk, dir)) {
    return;
  }
  for (const auto& name : files) {
    remove_if_present(disk, layout::join(dir, name));
  }
  disk.remove_directory(dir);
}

}  // namespace

std::string journal_text(const Journal& journal) {
  std::ostringstream out;
  out << k_header << '\n';
  for (const auto& c : journal.changes) {
    switch (c.kind) {
      case Change::Kind::replace:
        out << "replace " << c.target << ' ' << c.staged << ' ' << c.backup << '\n';
        break;
      case Change::Kind::create:
        out << "create " << c.target << ' ' << c.staged << '\n';
        break;
      case Change::Kind::create_dir:
        out << "create-dir " << c.target << ' ' << c.staged;
        for (const auto& f : c.files) {
          out << ' ' << f;
        }
        out << '\n';
        break;
    }
  }
  out << k_footer << '\n';
  return out.str();
}

std::optional<Journal> parse_journal(const std::string& text) {
  std::istringstream in(text);
  std::string line;
  if (!std::getline(in, line) || line != k_header) {
    return std::nullopt;
  }
  Journal journal;
  while (std::getline(in, line)) {
    if (line == k_footer) {
      return journal;
    }
    std::istringstream words(line);
    std::string kind;
    Change c{};
    words >> kind >> c.target >> c.staged;
    if (kind == "replace") {
      c.kind = Change::Kind::replace;
      words >> c.backup;
    } else if (kind == "create") {
      c.kind = Change::Kind::create;
    } else if (kind == "create-dir") {
      c.kind = Change::Kind::create_dir;
      for (std::string f; words >> f;) {
        c.files.push_back(f);
      }
    } else {
      return std::nullopt;
    }
    if (c.target.empty() || c.staged.empty() || (c.kind == Change::Kind::replace && c.backup.empty())) {
      return std::nullopt;
    }
    journal.changes.push_back(std::move(c));
  }
  return std::nullopt;  // no footer: never completely written
}

std::optional<Journal> read_journal(Disk& disk) {
  if (!exists(disk, layout::journal_file)) {
    return std::nullopt;
  }
  auto journal = parse_journal(disk.read(layout::journal_file, 1 << 20));
  return journal ? journal : Journal{};  // a journal that is not whole was never acted on: nothing to undo
}

void undo_changes(Disk& disk, const std::vector<Change>& changes) {
  for (auto it = changes.rbegin(); it != changes.rend(); ++it) {
    const Change& c = *it;
    switch (c.kind) {
      case Change::Kind::replace:
        if (exists(disk, c.backup)) {
          disk.rename(c.backup, c.target);
          remove_if_present(disk, c.backup);  // renaming a link onto its own file leaves both names
        }
        remove_if_present(disk, c.staged);
        break;
      case Change::Kind::create:
        // While the journal exists the staged name does too. The target is ours only if it holds the same bytes:
        // a file of that name that someone else put there (a git pull meanwhile) is left alone.
        if (exists(disk, c.staged)) {
          if (exists(disk, c.target) && disk.read(c.target, 1 << 20) == disk.read(c.staged, 1 << 20)) {
            disk.remove(c.target);
          }
          disk.remove(c.staged);
        }
        break;
      case Change::Kind::create_dir:
        if (exists(disk, c.staged)) {
          remove_staged_folder(disk, c.staged, c.files);
        } else {
          remove_staged_folder(disk, c.target, c.files);
        }
        break;
    }
    disk.sync_directory(layout::parent(c.target));
  }
  if (exists(disk, layout::journal_file)) {
    disk.remove(layout::journal_file);
    disk.sync_directory("");
  }
}

BeforeView::BeforeView(Disk& base, Journal journal) : m_base(base), m_journal(std::move(journal)) {}

bool BeforeView::hidden(const std::string& path) {
  if (path == layout::journal_file) {
    return false;
  }
  for (const auto& c : m_journal.changes) {
    const bool below = path == c.target || (path.size() > c.target.size() && path.compare(0, c.target.size(), c.target) == 0 &&
                                            path[c.target.size()] == '/');
    if (!below) {
      continue;
    }
    if (c.kind == Change::Kind::create && path == c.target && m_base.type(c.staged)) {
      return true;
    }
    if (c.kind == Change::Kind::create_dir && !m_base.type(c.staged)) {
      return true;
    }
  }
  return false;
}

std::string BeforeView::source_of(const std::string& path) {
  for (const auto& c : m_journal.changes) {
    if (c.kind == Change::Kind::replace && c.target == path && m_base.type(c.backup)) {
      return c.backup;
    }
  }
  return path;
}

std::optional<EntryType> BeforeView::type(const std::string& path) {
  if (hidden(path)) {
    return std::nullopt;
  }
  return m_base.type(source_of(path));
}

std::vector<DirEntry> BeforeView::list(const std::string& dir) {
  if (hidden(dir)) {
    throw IoError("open", dir, ENOENT);
  }
  auto entries = m_base.list(dir);
  entries.erase(std::remove_if(entries.begin(), entries.end(),
                               [&](const DirEntry& e) { return hidden(layout::join(dir, e.name)); }),
                entries.end());
  return entries;
}

std::string BeforeView::read(const std::string& path, size_t cap) {
  if (hidden(path)) {
    throw IoError("open", path, ENOENT);
  }
  return m_base.read(source_of(path), cap);
}

void BeforeView::refuse(const std::string& path) { throw IoError("write", path, EROFS); }

}  // namespace casectl::storage
