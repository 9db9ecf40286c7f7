#include "casectl/services/reports.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <set>

#include "casectl/storage/store.hpp"

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

DueReport due(const Session& session, const DueQuery& query) {
  const Config& config = session.config();
  const Date horizon = query.within.value_or(config.due_soon).after(session.today);
  DueReport report;
  report.problems = session.store->for_each_case([&](storage::CaseView& view) {
    if (view.face().opened > session.today) {
      return;  // not yet a case on the day asked about
    }
    const Case face = as_of(view.face(), session.today);
    if (!face.is_open() || (!query.worker.empty() && face.worker != query.worker) ||
        (!query.program.empty() && face.program != query.program)) {
      return;
    }
    bool listed = false;
    for (auto& item : due_items(as_of(view.file(), session.today), config, session.today)) {
      const bool soon = item.due <= horizon || item.visible_from <= session.today;
      if (item.overdue() || (!query.overdue_only && soon)) {
        report.items.push_back(std::move(item));
        listed = true;
      }
    }
    if (listed && query.with_names) {
      report.names.emplace_back(face.id, face.client.name);
    }
  });
  sort_due_items(report.items);
  return report;
}

Report<CaseloadRow> caseload(const Session& session, const std::string& by, Date from, Date to) {
  std::map<std::string, CaseloadRow> rows;
  Report<CaseloadRow> report;
  report.problems = session.store->for_each_case([&](storage::CaseView& view) {
    const Case& c = view.face();
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
  });
  for (auto& [group, row] : rows) {
    report.rows.push_back(row);
  }
  return report;
}

Report<ContactsRow> contacts(const Session& session, const std::string& by, Date from, Date to) {
  std::map<std::string, ContactsRow> rows;
  std::map<std::string, std::set<std::string>> clients;
  ContactsRow total{"total"};
  std::set<std::string> all_clients;
  Report<ContactsRow> report;
  auto count = [](ContactsRow& row, const Contact& contact) {
    const int minutes = contact.minutes.value_or(0);
    switch (contact.kind()) {
      case ContactKind::client:
        ++row.contacts;
        row.contact_minutes += minutes;
        break;
      case ContactKind::collateral:
        ++row.collateral;
        row.collateral_minutes += minutes;
        break;
      case ContactKind::attempt:
        ++row.attempts;
        break;
      case ContactKind::addendum:
        ++row.addenda;
        break;
    }
  };
  report.problems = session.store->for_each_case([&](storage::CaseView& view) {
    const CaseFile& file = view.file();
    for (const auto& contact : file.contacts) {
      if (contact.at.date < from || contact.at.date > to) {
        continue;
      }
      // A unit of service belongs to the program and worker the case had on the day it was given.
      std::string group = by == "type" ? (contact.kind() == ContactKind::addendum ? "addendum" : contact.type)
                                       : assigned_on(file.face, by == "program" ? Assignment::program
                                                                                : Assignment::worker,
                                                     contact.at.date);
      if (group.empty()) {
        group = "(none)";
      }
      ContactsRow& row = rows[group];
      row.group = group;
      count(row, contact);
      count(total, contact);
      if (contact.kind() == ContactKind::client) {
        clients[group].insert(file.face.id);
        all_clients.insert(file.face.id);
      }
    }
  });
  for (auto& [group, row] : rows) {
    row.clients = static_cast<int>(clients[group].size());
    report.rows.push_back(row);
  }
  total.clients = static_cast<int>(all_clients.size());
  report.rows.push_back(total);
  return report;
}

Outcomes outcomes(const Session& session, const std::string& instrument_id, const std::string& program,
                  std::optional<Date> from, std::optional<Date> to) {
  const Date last = std::min(to.value_or(session.today), session.today);
  const Instrument instrument = session.store->load_instrument(instrument_id);
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
  struct Sums {
    OutcomeRow row;
    double first = 0;
    double latest = 0;
  };
  std::vector<Sums> sums(domains.size());
  result.problems = session.store->for_each_case([&](storage::CaseView& view) {
    if (!program.empty() && view.face().program != program) {
      return;
    }
    std::vector<const Assessment*> taken;
    for (const auto& a : view.file().assessments) {
      if (a.date > last || (from && a.date < *from)) {
        continue;  // outside the period, or not yet recorded on the day asked about
      }
      if (a.instrument == instrument.id) {
        taken.push_back(&a);
      }
    }
    if (taken.size() < 2) {
      return;
    }
    for (size_t d = 0; d < domains.size(); ++d) {
      const std::string& domain = domains[d];
      const auto first = domain == "total" ? taken.front()->total : item_score(*taken.front(), domain);
      const auto latest = domain == "total" ? taken.back()->total : item_score(*taken.back(), domain);
      if (!first || !latest) {
        continue;  // not applicable at one of the two
      }
      OutcomeRow& row = sums[d].row;
      ++row.clients;
      sums[d].first += *first;
      sums[d].latest += *latest;
      const int change = *latest - *first;
      const int better = instrument.lower_is_better ? -change : change;
      (better > 0 ? row.improved : better < 0 ? row.worse : row.unchanged) += 1;
    }
  });
  for (size_t d = 0; d < domains.size(); ++d) {
    OutcomeRow row = sums[d].row;
    if (row.clients == 0) {
      continue;  // nobody to compare: no row of zeros that reads like a result
    }
    row.domain = domains[d];
    if (row.clients > 0) {
      row.mean_first = sums[d].first / row.clients;
      row.mean_latest = sums[d].latest / row.clients;
      row.mean_change = row.mean_latest - row.mean_first;
    }
    result.rows.push_back(row);
  }
  return result;
}

}  // namespace casectl::services
