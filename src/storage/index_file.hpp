#pragma once

// The index's file, .cache/index.sqlite: one row per case with the stamps its summary was made from. It only
// stores and hands back rows; `CaseScan` decides what is current. A file that is damaged, of another version,
// or made for another casectl.yaml is emptied, never trusted; one that cannot be written is only read.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "casectl/model/boxed.hpp"
#include "casectl/storage/disk.hpp"

struct sqlite3;

namespace casectl::storage {

class Statement;

/// A case's row: what its face sheet says, and (for open cases, or when asked) its history. The summaries are
/// boxed (held when loaded): a scan holds a row for every case, and most never load theirs.
struct IndexRow {
  std::string face_stamp;  ///< the face sheet's stamp, as `encode_stamps` writes it
  bool open = false;       ///< open after its last opening, closing or reopening …
  int status_since = 0;    ///< … dated this day (days since 1970): from then on the case is open every day, or not
  std::string name;        ///< the client's name as `fold_name` folds it
  Boxed<std::string> face;  ///< `encode_face`; loaded with the rows for open cases, else when asked
  std::string history_stamps;
  Boxed<std::string> history;  ///< `encode_history`; likewise
};

/// A row to write (not copied: the caller keeps it): its face sheet's part when `face`, its history when
/// `history`.
struct IndexFileChange {
  const std::string* id;
  const IndexRow* row;
  bool face = false;
  bool history = false;
};

class IndexFile {
 public:
  /// Opens (making it when missing) the index of the repository on `disk`, for the configuration whose stamps
  /// are `config_key`; nothing when the disk has no real file system or the file cannot even be read.
  static std::unique_ptr<IndexFile> open(Disk& disk, const std::string& config_key);
  ~IndexFile();
  IndexFile(const IndexFile&) = delete;
  IndexFile& operator=(const IndexFile&) = delete;

  /// Fills `row_of(i)` with the row of `ids[i]` (sorted), for every row whose check sums hold, with (when
  /// `open_cases_whole`) the face sheets and histories of open cases. Gives the IDs of the rows of no case in `ids`;
  /// nothing when the file is damaged (then no row is to be trusted).
  std::optional<std::vector<std::string>> read_rows(const std::vector<std::string>& ids,
                                                    const std::function<IndexRow&(size_t)>& row_of,
                                                    bool open_cases_whole);
  /// The face sheet of a case whose row had none loaded, when its stamp is `stamp` and its sum holds.
  std::optional<std::string> face(const std::string& id, const std::string& stamp);
  /// Likewise its history.
  std::optional<std::string> history(const std::string& id, const std::string& stamps);

  /// Writes rows, drops the rows of `gone` cases, in one transaction. Gives false, writing nothing, when the file cannot be written now.
  using Change = IndexFileChange;
  bool write(const std::vector<Change>& changes, const std::vector<std::string>& gone);

  /// What `check` found in each case folder, by the fingerprint of every file in it: ID -> (fingerprint, found).
  std::map<std::string, std::pair<std::string, std::string>> checks();
  struct Checked {
    std::string id;
    std::string fingerprint;
    std::string found;  ///< `encode_diagnostics`
  };
  /// Keeps what `check` found, and forgets the cases no longer there; like `write`.
  bool write_checks(const std::vector<Checked>& checked, const std::vector<std::string>& gone);

 private:
  IndexFile(sqlite3* db, std::string path, bool writable, std::string config_key);
  /// Replaces the file with an empty index; false (and nothing is written any more) when it cannot.
  bool start_again();
  std::optional<std::string> blob(std::unique_ptr<Statement>& query, const char* sql, const std::string& id,
                                  const std::string& stamps);
  sqlite3* m_db;
  std::string m_path;
  bool m_writable;
  bool m_config_current = false;  ///< the rows were made for this casectl.yaml
  bool m_damaged = false;
  bool m_reading = false;  ///< inside the read transaction `rows` began
  std::string m_config_key;
  std::unique_ptr<Statement> m_face_cursor;  ///< a pass through the face sheets, in the order of their IDs …
  std::optional<std::string> m_faces_from;    ///< … begun at this ID (none: not begun) …
  bool m_face_row = false;                    ///< … and not yet at its end
  /// Ends the pass, so that it holds no lock when the file is written.
  void stop_face_cursor();
  std::unique_ptr<Statement> m_history_query;
};

/// Stamps in the form rows keep them: equal bytes, equal stamps. A missing file is a stamp too.
std::string encode_stamps(const std::vector<std::optional<Stamp>>& stamps);
/// The stamps `encode_stamps` wrote; nothing when these are not its bytes.
std::optional<std::vector<std::optional<Stamp>>> decode_stamps(std::string_view bytes);

}  // namespace casectl::storage
