#include <doctest/doctest.h>

#include "casectl/model/date.hpp"

using casectl::Date;

TEST_CASE("ISO dates are parsed strictly") {
  CHECK(Date::parse_iso("2024-02-29"));
  CHECK_FALSE(Date::parse_iso("2026-02-30"));
}
