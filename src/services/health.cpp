#include "casectl/services/health.hpp"

#include "casectl/storage/store.hpp"
#include "services/validate.hpp"

namespace casectl::services {

RepositoryHealth repository_health(const Session& session) {
  RepositoryHealth health;
  const Config& config = session.config();
  health.agency = config.agency;
  health.programs = config.program_ids().size();
  health.workers = config.worker_ids().size();
  health.instruments = session.store->instrument_ids().size();
  try {
    const Author author = find_author(session);
    health.worker = author.worker;
    health.worker_told_by = author.told_by;
  } catch (const Error& e) {
    health.worker_problem = e.what();
  }
  const auto store = session.store->health();
  health.index_bytes = store.index_bytes;
  health.writer_busy = store.writer_busy;
  health.lock_problem = store.lock_problem;
  health.interrupted = store.interrupted;
  return health;
}

}  // namespace casectl::services
