#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "casectl/model/duplicates.hpp"

using namespace casectl;

namespace {

Case client(std::string name, std::optional<Date> dob, std::string phone) {
  Case c;
  c.client.name = std::move(name);
  c.client.dob = dob;
  c.client.phone = std::move(phone);
  return c;
}

/// Every client before that the pairwise rule says `c` may duplicate, in order: label and reason.
std::vector<DuplicateRegister::Match> by_every_pair(const std::vector<Case>& before, const Case& c) {
  std::vector<DuplicateRegister::Match> all;
  for (size_t i = 0; i < before.size(); ++i) {
    if (std::string why = duplicate_reason(before[i], c); !why.empty()) {
      all.push_back({std::to_string(i), std::move(why)});
    }
  }
  return all;
}

/// The register names every match when there are at most k_duplicates_named; else that many of them, each as the
/// rule gives it, in the order added, and says there are more.
void check_against_every_pair(const DuplicateRegister::Found& found, const std::vector<DuplicateRegister::Match>& all) {
  CHECK_FALSE(found.maybe_more);
  if (all.size() <= k_duplicates_named) {
    REQUIRE(found.matches.size() == all.size());
    for (size_t k = 0; k < found.matches.size(); ++k) {
      CHECK(found.matches[k].label == all[k].label);
      CHECK(found.matches[k].reason == all[k].reason);
    }
    CHECK_FALSE(found.more);
    return;
  }
  REQUIRE(found.matches.size() == k_duplicates_named);
  CHECK(found.more);
  for (size_t k = 0; k < found.matches.size(); ++k) {
    const auto it = std::find_if(all.begin(), all.end(), [&](const auto& m) { return m.label == found.matches[k].label; });
    REQUIRE(it != all.end());
    CHECK(it->reason == found.matches[k].reason);
    if (k > 0) {
      CHECK(std::stoi(found.matches[k - 1].label) < std::stoi(found.matches[k].label));
    }
  }
}

}  // namespace

TEST_SUITE("DuplicateRegister") {
  TEST_CASE("finds what comparing every pair finds: all of it, or ten of it and more") {
    // Names from few syllables, with typos, reordered words and accents; few dates of birth and phone numbers,
    // so that every way of matching happens often.
    std::mt19937 random(20261203);
    const std::vector<std::string> syllables = {"ma", "ri", "a", "jo", "se", "gar", "ci", "lo", "pez", "an", "lee",
                                                "é", "ñ", "kim", "o", "z"};
    auto pick = [&](size_t n) { return static_cast<size_t>(random() % n); };
    auto word = [&] {
      std::string w;
      for (size_t k = 0, n = 1 + pick(3); k < n; ++k) {
        w += syllables[pick(syllables.size())];
      }
      return w;
    };
    std::vector<Case> before;
    DuplicateRegister known;
    size_t matched = 0;
    for (int i = 0; i < 1500; ++i) {
      std::string name;
      for (size_t k = 0, n = pick(4); k < n; ++k) {
        name += (k ? (pick(4) == 0 ? "-" : " ") : "") + word();
      }
      if (!before.empty() && pick(3) == 0) {  // a typo of an earlier name
        name = before[pick(before.size())].client.name;
        if (!name.empty()) {
          name[pick(name.size())] = "xyz "[pick(4)];
        }
      }
      const std::optional<Date> dob =
          pick(4) == 0 ? std::nullopt : std::optional<Date>(Date::from_ymd(1980, 1, 1 + static_cast<int>(pick(3))));
      const std::vector<std::string> phones = {"", "555-0100", "+1 555 123 4567", "123-4567", "(555) 123-4568",
                                               "99 555 123 4567", "4567"};
      const Case c = client(name, dob, phones[pick(phones.size())]);
      const auto all = by_every_pair(before, c);
      CAPTURE(i);
      CAPTURE(name);
      const auto found = i % 2 == 0 ? known.find(c) : known.find_then_add(c, std::to_string(before.size()));
      check_against_every_pair(found, all);
      matched += found.matches.size();
      if (i % 2 == 0) {
        known.add(c, std::to_string(before.size()));
      }
      before.push_back(c);
    }
    CHECK(matched > 1000);  // the test exercised matching, not only its absence
  }

  TEST_CASE("many clients of one name: the first ten are named, the rest counted") {
    DuplicateRegister known;
    for (int i = 0; i < 30; ++i) {
      known.add(client("Maria Garcia", std::nullopt, std::to_string(5550000 + i)), "c-" + std::to_string(i));
    }
    const auto found = known.find(client("García, María", std::nullopt, ""));
    REQUIRE(found.matches.size() == k_duplicates_named);
    CHECK(found.matches.front().label == "c-0");
    CHECK(found.matches.front().reason == "same name");
    CHECK(found.more);
  }

  TEST_CASE("look-alike names by the thousand: ten named and more, after a bounded search") {
    // Names that differ by a number: each is within 2 edits of hundreds of others.
    DuplicateRegister known;
    for (int i = 0; i < 20000; ++i) {
      known.add(client(fmt::format("Client {:05d}", i), std::nullopt, ""), std::to_string(i));
    }
    const auto found = known.find(client("Client 12345", std::nullopt, ""));
    REQUIRE(found.matches.size() == k_duplicates_named);
    CHECK(found.more);
    for (const auto& match : found.matches) {
      CHECK((match.reason == "same name" || match.reason == "a very similar name"));
    }
  }

  TEST_CASE("thousands of names sharing a part, none alike: the search stops and says there may be more") {
    DuplicateRegister known;
    std::mt19937 random(7);
    std::vector<Case> before;
    for (int i = 0; i < 6000; ++i) {  // "zzzzzzzz" then eight random letters: one segment shared by all
      std::string name = "zzzzzzzz";
      for (int k = 0; k < 8; ++k) {
        name += static_cast<char>('a' + random() % 20);
      }
      before.push_back(client(name, std::nullopt, ""));
      known.add(before.back(), std::to_string(i));
    }
    const Case c = client("zzzzzzzzuvwxyuvw", std::nullopt, "");  // letters none of them has
    const auto found = known.find(c);
    CHECK(by_every_pair(before, c).empty());
    CHECK(found.matches.empty());
    CHECK_FALSE(found.more);
    CHECK(found.maybe_more);
  }
}
