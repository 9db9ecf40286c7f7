#pragma once

// The one wrapper of SQLite's statements, for the index and the SQL exports.

#include <cstdint>
#include <sqlite3.h>
#include <string>
#include <string_view>

#include "casectl/model/table.hpp"

namespace casectl::storage {

/// Runs SQL that returns no rows; whether it succeeded.
inline bool exec(sqlite3* db, const std::string& sql) {
  return sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
}

class Statement {
 public:
  Statement(sqlite3* db, const char* sql) {
    if (sqlite3_prepare_v2(db, sql, -1, &m_statement, nullptr) != SQLITE_OK) {
      m_statement = nullptr;
    }
  }
  ~Statement() { sqlite3_finalize(m_statement); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  bool ok() const { return m_statement != nullptr; }
  Statement& bind(int i, std::string_view bytes) {
    sqlite3_bind_blob(m_statement, i, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& bind_text(int i, std::string_view text) {
    sqlite3_bind_text(m_statement, i, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& bind(int i, int64_t n) {
    sqlite3_bind_int64(m_statement, i, n);
    return *this;
  }
  /// NULL, an integer, a real or a text.
  Statement& bind_value(int i, const SqlValue& value) {
    if (const auto* n = std::get_if<int64_t>(&value)) {
      sqlite3_bind_int64(m_statement, i, *n);
    } else if (const auto* r = std::get_if<double>(&value)) {
      sqlite3_bind_double(m_statement, i, *r);
    } else if (const auto* text = std::get_if<std::string>(&value)) {
      bind_text(i, *text);
    } else {
      sqlite3_bind_null(m_statement, i);
    }
    return *this;
  }
  /// SQLITE_ROW, SQLITE_DONE or an error.
  int step() { return m_statement ? sqlite3_step(m_statement) : SQLITE_ERROR; }
  void reset() {
    sqlite3_reset(m_statement);
    sqlite3_clear_bindings(m_statement);
  }
  bool run() {
    const int result = step();
    sqlite3_reset(m_statement);
    sqlite3_clear_bindings(m_statement);
    return result == SQLITE_DONE;
  }
  std::string blob(int i) const {
    const void* data = sqlite3_column_blob(m_statement, i);
    return data ? std::string(static_cast<const char*>(data), static_cast<size_t>(sqlite3_column_bytes(m_statement, i)))
                : std::string();
  }
  /// The column's bytes, valid until the next step.
  std::string_view view(int i) const {
    const void* data = sqlite3_column_blob(m_statement, i);
    return data ? std::string_view(static_cast<const char*>(data), static_cast<size_t>(sqlite3_column_bytes(m_statement, i)))
                : std::string_view();
  }
  bool is_null(int i) const { return sqlite3_column_type(m_statement, i) == SQLITE_NULL; }
  int64_t integer(int i) const { return sqlite3_column_int64(m_statement, i); }

 private:
  sqlite3_stmt* m_statement = nullptr;
};

}  // namespace casectl::storage
