#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "casectl/model/table.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace casectl::storage {

class RowInserter;

/// Writes a new SQLite database at `path` with `tables` (their keys and indexes), filled by `fill`. All or
/// nothing: the database is made in a temporary file of mode 0600 beside `path`, flushed, and renamed to `path`
/// only when whole; on any error the temporary file is removed and `path` is as it was. An existing `path` is
/// refused (`usage`) unless `replace`.
void write_sqlite_file(const std::filesystem::path& path, bool replace, const std::vector<TableSchema>& tables,
                       const std::function<void(TableSink&)>& fill);

/// What a query answered: its column names and its rows.
struct SqlAnswer {
  std::vector<std::string> columns;
  std::vector<SqlRow> rows;
};

/// One read-only SQL statement over `tables`, held in memory without their keys. The statement is checked first, against the empty
/// tables: a syntax error is a `usage` error with SQLite's message, and so is a statement that would write,
/// attach a file, change a setting or run more than one statement. Only the tables it reads need filling.
class SqlQuery {
 public:
  SqlQuery(const std::vector<TableSchema>& tables, const std::string& statement);
  ~SqlQuery();
  SqlQuery(const SqlQuery&) = delete;
  SqlQuery& operator=(const SqlQuery&) = delete;

  /// Whether the statement reads the table at position `table`.
  bool reads(size_t table) const { return m_reads[table]; }
  /// Takes the rows of the tables the statement reads (rows of other tables are ignored).
  TableSink& sink();
  SqlAnswer run();

 private:
  sqlite3* m_db = nullptr;
  sqlite3_stmt* m_statement = nullptr;
  std::vector<bool> m_reads;
  std::unique_ptr<RowInserter> m_inserter;
};

}  // namespace casectl::storage
