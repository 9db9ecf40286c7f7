#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "casectl/model/case.hpp"
#include "casectl/model/case_file.hpp"
#include "casectl/model/config.hpp"
#include "casectl/model/error.hpp"
#include "casectl/model/instrument.hpp"
#include "casectl/model/plan.hpp"
#include "casectl/model/work_progress.hpp"
#include "casectl/model/records.hpp"
#include "casectl/storage/disk.hpp"

namespace casectl::storage {

class Transaction;
class CaseView;
class IndexedCase;
class IndexFile;
struct IndexRow;

/// What a pass over every case will mostly look at: the face sheets only (finding a case by name), or the
/// histories of open cases too (due items, lists, reports). Either way a visit may read anything.
enum class Reading { faces, histories };

/// The two files of a case that are rewritten (and that `edit` opens); dated records never are.
enum class Document { face_sheet, plan };

/// The case repository, the only code that knows where each record lives and how its file is named. Reading
/// never takes the writer's lock; it sees every case either wholly before or wholly after any transaction.
/// Anything that cannot be read is an `Error` naming its path (77 permission, 65 bad data, 66 missing), never
/// an empty answer.
class Store {
 public:
  /// Opens the store on `disk`, reading casectl.yaml (a `config` error when it is broken).
  explicit Store(std::shared_ptr<Disk> disk, std::chrono::milliseconds lock_timeout = std::chrono::seconds(5));
  /// A store whose casectl.yaml could not be read, for `check` to look at everything else.
  static Store without_config(std::shared_ptr<Disk> disk);

  const Config& config() const { return m_config; }
  std::chrono::milliseconds lock_timeout() const { return m_lock_timeout; }

  /// The IDs of every case folder, sorted. Entries of cases/ that should be case folders and are not (a
  /// symbolic link, a file) go to `problems`; a cases/ that cannot be listed is an error.
  std::vector<std::string> case_ids(Problems& problems) const;
  bool has_case(const std::string& id) const;

  Case load_case(const std::string& id) const;
  std::optional<Plan> load_plan(const std::string& id) const;
  /// The face sheet, the plan and every dated record of a case, all read as of one moment.
  CaseFile load_case_file(const std::string& id) const;
  /// The text of a face sheet or plan; nothing when the plan does not exist.
  std::optional<std::string> load_text(const std::string& id, Document document) const;
  /// Where a face sheet or plan lives, as messages show it.
  static std::string path_of(const std::string& id, Document document);
  /// The case and document a path of the repository names (cases/ID/case.yaml), if it names one.
  static std::optional<std::pair<std::string, Document>> document_at(std::string_view path);

  /// Calls `visit` once per case, in ID order, each case read as of one moment and only as far as `visit` asks.
  /// A case that cannot be read is recorded in the returned problems and the scan goes on.
  Problems for_each_case(const std::function<void(CaseView&)>& visit, Reading reading = Reading::histories) const;

  std::vector<std::string> instrument_ids() const;
  /// The agency's secret for pseudonyms (32 bytes), made the first time it is asked for and kept in a
  /// git-ignored file of mode 0600 that .gitignore is made to list.
  std::string pseudonym_key() const;
  Instrument load_instrument(const std::string& id) const;
  /// Gives a repository made by an older casectl what `init` writes today for git: .gitattributes naming
  /// casectl's merge driver for face sheets and plans, and cases/.gitkeep; gives whether anything changed.
  bool prepare_for_git() const;

  /// Takes the writer's lock (a `busy` error after the timeout), first finishing or undoing whatever an
  /// interrupted transaction left behind.
  Transaction begin() const;

  /// Validates the text of a face sheet or plan as `edit` would save it, without writing.
  std::vector<Diagnostic> validate_text(const std::string& id, Document document, const std::string& text) const;

  /// Every problem in every file of the repository, leftovers of interrupted transactions included. A case
  /// folder in which no file changed since the last check is not read again (through the index), unless `full`.
  std::vector<Diagnostic> check(bool full = false) const;

  Disk& disk() const { return *m_disk; }
  /// What `doctor` tells of the store's own files: the index, the writer's lock, an unfinished transaction.
  struct Health {
    std::optional<int64_t> index_bytes;  ///< nothing when there is no index yet
    bool writer_busy = false;            ///< another casectl holds the writer's lock now
    std::string lock_problem;            ///< why the lock could not be tried (a read-only repository), if so
    bool interrupted = false;            ///< a transaction's journal is there: the next writer finishes it
  };
  Health health() const;

  /// Whether reading many cases goes through the index (.cache/index.sqlite, the default) or reads every file.
  /// Both give the same answers; the index is only faster.
  void use_index(bool use) { m_use_index = use; }

  /// Tells `observer` the paths each transaction wrote, once it has committed them (for git auto-commit).
  void after_commit(std::function<void(const std::vector<std::string>&)> observer) {
    m_after_commit = std::move(observer);
  }
  /// Where long work tells how far it has got: a pass over every case that reads many of them (a cold index, or
  /// no index), a check of every case folder, the writing of a large transaction.
  void set_progress(ProgressSink progress) { m_progress = std::move(progress); }
  const ProgressSink& progress() const { return m_progress; }

 private:
  friend class Transaction;
  friend class CaseView;
  std::shared_ptr<Disk> m_disk;
  Config m_config;
  bool m_config_known = true;
  std::chrono::milliseconds m_lock_timeout;
  bool m_use_index = true;
  std::function<void(const std::vector<std::string>&)> m_after_commit;
  ProgressSink m_progress;

  Store(std::shared_ptr<Disk> disk, Config config, bool known);
  const Config* names_config() const { return m_config_known ? &m_config : nullptr; }
  void check_case_folder(Disk& disk, const std::string& id, std::vector<Diagnostic>& out) const;
  /// What `check_case_folder` finds in each case (on both cores), through the index when there is one.
  std::vector<std::vector<Diagnostic>> check_case_folders(Disk& disk, const std::vector<std::string>& ids,
                                                          IndexFile* index, bool full) const;
  /// The index's corrected history of case `id` when one of its records changed in place where the index could
  /// not see it.
  std::optional<IndexRow> record_changed_in_place(Disk& disk, IndexFile& index, const std::string& id,
                                                         int64_t began) const;
};

/// One case during `Store::for_each_case`: each part is read on first use, from the index when it is current.
class CaseView {
 public:
  const std::string& id() const { return m_id; }
  const Case& face();
  /// `face().open_at_end_of(day)`, without reading the face sheet when the index knows the answer.
  bool open_at_end_of(Date day);
  /// The client's name as `fold_name` folds it, without reading the face sheet when the index has it.
  std::string folded_name();
  /// What due items, lists and reports are made of: the face sheet, the plan, and each dated record's facts —
  /// dates, kinds, minutes, scores, statuses, workers, follow-ups — without its free text (notes, reasons) and
  /// unknown keys.
  const CaseFile& facts();
  /// The whole case as its files hold it, free text included (always read from the files).
  const CaseFile& file();
  /// `face()` and `facts()` moved out of the view, for a visit that keeps them: asked again, the view reads them
  /// again.
  Case take_face();
  CaseFile take_facts();

 private:
  friend class Store;
  CaseView(const Store& store, Disk& disk, std::string id, IndexedCase* indexed = nullptr)
      : m_store(store), m_disk(disk), m_id(std::move(id)), m_indexed(indexed) {}
  const Store& m_store;
  Disk& m_disk;
  std::string m_id;
  IndexedCase* m_indexed;
  std::optional<Case> m_face;
  std::optional<CaseFile> m_facts;
  std::optional<CaseFile> m_file;
};

/// All the files one operation writes, committed together: after an error or a kill at any instant the
/// repository is wholly as before or wholly as after, for every reader. Nothing is written before `commit`;
/// a transaction destroyed without `commit` leaves no trace. Holds the writer's lock while it lives.
class Transaction {
 public:
  Transaction(Transaction&&) noexcept;
  ~Transaction();

  const Store& store() const { return *m_store; }

  /// A new case folder with its face sheet; the ID must be new.
  void create_case(const Case& c);
  /// Replaces the face sheet; refuses (and the transaction writes nothing) when the file on disk has comments.
  void save_case(const Case& c);
  void save_plan(const Plan& plan);
  /// New dated records: each gets a fresh record ID unique within its case, set on the argument.
  void add_contact(Contact& contact);
  void add_assessment(Assessment& assessment);
  void add_review(Review& review);
  void add_referral(Referral& referral);
  void add_referral_update(ReferralUpdate& update);
  /// A goal ID for `plan`: "g" and 4 random characters, so that goals added in two clones of the repository
  /// never share an ID (older plans number theirs g1, g2, …, which stay as they are).
  static std::string new_goal_id(const Plan& plan);
  /// Removes, once the commit has succeeded, a case folder left empty by an interrupted intake of an older casectl.
  void remove_empty_case_folder(const std::string& id);
  /// Replaces a face sheet or plan with text already validated by `Store::validate_text`.
  void replace_text(const std::string& id, Document document, const std::string& text);

  /// Writes everything staged, all or nothing; throws `cannot_write` (or `permission`) when it could not.
  void commit();
  /// The paths the commit wrote, relative to the root.
  const std::vector<std::string>& written() const { return m_written; }

  struct Staged;

 private:
  friend class Store;
  explicit Transaction(const Store& store);

  const Store* m_store;
  std::unique_ptr<DiskLock> m_lock;
  std::vector<Staged> m_staged;
  std::vector<std::string> m_written;
  std::vector<std::string> m_empty_folders;

  void stage(std::string path, std::string text, bool replace);
  std::string new_record_id(const std::string& case_id);
};

/// Creates a new repository in `dir`: casectl.yaml with commented examples, the shipped instruments, cases/,
/// .gitignore and .gitattributes. Refuses when `dir` already holds casectl.yaml.
void initialize_repository(const std::filesystem::path& dir, const std::string& agency);

/// Writes a new repository's files on `disk` (casectl.yaml last); throws IoError.
void write_new_repository(Disk& disk, const std::string& agency);

/// Finds the repository: `-C`/`--repo` first, then `CASECTL_REPO`, then the nearest ancestor of the working
/// directory that holds casectl.yaml.
struct RepositoryLocation {
  std::optional<std::filesystem::path> option;
  std::optional<std::filesystem::path> environment;
  std::filesystem::path working_directory;
};
std::filesystem::path find_repository(const RepositoryLocation& where);

/// `check` for a repository whose casectl.yaml may itself be broken (through the index unless `use_index` is
/// false; every case folder read again when `full`), telling `progress` how far it has got.
std::vector<Diagnostic> check_repository(std::shared_ptr<Disk> disk, bool use_index = true, bool full = false,
                                         const ProgressSink& progress = {});

}  // namespace casectl::storage
