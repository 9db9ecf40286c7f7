#include "casectl/services/reports.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <set>

#include "casectl/storage/store.hpp"

namespace casectl::services {
namespace {

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
    if (!view.open_at_end_of(session.today)) {
      return;  // closed, or not yet a case, on the day asked about
    }
    const Case face = as_of(view.face(), session.today);
    if (!face.is_open() || (!query.worker.empty() && face.worker != query.worker) ||
        (!query.program.empty() && face.program != query.program)) {
      return;
    }
    bool listed = false;
    for (auto& item : due_items(as_of(view.facts(), session.today), config, session.today)) {
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

Outcomes outcomes(const Session& session, const OutcomesQuery& query, Period period) {
  const Date last = std::min(period.to, session.today);
  const Instrument instrument = session.store->load_instrument(query.instrument);
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
  for (size_t d = 0; d < domains.size(); ++d) {
    sums[d].row.threshold =
        query.threshold.value_or(domains[d] == "total" ? instrument.meaningful_change.value_or(1) : 1);
  }
  result.problems = session.store->for_each_case([&](storage::CaseView& view) {
    std::vector<const Assessment*> taken;
    for (const auto& a : view.facts().assessments) {
      if (a.instrument == instrument.id && a.date >= period.from && a.date <= last) {
        taken.push_back(&a);
      }
    }
    if (taken.size() < 2 ||
        (!query.program.empty() && assigned_on(view.face(), Assignment::program, taken.back()->date) != query.program)) {
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
      (better >= row.threshold ? row.improved : -better >= row.threshold ? row.worse : row.unchanged) += 1;
    }
  });
  for (size_t d = 0; d < domains.size(); ++d) {
    OutcomeRow row = sums[d].row;
    if (row.clients == 0) {
      continue;  // nobody to compare: no row of zeros that reads like a result
    }
    row.domain = domains[d];
    row.mean_first = sums[d].first / row.clients;
    row.mean_latest = sums[d].latest / row.clients;
    row.mean_change = row.mean_latest - row.mean_first;
    result.rows.push_back(row);
  }
  return result;
}

}  // namespace casectl::services
