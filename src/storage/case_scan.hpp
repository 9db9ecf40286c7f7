#pragma once

// A pass over every case through the index (.cache/index.sqlite). Before the first case is visited, every face
// sheet is stamped, and so are the plan and record folders of every open case; whatever changed since its
// summary was made is read again from its files, on both cores. A closed case's history is stamped and read only
// when a visit asks for it (a replayed day or a past period). The summaries then answer exactly as the files
// would: a stamp is trusted only once it is older than the clock's resolution, so a file changed in the same
// instant as its summary was made is read again next time too.

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "casectl/model/case_file.hpp"
#include "casectl/model/config.hpp"
#include "casectl/model/work_progress.hpp"
#include "casectl/storage/disk.hpp"
#include "storage/case_reader.hpp"
#include "storage/index_file.hpp"

namespace casectl::storage {

class CaseScan;

/// The moment stamping begins: stamps whose ctime is not at least 2 seconds before it are not kept (see above).
int64_t stamping_begins();
bool settled(const std::vector<std::optional<Stamp>>& stamps, int64_t began_ns);
/// Blanks the stamps of record files that are not settled, so that they are read again rather than trusted.
void forget_unsettled(RecordSources& sources, int64_t began_ns);
/// What a case's history is read from: the plan and the record folders.
std::vector<std::optional<Stamp>> history_stamps(Disk& disk, const std::string& id);
/// What every summary depends on besides its case: casectl.yaml (which decoding checks against) and the
/// instruments.
std::vector<std::optional<Stamp>> configuration_stamps(Disk& disk);

/// One case of a scan, as its summary has it.
class IndexedCase {
 public:
  const std::string& id() const { return *m_id; }
  Case face();
  /// The face sheet, the plan and each dated record's facts (see `facts_of`).
  CaseFile facts();
  /// `Case::open_at_end_of`, without reading the face sheet for a day after its last opening or closing.
  bool open_at_end_of(Date day);
  const std::string& folded_name() const { return m_row.name; }

 private:
  friend class CaseScan;
  CaseScan* m_scan = nullptr;
  const std::string* m_id = nullptr;  ///< in the IDs the scan was started with, which outlive it
  IndexRow m_row;
  bool m_face_settled = false;      ///< its face sheet's stamp may be kept
  bool m_usable = false;            ///< its face sheet was read (else the plain reading reports why not)
  bool m_history_current = false;   ///< m_row.history is what the files hold now
  bool m_face_changed = false;      ///< to be saved
  bool m_history_changed = false;   ///< to be saved
};

class CaseScan {
 public:
  /// Brings the summaries of `ids` up to date: face sheets, and with `histories` the histories of open cases
  /// (others when a visit asks); `ids` must outlive the scan. Nothing when the repository is to be read without the index: no
  /// real file system, an unfinished transaction (read as before it), an index that cannot be opened.
  /// Tells `progress` how far bringing them up to date has got.
  static std::unique_ptr<CaseScan> start(Disk& disk, const Config* config, const std::vector<std::string>& ids,
                                         std::chrono::milliseconds timeout, bool histories,
                                         const ProgressSink& progress = {});
  ~CaseScan();

  /// The i-th case of `ids`, or nothing when it is to be read from its files.
  IndexedCase* entry(size_t i);
  /// Lets go of what the i-th case's visit no longer needs, saving summaries when many are waiting.
  void after_visit(size_t i);
  /// Saves every summary made during the scan, when the index can be written now.
  void finish();

 private:
  friend class IndexedCase;
  CaseScan(Disk& disk, const Config* config, std::chrono::milliseconds timeout);

  Disk& m_disk;
  const Config* m_config;
  std::chrono::milliseconds m_timeout;
  std::unique_ptr<IndexFile> m_index;
  std::vector<IndexedCase> m_cases;
  /// Each case's face sheet's stamp (none: no file), once taken: apart from the cases, so that stamping can begin
  /// before they are made.
  std::vector<std::optional<std::optional<Stamp>>> m_face_stamps;
  std::vector<std::string> m_gone;
  int64_t m_started_ns = 0;  ///< the clock when stamping began
  bool m_save = true;        ///< false when casectl.yaml itself changed too recently to be stamped
  bool m_histories = true;   ///< open cases' histories are brought up to date before the first visit
  size_t m_waiting_bytes = 0;

  /// Gives each case its row of the index; the rows of no case are `m_gone`.
  void take_rows(const std::vector<std::string>& ids, bool histories);
  void take_face_stamp(Disk& disk, size_t i, const std::string& id);
  /// Brings the i-th case up to date.
  void bring_up_to_date(Disk& disk, size_t i);
  void refresh_face(Disk& disk, IndexedCase& c);
  /// Makes the case's history current; `may_ask_index` false on the threads before the first visit.
  void refresh_history(Disk& disk, IndexedCase& c, bool may_ask_index);
  /// Reads the case's plan and records again: those that changed since its summary, when it has one.
  CaseFile read_history(Disk& disk, IndexedCase& c, const std::vector<std::optional<Stamp>>& stamps,
                        RecordSources& sources);
  bool settled(const std::vector<std::optional<Stamp>>& stamps) const { return storage::settled(stamps, m_started_ns); }
  /// Saves what changed in cases [begin, end), and with `finishing` forgets the cases no longer there.
  void save(size_t begin, size_t end, bool finishing);
};

}  // namespace casectl::storage
