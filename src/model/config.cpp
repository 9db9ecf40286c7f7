#include "casectl/model/config.hpp"

#include <algorithm>

#include "casectl/model/text.hpp"

namespace casectl {
namespace {
bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}
}  // namespace

const Program* Config::find_program(const std::string& id) const {
  for (const auto& p : programs) {
    if (p.id == id) {
      return &p;
    }
  }
  return nullptr;
}

void Config::index_workers() {
  m_worker_at.clear();
  for (size_t i = 0; i < workers.size(); ++i) {
    m_worker_at.emplace(workers[i].id, i);  // the first of two with one ID, as the list gives it
  }
}

const Worker* Config::find_worker(const std::string& id) const {
  if (!m_worker_at.empty() && m_worker_at.size() == workers.size()) {
    const auto at = m_worker_at.find(id);
    if (at != m_worker_at.end() && at->second < workers.size() && workers[at->second].id == id) {
      return &workers[at->second];
    }
  }  // not indexed, or changed since: the list itself says
  for (const auto& w : workers) {
    if (w.id == id) {
      return &w;
    }
  }
  return nullptr;
}

namespace {
template <typename Same>
const Worker* only_worker(const std::vector<Worker>& workers, Same same) {
  const Worker* found = nullptr;
  for (const auto& w : workers) {
    if (same(w)) {
      if (found) {
        return nullptr;  // two workers share it: it names neither
      }
      found = &w;
    }
  }
  return found;
}
}  // namespace

const Worker* Config::worker_by_email(const std::string& email) const {
  const std::string wanted = to_lower(trim(email));
  return wanted.empty() ? nullptr
                        : only_worker(workers, [&](const Worker& w) { return to_lower(trim(w.email)) == wanted; });
}

const Worker* Config::worker_by_login(const std::string& login) const {
  return login.empty() ? nullptr : only_worker(workers, [&](const Worker& w) { return w.login == login; });
}

bool Config::knows_risk(const std::string& level) const { return contains(risk_levels, level); }
bool Config::knows_closure_reason(const std::string& reason) const { return contains(closure_reasons, reason); }
bool Config::knows_contact_type(const std::string& type) const {
  return type == "addendum" || contains(contact_types, type);  // an addendum is built in: a correction, not a contact
}

std::vector<std::string> Config::program_ids() const {
  std::vector<std::string> ids;
  for (const auto& p : programs) {
    ids.push_back(p.id);
  }
  return ids;
}

std::vector<std::string> Config::worker_ids() const {
  std::vector<std::string> ids;
  for (const auto& w : workers) {
    ids.push_back(w.id);
  }
  return ids;
}

Rules Config::effective_rules(const std::string& program, const std::string& risk_level,
                              const Rules& case_rules) const {
  Rules result;
  merge_rules(result, rules, "casectl.yaml rules");
  if (auto it = risk.find(risk_level); it != risk.end()) {
    merge_rules(result, it->second, "casectl.yaml risk " + risk_level);
  }
  if (const Program* p = find_program(program)) {
    merge_rules(result, p->rules, "program " + program);
    if (auto it = p->risk.find(risk_level); it != p->risk.end()) {
      merge_rules(result, it->second, "program " + program + ", risk " + risk_level);
    }
  }
  merge_rules(result, case_rules, "case override");
  return result;
}

}  // namespace casectl
