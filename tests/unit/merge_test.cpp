#include <doctest/doctest.h>
#include <string>

#include "casectl/storage/merge.hpp"

using namespace casectl;
using namespace casectl::storage;

namespace {

const char* const k_base =
    "schema: 2\n"
    "id: \"c-abcdefgh\"\n"
    "status: \"open\"\n"
    "client:\n"
    "  name: \"Rosa Diaz\"\n"
    "  phone: \"555-0100\"\n"
    "worker: \"alice\"\n"
    "opened: \"2026-03-01\"\n"
    "history:\n"
    "  - date: \"2026-03-01\"\n"
    "    event: \"opened\"\n";

std::string with(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

std::string appended(const std::string& text, const std::string& lines) { return text + lines; }

MergeResult merge(const std::string& base, const std::string& ours, const std::string& theirs,
                  Document document = Document::face_sheet) {
  auto merged = merge_document(document, base, {ours, "alice, 2026-03-04"}, {theirs, "bob, 2026-03-05"});
  REQUIRE(merged);
  return *merged;
}

}  // namespace

TEST_SUITE("merge") {
  TEST_CASE("different fields changed on each side both stay, with no conflict") {
    const auto m = merge(k_base, with(k_base, "555-0100", "555-0101"),
                         with(k_base, "worker: \"alice\"", "worker: \"bob\""));
    CHECK(m.conflicts.empty());
    CHECK(m.text.find("555-0101") != std::string::npos);
    CHECK(m.text.find("worker: bob") != std::string::npos);
  }

  TEST_CASE("history events added on both sides are joined, in date order") {
    const auto ours = appended(k_base, "  - date: \"2026-03-05\"\n    event: \"transferred\"\n    to: \"bob\"\n");
    const auto theirs = appended(k_base, "  - date: \"2026-03-04\"\n    event: \"risk-changed\"\n    to: \"high\"\n");
    const auto m = merge(k_base, ours, theirs);
    CHECK(m.conflicts.empty());
    const size_t risk = m.text.find("risk-changed");
    const size_t transfer = m.text.find("transferred");
    REQUIRE(risk != std::string::npos);
    REQUIRE(transfer != std::string::npos);
    CHECK(risk < transfer);
  }

  TEST_CASE("the same field changed to two values is the one conflict, marked with both and who changed them") {
    const auto m = merge(k_base, with(k_base, "555-0100", "555-0101"), with(k_base, "555-0100", "555-0202"));
    REQUIRE(m.conflicts.size() == 1);
    CHECK(m.conflicts[0].field == "client.phone");
    const auto blocks = find_conflict_blocks(m.text);
    REQUIRE(blocks.size() == 1);
    CHECK(blocks[0].field == "client.phone");
    CHECK(blocks[0].ours_label == "alice, 2026-03-04");
    CHECK(blocks[0].theirs_label == "bob, 2026-03-05");
    CHECK(shown_side(blocks[0].ours) == "phone: \"555-0101\"");  // quoted: it could read as a number
    CHECK(shown_side(blocks[0].theirs) == "phone: \"555-0202\"");
    std::vector<std::string> unknown;
    const std::string settled = settle_conflicts(m.text, {"client.phone"}, false, unknown);
    CHECK(unknown.empty());
    CHECK(find_conflict_blocks(settled).empty());
    const auto theirs_alone = merge(k_base, k_base, with(k_base, "555-0100", "555-0202"));
    CHECK(settled == theirs_alone.text);
    settle_conflicts(m.text, {"client.email"}, true, unknown);
    CHECK(unknown == std::vector<std::string>{"client.email"});
  }

  TEST_CASE("a record changed on one side and removed on the other is kept") {
    const std::string flag = "flags:\n  - id: \"ab2c\"\n    flag: \"fall risk\"\n    since: \"2026-03-02\"\n";
    const std::string base = with(k_base, "history:\n", flag + "history:\n");
    const std::string cleared = with(base, "    since: \"2026-03-02\"\n",
                                     "    since: \"2026-03-02\"\n    cleared: \"2026-03-04\"\n    cleared_reason: \"ok\"\n");
    const auto m = merge(base, cleared, k_base);
    CHECK(m.conflicts.empty());
    CHECK(m.text.find("cleared_reason") != std::string::npos);
  }

  TEST_CASE("goals added on both sides and progress on a shared goal are joined") {
    const std::string base =
        "schema: 2\ncase: \"c-abcdefgh\"\ngoals:\n  - id: \"gaaaa\"\n    goal: \"Find a flat\"\n"
        "    status: \"active\"\n";
    const std::string ours = base + "    progress:\n      - date: \"2026-03-04\"\n        note: \"viewed one\"\n"
                                    "  - id: \"gbbbb\"\n    goal: \"Bus pass\"\n    status: \"active\"\n";
    const std::string theirs = with(base, "    status: \"active\"\n", "    status: \"met\"\n") +
                               "    progress:\n      - date: \"2026-03-05\"\n        note: \"moved in\"\n"
                               "        status: \"met\"\n"
                               "  - id: \"gcccc\"\n    goal: \"Bank account\"\n    status: \"active\"\n";
    const auto m = merge(base, ours, theirs, Document::plan);
    CHECK(m.conflicts.empty());
    for (const char* text : {"gbbbb", "gcccc", "viewed one", "moved in", "status: met"}) {
      CHECK_MESSAGE(m.text.find(text) != std::string::npos, text);
    }
  }

  TEST_CASE("a side that is not a face sheet gives nothing, for git's line-by-line merge") {
    CHECK_FALSE(merge_document(Document::face_sheet, k_base, {"- not a map\n", "a"}, {k_base, "b"}));
  }
}
