#include "casectl/services/session.hpp"

#include "casectl/storage/store.hpp"

namespace casectl::services {

const Config& Session::config() const { return store->config(); }

}  // namespace casectl::services
