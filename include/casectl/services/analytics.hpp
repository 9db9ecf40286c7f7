#pragma once

#include <functional>
#include <string>
#include <vector>

#include "casectl/model/error.hpp"
#include "casectl/model/table.hpp"
#include "casectl/services/session.hpp"

namespace casectl::services {

/// The relational schema of the case record (casectl-sql(7)): one table per kind of record, each row keyed by the
/// agency and the case, holding facts and never free text (notes, reasons, goals' wording). De-identified, the
/// tables are those `deidentified` makes of them, without the clients table, the case ID replaced by the keyed
/// pseudonym of the de-identified CSV and JSON, and values outside casectl.yaml's closed lists as "other".
std::vector<TableSchema> analytics_tables(bool deidentify);

/// Gives `sink` the rows of the cases that match `terms` (those of `casectl list`), as of the session's day.
void export_tables(const Session& session, const std::vector<std::string>& terms, bool deidentify, TableSink& sink,
                   Problems& problems);

/// `export --format sqlite`: the tables in a new SQLite database at `path`, all or nothing (see
/// `storage::write_sqlite_file`); an existing file only with `replace`.
void export_sqlite(const Session& session, const std::vector<std::string>& terms, bool deidentify,
                   const std::string& path, bool replace, Problems& problems);

/// `export --format postgres`: a script for `psql` that creates the tables where they do not exist yet and loads
/// the rows with COPY, in one transaction (so that a second agency's export loads beside the first, and a load
/// that fails leaves nothing). Handed to `write` a piece at a time.
void write_postgres_script(const Session& session, const std::vector<std::string>& terms, bool deidentify,
                           const std::function<void(const std::string&)>& write, Problems& problems);

/// `casectl sql`: one read-only statement over every case's tables (identified), as of the session's day.
struct SqlResult {
  std::vector<std::string> columns;
  std::vector<SqlRow> rows;
};
SqlResult run_sql(const Session& session, const std::string& statement, Problems& problems);

}  // namespace casectl::services
