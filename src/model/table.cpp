#include "casectl/model/table.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <optional>

#include "casectl/model/error.hpp"
#include "casectl/model/text.hpp"

namespace casectl {

size_t TableSchema::column(const std::string& wanted) const {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].name == wanted) {
      return i;
    }
  }
  throw Error(ErrorKind::internal, fmt::format("table {} has no column {}", name, wanted));
}

namespace {

/// The column's name in the de-identified table, or nothing when it is left out.
std::optional<std::string> deidentified_name(const Column& column) {
  switch (column.privacy) {
    case Privacy::identifying:
      return std::nullopt;
    case Privacy::date:
      return column.name + "_year";
    default:
      return column.name;
  }
}

/// `names` in the de-identified table, or nothing when one of them is left out.
std::optional<std::vector<std::string>> renamed(const TableSchema& table, const std::vector<std::string>& names) {
  std::vector<std::string> out;
  for (const auto& name : names) {
    auto renamed_column = deidentified_name(table.columns[table.column(name)]);
    if (!renamed_column) {
      return std::nullopt;
    }
    out.push_back(*renamed_column);
  }
  return out;
}

const char* type_name(ColumnType type, SqlDialect dialect) {
  switch (type) {
    case ColumnType::integer:
      return dialect == SqlDialect::sqlite ? "INTEGER" : "bigint";
    case ColumnType::real:
      return dialect == SqlDialect::sqlite ? "REAL" : "double precision";
    default:
      return dialect == SqlDialect::sqlite ? "TEXT" : "text";
  }
}

std::string quoted_list(const std::vector<std::string>& names) {
  std::vector<std::string> quoted;
  for (const auto& name : names) {
    quoted.push_back(quote_identifier(name));
  }
  return join(quoted, ", ");
}

}  // namespace

TableSchema deidentified(const TableSchema& table) {
  TableSchema out{table.name, table.doc, {}, {}, {}, {}, table.identified_only};
  for (const auto& column : table.columns) {
    if (auto name = deidentified_name(column)) {
      Column kept = column;
      kept.name = *name;
      if (column.privacy == Privacy::date) {
        kept.type = ColumnType::integer;
        kept.privacy = Privacy::kept;
      }
      out.columns.push_back(std::move(kept));
    }
  }
  out.primary_key = renamed(table, table.primary_key).value_or(std::vector<std::string>{});
  for (const auto& key : table.foreign_keys) {
    if (auto columns = renamed(table, key.columns)) {
      out.foreign_keys.push_back({*columns, key.table, key.references});
    }
  }
  for (const auto& index : table.indexes) {
    if (auto columns = renamed(table, index)) {
      out.indexes.push_back(*columns);
    }
  }
  return out;
}

std::string quote_identifier(const std::string& name) {
  std::string out = "\"";
  for (const char c : name) {
    out += c;
    if (c == '"') {
      out += '"';
    }
  }
  return out + "\"";
}

std::string create_table_statement(const TableSchema& table, SqlDialect dialect) {
  std::vector<std::string> lines;
  for (const auto& column : table.columns) {
    lines.push_back(fmt::format("  {} {}{}", quote_identifier(column.name), type_name(column.type, dialect),
                                column.not_null ? " NOT NULL" : ""));
  }
  if (!table.primary_key.empty()) {
    lines.push_back(fmt::format("  PRIMARY KEY ({})", quoted_list(table.primary_key)));
  }
  for (const auto& key : table.foreign_keys) {
    lines.push_back(fmt::format("  FOREIGN KEY ({}) REFERENCES {} ({})", quoted_list(key.columns),
                                quote_identifier(key.table), quoted_list(key.references)));
  }
  // SQLite: a table with a key is stored in its key's order, once, rather than as rows plus an index of the key.
  const bool clustered = dialect == SqlDialect::sqlite && !table.primary_key.empty();
  return fmt::format("CREATE TABLE IF NOT EXISTS {} (\n{}\n){}", quote_identifier(table.name), join(lines, ",\n"),
                     clustered ? " WITHOUT ROWID" : "");
}

std::vector<std::string> create_index_statements(const TableSchema& table) {
  std::vector<std::string> out;
  for (const auto& index : table.indexes) {
    out.push_back(fmt::format("CREATE INDEX IF NOT EXISTS {} ON {} ({})",
                              quote_identifier(table.name + "_by_" + join(index, "_")), quote_identifier(table.name),
                              quoted_list(index)));
  }
  return out;
}

std::string copy_line(const SqlRow& row) {
  std::string line;
  for (size_t i = 0; i < row.size(); ++i) {
    if (i > 0) {
      line += '\t';
    }
    if (std::holds_alternative<std::monostate>(row[i])) {
      line += "\\N";
    } else if (const auto* n = std::get_if<int64_t>(&row[i])) {
      line += std::to_string(*n);
    } else if (const auto* r = std::get_if<double>(&row[i])) {
      line += fmt::format("{}", *r);
    } else {
      for (const char c : std::get<std::string>(row[i])) {
        switch (c) {
          case '\\': line += "\\\\"; break;
          case '\t': line += "\\t"; break;
          case '\n': line += "\\n"; break;
          case '\r': line += "\\r"; break;
          default: line += c;
        }
      }
    }
  }
  return line + '\n';
}

}  // namespace casectl
