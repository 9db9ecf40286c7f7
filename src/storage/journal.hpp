#pragma once

// How a transaction writing several files stays all-or-nothing. Before anything is staged, a journal
// (.casectl.journal) lists every change; the changes are made visible one by one, each keeping the old state
// within reach (a backup link of a replaced file, the staged name of a created one); removing the journal is the
// commit point. A journal still present means an unfinished transaction: the next writer undoes it, and until
// then every reader sees the repository as it was before it (`BeforeView`).

#include <optional>
#include <string>
#include <vector>

#include "casectl/storage/disk.hpp"

namespace casectl::storage {

struct Change {
  enum class Kind {
    replace,     ///< an existing file: `staged` is renamed over `target`, the old one kept as `backup` meanwhile
    create,      ///< a new file: `staged` is linked as `target`, which must not exist
    create_dir,  ///< a new folder: the folder `staged`, holding `files`, is renamed to `target`
  };
  Kind kind;
  std::string target;
  std::string staged;
  std::string backup;
  std::vector<std::string> files;  ///< create_dir: the names inside
};

struct Journal {
  std::vector<Change> changes;
};

std::string journal_text(const Journal& journal);
/// Nothing when the text is not a complete journal (then it was never the commit's).
std::optional<Journal> parse_journal(const std::string& text);
/// The journal of an unfinished transaction, if there is one.
std::optional<Journal> read_journal(Disk& disk);

/// Undoes `changes` as far as the disk shows they were made, newest first, then removes the journal if any.
void undo_changes(Disk& disk, const std::vector<Change>& changes);

/// A read-only view of a disk holding an unfinished transaction's journal, as it was before the transaction.
class BeforeView : public Disk {
 public:
  BeforeView(Disk& base, Journal journal);
  std::optional<EntryType> type(const std::string& path) override;
  std::vector<DirEntry> list(const std::string& dir) override;
  std::string read(const std::string& path, size_t cap) override;
  void write_new(const std::string& path, std::string_view) override { refuse(path); }
  void write_new_unsynced(const std::string& path, std::string_view) override { refuse(path); }
  void make_directory(const std::string& path) override { refuse(path); }
  void rename(const std::string& from, const std::string&) override { refuse(from); }
  void link(const std::string&, const std::string& to) override { refuse(to); }
  void remove(const std::string& path) override { refuse(path); }
  void remove_directory(const std::string& path) override { refuse(path); }
  void sync_directory(const std::string& dir) override { refuse(dir); }
  void sync_all() override { refuse(""); }
  std::unique_ptr<DiskLock> lock(LockKind kind, std::chrono::milliseconds timeout) override {
    return m_base.lock(kind, timeout);
  }
  std::string describe() const override { return m_base.describe(); }

 private:
  Disk& m_base;
  Journal m_journal;
  bool hidden(const std::string& path);
  std::string source_of(const std::string& path);
  [[noreturn]] static void refuse(const std::string& path);
};

}  // namespace casectl::storage
