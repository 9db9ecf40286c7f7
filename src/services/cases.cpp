#include "casectl/services/cases.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <map>

#include "casectl/model/id.hpp"
#include "casectl/model/text.hpp"
#include "casectl/storage/file_io.hpp"
#include "casectl/storage/store.hpp"
#include "services/validate.hpp"

namespace casectl::services {
namespace {

std::optional<Date> next_review(const CaseFile& file, const Config& config, Date today) {
  for (const auto& item : due_items(file, config, today)) {
    if (item.kind == "review") {
      return item.due;
    }
  }
  return std::nullopt;
}

struct Query {
  std::string status = "open";
  std::vector<std::pair<std::string, std::string>> fields;
  std::vector<std::string> words;
};

Query parse_query(const std::vector<std::string>& terms) {
  Query q;
  for (const auto& term : terms) {
    const auto colon = term.find(':');
    if (colon == std::string::npos) {
      q.words.push_back(to_lower(term));
      continue;
    }
    const std::string key = to_lower(term.substr(0, colon));
    const std::string value = term.substr(colon + 1);
    if (key == "status") {
      if (value != "open" && value != "closed" && value != "all") {
        throw Error(ErrorKind::usage, "status: must be open, closed or all");
      }
      q.status = value;
    } else if (key == "worker" || key == "program" || key == "risk" || key == "tag" || key == "flag") {
      q.fields.emplace_back(key, value);
    } else {
      throw Error(ErrorKind::usage,
                  fmt::format("unknown query key '{}:' (use status:, worker:, program:, risk:, tag:, flag: or plain words)",
                              key));
    }
  }
  return q;
}

/// A mistyped program, worker or risk level must not look like "no such cases".
void require_known_values(const Config& config, const Query& q) {
  for (const auto& [key, value] : q.fields) {
    const std::vector<std::string> known = key == "program" ? config.program_ids()
                                           : key == "worker" ? config.worker_ids()
                                           : key == "risk"   ? config.risk_levels
                                                             : std::vector<std::string>{};
    if (!known.empty() && std::find(known.begin(), known.end(), value) == known.end()) {
      throw Error(ErrorKind::usage,
                  fmt::format("{}: unknown {} '{}' (casectl.yaml knows: {})", key, key, value, join(known, ", ")));
    }
  }
}

/// `flag:urgent` matches any open urgent flag, `flag:any` any open flag, else an open flag of that text.
bool has_open_flag(const Case& c, const std::string& value) {
  return std::any_of(c.flags.begin(), c.flags.end(), [&](const Flag& f) {
    return f.open() && (value == "any" || (value == "urgent" && f.urgent) || fold_name(f.flag) == fold_name(value));
  });
}

/// False for a case that cannot match because it is not open on `day`, found without reading its face sheet when
/// the index knows (most cases are closed, and most lists are of open cases).
bool may_match(storage::CaseView& view, const Query& q, Date day) {
  return q.status != "open" || view.open_at_end_of(day);
}

bool matches(const Case& c, const Query& q) {
  if (q.status != "all" && to_string(c.status) != q.status) {
    return false;
  }
  for (const auto& [key, value] : q.fields) {
    if ((key == "worker" && c.worker != value) || (key == "program" && c.program != value) ||
        (key == "risk" && c.risk != value) ||
        (key == "tag" && std::find(c.tags.begin(), c.tags.end(), value) == c.tags.end()) ||
        (key == "flag" && !has_open_flag(c, value))) {
      return false;
    }
  }
  for (const auto& word : q.words) {  // a word of the name as case references match it, or a part of the ID
    if (!name_matches(name_words(word), c.client.name) && c.id.find(word) == std::string::npos) {
      return false;
    }
  }
  return true;
}

storage::Document document_of(const EditTarget& target) {
  return target.plan ? storage::Document::plan : storage::Document::face_sheet;
}

/// By the name as `fold_name` folds it ("Émile" with the e's, whatever the case), then by ID.
void sort_by_folded_name(std::vector<CaseSummary>& cases) {
  std::vector<std::pair<std::string, CaseSummary>> keyed;
  keyed.reserve(cases.size());
  for (auto& c : cases) {
    keyed.emplace_back(fold_name(c.name), std::move(c));
  }
  std::sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) {
    return std::tie(a.first, a.second.id) < std::tie(b.first, b.second.id);
  });
  for (size_t i = 0; i < keyed.size(); ++i) {
    cases[i] = std::move(keyed[i].second);
  }
}

/// The case IDs that are `ref` or begin with it, with or without its "c-".
std::vector<std::string> ids_matching(const std::vector<std::string>& ids, const std::string& ref) {
  std::vector<std::string> found;
  if (!looks_like_case_id_prefix(ref)) {
    return found;
  }
  const std::string prefix = starts_with(ref, "c-") ? ref : "c-" + ref;
  std::copy_if(ids.begin(), ids.end(), std::back_inserter(found),
               [&](const std::string& id) { return starts_with(id, prefix); });
  return found;
}

/// The one case of `ids`; otherwise not_found or the candidates.
std::string only_id(const storage::Store& store, const std::vector<std::string>& ids) {
  if (ids.size() == 1) {
    return ids[0];
  }
  if (ids.empty()) {
    throw Error(ErrorKind::not_found, "no case matches that ID (see 'casectl list status:all')");
  }
  std::vector<std::string> names;
  for (const auto& id : ids) {
    names.push_back(store.load_case(id).client.name);
  }
  throw AmbiguousCase(ids, names);
}

/// The one case of `found`; otherwise not_found, the problems that may hide it, or the candidates.
std::string only_match(const std::map<std::string, std::string>& found, const Problems& problems) {
  if (found.size() == 1) {
    return found.begin()->first;
  }
  if (found.empty() && !problems.empty()) {
    // The case may be one that could not be read: saying "no such case" would be a guess.
    throw Error(problems.kind, "no readable case matches that name, and some cases could not be read (see "
                               "'casectl check')", problems.diagnostics);
  }
  if (found.empty()) {
    throw Error(ErrorKind::not_found, "no case matches that ID or name (see 'casectl list status:all')");
  }
  std::vector<std::string> ids;
  std::vector<std::string> names;
  for (const auto& [id, name] : found) {
    ids.push_back(id);
    names.push_back(name);
  }
  throw AmbiguousCase(ids, names);
}

}  // namespace

std::string resolve_case(const Session& session, const std::string& reference) {
  const storage::Store& store = *session.store;
  const std::string ref = trim(reference);
  if (ref.empty()) {
    throw Error(ErrorKind::usage, "no case given");
  }
  // A whole ID, with or without its "c-", names its case alone: no need to look at the others.
  for (const std::string& id : {ref, "c-" + ref}) {
    if (is_case_id(id) && store.has_case(id)) {
      return id;
    }
  }
  Problems unreadable;
  const std::vector<std::string> by_id = ids_matching(store.case_ids(unreadable), ref);
  // An ID, or the start of one written with its "c-", names a case by ID alone.
  if (starts_with(ref, "c-") && looks_like_case_id_prefix(ref)) {
    return only_id(store, by_id);
  }
  if (by_id.size() == 1 && is_case_id("c-" + ref)) {
    return by_id[0];  // a whole ID without its "c-"
  }
  const std::vector<std::string> words = name_words(ref);
  if (words.empty()) {  // "." or "---": never every case
    throw Error(ErrorKind::usage, "a case is named by its ID or by a part of the client's name, with a letter or a "
                                  "digit in it");
  }
  // A bare prefix of an ID may also be the start of a name ("ju" for Jules Juarez): every case it names counts.
  std::map<std::string, std::string> found;  // ID -> client's name, in ID order
  for (const auto& id : by_id) {
    found[id];  // its name, when its face sheet can be read, comes below
  }
  Problems problems = store.for_each_case(
      [&](storage::CaseView& view) {
        if (found.count(view.id()) > 0 || folded_name_matches(words, view.folded_name())) {
          found[view.id()] = view.face().client.name;
        }
      },
      storage::Reading::faces);
  problems.add(unreadable);
  return only_match(found, problems);
}

Case new_case(const Session& session, const IntakeRequest& request) {
  const Config& config = session.config();
  Case c;
  c.client.name = checked_name(trim(request.name));
  if (c.client.name.empty()) {
    throw Error(ErrorKind::usage, "the client's name must not be empty");
  }
  c.client.dob = request.dob;
  if (c.client.dob && *c.client.dob > session.today) {
    throw Error(ErrorKind::data, "dob: the date of birth is in the future");
  }
  c.client.phone = checked_text(trim(request.phone), "phone");
  c.client.email = checked_text(trim(request.email), "email");
  c.client.address = checked_text(trim(request.address), "address");
  c.client.language = checked_text(trim(request.language), "language");
  c.client.member_id = checked_text(trim(request.member_id), "member_id");
  c.referred_by = checked_text(trim(request.referred_by), "referred_by");
  c.tags = checked_tags(request.tags);

  c.program = request.program;
  c.worker = request.worker.empty() ? author_if_known(session) : request.worker;
  c.risk = request.risk;
  require_program(config, c.program);
  require_active_worker(config, c.worker);
  require_risk(config, c.risk);
  c.opened = request.opened.value_or(session.today);
  if (c.opened > session.today) {
    throw Error(ErrorKind::data, "opened: a case cannot be opened in the future");
  }
  c.history.push_back(CaseEvent{c.opened, "opened", {}, {}, {}, {}, {}});
  return c;
}

std::vector<std::string> missing_at_intake(const Config& config, const Case& c) {
  std::vector<std::string> warnings;
  const std::pair<const char*, const std::string*> fields[] = {
      {"program", &c.program}, {"worker", &c.worker}, {"risk", &c.risk}};
  for (const auto& [field, value] : fields) {
    if (!value->empty()) {
      continue;
    }
    const auto& required = config.required_at_intake;
    if (std::find(required.begin(), required.end(), field) != required.end()) {
      throw Error(ErrorKind::usage, fmt::format("no {} given: casectl.yaml requires one at intake (--{}); nothing "
                                                "written",
                                                field, field));
    }
    if (std::string(field) != "risk") {
      warnings.push_back(fmt::format("no {} given: the case is on no {}'s list; set it with 'casectl {} {}'", field,
                                     field, std::string(field) == "worker" ? "transfer CASE --to" : "set CASE",
                                     std::string(field) == "worker" ? "WORKER" : "program=PROGRAM"));
    }
  }
  return warnings;
}

std::vector<std::string> duplicate_warnings(const DuplicateRegister::Found& found) {
  std::vector<std::string> warnings;
  for (const auto& match : found.matches) {
    warnings.push_back(fmt::format("possible duplicate of {}: {}", match.label, match.reason));
  }
  if (found.more) {
    warnings.push_back(fmt::format("possible duplicate of more clients than these {}", found.matches.size()));
  }
  if (found.maybe_more) {
    warnings.push_back("too many look-alike names to compare every one: there may be other possible duplicates");
  }
  return warnings;
}

Problems register_clients(const Session& session, DuplicateRegister& known) {
  return session.store->for_each_case([&](storage::CaseView& view) { known.add(view.face(), view.id()); },
                                      storage::Reading::faces);
}

CaseIds::CaseIds(const std::vector<std::string>& ids) : m_taken(ids.begin(), ids.end()) {}

std::string CaseIds::fresh() {
  while (true) {
    std::string id = make_case_id(storage::random_bytes(8));
    if (m_taken.insert(id).second) {
      return id;
    }
  }
}

IntakeResult intake(const Session& session, const IntakeRequest& request) {
  Case c = new_case(session, request);
  IntakeResult result;
  result.missing = missing_at_intake(session.config(), c);
  auto tx = session.store->begin();
  DuplicateRegister known;
  const Problems unreadable = register_clients(session, known);  // a broken face sheet does not stop an intake
  result.duplicate_warnings = duplicate_warnings(known.find(c));
  Problems ignored;
  CaseIds taken(session.store->case_ids(ignored));  // readable or not
  for (const auto& id : unreadable.empty_case_folders) {
    tx.remove_empty_case_folder(id);
  }
  c.id = taken.fresh();
  tx.create_case(c);
  tx.commit();
  result.id = c.id;
  return result;
}

std::vector<CaseSummary> list_cases(const Session& session, const std::vector<std::string>& terms,
                                    Problems& problems) {
  const Query query = parse_query(terms);
  require_known_values(session.config(), query);
  std::vector<CaseSummary> out;
  problems.add(session.store->for_each_case([&](storage::CaseView& view) {
    if (!may_match(view, query, session.today) || view.face().opened > session.today) {
      return;  // not yet a case on the day asked about
    }
    const Case c = as_of(view.face(), session.today);
    if (!matches(c, query)) {
      return;
    }
    // Reviews decide the next review date; they are read only for the open cases listed.
    const auto review =
        c.is_open() ? next_review(as_of(view.facts(), session.today), session.config(), session.today) : std::nullopt;
    std::vector<std::string> flags;
    for (const auto& flag : c.flags) {
      if (flag.open()) {
        flags.push_back((flag.urgent ? "!" : "") + flag.flag);
      }
    }
    out.push_back(CaseSummary{c.id, c.client.name, to_string(c.status), c.program, c.worker, c.risk, c.opened,
                              c.closed, review, c.tags, flags});
  }));
  sort_by_folded_name(out);
  return out;
}

void for_each_matching_case(const Session& session, const std::vector<std::string>& terms, bool whole,
                            const std::function<void(const CaseFile&)>& use, Problems& problems) {
  const Query query = parse_query(terms);
  problems.add(session.store->for_each_case([&](storage::CaseView& view) {
    if (may_match(view, query, session.today) && view.face().opened <= session.today &&
        matches(as_of(view.face(), session.today), query)) {
      use(as_of(whole ? view.file() : view.facts(), session.today));
    }
  }));
}

std::vector<CaseFile> matching_cases(const Session& session, const std::vector<std::string>& terms,
                                     Problems& problems) {
  std::vector<CaseFile> out;
  for_each_matching_case(session, terms, true, [&](const CaseFile& file) { out.push_back(file); }, problems);
  return out;
}

std::optional<Plan> load_plan(const Session& session, const std::string& case_id) {
  return session.store->load_plan(case_id);
}

const std::vector<std::string>& settable_fields() {
  static const std::vector<std::string> fields = {"name",     "dob",         "phone",     "email",  "address",
                                                  "language", "member_id",   "program",   "worker", "risk",
                                                  "referred_by", "opened",   "tags"};
  return fields;
}

void set_fields(const Session& session, const std::string& case_id, const std::vector<std::string>& assignments) {
  if (assignments.empty()) {
    throw Error(ErrorKind::usage, "nothing to set: give FIELD=VALUE");
  }
  const Config& config = session.config();
  auto tx = session.store->begin();
  Case c = session.store->load_case(case_id);
  if (!c.is_open()) {
    throw Error(ErrorKind::data, fmt::format("{} is closed; reopen it first ('casectl reopen')", case_id));
  }
  for (const auto& assignment : assignments) {
    const auto eq = assignment.find('=');
    if (eq == std::string::npos || eq == 0) {
      throw Error(ErrorKind::usage, "each change is FIELD=VALUE (an empty VALUE clears the field)");
    }
    std::string field = assignment.substr(0, eq);
    std::replace(field.begin(), field.end(), '-', '_');
    const std::string value = checked_text(trim(assignment.substr(eq + 1)), field);
    auto date_value = [&]() -> std::optional<Date> {
      if (value.empty()) {
        return std::nullopt;
      }
      auto d = parse_date_expression(value, session.today);
      if (!d) {
        throw Error(ErrorKind::data, fmt::format("{}: not a valid date (YYYY-MM-DD)", field));
      }
      if (*d > session.today) {
        throw Error(ErrorKind::data, fmt::format("{}: the date is in the future", field));
      }
      return d;
    };
    if (field == "name") {
      if (value.empty()) {
        throw Error(ErrorKind::data, "name: the client's name cannot be empty");
      }
      c.client.name = checked_name(value);
    } else if (field == "dob") {
      c.client.dob = date_value();
    } else if (field == "phone") {
      c.client.phone = value;
    } else if (field == "email") {
      c.client.email = value;
    } else if (field == "address") {
      c.client.address = value;
    } else if (field == "language") {
      c.client.language = value;
    } else if (field == "member_id") {
      c.client.member_id = value;
    } else if (field == "program") {
      require_program(config, value);
      c.reassign(Assignment::program, value, session.today);
    } else if (field == "worker") {
      require_active_worker(config, value);
      c.reassign(Assignment::worker, value, session.today);  // a transfer, as 'casectl transfer' records it
    } else if (field == "risk") {
      require_risk(config, value);
      c.reassign(Assignment::risk, value, session.today);
    } else if (field == "referred_by") {
      c.referred_by = value;
    } else if (field == "opened") {
      auto d = date_value();
      if (!d) {
        throw Error(ErrorKind::data, "opened: a case must have an opening date");
      }
      c.opened = *d;
    } else if (field == "tags") {
      c.tags = checked_tags({value});
    } else {
      throw Error(ErrorKind::usage, fmt::format("unknown field '{}' (fields: {})", field, join(settable_fields(), ", ")));
    }
  }
  tx.save_case(c);
  tx.commit();
}

CaseOverview load_overview(const Session& session, const std::string& case_id) {
  CaseOverview overview{as_of(session.store->load_case_file(case_id), session.today), {}};
  overview.due = due_items(overview.file, session.config(), session.today);
  sort_due_items(overview.due);
  return overview;
}

EditTarget begin_edit(const Session& session, const std::string& case_id, const std::string& file) {
  bool plan = false;
  if (file == "plan" || file == "plan.yaml") {
    plan = true;
  } else if (!file.empty() && file != "case" && file != "face" && file != "case.yaml") {
    throw Error(ErrorKind::usage,
                "edit opens case.yaml or plan.yaml; dated records are never rewritten (correct a note with "
                "'casectl log CASE --amends NOTE')");
  }
  if (!session.store->load_case(case_id).is_open()) {
    throw Error(ErrorKind::data,
                fmt::format("{} is closed; only show, timeline and reopen work on a closed case", case_id));
  }
  const auto document = plan ? storage::Document::plan : storage::Document::face_sheet;
  EditTarget target{case_id, plan, storage::Store::path_of(case_id, document), {}};
  if (auto text = session.store->load_text(case_id, document)) {
    target.text = *text;
  } else if (plan) {
    target.text = fmt::format("schema: 1\ncase: \"{}\"\ngoals: []\n", case_id);
  } else {
    throw Error(ErrorKind::not_found, fmt::format("{}: does not exist", target.relative_path));
  }
  return target;
}

std::vector<Diagnostic> validate_edit(const Session& session, const EditTarget& target, const std::string& text) {
  return session.store->validate_text(target.case_id, document_of(target), text);
}

void finish_edit(const Session& session, const EditTarget& target, const std::string& text) {
  auto tx = session.store->begin();
  const std::string current = session.store->load_text(target.case_id, document_of(target)).value_or(target.text);
  if (current != target.text) {
    throw Error(ErrorKind::busy, fmt::format("{} changed on disk while you were editing; nothing written (your "
                                             "edit was discarded: run 'casectl edit' again)",
                                             target.relative_path));
  }
  auto problems = validate_edit(session, target, text);
  if (std::any_of(problems.begin(), problems.end(), [](const Diagnostic& d) { return !d.warning; })) {
    throw Error(ErrorKind::data, fmt::format("{} is not valid; nothing written", target.relative_path), problems);
  }
  tx.replace_text(target.case_id, document_of(target), text);
  tx.commit();
}

}  // namespace casectl::services
