#pragma once

#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "casectl/model/rules.hpp"
#include "casectl/model/value.hpp"

namespace casectl {

struct Worker {
  std::string id;
  std::string name;
  std::string email;   ///< also who they are to git (user.email), for working out who is writing
  std::string login;   ///< their account name on a shared machine, likewise
  bool active = true;  ///< false once they have left: their cases and notes stay theirs, new work does not
  Extras extra;
  bool operator==(const Worker&) const = default;
};

struct Program {
  std::string id;
  std::string name;
  Rules rules;
  std::map<std::string, Rules> risk;  ///< overrides per risk level within this program
  Extras extra;
  bool operator==(const Program&) const = default;
};

/// How casectl works with the git repository the case repository is kept in (casectl.yaml's `git:`).
struct GitSettings {
  bool commit = false;          ///< commit each change by itself, exactly the files it wrote
  std::string pull = "rebase";  ///< how `sync` takes in the remote's commits: rebase or merge
  Extras extra;
  bool operator==(const GitSettings&) const = default;
};

/// casectl.yaml: the agency's settings. Hand-edited; casectl never rewrites it.
struct Config {
  int schema = 1;
  std::string agency;
  Interval due_soon{14, 'd'};
  /// What an intake must name: any of program, worker, risk (a case without one is refused instead of warned).
  std::vector<std::string> required_at_intake;
  std::vector<Worker> workers;
  std::vector<std::string> risk_levels;
  std::vector<std::string> closure_reasons;
  std::vector<std::string> contact_types;
  Rules rules;
  std::map<std::string, Rules> risk;  ///< overrides per risk level for every program
  std::vector<Program> programs;
  GitSettings git;
  Extras extra;

  const Program* find_program(const std::string& id) const;
  const Worker* find_worker(const std::string& id) const;
  /// The worker whose e-mail (compared without regard to case) or login is this; nullptr when none or several.
  const Worker* worker_by_email(const std::string& email) const;
  const Worker* worker_by_login(const std::string& login) const;
  bool knows_risk(const std::string& level) const;
  bool knows_closure_reason(const std::string& reason) const;
  bool knows_contact_type(const std::string& type) const;
  std::vector<std::string> program_ids() const;
  std::vector<std::string> worker_ids() const;

  /// The rules in force for a case of `program` at `risk`, with `case_rules` on top, each field knowing its origin.
  Rules effective_rules(const std::string& program, const std::string& risk, const Rules& case_rules) const;

  /// Makes `find_worker` take constant time for the workers listed (an agency may list tens of thousands); call
  /// once `workers` is complete. An ID not found that way is looked for in the list itself.
  void index_workers();

 private:
  std::unordered_map<std::string, size_t> m_worker_at;  ///< ID -> index in `workers`
};

}  // namespace casectl
