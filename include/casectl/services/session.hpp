#pragma once

#include <chrono>
#include <string>

#include "casectl/model/date.hpp"
#include "casectl/storage/repository.hpp"

namespace casectl::services {

/// What every operation needs from the outside world, handed in by the command line: the repository, the day
/// ("today", fixed by --today for audits and tests), the local time, and who is acting.
struct Session {
  storage::Repository repo;
  Date today;
  int minutes_now = 12 * 60;  ///< local time of day
  int utc_offset_minutes = 0;
  std::chrono::milliseconds lock_timeout{5000};
  std::string acting_worker;  ///< CASECTL_WORKER; records name the case's worker when empty
  bool clock_is_real = true;  ///< false when --today names another day: then only dates, not times, are compared

  DateTime now() const { return DateTime{today, minutes_now, utc_offset_minutes}; }
};

}  // namespace casectl::services
