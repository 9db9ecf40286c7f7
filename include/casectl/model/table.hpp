#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace casectl {

// The relational form of the case record, as the SQL exports and `casectl sql` hold it. A table is described
// once, identified; its de-identified form is derived from the privacy of each column.

/// What a column may reveal about the client, which decides its fate in a de-identified table.
enum class Privacy {
  kept,         ///< facts of casectl's own or from casectl.yaml's closed lists: kept as they are
  case_key,     ///< the case ID: the case's pseudonym when de-identified
  date,         ///< a day: its year when de-identified, in a column named NAME_year
  identifying,  ///< names, contact details, free-form names of people and providers: left out
};

enum class ColumnType { text, integer, real };

struct Column {
  std::string name;
  ColumnType type = ColumnType::text;
  Privacy privacy = Privacy::kept;
  std::string doc;  ///< one line for the schema's page
  bool not_null = false;
};

struct ForeignKey {
  std::vector<std::string> columns;
  std::string table;
  std::vector<std::string> references;
};

struct TableSchema {
  std::string name;
  std::string doc;
  std::vector<Column> columns;
  std::vector<std::string> primary_key;
  std::vector<ForeignKey> foreign_keys;
  std::vector<std::vector<std::string>> indexes;
  bool identified_only = false;  ///< left out of a de-identified export altogether

  size_t column(const std::string& name) const;  ///< its position; throws `internal` when there is none
};

/// NULL, an integer, a real or a text.
using SqlValue = std::variant<std::monostate, int64_t, double, std::string>;
using SqlRow = std::vector<SqlValue>;

/// The table as a de-identified export holds it: identifying columns left out, dates as years (`opened` becomes
/// `opened_year`, an integer). Keys and indexes that name a left-out column are left out too.
TableSchema deidentified(const TableSchema& table);

/// Where the rows of an export go, table by table in any order.
class TableSink {
 public:
  virtual ~TableSink() = default;
  /// A row of the table at position `table` of the schema the sink was made for, one value per column.
  virtual void add(size_t table, const SqlRow& row) = 0;
  /// Whether rows of the table are kept at all: those a sink would drop need not be made.
  virtual bool wants(size_t /*table*/) const { return true; }
};

enum class SqlDialect { sqlite, postgres };

/// `"name"`, with any `"` doubled.
std::string quote_identifier(const std::string& name);
/// CREATE TABLE IF NOT EXISTS with the columns, the primary key and the foreign keys.
std::string create_table_statement(const TableSchema& table, SqlDialect dialect);
/// CREATE INDEX IF NOT EXISTS for each index.
std::vector<std::string> create_index_statements(const TableSchema& table);
/// One row of a PostgreSQL COPY … FROM stdin (text format): fields apart by tabs, NULL as \N, backslash, tab,
/// newline and carriage return escaped; ends with a newline.
std::string copy_line(const SqlRow& row);

}  // namespace casectl
