#include "casectl/storage/sql_database.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <map>
#include <optional>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include "casectl/model/error.hpp"
#include "storage/sqlite.hpp"

namespace casectl::storage {
namespace {

std::string insert_statement(const TableSchema& table) {
  std::string marks;
  for (size_t i = 0; i < table.columns.size(); ++i) {
    marks += i == 0 ? "?" : ", ?";
  }
  return fmt::format("INSERT INTO {} VALUES ({})", quote_identifier(table.name), marks);
}

/// Creates the tables, without their indexes (made once the rows are in: faster).
bool create_tables(sqlite3* db, const std::vector<TableSchema>& tables) {
  for (const auto& table : tables) {
    if (!exec(db, create_table_statement(table, SqlDialect::sqlite))) {
      return false;
    }
  }
  return true;
}

/// The tables of a query, without their keys. A table with a key is searched for the place of each row, where one
/// without takes its rows in order: that search was a tenth of `casectl sql`'s time. A query's joins do not need
/// the keys' indexes: SQLite makes an index for a join as it runs when one helps.
std::vector<TableSchema> without_keys(std::vector<TableSchema> tables) {
  for (auto& table : tables) {
    table.primary_key.clear();
    table.foreign_keys.clear();
  }
  return tables;
}

bool create_indexes(sqlite3* db, const std::vector<TableSchema>& tables) {
  for (const auto& table : tables) {
    for (const auto& statement : create_index_statements(table)) {
      if (!exec(db, statement)) {
        return false;
      }
    }
  }
  return true;
}

}  // namespace

/// Which columns of which tables get their values; the others are left NULL.
using ColumnsWanted = std::vector<std::vector<bool>>;

/// Inserts rows through one prepared statement per table; a failed insert is remembered, and `finish` reports it.
class RowInserter : public TableSink {
 public:
  RowInserter(sqlite3* db, const std::vector<TableSchema>& tables, ColumnsWanted wanted)
      : m_db(db), m_wanted(std::move(wanted)) {
    for (size_t i = 0; i < tables.size(); ++i) {
      m_inserts.push_back(wants(i) ? std::make_unique<Statement>(db, insert_statement(tables[i]).c_str()) : nullptr);
    }
  }
  void add(size_t table, const SqlRow& row) override {
    if (!wants(table) || !m_ok) {
      return;
    }
    Statement& insert = *m_inserts[table];
    const auto& columns = m_wanted[table];
    for (size_t i = 0; i < row.size(); ++i) {
      insert.bind_value(static_cast<int>(i) + 1, columns[i] ? row[i] : SqlValue());
    }
    if (!insert.run()) {
      m_ok = false;
      m_message = sqlite3_errmsg(m_db);
    }
  }
  bool wants(size_t table) const override { return !m_wanted[table].empty(); }
  /// SQLite's message for the first insert that failed, or nothing.
  std::optional<std::string> failure() const {
    return m_ok ? std::nullopt : std::optional<std::string>(m_message);
  }

 private:
  sqlite3* m_db;
  ColumnsWanted m_wanted;
  std::vector<std::unique_ptr<Statement>> m_inserts;
  bool m_ok = true;
  std::string m_message;
};

namespace {

/// A column a statement reads: its table and its name ("" when it counts the table's rows only).
using ColumnRead = std::pair<std::string, std::string>;

/// Refuses (without a trace) what would make a read-only query anything else; records the columns it reads.
int authorize(void* reads, int action, const char* table, const char* column, const char*, const char*) {
  switch (action) {
    case SQLITE_READ:
      if (table != nullptr) {
        static_cast<std::vector<ColumnRead>*>(reads)->emplace_back(table, column ? column : "");
      }
      return SQLITE_OK;
    case SQLITE_SELECT:
    case SQLITE_FUNCTION:
    case SQLITE_RECURSIVE:
      return SQLITE_OK;
    default:
      return SQLITE_DENY;
  }
}

/// Whether `sql` holds `word` (in any case) as a word of its own, in a string or a name as much as a keyword.
bool has_word(std::string_view sql, std::string_view word) {
  const auto is_word_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  for (size_t at = 0; at + word.size() <= sql.size(); ++at) {
    const bool starts = at == 0 || !is_word_char(sql[at - 1]);
    const bool ends = at + word.size() == sql.size() || !is_word_char(sql[at + word.size()]);
    if (starts && ends &&
        std::equal(word.begin(), word.end(), sql.begin() + static_cast<std::ptrdiff_t>(at),
                   [](char w, char c) { return w == std::toupper(static_cast<unsigned char>(c)); })) {
      return true;
    }
  }
  return false;
}

/// The tables `statement` opens to read, from its program (EXPLAIN), or nothing when that cannot be had: the
/// authorizer is not told of a table that only a USING clause reads.
std::optional<std::vector<std::string>> tables_opened(sqlite3* db, const std::string& statement) {
  std::map<int64_t, std::string> table_of_root;  // a table's or an index's first page: the table's name
  Statement schema(db, "SELECT rootpage, tbl_name FROM sqlite_schema");
  while (schema.step() == SQLITE_ROW) {
    table_of_root[schema.integer(0)] = schema.blob(1);
  }
  Statement program(db, ("EXPLAIN " + statement).c_str());
  if (!program.ok()) {
    return std::nullopt;
  }
  std::vector<std::string> tables;
  int result;
  while ((result = program.step()) == SQLITE_ROW) {
    if (program.view(1) == "OpenRead") {  // P2, the fourth column: the page the table or index begins at
      const auto table = table_of_root.find(program.integer(3));
      if (table == table_of_root.end()) {
        return std::nullopt;
      }
      tables.push_back(table->second);
    }
  }
  return result == SQLITE_DONE ? std::optional(tables) : std::nullopt;
}

bool blank(const char* sql) {
  return sql == nullptr || std::string_view(sql).find_first_not_of(" \t\r\n;") == std::string_view::npos;
}

SqlValue column_value(sqlite3_stmt* statement, int i) {
  switch (sqlite3_column_type(statement, i)) {
    case SQLITE_INTEGER:
      return static_cast<int64_t>(sqlite3_column_int64(statement, i));
    case SQLITE_FLOAT:
      return sqlite3_column_double(statement, i);
    case SQLITE_NULL:
      return std::monostate{};
    default: {
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, i));
      return std::string(text ? text : "", static_cast<size_t>(sqlite3_column_bytes(statement, i)));
    }
  }
}

}  // namespace

SqlQuery::SqlQuery(const std::vector<TableSchema>& tables, const std::string& statement) {
  if (sqlite3_open_v2(":memory:", &m_db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr) !=
          SQLITE_OK ||
      !create_tables(m_db, without_keys(tables))) {
    sqlite3_close(m_db);
    throw Error(ErrorKind::internal, "SQLite cannot make a database in memory");
  }
  sqlite3_db_config(m_db, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
  sqlite3_db_config(m_db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, nullptr);
  sqlite3_limit(m_db, SQLITE_LIMIT_ATTACHED, 0);
  std::vector<ColumnRead> read;
  sqlite3_set_authorizer(m_db, authorize, &read);
  const char* tail = nullptr;
  const int prepared = sqlite3_prepare_v2(m_db, statement.c_str(), static_cast<int>(statement.size()), &m_statement,
                                          &tail);
  sqlite3_set_authorizer(m_db, nullptr, nullptr);
  auto refuse = [&](const std::string& message) {
    sqlite3_finalize(m_statement);
    sqlite3_close(m_db);
    throw Error(ErrorKind::usage, message);
  };
  if (prepared == SQLITE_AUTH) {
    refuse("casectl sql only reads: one SELECT (or WITH … SELECT) statement; not "
           "INSERT, UPDATE, DELETE, CREATE, DROP, ATTACH, PRAGMA or a transaction");
  }
  if (prepared != SQLITE_OK) {
    refuse(fmt::format("SQL: {}", sqlite3_errmsg(m_db)));
  }
  if (m_statement == nullptr) {
    refuse("no SQL statement given");
  }
  if (!sqlite3_stmt_readonly(m_statement)) {
    refuse("casectl sql only reads: a statement that writes is refused");
  }
  if (!blank(tail)) {
    sqlite3_stmt* next = nullptr;
    sqlite3_prepare_v2(m_db, tail, -1, &next, nullptr);
    const bool more = next != nullptr;
    sqlite3_finalize(next);
    if (more) {
      refuse("one SQL statement at a time");
    }
  }
  // Only the columns the statement reads get values (and the keys, which may not be NULL): the others cannot
  // change its answer, and a narrow row is quicker to insert. SQLite does not tell the authorizer of the columns
  // a NATURAL join or a USING clause compares, so such a statement gets every column of the tables it reads.
  const bool every_column = has_word(statement, "NATURAL") || has_word(statement, "USING");
  const auto opened = tables_opened(m_db, statement);
  ColumnsWanted wanted;
  for (const auto& table : tables) {
    const bool reads_table = !opened || std::count(opened->begin(), opened->end(), table.name) ||
                             std::any_of(read.begin(), read.end(), [&](const auto& r) { return r.first == table.name; });
    m_reads.push_back(reads_table);
    std::vector<bool> columns;
    for (size_t c = 0; reads_table && c < table.columns.size(); ++c) {
      const Column& column = table.columns[c];
      const bool key = column.not_null || std::count(table.primary_key.begin(), table.primary_key.end(), column.name);
      columns.push_back(every_column || key || std::count(read.begin(), read.end(), ColumnRead(table.name, column.name)));
    }
    wanted.push_back(std::move(columns));
  }
  exec(m_db, "BEGIN");
  m_inserter = std::make_unique<RowInserter>(m_db, tables, std::move(wanted));
}

SqlQuery::~SqlQuery() {
  m_inserter.reset();
  sqlite3_finalize(m_statement);
  sqlite3_close(m_db);
}

TableSink& SqlQuery::sink() { return *m_inserter; }

SqlAnswer SqlQuery::run() {
  if (auto failure = m_inserter->failure()) {
    throw Error(ErrorKind::internal, fmt::format("SQLite could not hold the tables: {}", *failure));
  }
  exec(m_db, "COMMIT");
  SqlAnswer answer;
  const int columns = sqlite3_column_count(m_statement);
  for (int i = 0; i < columns; ++i) {
    answer.columns.emplace_back(sqlite3_column_name(m_statement, i));
  }
  int result = SQLITE_ROW;
  while ((result = sqlite3_step(m_statement)) == SQLITE_ROW) {
    SqlRow row;
    for (int i = 0; i < columns; ++i) {
      row.push_back(column_value(m_statement, i));
    }
    answer.rows.push_back(std::move(row));
  }
  if (result != SQLITE_DONE) {  // a run-time error: a bad cast, an integer overflow, a huge result
    throw Error(ErrorKind::usage, fmt::format("SQL: {}", sqlite3_errmsg(m_db)));
  }
  return answer;
}

namespace {

/// A file that is removed when this goes out of scope, unless kept.
class TemporaryFile {
 public:
  explicit TemporaryFile(const std::filesystem::path& beside) {
    const auto folder = beside.has_parent_path() ? beside.parent_path() : std::filesystem::path(".");
    std::string pattern = (folder / ("." + beside.filename().string() + ".XXXXXX")).string();
    const int fd = mkstemp(pattern.data());  // mode 0600
    if (fd < 0) {
      throw Error(ErrorKind::cannot_write, fmt::format("{}: cannot create a file in {}: {}", beside.string(),
                                                       folder.string(), std::strerror(errno)));
    }
    ::close(fd);
    m_path = pattern;
  }
  ~TemporaryFile() {
    if (!m_kept) {
      ::unlink(m_path.c_str());
    }
  }
  TemporaryFile(const TemporaryFile&) = delete;
  TemporaryFile& operator=(const TemporaryFile&) = delete;
  const std::string& path() const { return m_path; }
  void keep() { m_kept = true; }

 private:
  std::string m_path;
  bool m_kept = false;
};

[[noreturn]] void cannot_write(const std::filesystem::path& path, const std::string& why) {
  throw Error(ErrorKind::cannot_write, fmt::format("{}: not written: {}", path.string(), why));
}

void flush_file(const std::string& path, const std::filesystem::path& shown) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0 || ::fsync(fd) != 0) {
    const int error = errno;
    if (fd >= 0) {
      ::close(fd);
    }
    cannot_write(shown, std::strerror(error));
  }
  ::close(fd);
}

/// Gives the file its name, refusing (without `replace`) a name that exists by then.
void move_into_place(const std::string& from, const std::filesystem::path& to, bool replace) {
  int result = 0;
  if (replace) {
    result = std::rename(from.c_str(), to.c_str());
  } else {
    result = ::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE);
    if (result != 0 && (errno == EINVAL || errno == ENOSYS)) {  // a file system without it: a hard link refuses too
      result = ::link(from.c_str(), to.c_str());
    }
  }
  if (result != 0) {
    if (errno == EEXIST) {
      throw Error(ErrorKind::usage, fmt::format("{} exists; --force replaces it", to.string()));
    }
    cannot_write(to, std::strerror(errno));
  }
  const auto folder = to.has_parent_path() ? to.parent_path() : std::filesystem::path(".");
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

}  // namespace

void write_sqlite_file(const std::filesystem::path& path, bool replace, const std::vector<TableSchema>& tables,
                       const std::function<void(TableSink&)>& fill) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) {
      throw Error(ErrorKind::usage, fmt::format("{} is a folder; give the database's file name", path.string()));
    }
    if (!replace) {
      throw Error(ErrorKind::usage, fmt::format("{} exists; --force replaces it", path.string()));
    }
  }
  TemporaryFile temporary(path);
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(temporary.path().c_str(), &db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW, nullptr) != SQLITE_OK) {
    const std::string message = sqlite3_errmsg(db);
    sqlite3_close(db);
    cannot_write(path, message);
  }
  std::unique_ptr<sqlite3, int (*)(sqlite3*)> closing(db, sqlite3_close);
  // No journal: the file is not the database until it is whole and renamed.
  bool ok = exec(db, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA locking_mode = EXCLUSIVE") &&
            exec(db, "BEGIN") && create_tables(db, tables);
  std::optional<std::string> failure;
  if (ok) {
    ColumnsWanted all;
    for (const auto& table : tables) {
      all.emplace_back(table.columns.size(), true);
    }
    RowInserter inserter(db, tables, all);
    fill(inserter);
    failure = inserter.failure();
  }
  ok = ok && !failure && create_indexes(db, tables) && exec(db, "COMMIT");
  if (!ok) {
    cannot_write(path, failure.value_or(sqlite3_errmsg(db)));
  }
  closing.reset();
  flush_file(temporary.path(), path);
  move_into_place(temporary.path(), path, replace);
  temporary.keep();
}

}  // namespace casectl::storage
