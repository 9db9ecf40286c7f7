#pragma once

#include <string>
#include <vector>

#include "casectl/model/config.hpp"
#include "casectl/services/session.hpp"

namespace casectl::services {

/// Refuses text a case file must not hold (invalid UTF-8, control characters; newlines unless `multi_line`).
/// The message names the field, never the value, which may be client data.
std::string checked_text(const std::string& value, const std::string& field, bool multi_line = false);

/// A client's name: checked_text on one line, and no invisible formatting (bidirectional overrides, zero-width
/// characters) that could make it read other than it is.
std::string checked_name(const std::string& value);

/// Tags as typed anywhere (intake --tag, set tags=…, an import column): each value may hold several separated by
/// commas or semicolons; each is trimmed and checked, empty ones and repeats are dropped.
std::vector<std::string> checked_tags(const std::vector<std::string>& values);

void require_program(const Config& config, const std::string& program);
void require_worker(const Config& config, const std::string& worker);
void require_risk(const Config& config, const std::string& risk);
/// A worker a case may be assigned to: configured and active.
void require_active_worker(const Config& config, const std::string& worker);

/// The worker writing a record: the one named by --worker or CASECTL_WORKER, else the one whose e-mail is git's
/// user.email, else the one whose login is this account. Refuses (usage) rather than guess, and refuses a worker
/// casectl.yaml does not list or marks inactive.
std::string author(const Session& session);
/// The same, or "" when nothing says who is writing.
std::string author_if_known(const Session& session);
/// `author_if_known` and what told it: "--worker", "CASECTL_WORKER", "git user.email" or "login"; both empty when
/// nothing does.
struct Author {
  std::string worker;
  std::string told_by;
};
Author find_author(const Session& session);

}  // namespace casectl::services
