#include "cli/render.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "cli/help_format.hpp"

namespace casectl::cli {

Listing due_listing(const std::vector<DueItem>& items, const DueNames* names) {
  Listing listing;
  listing.columns = {"case", "kind", "due", "days_overdue", "worker", "program", "reason", "ref"};
  listing.shortens = {6};  // the reason: whole in json and csv
  listing.drops = {"ref", "program", "worker"};
  if (names != nullptr) {
    listing.columns.insert(listing.columns.begin() + 1, "name");
    listing.shortens = {7, 1};  // then the name
  }
  for (const auto& item : items) {
    listing.rows.push_back({item.case_id, item.kind, item.due.iso(), Cell::of_number(item.days_overdue),
                            Cell::optional(item.worker), Cell::optional(item.program), item.reason,
                            Cell::optional(item.ref)});
    if (names != nullptr) {
      const auto it = std::find_if(names->begin(), names->end(), [&](const auto& n) { return n.first == item.case_id; });
      listing.rows.back().insert(listing.rows.back().begin() + 1, it == names->end() ? Cell() : Cell(it->second));
    }
    listing.row_colors.push_back(item.overdue() ? ansi::red : item.days_overdue == 0 ? ansi::yellow : nullptr);
  }
  return listing;
}

std::string due_why(const std::vector<DueItem>& items, const DueNames* names, size_t width, bool color) {
  auto wrapped = [width](const std::string& text) { return width > 0 ? wrap_help(text, width) : text; };
  std::string out;
  for (const auto& item : items) {
    out += out.empty() ? "" : "\n";
    const std::string heading = wrapped(fmt::format("{}  {} {}, {}\n", item.case_id, item.kind, item.due.iso(),
                                                    due_phrase(item)));
    const char* code = item.overdue() ? ansi::red : item.days_overdue == 0 ? ansi::yellow : nullptr;
    out += color && code != nullptr ? code + heading.substr(0, heading.size() - 1) + ansi::reset + '\n' : heading;
    std::string name;
    if (names != nullptr) {
      const auto it = std::find_if(names->begin(), names->end(), [&](const auto& n) { return n.first == item.case_id; });
      name = it == names->end() ? "" : it->second;
    }
    for (const auto& [label, value] : {std::pair<const char*, const std::string&>{"client", name}, {"why", item.reason},
                                       {"worker", item.worker}, {"program", item.program}, {"ref", item.ref}}) {
      if (!value.empty()) {
        out += wrapped(fmt::format("    {:<9}{}\n", label, value));
      }
    }
  }
  return out;
}

std::string due_phrase(const DueItem& item) {
  if (item.days_overdue > 0) {
    return fmt::format("{} day{} overdue", item.days_overdue, item.days_overdue == 1 ? "" : "s");
  }
  if (item.days_overdue == 0) {
    return "due today";
  }
  return fmt::format("due in {} day{}", -item.days_overdue, item.days_overdue == -1 ? "" : "s");
}

std::string optional_date(const std::optional<Date>& date) { return date ? date->iso() : std::string(); }

Json strings_json(const std::vector<std::string>& strings) {
  Json array = Json::array();
  for (const auto& s : strings) {
    array.push(Json::string(s));
  }
  return array;
}

Json client_json(const Client& client) {
  return Json::object()
      .set("name", Json::string(client.name))
      .set("dob", Json::optional_string(optional_date(client.dob)))
      .set("phone", Json::optional_string(client.phone))
      .set("email", Json::optional_string(client.email))
      .set("address", Json::optional_string(client.address))
      .set("language", Json::optional_string(client.language))
      .set("member_id", Json::optional_string(client.member_id));
}

Json case_json(const Case& c) {
  return Json::object()
      .set("id", Json::string(c.id))
      .set("status", Json::string(to_string(c.status)))
      .set("program", Json::optional_string(c.program))
      .set("worker", Json::optional_string(c.worker))
      .set("risk", Json::optional_string(c.risk))
      .set("opened", Json::string(c.opened.iso()))
      .set("closed", Json::optional_string(optional_date(c.closed)))
      .set("closure_reason", Json::optional_string(c.closure_reason))
      .set("referred_by", Json::optional_string(c.referred_by))
      .set("client", client_json(c.client))
      .set("tags", strings_json(c.tags));
}

Json goal_json(const Goal& goal) {
  Json progress = Json::array();
  for (const auto& p : goal.progress) {
    progress.push(Json::object()
                      .set("date", Json::string(p.date.iso()))
                      .set("status", p.status ? Json::string(to_string(*p.status)) : Json())
                      .set("note", Json::optional_string(p.note)));
  }
  return Json::object()
      .set("id", Json::string(goal.id))
      .set("goal", Json::string(goal.goal))
      .set("domain", Json::optional_string(goal.domain))
      .set("status", Json::string(to_string(goal.status)))
      .set("created", Json::optional_string(optional_date(goal.created)))
      .set("target", Json::optional_string(optional_date(goal.target)))
      .set("responsible", Json::optional_string(goal.responsible))
      .set("steps", strings_json(goal.steps))
      .set("progress", std::move(progress));
}

Json referral_json(const CaseFile& file, const Referral& r) {
  Json history = Json::array();
  for (const auto& update : file.referral_updates) {  // oldest first
    if (update.referral == r.id) {
      history.push(Json::object()
                       .set("date", Json::string(update.date.iso()))
                       .set("status", Json::string(to_string(update.status)))
                       .set("follow_up", Json::optional_string(optional_date(update.follow_up)))
                       .set("note", Json::optional_string(update.note)));
    }
  }
  return Json::object()
      .set("id", Json::string(r.id))
      .set("date", Json::string(r.date.iso()))
      .set("to", Json::string(r.to))
      .set("service", Json::optional_string(r.service))
      .set("status", Json::string(to_string(file.referral_status(r.id))))
      .set("follow_up", Json::optional_string(optional_date(r.follow_up)))
      .set("history", std::move(history));
}

Json scores_json(const std::vector<std::pair<std::string, Score>>& scores) {
  Json object = Json::object();
  for (const auto& [item, s] : scores) {
    object.set(item, s.value ? Json::number(*s.value) : Json::string("na"));
  }
  return object;
}

}  // namespace casectl::cli

namespace casectl::cli {
namespace {

std::string ics_text(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\\' || c == ';' || c == ',') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

/// A content line folded at 75 octets, never inside a UTF-8 character, ending in CRLF.
std::string ics_line(const std::string& line) {
  std::string out;
  size_t start = 0;
  size_t limit = 75;
  while (line.size() - start > limit) {
    size_t cut = start + limit;
    while (cut > start && (static_cast<unsigned char>(line[cut]) & 0xC0u) == 0x80u) {
      --cut;
    }
    out += line.substr(start, cut - start) + "\r\n ";
    start = cut;
    limit = 74;  // the leading space of a continuation line counts
  }
  return out + line.substr(start) + "\r\n";
}

std::string ics_date(Date d) { return fmt::format("{:04}{:02}{:02}", d.year(), d.month(), d.day()); }

}  // namespace

std::string due_calendar(const std::vector<DueItem>& items, Date stamp,
                         const std::vector<std::pair<std::string, std::string>>& names) {
  std::string out = ics_line("BEGIN:VCALENDAR") + ics_line("VERSION:2.0") +
                    ics_line("PRODID:-//casectl//casectl due items//EN") + ics_line("CALSCALE:GREGORIAN");
  for (const auto& item : items) {
    std::string who = item.case_id;
    for (const auto& [id, name] : names) {
      if (id == item.case_id) {
        who = name + " (" + id + ")";
      }
    }
    out += ics_line("BEGIN:VEVENT");
    out += ics_line(fmt::format("UID:{}-{}{}@casectl", item.case_id, item.kind, item.ref.empty() ? "" : "-" + item.ref));
    out += ics_line(fmt::format("DTSTAMP:{}T000000Z", ics_date(stamp)));
    out += ics_line(fmt::format("DTSTART;VALUE=DATE:{}", ics_date(item.due)));
    out += ics_line(fmt::format("DTEND;VALUE=DATE:{}", ics_date(item.due.plus_days(1))));
    out += ics_line("SUMMARY:" + ics_text(fmt::format("{} due: {}", item.kind, who)));
    out += ics_line("DESCRIPTION:" + ics_text(item.reason));
    out += ics_line("CATEGORIES:casectl," + ics_text(item.kind));
    out += ics_line("TRANSP:TRANSPARENT");
    out += ics_line("END:VEVENT");
  }
  return out + ics_line("END:VCALENDAR");
}

}  // namespace casectl::cli
