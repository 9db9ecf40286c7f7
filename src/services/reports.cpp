#include "casectl/services/reports.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <set>

namespace casectl::services {
namespace {

std::string group_of(const Case& c, const std::string& by) {
  std::string value = by == "program" ? c.program : by == "risk" ? c.risk : c.worker;
  return value.empty() ? "(none)" : value;
}

/// Whether the case was open on `day`, from its history (opened, closed, reopened), so that a report for a past
/// --today reads the past, not the present.
bool open_on(const Case& c, Date day) {
  if (c.opened > day) {
    return false;
  }
  bool open = true;
  Date latest = c.opened;
  for (const auto& e : c.history) {
    if (e.date > day || e.date < latest) {
      continue;
    }
    if (e.event == "closed") {
      open = false;
      latest = e.date;
    } else if (e.event == "reopened" || e.event == "opened") {
      open = true;
      latest = e.date;
    }
  }
  return open;
}

std::optional<int> item_score(const Assessment& a, const std::string& item) {
  for (const auto& [id, s] : a.scores) {
    if (id == item) {
      return s.value;
    }
  }
  return std::nullopt;
}

}  // namespace

Scan scan_cases(const Session& session, Which which) {
  Scan scan;
  scan.problems = session.repo.case_folder_problems();
  for (const auto& id : session.repo.case_ids()) {
    try {
      if (which == Which::open && !session.repo.load_case(id).is_open()) {
        continue;
      }
      scan.cases.push_back(session.repo.load_case_file(id));
    } catch (const Error& e) {
      if (e.diagnostics().empty()) {
        scan.problems.push_back(Diagnostic{storage::Repository::display(id, "case.yaml"), 0, 0, e.what()});
      }
      scan.problems.insert(scan.problems.end(), e.diagnostics().begin(), e.diagnostics().end());
    }
  }
  return scan;
}

std::vector<DueItem> due(const Scan& scan, const Session& session, const DueQuery& query) {
  const Config& config = session.repo.config();
  const Date horizon = query.within.value_or(config.due_soon).after(session.today);
  std::vector<DueItem> out;
  for (const auto& file : scan.cases) {
    if ((!query.worker.empty() && file.face.worker != query.worker) ||
        (!query.program.empty() && file.face.program != query.program)) {
      continue;
    }
    for (auto& item : due_items(file, config, session.today)) {
      const bool soon = item.due <= horizon || item.visible_from <= session.today;
      if (item.overdue() || (!query.overdue_only && soon)) {
        out.push_back(std::move(item));
      }
    }
  }
  sort_due_items(out);
  return out;
}

std::vector<CaseloadRow> caseload(const Scan& scan, const std::string& by, Date from, Date to) {
  std::map<std::string, CaseloadRow> rows;
  for (const auto& file : scan.cases) {
    const Case& c = file.face;
    CaseloadRow& row = rows[group_of(c, by)];
    row.group = group_of(c, by);
    row.open += open_on(c, to) ? 1 : 0;
    for (const auto& e : c.history) {
      if (e.date < from || e.date > to) {
        continue;
      }
      row.opened += (e.event == "opened" || e.event == "reopened") ? 1 : 0;
      row.closed += e.event == "closed" ? 1 : 0;
    }
  }
  std::vector<CaseloadRow> out;
  for (auto& [group, row] : rows) {
    out.push_back(row);
  }
  return out;
}

std::vector<ContactsRow> contacts(const Scan& scan, const std::string& by, Date from, Date to) {
  std::map<std::string, ContactsRow> rows;
  std::map<std::string, std::set<std::string>> clients;
  for (const auto& file : scan.cases) {
    for (const auto& contact : file.contacts) {
      if (contact.at.date < from || contact.at.date > to) {
        continue;
      }
      std::string group = by == "type"      ? contact.type
                          : by == "program" ? file.face.program
                                            : (contact.worker.empty() ? file.face.worker : contact.worker);
      if (group.empty()) {
        group = "(none)";
      }
      ContactsRow& row = rows[group];
      row.group = group;
      if (contact.is_attempt()) {
        ++row.attempts;
        continue;
      }
      ++row.contacts;
      row.minutes += contact.minutes.value_or(0);
      clients[group].insert(file.face.id);
    }
  }
  std::vector<ContactsRow> out;
  for (auto& [group, row] : rows) {
    row.clients = static_cast<int>(clients[group].size());
    out.push_back(row);
  }
  return out;
}

Outcomes outcomes(const Scan& scan, const Session& session, const std::string& instrument_id,
                  const std::string& program) {
  const Instrument instrument = session.repo.load_instrument(instrument_id);
  Outcomes result;
  result.instrument = instrument.id;
  result.lower_is_better = instrument.lower_is_better;
  std::vector<std::string> domains;
  for (const auto& item : instrument.items) {
    domains.push_back(item.id);
  }
  if (instrument.scoring == Scoring::sum) {
    domains.emplace_back("total");
  }
  for (const auto& domain : domains) {
    OutcomeRow row;
    row.domain = domain;
    double first_sum = 0;
    double latest_sum = 0;
    for (const auto& file : scan.cases) {
      if (!program.empty() && file.face.program != program) {
        continue;
      }
      std::vector<const Assessment*> taken;
      for (const auto& a : file.assessments) {
        if (a.instrument == instrument.id) {
          taken.push_back(&a);
        }
      }
      if (taken.size() < 2) {
        continue;
      }
      const auto first = domain == "total" ? taken.front()->total : item_score(*taken.front(), domain);
      const auto latest = domain == "total" ? taken.back()->total : item_score(*taken.back(), domain);
      if (!first || !latest) {
        continue;  // not applicable at one of the two
      }
      ++row.clients;
      first_sum += *first;
      latest_sum += *latest;
      const int change = *latest - *first;
      const int better = instrument.lower_is_better ? -change : change;
      (better > 0 ? row.improved : better < 0 ? row.worse : row.unchanged) += 1;
    }
    if (row.clients > 0) {
      row.mean_first = first_sum / row.clients;
      row.mean_latest = latest_sum / row.clients;
      row.mean_change = row.mean_latest - row.mean_first;
    }
    result.rows.push_back(row);
  }
  return result;
}

}  // namespace casectl::services
