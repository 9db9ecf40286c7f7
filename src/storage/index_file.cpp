#include "storage/index_file.hpp"

#include <algorithm>
#include <functional>
#include <cstring>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include "storage/layout.hpp"
#include "storage/sqlite.hpp"

namespace casectl::storage {

namespace {

/// Changes whenever the rows' layout or the digests' do: a file of another version is emptied.
constexpr int k_index_version = 8;

/// A 64-bit sum over each part and its length, eight bytes at a time: rows whose sums do not hold are not used.
/// SQLite checks its own structure, not the bytes of a value; this catches a damaged value.
int64_t check_sum(std::initializer_list<std::string_view> parts) {
  uint64_t hash = 0x9e3779b97f4a7c15ULL;
  auto mix = [&](uint64_t word) {
    hash = (hash ^ word) * 0xff51afd7ed558ccdULL;
    hash ^= hash >> 32;
  };
  for (const auto part : parts) {
    size_t i = 0;
    for (; i + 8 <= part.size(); i += 8) {
      uint64_t word;
      std::memcpy(&word, part.data() + i, 8);
      mix(word);
    }
    uint64_t tail = 0;
    std::memcpy(&tail, part.data() + i, part.size() - i);
    mix(tail);
    mix(part.size());
  }
  return static_cast<int64_t>(hash);
}

int64_t head_sum(const std::string& id, const IndexRow& row) {
  const std::string status = std::to_string(row.status_since) + (row.open ? "+" : "-");
  return check_sum({id, row.face_stamp, status, row.name});
}

int64_t blob_sum(const std::string& id, const std::string& stamps, const std::string& blob) {
  return check_sum({id, stamps, blob});
}

constexpr const char* k_schema =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value BLOB) WITHOUT ROWID;"
    // What every scan reads is kept apart from the summaries, which only some cases need: a scan of `cases`
    // reads a few bytes per case, however long the histories grow.
    // Each table is kept in the order of its key, the case ID: a scan comes sorted, a case is one search.
    "CREATE TABLE cases(id TEXT PRIMARY KEY, face_stamp BLOB, open INTEGER, status_since INTEGER, name TEXT,"
    " head_sum INTEGER) WITHOUT ROWID;"
    "CREATE TABLE faces(id TEXT PRIMARY KEY, face BLOB, face_sum INTEGER) WITHOUT ROWID;"
    "CREATE TABLE histories(id TEXT PRIMARY KEY, history_stamps BLOB, history BLOB, history_sum INTEGER) WITHOUT ROWID;"
    "CREATE TABLE checks(id TEXT PRIMARY KEY, fingerprint BLOB, found BLOB, found_sum INTEGER) WITHOUT ROWID;";

std::optional<std::string> meta(sqlite3* db, const char* key, bool& damaged) {
  Statement select(db, "SELECT value FROM meta WHERE key = ?");
  if (!select.ok()) {
    damaged = true;  // no such table: not a file of ours
    return std::nullopt;
  }
  select.bind_text(1, key);
  const int result = select.step();
  if (result == SQLITE_ROW) {
    return select.blob(0);
  }
  damaged = result != SQLITE_DONE;
  return std::nullopt;
}

/// A new, empty index in a file that may hold anything: what was there is dropped.
bool make_empty(sqlite3* db, const std::string& config_key) {
  if (!exec(db, "BEGIN IMMEDIATE")) {
    return false;
  }
  const bool ok = exec(db, "DROP TABLE IF EXISTS meta; DROP TABLE IF EXISTS cases; DROP TABLE IF EXISTS faces;"
                                " DROP TABLE IF EXISTS histories; DROP TABLE IF EXISTS checks;") && exec(db, k_schema) &&
                  Statement(db, "INSERT INTO meta VALUES('version', ?)").bind(1, std::to_string(k_index_version)).run() &&
                  Statement(db, "INSERT INTO meta VALUES('config', ?)").bind(1, config_key).run();
  return exec(db, ok ? "COMMIT" : "ROLLBACK") && ok;
}

sqlite3* open_database(const std::string& path, int flags) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    return nullptr;
  }
  sqlite3_busy_timeout(db, 500);  // a command that cannot save its findings now leaves them to the next
  // A scan reads each table once, in order: a page is not asked for again, and a cache of SQLite's default
  // 2 MB would only be fresh memory to touch (430 page faults per scan of 20,000 cases).
  exec(db, "PRAGMA trusted_schema = OFF; PRAGMA cell_size_check = ON; PRAGMA cache_size = -256;");
  return db;
}

}  // namespace

namespace {
struct StampFields {
  int64_t type, size, mtime_ns, ctime_ns, inode, device;
};
}  // namespace

std::string encode_stamps(const std::vector<std::optional<Stamp>>& stamps) {
  std::string out;
  for (const auto& stamp : stamps) {
    if (!stamp) {
      out += '-';
      continue;
    }
    const StampFields fields{static_cast<int64_t>(stamp->type), stamp->size, stamp->mtime_ns, stamp->ctime_ns,
                             static_cast<int64_t>(stamp->inode), static_cast<int64_t>(stamp->device)};
    out += '+';
    out.append(reinterpret_cast<const char*>(&fields), sizeof fields);
  }
  return out;
}

std::optional<std::vector<std::optional<Stamp>>> decode_stamps(std::string_view bytes) {
  std::vector<std::optional<Stamp>> stamps;
  while (!bytes.empty()) {
    const char mark = bytes.front();
    bytes.remove_prefix(1);
    if (mark == '-') {
      stamps.emplace_back();
      continue;
    }
    StampFields fields;
    if (mark != '+' || bytes.size() < sizeof fields) {
      return std::nullopt;
    }
    std::memcpy(&fields, bytes.data(), sizeof fields);
    bytes.remove_prefix(sizeof fields);
    stamps.push_back(Stamp{static_cast<EntryType>(fields.type), fields.size, fields.mtime_ns, fields.ctime_ns,
                           static_cast<uint64_t>(fields.inode), static_cast<uint64_t>(fields.device)});
  }
  return stamps;
}

std::unique_ptr<IndexFile> IndexFile::open(Disk& disk, const std::string& config_key) {
  const auto file = disk.index_file(layout::index_file);
  if (!file) {
    return nullptr;
  }
  try {
    const auto type = disk.type(layout::cache_dir);
    if (!type) {
      disk.make_directory(layout::cache_dir);
      disk.sync_directory("");
    } else if (*type != EntryType::directory) {
      return nullptr;
    }
  } catch (const IoError&) {
    return nullptr;  // a read-only repository with no index yet: read without one
  }
  const std::string path = file->string();
  bool writable = true;
  sqlite3* db = open_database(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  if (!db) {
    writable = false;
    db = open_database(path, SQLITE_OPEN_READONLY);
  }
  if (!db) {
    return nullptr;
  }
  ::chmod(path.c_str(), 0600);  // whatever made it: it holds what the case files hold
  std::unique_ptr<IndexFile> index(new IndexFile(db, path, writable, config_key));
  bool damaged = false;
  const auto version = meta(db, "version", damaged);
  const auto config = damaged ? std::nullopt : meta(db, "config", damaged);
  if (damaged || version != std::to_string(k_index_version)) {
    return writable && index->start_again() ? std::move(index) : nullptr;
  }
  index->m_config_current = config == config_key;
  return index;
}

bool IndexFile::start_again() {
  m_face_cursor.reset();  // SQLite closes no file with statements still prepared on it
  m_faces_from.reset();
  m_history_query.reset();
  sqlite3_close(m_db);  // a new file rather than a repair of this one
  ::unlink(m_path.c_str());
  ::unlink((m_path + "-journal").c_str());
  m_db = open_database(m_path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  if (!m_db || !make_empty(m_db, m_config_key)) {
    m_writable = false;
    m_damaged = true;
    return false;
  }
  m_config_current = true;
  m_damaged = false;
  return true;
}

IndexFile::IndexFile(sqlite3* db, std::string path, bool writable, std::string config_key)
    : m_db(db), m_path(std::move(path)), m_writable(writable), m_config_key(std::move(config_key)) {}

void IndexFile::stop_face_cursor() {
  if (m_face_cursor) {
    m_face_cursor->reset();
  }
  m_faces_from.reset();
}

IndexFile::~IndexFile() {
  m_face_cursor.reset();
  m_history_query.reset();
  if (m_reading) {
    exec(m_db, "COMMIT");
  }
  sqlite3_close(m_db);
}

std::optional<std::vector<std::string>> IndexFile::read_rows(const std::vector<std::string>& ids,
                                                             const std::function<IndexRow&(size_t)>& row_of,
                                                             bool open_cases_whole) {
  if (!m_config_current) {
    return std::vector<std::string>{};
  }
  // Rows come mostly in the order of their IDs, as `ids` do: each is looked for first just after the one before.
  size_t after = 0;
  auto position = [&](const std::string& id) -> std::optional<size_t> {
    if (after < ids.size() && ids[after] == id) {
      return after++;
    }
    const bool in_order = after == 0 || ids[after - 1] < id;
    const auto it = std::lower_bound(ids.begin() + static_cast<std::ptrdiff_t>(in_order ? after : 0), ids.end(), id);
    if (it == ids.end() || *it != id) {
      return std::nullopt;
    }
    after = static_cast<size_t>(it - ids.begin()) + 1;
    return after - 1;
  };
  // One read transaction for the whole scan: the rows and every summary asked for later are of one moment, and
  // SQLite takes its lock once, not per question.
  m_reading = exec(m_db, "BEGIN");
  std::vector<std::string> gone;
  Statement heads(m_db, "SELECT id, face_stamp, open, status_since, name, head_sum FROM cases ORDER BY id");
  int result;
  while ((result = heads.step()) == SQLITE_ROW) {
    std::string id = heads.blob(0);
    IndexRow row{heads.blob(1), heads.integer(2) != 0, static_cast<int>(heads.integer(3)), heads.blob(4), {}, {}, {}};
    if (head_sum(id, row) != heads.integer(5)) {
      continue;
    }
    if (const auto i = position(id)) {
      row_of(*i) = std::move(row);
    } else {
      gone.push_back(std::move(id));
    }
  }
  if (result == SQLITE_DONE && open_cases_whole) {
    after = 0;
    Statement faces(m_db, "SELECT f.id, f.face, f.face_sum FROM faces f JOIN cases c USING (id) WHERE c.open");
    while ((result = faces.step()) == SQLITE_ROW) {
      const std::string id = faces.blob(0);
      const auto i = position(id);
      IndexRow* row = i ? &row_of(*i) : nullptr;
      std::string face = faces.blob(1);
      if (row && blob_sum(id, row->face_stamp, face) == faces.integer(2)) {
        row->face = std::move(face);
      }
    }
  }
  if (result == SQLITE_DONE && open_cases_whole) {
    after = 0;
    Statement histories(m_db,
                        "SELECT h.id, h.history_stamps, h.history, h.history_sum FROM histories h"
                        " JOIN cases c USING (id) WHERE c.open");
    while ((result = histories.step()) == SQLITE_ROW) {
      const std::string id = histories.blob(0);
      const auto i = position(id);
      IndexRow* row = i ? &row_of(*i) : nullptr;
      std::string stamps = histories.blob(1);
      std::string history = histories.blob(2);
      if (row && blob_sum(id, stamps, history) == histories.integer(3)) {
        row->history_stamps = std::move(stamps);
        row->history = std::move(history);
      }
    }
  }
  if (result != SQLITE_DONE) {
    m_damaged = true;
    return std::nullopt;
  }
  return gone;
}

std::optional<std::string> IndexFile::face(const std::string& id, const std::string& stamp) {
  if (!m_config_current || m_damaged) {
    return std::nullopt;
  }
  // Scans visit cases in the order of their IDs, the table's own: one pass through it serves them all, stepping
  // over the few cases not asked for. A case before the pass's start begins it again there; one the pass has gone
  // beyond is not found, and is read from its files.
  if (!m_faces_from || *m_faces_from > id) {
    if (!m_face_cursor) {
      m_face_cursor = std::make_unique<Statement>(m_db, "SELECT id, face, face_sum FROM faces WHERE id >= ? ORDER BY id");
    }
    m_face_cursor->reset();
    m_face_cursor->bind_text(1, id);
    m_faces_from = id;
    m_face_row = m_face_cursor->step() == SQLITE_ROW;
  }
  while (m_face_row && m_face_cursor->view(0) < id) {
    m_face_row = m_face_cursor->step() == SQLITE_ROW;
  }
  if (!m_face_row || m_face_cursor->view(0) != id) {
    return std::nullopt;
  }
  std::optional<std::string> face = m_face_cursor->blob(1);
  // The sum covers the stamp the face sheet was summarised from: one kept for another stamp fails it.
  if (blob_sum(id, stamp, *face) != m_face_cursor->integer(2)) {
    face.reset();
  }
  return face;
}

std::optional<std::string> IndexFile::history(const std::string& id, const std::string& stamps) {
  return blob(m_history_query, "SELECT history, history_sum FROM histories WHERE id = ?", id, stamps);
}

std::optional<std::string> IndexFile::blob(std::unique_ptr<Statement>& query, const char* sql, const std::string& id,
                                           const std::string& stamps) {
  if (!m_config_current || m_damaged) {
    return std::nullopt;
  }
  if (!query) {
    query = std::make_unique<Statement>(m_db, sql);
  }
  query->bind_text(1, id);
  std::optional<std::string> blob;
  // The sum covers the stamps the blob was made from: one kept for other stamps (an older file) fails it.
  if (query->step() == SQLITE_ROW && !query->is_null(0)) {
    blob = query->blob(0);
    if (blob_sum(id, stamps, *blob) != query->integer(1)) {
      blob.reset();
    }
  }
  query->reset();
  return blob;
}

bool IndexFile::write(const std::vector<Change>& changes, const std::vector<std::string>& gone) {
  if (!m_writable || (changes.empty() && gone.empty() && m_config_current && !m_damaged)) {
    return m_writable;
  }
  const bool was_reading = m_reading;
  stop_face_cursor();
  if (m_reading) {
    exec(m_db, "COMMIT");
    m_reading = false;
  }
  if (m_damaged && !start_again()) {
    return false;
  }
  if (!exec(m_db, "BEGIN IMMEDIATE")) {
    return false;  // another command is writing it: this one's findings wait for the next
  }
  bool ok = true;
  if (!m_config_current) {
    ok = exec(m_db, "DELETE FROM cases; DELETE FROM faces; DELETE FROM histories; DELETE FROM checks;") &&
         Statement(m_db, "UPDATE meta SET value = ? WHERE key = 'config'").bind(1, m_config_key).run();
  }
  Statement put_head(m_db, "INSERT OR REPLACE INTO cases VALUES(?, ?, ?, ?, ?, ?)");
  Statement put_face(m_db, "INSERT OR REPLACE INTO faces VALUES(?, ?, ?)");
  Statement put_history(m_db, "INSERT OR REPLACE INTO histories VALUES(?, ?, ?, ?)");
  Statement drop_head(m_db, "DELETE FROM cases WHERE id = ?");
  Statement drop_face(m_db, "DELETE FROM faces WHERE id = ?");
  Statement drop_history(m_db, "DELETE FROM histories WHERE id = ?");
  for (const auto& change : changes) {
    const std::string& id = *change.id;
    const IndexRow& row = *change.row;
    if (ok && change.face) {
      ok = put_head.bind_text(1, id).bind(2, row.face_stamp).bind(3, int64_t{row.open})
               .bind(4, int64_t{row.status_since}).bind_text(5, row.name).bind(6, head_sum(id, row)).run() &&
           put_face.bind_text(1, id).bind(2, *row.face).bind(3, blob_sum(id, row.face_stamp, *row.face)).run();
    }
    if (ok && change.history) {
      ok = put_history.bind_text(1, id).bind(2, row.history_stamps).bind(3, *row.history)
               .bind(4, blob_sum(id, row.history_stamps, *row.history)).run();
    }
  }
  for (const auto& id : gone) {
    ok = ok && drop_head.bind_text(1, id).run() && drop_face.bind_text(1, id).run() &&
         drop_history.bind_text(1, id).run();
  }
  ok = exec(m_db, ok ? "COMMIT" : "ROLLBACK") && ok;
  if (ok) {
    m_config_current = true;
    m_damaged = false;
  }
  if (was_reading) {
    m_reading = exec(m_db, "BEGIN");
  }
  return ok;
}

}  // namespace casectl::storage

namespace casectl::storage {

std::map<std::string, std::pair<std::string, std::string>> IndexFile::checks() {
  std::map<std::string, std::pair<std::string, std::string>> checks;
  if (!m_config_current || m_damaged) {
    return checks;
  }
  Statement select(m_db, "SELECT id, fingerprint, found, found_sum FROM checks");
  int result;
  while ((result = select.step()) == SQLITE_ROW) {
    std::string id = select.blob(0);
    std::string fingerprint = select.blob(1);
    std::string found = select.blob(2);
    if (blob_sum(id, fingerprint, found) == select.integer(3)) {
      checks.emplace(std::move(id), std::pair(std::move(fingerprint), std::move(found)));
    }
  }
  if (result != SQLITE_DONE) {
    m_damaged = true;
    checks.clear();
  }
  return checks;
}

bool IndexFile::write_checks(const std::vector<Checked>& checked, const std::vector<std::string>& gone) {
  if (!m_writable || (m_damaged && !start_again()) || !exec(m_db, "BEGIN IMMEDIATE")) {
    return false;
  }
  bool ok = m_config_current ||
            (exec(m_db, "DELETE FROM cases; DELETE FROM faces; DELETE FROM histories; DELETE FROM checks;") &&
             Statement(m_db, "UPDATE meta SET value = ? WHERE key = 'config'").bind(1, m_config_key).run());
  Statement put(m_db, "INSERT OR REPLACE INTO checks VALUES(?, ?, ?, ?)");
  for (const auto& c : checked) {
    ok = ok && put.bind_text(1, c.id).bind(2, c.fingerprint).bind(3, c.found)
                   .bind(4, blob_sum(c.id, c.fingerprint, c.found)).run();
  }
  Statement drop(m_db, "DELETE FROM checks WHERE id = ?");
  for (const auto& id : gone) {
    ok = ok && drop.bind_text(1, id).run();
  }
  ok = exec(m_db, ok ? "COMMIT" : "ROLLBACK") && ok;
  m_config_current = m_config_current || ok;
  return ok;
}

}  // namespace casectl::storage
