// The relational form of the case record: its SQL text, its de-identified tables, and read-only queries.
#include <doctest/doctest.h>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

#include "casectl/model/error.hpp"
#include "casectl/model/table.hpp"
#include "casectl/storage/sql_database.hpp"

using namespace casectl;

namespace {

TableSchema people() {
  TableSchema t;
  t.name = "people";
  t.columns = {{"agency", ColumnType::text, Privacy::kept, "", true},
               {"case_id", ColumnType::text, Privacy::case_key, "", true},
               {"name", ColumnType::text, Privacy::identifying, ""},
               {"opened", ColumnType::text, Privacy::date, ""},
               {"visits", ColumnType::integer, Privacy::kept, ""}};
  t.primary_key = {"agency", "case_id"};
  t.indexes = {{"agency", "opened"}, {"agency", "name"}};
  return t;
}

}  // namespace

TEST_CASE("a COPY line escapes what would end a field or a line, and writes NULL as \\N") {
  const SqlRow row{std::string("a\tb\nc\\d\re"), std::monostate{}, int64_t{-7}, 1.5, std::string("Zoë \"O'B\"")};
  CHECK(copy_line(row) == "a\\tb\\nc\\\\d\\re\t\\N\t-7\t1.5\tZoë \"O'B\"\n");
}

TEST_CASE("identifiers are quoted with their quotes doubled") {
  CHECK(quote_identifier("from") == "\"from\"");
  CHECK(quote_identifier("a\"b") == "\"a\"\"b\"");
}

TEST_CASE("a de-identified table leaves out identifying columns and keeps days as years") {
  const TableSchema d = deidentified(people());
  REQUIRE(d.columns.size() == 4);
  CHECK(d.columns[2].name == "opened_year");
  CHECK(d.columns[2].type == ColumnType::integer);
  CHECK(d.primary_key == std::vector<std::string>{"agency", "case_id"});
  REQUIRE(d.indexes.size() == 1);  // the index on the name goes with the name
  CHECK(d.indexes[0] == std::vector<std::string>{"agency", "opened_year"});
  CHECK(create_table_statement(d, SqlDialect::postgres).find("\"opened_year\" bigint") != std::string::npos);
  CHECK(create_table_statement(d, SqlDialect::sqlite).find("\"opened_year\" INTEGER") != std::string::npos);
}

TEST_CASE("a query fills only the tables it reads and gives back any text as it was") {
  TableSchema other = people();
  other.name = "others";
  storage::SqlQuery query({people(), other}, "SELECT name, visits FROM people ORDER BY visits");
  CHECK(query.reads(0));
  CHECK_FALSE(query.reads(1));
  const std::string odd = "Zoë \"Bo\" O'Brien\t\\\nnewline";
  query.sink().add(0, {std::string("A"), std::string("c-1"), odd, std::string("2026-01-02"), int64_t{3}});
  query.sink().add(0, {std::string("A"), std::string("c-2"), std::monostate{}, std::monostate{}, int64_t{1}});
  query.sink().add(1, {std::string("A"), std::string("c-3"), std::string("ignored"), std::monostate{}, int64_t{0}});
  const auto answer = query.run();
  REQUIRE(answer.rows.size() == 2);
  CHECK(answer.columns == std::vector<std::string>{"name", "visits"});
  CHECK(std::holds_alternative<std::monostate>(answer.rows[0][0]));
  CHECK(std::get<std::string>(answer.rows[1][0]) == odd);
  CHECK(std::get<int64_t>(answer.rows[1][1]) == 3);
}

TEST_CASE("a query that would do anything but read is refused before it runs") {
  for (const char* statement :
       {"DELETE FROM people", "UPDATE people SET visits = 1", "DROP TABLE people", "CREATE TABLE t (x)",
        "ATTACH DATABASE 'x.db' AS x", "PRAGMA writable_schema = ON", "SELECT 1; SELECT 2", "BEGIN", "",
        "SELEC 1"}) {
    const std::string shown = statement;
    CAPTURE(shown);
    CHECK_THROWS_AS(storage::SqlQuery({people()}, statement), Error);
  }
  storage::SqlQuery extension({people()}, "SELECT load_extension('/tmp/x.so')");
  CHECK_THROWS_AS(extension.run(), Error);  // extensions are never loaded
  CHECK_NOTHROW(storage::SqlQuery({people()}, "WITH x AS (SELECT 1 AS n) SELECT n FROM x; -- a comment"));
}

TEST_CASE("a database file is written whole, private, and never over a file without being asked") {
  const auto dir = std::filesystem::temp_directory_path() / ("casectl-sql-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto path = dir / "out.db";
  auto fill = [](TableSink& sink) {
    sink.add(0, {std::string("A"), std::string("c-1"), std::string("N"), std::string("2026-01-02"), int64_t{1}});
  };
  storage::write_sqlite_file(path, false, {people()}, fill);
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK_THROWS_AS(storage::write_sqlite_file(path, false, {people()}, fill), Error);
  CHECK_NOTHROW(storage::write_sqlite_file(path, true, {people()}, fill));
  // A row the table refuses (two rows with one key): nothing at the name, no temporary file.
  const auto refused = dir / "refused.db";
  CHECK_THROWS_AS(storage::write_sqlite_file(refused, false, {people()},
                                             [&](TableSink& sink) {
                                               fill(sink);
                                               fill(sink);
                                             }),
                  Error);
  CHECK_FALSE(std::filesystem::exists(refused));
  CHECK(std::distance(std::filesystem::directory_iterator(dir), std::filesystem::directory_iterator()) == 1);
  std::filesystem::remove_all(dir);
}
