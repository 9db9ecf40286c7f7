#pragma once

#include <string>
#include <vector>

#include "casectl/services/session.hpp"

namespace casectl::services {

// What shell completion offers from the repository's data (`casectl __complete`): read only, from the index where
// it can be, and never written anywhere. A description is for shells that show one beside the candidate (zsh,
// fish); it may be a client's name, so it goes to the completing shell and nowhere else.

struct Candidate {
  std::string value;
  std::string description;
};

/// Which cases a command takes: writing commands open ones, `reopen` closed ones, reading commands any.
enum class CaseState { open, closed, any };

/// The cases (in `state` as of the session's day) a word being typed where a case is expected may become: those
/// whose ID begins with `word` (with or without its "c-"); when there are none, those whose client's name `word`
/// matches as a case reference does (each word of it begins a word of the name). Each described by the client's
/// name; sorted by ID.
std::vector<Candidate> case_candidates(const Session& session, const std::string& word, CaseState state);

// The records of the case that `case_ref` (an ID, a prefix or a part of a name, as on the command line) names;
// each throws as `resolve_case` does when it names no case or several.

/// The plan's goals: ID, described by status and the goal's words.
std::vector<Candidate> goal_candidates(const Session& session, const std::string& case_ref);
/// The referrals: ID, described by the provider, the status and the date.
std::vector<Candidate> referral_candidates(const Session& session, const std::string& case_ref);
/// The contact notes: ID, described by the date, time and type.
std::vector<Candidate> note_candidates(const Session& session, const std::string& case_ref);
/// The open flags: ID, described by what the flag says.
std::vector<Candidate> open_flag_candidates(const Session& session, const std::string& case_ref);
/// The parties the case has a consent for (current or not), described by the purpose and whether it is current.
std::vector<Candidate> consent_party_candidates(const Session& session, const std::string& case_ref);

/// The repository's instruments (instruments/*.yaml), described by their titles.
std::vector<Candidate> instrument_candidates(const Session& session);
/// The items of instrument `id`, described by their text; nothing when there is no such instrument.
std::vector<Candidate> instrument_item_candidates(const Session& session, const std::string& id);
/// The answers item `item` of instrument `id` takes (its scale, and na where allowed), described by their labels.
std::vector<Candidate> instrument_score_candidates(const Session& session, const std::string& id,
                                                   const std::string& item);
/// The tags on cases, each once.
std::vector<Candidate> tag_candidates(const Session& session);

}  // namespace casectl::services
