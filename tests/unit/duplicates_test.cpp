#include <doctest/doctest.h>

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

/// What the register should find: the pairwise rule over every client before, the first 10, in order.
DuplicateRegister::Found by_every_pair(const std::vector<Case>& before, const Case& c) {
  DuplicateRegister::Found found;
  for (size_t i = 0; i < before.size(); ++i) {
    if (std::string why = duplicate_reason(before[i], c); !why.empty()) {
      if (found.matches.size() == k_duplicates_named) {
        found.more = true;
        break;
      }
      found.matches.push_back({std::to_string(i), std::move(why)});
    }
  }
  return found;
}

}  // namespace

TEST_SUITE("DuplicateRegister") {
  TEST_CASE("finds exactly what comparing every pair finds, in the same order") {
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
      const auto expected = by_every_pair(before, c);
      const auto found = known.find(c);
      CAPTURE(i);
      CAPTURE(name);
      REQUIRE(found.matches.size() == expected.matches.size());
      for (size_t k = 0; k < found.matches.size(); ++k) {
        CHECK(found.matches[k].label == expected.matches[k].label);
        CHECK(found.matches[k].reason == expected.matches[k].reason);
      }
      CHECK(found.more == expected.more);
      matched += found.matches.size();
      known.add(c, std::to_string(before.size()));
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
}
