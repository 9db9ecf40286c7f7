#pragma once

#include <functional>
#include <memory>
#include <string>

#include "casectl/model/config.hpp"
#include "casectl/model/date.hpp"

namespace casectl::storage {
class Store;  // services use it; the layers above never see it
}

namespace casectl::services {

/// Who is at the keyboard, as the command line learned it. Services map it to a configured worker (`author`).
struct Identity {
  std::string worker;    ///< named outright: --worker, else CASECTL_WORKER
  std::string named_by;  ///< which of the two, for messages
  std::function<std::string()> email;  ///< git's user.email; asked only when nothing names a worker
  std::string login;                   ///< the account name
};

/// What every operation needs from the outside world, handed in by the composition root: the store, the day
/// ("today", fixed by --today for audits and tests), the local time, and who is acting.
struct Session {
  std::shared_ptr<const storage::Store> store;
  Date today;
  int minutes_now = 12 * 60;  ///< local time of day
  int utc_offset_minutes = 0;
  Identity identity;
  bool clock_is_real = true;  ///< false when --today names another day: then only dates, not times, are compared

  DateTime now() const { return DateTime{today, minutes_now, utc_offset_minutes}; }
  const Config& config() const;
};

}  // namespace casectl::services
