// A transaction stages every file an operation writes in memory, proves each reads back to the same values,
// and commits them together (the protocol is described in storage/journal.hpp and casectl-files(5)).
#include <algorithm>
#include <cerrno>
#include <fmt/format.h>
#include <set>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "casectl/model/id.hpp"
#include "casectl/storage/file_io.hpp"
#include "casectl/storage/store.hpp"
#include "storage/codec.hpp"
#include "storage/io_errors.hpp"
#include "storage/journal.hpp"
#include "storage/layout.hpp"
#include "storage/yaml_reader.hpp"
#include "storage/yaml_writer.hpp"

namespace casectl::storage {

struct Transaction::Staged {
  std::string path;
  std::string text;
  bool replace;  ///< the file exists and is replaced; otherwise it is new
};

namespace {

/// Emits `value` and proves that the text reads back to the same value and to the same bytes, falling back to
/// escaped strings where a literal block would not survive. Throws rather than write what would not.
/// Whatever schema it was read with, a file is written in the newest: older ones migrate as they are rewritten.
template <typename T, typename Encode, typename Decode>
std::string render_verified(T value, Encode encode, Decode decode, const std::string& path) {
  value.schema = k_schema;
  for (bool literal : {true, false}) {
    const std::string text = emit_yaml(encode(value), literal);
    std::vector<Diagnostic> diagnostics;
    auto parsed = parse_yaml(text, path, diagnostics);
    if (!parsed) {
      continue;
    }
    DecodeContext context{path, diagnostics, nullptr};
    auto back = decode(*parsed, context);
    if (back && *back == value && emit_yaml(encode(*back), literal) == text) {
      return text;
    }
  }
  throw Error(ErrorKind::data,
              fmt::format("{}: the data would not read back the same once written (a character YAML cannot hold?); "
                          "nothing written",
                          path));
}

/// Refuses to replace a file whose comments a rewrite would lose.
void refuse_if_commented(const std::string& current, const std::string& path) {
  if (const int line = first_comment_line(current)) {
    // The diagnostic says what and where; the message only sums up, so the reason is not printed twice.
    throw Error(ErrorKind::data, "nothing written: a file would lose its comments",
                {Diagnostic{path, line, 1,
                            "the file has comments, which rewriting it would lose; move them into a field (e.g. a "
                            "flag's note) or remove them with 'casectl edit', then try again; nothing written"}});
  }
}

std::optional<EntryType> type_or_throw(Disk& disk, const std::string& path) {
  try {
    return disk.type(path);
  } catch (const IoError& e) {
    throw read_error(e);
  }
}

std::string transaction_id() { return make_record_id(random_bytes(k_record_id_length)) + make_record_id(random_bytes(k_record_id_length)); }

/// Removes what earlier transactions that died left in `dir`: staged files, backups and staged folders.
void remove_temporaries(Disk& disk, const std::string& dir) {
  if (type_or_throw(disk, dir) != EntryType::directory) {
    return;
  }
  for (const auto& entry : disk.list(dir)) {
    if (!layout::is_temporary_name(entry.name)) {
      continue;
    }
    const std::string path = layout::join(dir, entry.name);
    if (entry.type == EntryType::directory) {
      for (const auto& inner : disk.list(path)) {
        disk.remove(layout::join(path, inner.name));
      }
      disk.remove_directory(path);
    } else {
      disk.remove(path);
    }
  }
}

/// Every folder of the case that `path` lies in (none when it lies in none): where a writer that died while
/// writing that case may have left a staged file.
void add_case_folders(const std::string& path, std::set<std::string>& folders) {
  const std::string prefix = std::string(layout::cases_dir) + "/";
  if (path.rfind(prefix, 0) != 0) {
    return;
  }
  const auto end = path.find('/', prefix.size());
  if (end == std::string::npos) {
    return;
  }
  const std::string id = path.substr(prefix.size(), end - prefix.size());
  folders.insert(layout::case_dir(id));
  for (const char* sub : layout::record_dirs) {
    folders.insert(layout::join(layout::case_dir(id), sub));
  }
}

/// Turns the staged files into the changes that make them visible: a file in an existing folder is replaced or
/// linked into place; files in a folder that does not exist yet arrive with their folder in one rename.
std::vector<Change> plan_changes(Disk& disk, const std::vector<Transaction::Staged>& staged, const std::string& tx) {
  std::vector<Change> changes;
  std::unordered_map<std::string, size_t> new_folders;  // a new folder's change, by the folder
  std::unordered_set<std::string> parents_found;         // where new folders go (100,000 cases of an import: one)
  for (const auto& s : staged) {
    const std::string dir = layout::parent(s.path);
    const std::string name = layout::base_name(s.path);
    if (!new_folders.count(dir) && type_or_throw(disk, dir)) {
      Change c{s.replace ? Change::Kind::replace : Change::Kind::create, s.path,
               layout::join(dir, layout::temporary_name(name, tx)), {}, {}};
      if (s.replace) {
        c.backup = layout::join(dir, layout::backup_name(name, tx));
      }
      changes.push_back(c);
      continue;
    }
    auto [at, fresh] = new_folders.try_emplace(dir, changes.size());
    if (fresh) {
      const std::string above = layout::parent(dir);
      if (!parents_found.count(above)) {
        if (!type_or_throw(disk, above)) {
          throw Error(ErrorKind::internal, fmt::format("{}: the folder above it does not exist", dir));
        }
        parents_found.insert(above);
      }
      changes.push_back(Change{Change::Kind::create_dir, dir,
                               layout::join(layout::parent(dir), layout::temporary_name(layout::base_name(dir), tx)),
                               {}, {}});
    }
    changes[at->second].files.push_back(name);
  }
  return changes;
}

/// Each path once: a path staged again keeps its first place and whether it replaces a file, with its last text.
void merge_restaged(std::vector<Transaction::Staged>& staged) {
  std::unordered_map<std::string, size_t> first;
  size_t kept = 0;
  for (size_t i = 0; i < staged.size(); ++i) {
    auto [at, fresh] = first.try_emplace(staged[i].path, kept);
    if (fresh) {
      if (kept != i) {
        staged[kept] = std::move(staged[i]);
      }
      ++kept;
    } else {
      staged[at->second].text = std::move(staged[i].text);
    }
  }
  staged.resize(kept);
}

/// The text staged for each path.
using StagedTexts = std::unordered_map<std::string_view, const std::string*>;

/// A commit writing more files than this flushes them all with one `sync_all` rather than one by one (an import
/// of 100,000 rows: 200,000 flushes otherwise).
constexpr size_t k_files_flushed_one_by_one = 64;

size_t files_written(const std::vector<Change>& changes) {
  size_t files = 0;
  for (const auto& c : changes) {
    files += c.kind == Change::Kind::create_dir ? c.files.size() : 1;
  }
  return files;
}

/// Writes a change's staged file or folder; flushed now, or (`flush_later`) by the caller's `sync_all`.
void write_staged(Disk& disk, const Change& c, const StagedTexts& texts, bool flush_later) {
  auto write = [&](const std::string& path, const std::string& text) {
    flush_later ? disk.write_new_unsynced(path, text) : disk.write_new(path, text);
  };
  if (c.kind != Change::Kind::create_dir) {
    write(c.staged, *texts.at(c.target));
    return;
  }
  disk.make_directory(c.staged);
  for (const auto& name : c.files) {
    write(layout::join(c.staged, name), *texts.at(layout::join(c.target, name)));
  }
  if (!flush_later) {
    disk.sync_directory(c.staged);
  }
}

void make_visible(Disk& disk, const Change& c) {
  switch (c.kind) {
    case Change::Kind::replace:
      disk.link(c.target, c.backup);  // the old file stays within reach until the commit
      disk.rename(c.staged, c.target);
      break;
    case Change::Kind::create:
      disk.link(c.staged, c.target);  // fails rather than replace a file of the same name
      break;
    case Change::Kind::create_dir:
      disk.rename(c.staged, c.target);
      break;
  }
}

void remove_quietly(Disk& disk, const std::string& path) {
  try {
    disk.remove(path);
  } catch (const IoError&) {
    // a leftover temporary: the next write in this folder removes it, and `check` names it meanwhile
  }
}

}  // namespace

Transaction Store::begin() const { return Transaction(*this); }

Transaction::Transaction(const Store& store) : m_store(&store) {
  Disk& disk = *store.m_disk;
  try {
    m_lock = disk.lock(LockKind::writer, store.m_lock_timeout);
  } catch (const IoError& e) {
    throw write_error(e);
  }
  if (!m_lock) {
    throw Error(ErrorKind::busy,
                "another casectl command is writing to this repository (.casectl.lock is held); try again");
  }
  try {
    if (auto journal = read_journal(disk)) {
      undo_changes(disk, journal->changes);  // a transaction that died before its commit point never happened
    }
    remove_temporaries(disk, "");  // a journal staged by a writer that died before it became the journal
  } catch (const IoError& e) {
    throw write_error(e);
  }
}

Transaction::Transaction(Transaction&&) noexcept = default;
Transaction::~Transaction() = default;

// A path staged again is merged with its first staging by the commit (`merge_restaged`), so that staging the
// 100,000 cases of an import is not quadratic.
void Transaction::stage(std::string path, std::string text, bool replace) {
  m_staged.push_back(Staged{std::move(path), std::move(text), replace});
}

void Transaction::create_case(const Case& c) {
  const std::string path = layout::face_sheet(c.id);
  if (!is_case_id(c.id) || type_or_throw(*m_store->m_disk, layout::case_dir(c.id))) {
    throw Error(ErrorKind::internal, fmt::format("{}: the case folder exists already", layout::case_dir(c.id)));
  }
  stage(path, render_verified(c, encode_case, decode_case, path), false);
}

void Transaction::save_case(const Case& c) {
  const std::string path = layout::face_sheet(c.id);
  std::string text = render_verified(c, encode_case, decode_case, path);
  const std::string current = *m_store->load_text(c.id, Document::face_sheet);
  if (current == text) {
    m_staged.erase(std::remove_if(m_staged.begin(), m_staged.end(), [&](const Staged& s) { return s.path == path; }),
                   m_staged.end());
    return;
  }
  refuse_if_commented(current, path);
  stage(path, std::move(text), true);
}

void Transaction::save_plan(const Plan& plan) {
  const std::string path = layout::plan_file(plan.case_id);
  std::string text = render_verified(plan, encode_plan, decode_plan, path);
  const auto current = m_store->load_text(plan.case_id, Document::plan);
  if (current && *current == text) {
    return;
  }
  if (current) {
    refuse_if_commented(*current, path);
  }
  stage(path, std::move(text), current.has_value());
}

void Transaction::remove_empty_case_folder(const std::string& id) {
  if (is_case_id(id)) {
    m_empty_folders.push_back(layout::case_dir(id));
  }
}

void Transaction::replace_text(const std::string& id, Document document, const std::string& text) {
  const bool exists = m_store->load_text(id, document).has_value();
  stage(Store::path_of(id, document), text, exists);
}

std::string Transaction::new_record_id(const std::string& case_id) {
  std::set<std::string> taken;
  Disk& disk = *m_store->m_disk;
  for (const char* sub : layout::record_dirs) {
    const std::string dir = layout::join(layout::case_dir(case_id), sub);
    if (type_or_throw(disk, dir) != EntryType::directory) {
      continue;
    }
    std::vector<DirEntry> entries;
    try {
      entries = disk.list(dir);
    } catch (const IoError& e) {
      throw read_error(e);
    }
    for (const auto& entry : entries) {
      if (auto name = layout::parse_record_file_name(entry.name)) {
        taken.insert(name->id);
      }
    }
  }
  for (const auto& s : m_staged) {
    if (auto name = layout::parse_record_file_name(layout::base_name(s.path))) {
      taken.insert(name->id);
    }
  }
  for (int attempt = 0; attempt < 1000; ++attempt) {
    std::string id = make_record_id(random_bytes(k_record_id_length));
    if (taken.count(id) == 0) {
      return id;
    }
  }
  throw Error(ErrorKind::internal, "could not find a free record ID");
}

std::string Transaction::new_goal_id(const Plan& plan) {
  for (int attempt = 0; attempt < 1000; ++attempt) {
    std::string id = "g" + make_record_id(random_bytes(k_record_id_length));
    if (!plan.find(id)) {
      return id;
    }
  }
  throw Error(ErrorKind::internal, "could not find a free goal ID");
}

namespace {
template <typename T, typename Encode, typename Decode>
std::string record_text(const T& record, const std::string& path, Encode encode, Decode decode) {
  return render_verified(record, encode, decode, path);
}
}  // namespace

void Transaction::add_contact(Contact& contact) {
  contact.id = new_record_id(contact.case_id);
  const std::string path = layout::join(layout::record_dir(contact.case_id, layout::Record::contact),
                                        layout::record_file_name(contact.at.date, contact.id));
  stage(path, record_text(contact, path, encode_contact, decode_contact), false);
}

void Transaction::add_assessment(Assessment& assessment) {
  assessment.id = new_record_id(assessment.case_id);
  const std::string path =
      layout::join(layout::record_dir(assessment.case_id, layout::Record::assessment),
                   layout::record_file_name(assessment.date, assessment.id, assessment.instrument));
  stage(path, record_text(assessment, path, encode_assessment, decode_assessment), false);
}

void Transaction::add_review(Review& review) {
  review.id = new_record_id(review.case_id);
  const std::string path = layout::join(layout::record_dir(review.case_id, layout::Record::review),
                                        layout::record_file_name(review.date, review.id));
  stage(path, record_text(review, path, encode_review, decode_review), false);
}

void Transaction::add_referral(Referral& referral) {
  referral.id = new_record_id(referral.case_id);
  const std::string path = layout::join(layout::record_dir(referral.case_id, layout::Record::referral),
                                        layout::record_file_name(referral.date, referral.id));
  stage(path, record_text(referral, path, encode_referral, decode_referral), false);
}

void Transaction::add_referral_update(ReferralUpdate& update) {
  update.id = new_record_id(update.case_id);
  const std::string path = layout::join(layout::record_dir(update.case_id, layout::Record::referral_update),
                                        layout::record_file_name(update.date, update.id, update.referral));
  stage(path, record_text(update, path, encode_referral_update, decode_referral_update), false);
}

void Transaction::commit() {
  if (m_staged.empty() && m_empty_folders.empty()) {
    return;
  }
  Disk& disk = *m_store->m_disk;
  const std::string tx = transaction_id();
  std::vector<Change> changes;
  bool journaled = false;
  try {
    merge_restaged(m_staged);
    changes = plan_changes(disk, m_staged, tx);
    StagedTexts texts;
    for (const auto& s : m_staged) {
      texts.emplace(s.path, &s.text);
    }
    std::set<std::string> folders;  // where this transaction stages: what a writer that died left there goes
    for (const auto& c : changes) {
      folders.insert(layout::parent(c.staged));
      if (c.kind != Change::Kind::create_dir) {
        add_case_folders(c.target, folders);  // a note staged alone by a writer that died needed no journal
      }
    }
    for (const auto& folder : folders) {
      remove_temporaries(disk, folder);
    }
    if (changes.size() > 1) {
      // The journal comes first, so that whatever is staged after it can be found and undone.
      const std::string staged_journal = layout::temporary_name(layout::journal_file, tx);
      disk.write_new(staged_journal, journal_text(Journal{changes}));
      disk.rename(staged_journal, layout::journal_file);
      journaled = true;
      disk.sync_directory("");
    }
    const bool flush_at_once = files_written(changes) > k_files_flushed_one_by_one;
    for (size_t i = 0; i < changes.size(); ++i) {
      report_progress(m_store->m_progress, "writing files", i, changes.size());
      write_staged(disk, changes[i], texts, flush_at_once);
    }
    report_progress(m_store->m_progress, "writing files", changes.size(), changes.size());
    if (flush_at_once) {
      disk.sync_all();  // every staged file durable before any becomes visible
    }
    auto commit_lock = disk.lock(LockKind::commit, m_store->m_lock_timeout);
    if (!commit_lock) {
      throw IoError("lock", layout::lock_file, EAGAIN);
    }
    std::set<std::string> parents;
    for (const auto& c : changes) {
      make_visible(disk, c);
      parents.insert(layout::parent(c.target));
    }
    if (flush_at_once && parents.size() > 1) {
      disk.sync_all();
    } else {
      for (const auto& dir : parents) {
        disk.sync_directory(dir);
      }
    }
    if (journaled) {
      disk.remove(layout::journal_file);  // the commit point
      disk.sync_directory("");
    }
  } catch (const IoError& e) {
    Error error = write_error(e);
    try {
      undo_changes(disk, changes);
    } catch (const IoError&) {
      // The journal (if any) stays: readers see the repository as before, and the next writer finishes the undo.
    }
    if (!journaled) {  // a staged journal that never became the journal
      remove_quietly(disk, layout::temporary_name(layout::journal_file, tx));
    }
    throw error;
  }
  for (const auto& c : changes) {
    if (c.kind == Change::Kind::create) {
      remove_quietly(disk, c.staged);
    } else if (c.kind == Change::Kind::replace) {
      remove_quietly(disk, c.backup);
    }
  }
  for (const auto& dir : m_empty_folders) {
    try {
      disk.remove_directory(dir);  // fails, harmlessly, if it holds anything
    } catch (const IoError&) {
    }
  }
  for (const auto& s : m_staged) {
    m_written.push_back(s.path);
  }
  m_staged.clear();
  if (m_store->m_after_commit) {
    m_store->m_after_commit(m_written);
  }
}

}  // namespace casectl::storage
