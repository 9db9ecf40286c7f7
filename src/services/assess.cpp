#include <algorithm>
#include <fmt/format.h>

#include "casectl/model/text.hpp"
#include "casectl/services/process.hpp"
#include "casectl/storage/store.hpp"
#include "services/flags.hpp"
#include "services/validate.hpp"

namespace casectl::services {
namespace {

/// Every answer checked against the instrument, in the instrument's item order; all items must be answered.
std::vector<std::pair<std::string, Score>> checked_scores(const Instrument& instrument,
                                                          const std::vector<std::pair<std::string, std::string>>& given) {
  std::vector<std::pair<std::string, Score>> scores;
  for (const auto& [item_id, answer] : given) {
    const Item* item = instrument.find_item(item_id);
    if (!item) {
      std::vector<std::string> ids;
      for (const auto& i : instrument.items) {
        ids.push_back(i.id);
      }
      auto hint = closest_match(item_id, ids);
      throw Error(ErrorKind::data, fmt::format("{} has no item '{}'{}", instrument.id, item_id,
                                               hint ? fmt::format(" (did you mean '{}'?)", *hint) : ""));
    }
  }
  std::vector<std::string> missing;
  for (const auto& item : instrument.items) {
    auto given_it = std::find_if(given.begin(), given.end(), [&](const auto& g) { return g.first == item.id; });
    if (given_it == given.end()) {
      missing.push_back(item.id);
      continue;
    }
    if (std::count_if(given.begin(), given.end(), [&](const auto& g) { return g.first == item.id; }) > 1) {
      throw Error(ErrorKind::usage, fmt::format("item '{}' is scored twice", item.id));
    }
    const auto answer = parse_answer(instrument, item, given_it->second);
    if (!answer) {
      throw Error(ErrorKind::data, fmt::format("item '{}' of {}: the answer must be a whole number from {} to {}{}",
                                               item.id, instrument.id, instrument.min_value(),
                                               instrument.max_value(), item.allow_na ? " or na" : ""));
    }
    scores.emplace_back(item.id, *answer);
  }
  if (!missing.empty()) {
    throw Error(ErrorKind::usage, fmt::format("{} needs an answer for every item; missing: {}", instrument.id,
                                              join(missing, ", ")));
  }
  return scores;
}

}  // namespace

Instrument load_instrument(const Session& session, const std::string& id) { return session.store->load_instrument(id); }

AssessResult assess(const Session& session, const std::string& case_id, const AssessRequest& request) {
  const Instrument instrument = session.store->load_instrument(request.instrument);
  Assessment assessment;
  assessment.case_id = case_id;
  assessment.date = request.date.value_or(session.today);
  if (assessment.date > session.today) {
    throw Error(ErrorKind::data, "--date: the assessment is in the future");
  }
  assessment.instrument = instrument.id;
  assessment.instrument_version = instrument.version;
  assessment.scores = checked_scores(instrument, request.scores);
  assessment.note = checked_text(request.note, "-m", true);
  const Scored scored = score(instrument, assessment.scores);
  if (instrument.scoring == Scoring::sum) {
    assessment.total = scored.total;  // a domain instrument's levels are not added up
  }
  assessment.band = scored.band;
  assessment.flags = scored.flags;

  auto tx = session.store->begin();
  Case c = session.store->load_case(case_id);
  if (!c.is_open()) {
    throw Error(ErrorKind::data,
                fmt::format("{} is closed; only show, timeline and reopen work on a closed case", case_id));
  }
  if (assessment.date < c.opened) {
    throw Error(ErrorKind::data, "--date: the assessment is before the case was opened");
  }
  assessment.worker = author(session);
  const CaseFile file = session.store->load_case_file(case_id);
  AssessResult result{assessment, instrument, scored, std::nullopt, {}};
  for (const auto& earlier : file.assessments) {  // oldest first: keep the latest one not after this date
    if (earlier.instrument == instrument.id && earlier.date <= assessment.date) {
      result.previous = earlier;
    }
  }
  // A safety answer raises a flag on the face sheet, whatever the total: the assessment and its flag are written
  // together or not at all.
  bool face_changed = false;
  for (const auto& flag_name : scored.flags) {
    const bool present =
        std::any_of(c.flags.begin(), c.flags.end(), [&](const Flag& f) { return f.open() && f.flag == flag_name; });
    if (!present) {
      Flag flag;
      flag.id = new_flag_id(c);
      flag.flag = flag_name;
      flag.since = assessment.date;
      flag.urgent = scored.urgent;
      flag.note = fmt::format("raised by {} assessment ", instrument.id);  // its ID is known once it is written
      c.flags.push_back(flag);
      c.history.push_back(CaseEvent{assessment.date, "safety-flag", {}, {}, {}, flag_name, {}});
      face_changed = true;
    }
  }
  tx.add_assessment(result.assessment);
  for (auto& flag : c.flags) {
    if (flag.note == "raised by " + instrument.id + " assessment ") {
      flag.note += result.assessment.id;
    }
  }
  if (face_changed) {
    tx.save_case(c);  // the assessment and its flag: both written, or neither
  }
  tx.commit();
  for (const auto& flag : c.flags) {
    if (flag.open() && flag.urgent) {
      result.open_urgent_flags.push_back(flag);  // a later answer of 0 does not clear a flag: a person does
    }
  }
  return result;
}

}  // namespace casectl::services
