#include "casectl/services/completion.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <set>

#include "casectl/model/id.hpp"
#include "casectl/model/text.hpp"
#include "casectl/services/cases.hpp"
#include "casectl/storage/store.hpp"

namespace casectl::services {
namespace {

/// Text on one line, cut to `most` characters (of UTF-8, never inside one): a description beside a candidate.
std::string one_line(const std::string& text, size_t most = 60) {
  std::string line = text.substr(0, text.find('\n'));
  if (line.size() <= most) {
    return line;
  }
  size_t cut = most;
  while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  return line.substr(0, cut) + "…";
}

bool in_state(storage::CaseView& view, CaseState state, Date today) {
  return state == CaseState::any || view.open_at_end_of(today) == (state == CaseState::open);
}

CaseFile case_file(const Session& session, const std::string& case_ref) {
  return session.store->load_case_file(resolve_case(session, case_ref));
}

}  // namespace

std::vector<Candidate> case_candidates(const Session& session, const std::string& word, CaseState state) {
  const storage::Store& store = *session.store;
  std::vector<Candidate> by_id;
  std::vector<Candidate> by_name;
  // Without a word every case is offered; with one, its ID prefix (written with or without "c-") comes first.
  const bool id_prefix = word.empty() || looks_like_case_id_prefix(word);
  const std::string prefix = starts_with(word, "c-") ? word : "c-" + word;
  const std::vector<std::string> words = name_words(word);
  // The state and the folded name come from the index without reading the face sheet; the face sheet (from the
  // index too, when it is current) only for the cases offered.
  store.for_each_case(
      [&](storage::CaseView& view) {
        if (!in_state(view, state, session.today)) {
          return;
        }
        const bool id_matches = id_prefix && starts_with(view.id(), prefix);
        if (!id_matches && (words.empty() || !by_id.empty() || !folded_name_matches(words, view.folded_name()))) {
          return;
        }
        if (view.face().opened > session.today) {
          return;  // not yet a case on the day asked about
        }
        (id_matches ? by_id : by_name).push_back({view.id(), one_line(view.face().client.name)});
      },
      storage::Reading::faces);
  return by_id.empty() ? by_name : by_id;
}

std::vector<Candidate> goal_candidates(const Session& session, const std::string& case_ref) {
  std::vector<Candidate> out;
  if (const auto plan = session.store->load_plan(resolve_case(session, case_ref))) {
    for (const auto& goal : plan->goals) {
      out.push_back({goal.id, fmt::format("[{}] {}", to_string(goal.status), one_line(goal.goal, 50))});
    }
  }
  return out;
}

std::vector<Candidate> referral_candidates(const Session& session, const std::string& case_ref) {
  const CaseFile file = case_file(session, case_ref);
  std::vector<Candidate> out;
  for (const auto& referral : file.referrals) {
    out.push_back({referral.id, one_line(fmt::format("{} to {} ({})", referral.date.iso(), referral.to,
                                                     to_string(file.referral_status(referral.id))))});
  }
  return out;
}

std::vector<Candidate> note_candidates(const Session& session, const std::string& case_ref) {
  const CaseFile file = case_file(session, case_ref);
  std::vector<Candidate> out;
  for (const auto& contact : file.contacts) {
    const std::string type = contact.amends.empty() ? contact.type : "addendum to " + contact.amends;
    out.push_back({contact.id, fmt::format("{} {:02}:{:02} {}", contact.at.date.iso(), contact.at.minutes / 60,
                                           contact.at.minutes % 60, type)});
  }
  return out;
}

std::vector<Candidate> open_flag_candidates(const Session& session, const std::string& case_ref) {
  std::vector<Candidate> out;
  for (const auto& flag : session.store->load_case(resolve_case(session, case_ref)).flags) {
    if (flag.open() && !flag.id.empty()) {
      out.push_back({flag.id, one_line((flag.urgent ? "urgent: " : "") + flag.flag)});
    }
  }
  return out;
}

std::vector<Candidate> consent_party_candidates(const Session& session, const std::string& case_ref) {
  std::vector<Candidate> out;
  std::set<std::string> seen;
  const Case face = session.store->load_case(resolve_case(session, case_ref));
  // The latest consent to each party says whether it is current.
  for (auto it = face.consents.rbegin(); it != face.consents.rend(); ++it) {
    if (!it->party.empty() && seen.insert(it->party).second) {
      out.push_back({it->party, one_line(fmt::format("{}{}", it->purpose,
                                                     it->valid_on(session.today) ? "" : " (not current)"))});
    }
  }
  std::reverse(out.begin(), out.end());
  return out;
}

std::vector<Candidate> instrument_candidates(const Session& session) {
  std::vector<Candidate> out;
  for (const auto& id : session.store->instrument_ids()) {
    std::string title;
    try {
      title = session.store->load_instrument(id).title;
    } catch (const Error&) {
      // offered by its ID alone; `check` tells what is wrong with it
    }
    out.push_back({id, one_line(title)});
  }
  return out;
}

std::vector<Candidate> instrument_item_candidates(const Session& session, const std::string& id) {
  std::vector<Candidate> out;
  for (const auto& item : session.store->load_instrument(id).items) {
    out.push_back({item.id, one_line(item.text)});
  }
  return out;
}

std::vector<Candidate> instrument_score_candidates(const Session& session, const std::string& id,
                                                   const std::string& item_id) {
  const Instrument instrument = session.store->load_instrument(id);
  const Item* item = instrument.find_item(item_id);
  if (item == nullptr) {
    return {};
  }
  std::vector<Candidate> out;
  for (const auto& point : instrument.scale) {
    std::string label = point.label;
    for (const auto& [value, text] : item->levels) {
      if (value == point.value) {
        label = text;
      }
    }
    out.push_back({std::to_string(point.value), one_line(label)});
  }
  if (instrument.scale.empty()) {
    for (const auto& [value, text] : item->levels) {
      out.push_back({std::to_string(value), one_line(text)});
    }
  }
  if (item->allow_na) {
    out.push_back({"na", "not applicable"});
  }
  return out;
}

std::vector<Candidate> tag_candidates(const Session& session) {
  std::set<std::string> tags;
  session.store->for_each_case(
      [&](storage::CaseView& view) {
        for (const auto& tag : view.face().tags) {
          tags.insert(tag);
        }
      },
      storage::Reading::faces);
  std::vector<Candidate> out;
  for (const auto& tag : tags) {
    out.push_back({tag, ""});
  }
  return out;
}

}  // namespace casectl::services
