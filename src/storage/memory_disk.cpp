#include <algorithm>
#include <cerrno>

#include "casectl/storage/disk.hpp"

namespace casectl::storage {
namespace {

std::string parent_of(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? "" : path.substr(0, slash);
}

bool is_below(const std::string& path, const std::string& dir) {
  return dir.empty() || path == dir || (path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 &&
                                        path[dir.size()] == '/');
}

class NoLock : public DiskLock {};

}  // namespace

MemoryDisk::MemoryDisk() { m_nodes[""] = Node{EntryType::directory, {}}; }

void MemoryDisk::enter(Op op, const std::string& path, bool changes) {
  if (m_crashed) {
    throw Crashed();
  }
  if (changes && m_crash_countdown >= 0) {
    if (m_crash_countdown == 0) {
      m_crashed = true;
      throw Crashed();
    }
    --m_crash_countdown;
  }
  const int count = ++m_calls[static_cast<int>(op)];
  for (auto it = m_failures.begin(); it != m_failures.end(); ++it) {
    if (it->op == op && it->at == count) {
      const int error = it->error;
      m_failures.erase(it);
      throw IoError("memory", path, error);
    }
  }
  for (const auto& [failing_op, failing_path, error] : m_path_failures) {
    if (failing_op == op && is_below(path, failing_path)) {
      throw IoError("memory", path, error);
    }
  }
}

const MemoryDisk::Node* MemoryDisk::find(const std::string& path) const {
  // Every ancestor must be a real directory: a symbolic link on the way is ELOOP, as with RESOLVE_NO_SYMLINKS.
  for (size_t slash = path.find('/'); slash != std::string::npos; slash = path.find('/', slash + 1)) {
    auto it = m_nodes.find(path.substr(0, slash));
    if (it == m_nodes.end()) {
      throw IoError("resolve", path, ENOENT);
    }
    if (it->second.type == EntryType::symlink) {
      throw IoError("resolve", path, ELOOP);
    }
    if (it->second.type != EntryType::directory) {
      throw IoError("resolve", path, ENOTDIR);
    }
  }
  auto it = m_nodes.find(path);
  return it == m_nodes.end() ? nullptr : &it->second;
}

void MemoryDisk::require_parent_directory(const char* op, const std::string& path) const {
  const std::string parent = parent_of(path);
  const Node* node = find(parent);
  if (!node) {
    throw IoError(op, path, ENOENT);
  }
  if (node->type == EntryType::symlink) {
    throw IoError(op, path, ELOOP);
  }
  if (node->type != EntryType::directory) {
    throw IoError(op, path, ENOTDIR);
  }
}

std::optional<EntryType> MemoryDisk::type(const std::string& path) {
  enter(Op::type, path, false);
  const Node* node = find(path);
  if (!node) {
    return std::nullopt;
  }
  return node->type;
}

std::vector<DirEntry> MemoryDisk::list(const std::string& dir) {
  enter(Op::list, dir, false);
  const Node* node = find(dir);
  if (!node) {
    throw IoError("list", dir, ENOENT);
  }
  if (node->type == EntryType::symlink) {
    throw IoError("list", dir, ELOOP);
  }
  if (node->type != EntryType::directory) {
    throw IoError("list", dir, ENOTDIR);
  }
  std::vector<DirEntry> entries;
  const std::string prefix = dir.empty() ? "" : dir + "/";
  for (auto it = m_nodes.lower_bound(prefix); it != m_nodes.end() && it->first.compare(0, prefix.size(), prefix) == 0;
       ++it) {
    const std::string rest = it->first.substr(prefix.size());
    if (!rest.empty() && rest.find('/') == std::string::npos) {
      entries.push_back(DirEntry{rest, it->second.type});
    }
  }
  return entries;
}

std::string MemoryDisk::read(const std::string& path, size_t cap) {
  enter(Op::read, path, false);
  const Node* node = find(path);
  if (!node) {
    throw IoError("open", path, ENOENT);
  }
  if (node->type == EntryType::symlink) {
    throw IoError("open", path, ELOOP);
  }
  if (node->type == EntryType::directory) {
    throw IoError("read", path, EISDIR);
  }
  if (node->type != EntryType::regular) {
    throw IoError("open", path, EINVAL);
  }
  if (node->content.size() > cap) {
    throw IoError("read", path, EFBIG);
  }
  return node->content;
}

void MemoryDisk::write_new(const std::string& path, std::string_view text) {
  try {
    enter(Op::write, path, true);
  } catch (const IoError&) {
    if (!m_crashed && find(parent_of(path)) && !find(path)) {
      m_nodes[path] = Node{EntryType::regular, std::string(text.substr(0, text.size() / 2))};  // a short write
    }
    throw;
  }
  require_parent_directory("open", path);
  if (find(path)) {
    throw IoError("open", path, EEXIST);
  }
  m_nodes[path] = Node{EntryType::regular, std::string(text)};
}

// Memory holds no unflushed data: what a crash loses here is what the process had not yet written at all.
void MemoryDisk::write_new_unsynced(const std::string& path, std::string_view text) { write_new(path, text); }

void MemoryDisk::make_directory(const std::string& path) {
  enter(Op::mkdir, path, true);
  require_parent_directory("mkdir", path);
  if (find(path)) {
    throw IoError("mkdir", path, EEXIST);
  }
  m_nodes[path] = Node{EntryType::directory, {}};
}

void MemoryDisk::rename(const std::string& from, const std::string& to) {
  enter(Op::rename, from, true);
  require_parent_directory("rename", from);
  require_parent_directory("rename", to);
  const Node* source = find(from);
  if (!source) {
    throw IoError("rename", from, ENOENT);
  }
  if (from == to) {
    return;
  }
  const Node* target = find(to);
  if (source->type == EntryType::directory) {
    if (is_below(to, from)) {
      throw IoError("rename", to, EINVAL);
    }
    if (target) {
      if (target->type != EntryType::directory) {
        throw IoError("rename", to, ENOTDIR);
      }
      if (!list(to).empty()) {
        --m_calls[static_cast<int>(Op::list)];
        throw IoError("rename", to, ENOTEMPTY);
      }
      m_nodes.erase(to);
    }
    std::vector<std::pair<std::string, Node>> moved;
    for (auto it = m_nodes.begin(); it != m_nodes.end();) {
      if (is_below(it->first, from)) {
        moved.emplace_back(to + it->first.substr(from.size()), it->second);
        it = m_nodes.erase(it);
      } else {
        ++it;
      }
    }
    for (auto& [path, node] : moved) {
      m_nodes[path] = std::move(node);
    }
    return;
  }
  if (target && target->type == EntryType::directory) {
    throw IoError("rename", to, EISDIR);
  }
  m_nodes[to] = *source;
  m_nodes.erase(from);
}

void MemoryDisk::link(const std::string& from, const std::string& to) {
  enter(Op::link, to, true);
  require_parent_directory("link", to);
  const Node* source = find(from);
  if (!source) {
    throw IoError("link", from, ENOENT);
  }
  if (source->type == EntryType::directory) {
    throw IoError("link", from, EPERM);
  }
  if (find(to)) {
    throw IoError("link", to, EEXIST);
  }
  m_nodes[to] = *source;  // content is immutable once written, so a copy behaves as a second name
}

void MemoryDisk::remove(const std::string& path) {
  enter(Op::remove, path, true);
  const Node* node = find(path);
  if (!node) {
    throw IoError("unlink", path, ENOENT);
  }
  if (node->type == EntryType::directory) {
    throw IoError("unlink", path, EISDIR);
  }
  m_nodes.erase(path);
}

void MemoryDisk::remove_directory(const std::string& path) {
  enter(Op::rmdir, path, true);
  const Node* node = find(path);
  if (!node) {
    throw IoError("rmdir", path, ENOENT);
  }
  if (node->type != EntryType::directory) {
    throw IoError("rmdir", path, ENOTDIR);
  }
  if (!list(path).empty()) {
    --m_calls[static_cast<int>(Op::list)];
    throw IoError("rmdir", path, ENOTEMPTY);
  }
  m_nodes.erase(path);
}

void MemoryDisk::sync_directory(const std::string& dir) {
  enter(Op::sync, dir, true);
  const Node* node = find(dir);
  if (!node || node->type != EntryType::directory) {
    throw IoError("fsync", dir, node ? ENOTDIR : ENOENT);
  }
}

void MemoryDisk::sync_all() { enter(Op::sync, "", true); }

std::unique_ptr<DiskLock> MemoryDisk::lock(LockKind, std::chrono::milliseconds) {
  enter(Op::lock, ".casectl.lock", false);
  return std::make_unique<NoLock>();  // one process: nobody else to exclude
}

void MemoryDisk::fail(Op op, int nth, int error) {
  m_failures.push_back(PlannedFailure{op, m_calls[static_cast<int>(op)] + nth, error});
}

void MemoryDisk::fail_path(Op op, const std::string& path, int error) { m_path_failures.emplace_back(op, path, error); }

void MemoryDisk::crash_after(int operations) { m_crash_countdown = operations; }

void MemoryDisk::revive() {
  m_crashed = false;
  m_crash_countdown = -1;
}

void MemoryDisk::clear_faults() {
  m_failures.clear();
  m_path_failures.clear();
  revive();
}

void MemoryDisk::put_file(const std::string& path, std::string text) {
  m_nodes[path] = Node{EntryType::regular, std::move(text)};
}

void MemoryDisk::put_directory(const std::string& path) { m_nodes[path] = Node{EntryType::directory, {}}; }

void MemoryDisk::put_symlink(const std::string& path) { m_nodes[path] = Node{EntryType::symlink, {}}; }

void MemoryDisk::erase(const std::string& path) {
  for (auto it = m_nodes.begin(); it != m_nodes.end();) {
    it = is_below(it->first, path) && !path.empty() ? m_nodes.erase(it) : std::next(it);
  }
}

std::map<std::string, std::string> MemoryDisk::snapshot() const {
  std::map<std::string, std::string> out;
  for (const auto& [path, node] : m_nodes) {
    out[path] = node.type == EntryType::directory ? "<dir>" : node.type == EntryType::symlink ? "<link>" : node.content;
  }
  return out;
}

}  // namespace casectl::storage
