#include "services/validate.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "casectl/model/error.hpp"
#include "casectl/model/id.hpp"
#include "casectl/model/text.hpp"

namespace casectl::services {
namespace {

void require_known(const std::string& value, const std::vector<std::string>& known, const char* what) {
  if (value.empty() || std::find(known.begin(), known.end(), value) != known.end()) {
    return;
  }
  auto hint = closest_match(value, known);
  // The value is repeated only when it has the shape of a key (a typo such as "carol" for a worker): in an
  // imported row it is a spreadsheet's cell, which may hold client data ("Zelda Quux" is never repeated).
  const std::string shown = is_config_key(value) && value.size() <= 32 ? " '" + value + "'" : "";
  throw Error(ErrorKind::data, fmt::format("unknown {}{} (casectl.yaml knows: {}){}", what, shown,
                                           known.empty() ? "none" : join(known, ", "),
                                           hint ? fmt::format("; did you mean '{}'?", *hint) : ""));
}

}  // namespace

std::string checked_text(const std::string& value, const std::string& field, bool multi_line) {
  if (auto problem = find_text_problem(value, multi_line)) {
    throw Error(ErrorKind::data, fmt::format("{}: {}", field, problem->reason));
  }
  if (value.size() > 64 * 1024) {
    throw Error(ErrorKind::data, fmt::format("{}: longer than 64 KiB", field));
  }
  return value;
}

std::string checked_name(const std::string& value) {
  if (auto problem = find_name_problem(value)) {
    throw Error(ErrorKind::data, fmt::format("name: {}", problem->reason));
  }
  return checked_text(value, "name");
}

std::vector<std::string> checked_tags(const std::vector<std::string>& values) {
  std::vector<std::string> tags;
  for (const auto& value : values) {
    std::string normalized = value;
    std::replace(normalized.begin(), normalized.end(), ';', ',');
    for (const auto& part : split(normalized, ',')) {
      const std::string tag = checked_text(trim(part), "tags");
      if (!tag.empty() && std::find(tags.begin(), tags.end(), tag) == tags.end()) {
        tags.push_back(tag);
      }
    }
  }
  return tags;
}

void require_program(const Config& config, const std::string& program) {
  require_known(program, config.program_ids(), "program");
}
void require_worker(const Config& config, const std::string& worker) {
  require_known(worker, config.worker_ids(), "worker");
}
void require_risk(const Config& config, const std::string& risk) {
  require_known(risk, config.risk_levels, "risk level");
}

void require_active_worker(const Config& config, const std::string& worker) {
  require_worker(config, worker);
  if (const Worker* w = config.find_worker(worker); w && !w->active) {
    throw Error(ErrorKind::usage, fmt::format("worker '{}' is inactive (active: false in casectl.yaml)", worker));
  }
}

std::string author_if_known(const Session& session) { return find_author(session).worker; }

Author find_author(const Session& session) {
  const Config& config = session.config();
  const Identity& identity = session.identity;
  const Worker* worker = nullptr;
  std::string told_by = identity.named_by;
  if (!identity.worker.empty()) {
    worker = config.find_worker(identity.worker);
    if (!worker) {
      const auto known = config.worker_ids();
      const auto hint = closest_match(identity.worker, known);
      throw Error(ErrorKind::usage,
                  fmt::format("{}: unknown worker '{}' (casectl.yaml knows: {}){}", identity.named_by,
                              identity.worker, known.empty() ? "none" : join(known, ", "),
                              hint ? fmt::format("; did you mean '{}'?", *hint) : ""));
    }
  } else {
    worker = identity.email ? config.worker_by_email(identity.email()) : nullptr;
    told_by = "git user.email";
    if (!worker) {
      worker = config.worker_by_login(identity.login);
      told_by = "login";
    }
  }
  if (!worker) {
    return {};
  }
  if (!worker->active) {
    throw Error(ErrorKind::usage, fmt::format("worker '{}' is inactive (active: false in casectl.yaml) and writes no "
                                              "new records",
                                              worker->id));
  }
  return {worker->id, told_by};
}

std::string author(const Session& session) {
  std::string id = author_if_known(session);
  if (id.empty()) {
    throw Error(ErrorKind::usage,
                "who is writing this? Give --worker ID or set CASECTL_WORKER, or put your git user.email (or your "
                "login) on your entry under 'workers' in casectl.yaml; nothing written");
  }
  return id;
}

}  // namespace casectl::services
