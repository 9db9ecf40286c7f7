// The services on an in-memory disk: every writing operation, with each step of its commit failing in turn and
// with a crash after each step, leaves the repository wholly as before or wholly as after, and a retry writes
// exactly once.
#include <doctest/doctest.h>

#include <cerrno>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "casectl/model/error.hpp"
#include "casectl/services/cases.hpp"
#include "casectl/services/completion.hpp"
#include "casectl/services/exchange.hpp"
#include "casectl/services/process.hpp"
#include "casectl/services/reports.hpp"
#include "casectl/storage/disk.hpp"
#include "casectl/storage/store.hpp"

using namespace casectl;
using storage::MemoryDisk;
using Snapshot = std::map<std::string, std::string>;

namespace {

Date day(int y, int m, int d) { return Date::from_ymd(y, m, d); }

services::Session session_on(const std::shared_ptr<MemoryDisk>& disk) {
  return services::Session{std::make_shared<const storage::Store>(disk), day(2026, 3, 2), 600, 0,
                           services::Identity{"alice", "CASECTL_WORKER", {}, ""}, true};
}

/// A repository with one open case (`id`), written through the services themselves.
struct Agency {
  std::shared_ptr<MemoryDisk> disk = std::make_shared<MemoryDisk>();
  std::string id;
  std::string closed_id;
  Agency() {
    storage::write_new_repository(*disk, "Memory Agency");
    const auto session = session_on(disk);
    services::IntakeRequest request;
    request.name = "Maria Example";
    request.program = "housing";
    request.worker = "alice";
    request.opened = day(2026, 1, 5);
    id = services::intake(session, request).id;
    request.name = "Cy Closed";
    closed_id = services::intake(session, request).id;
    services::close_case(session, closed_id, services::CloseRequest{"moved", "", true});
    services::review(session, id, services::ReviewRequest{false, {}, ReviewOutcome::continue_, "", {}, day(2026, 4, 1)});
    goal = services::add_goal(session, id, services::GoalRequest{"a job", "employment", {}, {}, ""});
    services::ReferralRequest referral;
    referral.to = "Clinic";
    referral.without_consent = "verbal";
    referral_id = services::refer(session, id, referral);
    services::add_consent(session, id, services::ConsentRequest{"Clinic", "care", {}, {}, {}});
    flag = services::add_flag(session, id, {"no voicemail", false, ""});
  }
  std::string goal;
  std::string referral_id;
  std::string flag;
};

/// Everything in the repository but the lock: what a reader could see.
Snapshot visible(const MemoryDisk& disk) {
  Snapshot s = disk.snapshot();
  s.erase(".casectl.lock");
  return s;
}

int count_under(const Snapshot& s, const std::string& prefix) {
  int n = 0;
  for (const auto& [path, content] : s) {
    const bool temporary = path.find("/.") != std::string::npos;  // invisible to readers
    if (path.compare(0, prefix.size(), prefix) == 0 && content != "<dir>" && !temporary) {
      ++n;
    }
  }
  return n;
}

struct Operation {
  const char* name;
  std::function<void(const services::Session&, const Agency&)> run;
  /// True when `after` holds the operation's whole effect, once, compared with `before`.
  std::function<bool(const Snapshot& before, const Snapshot& after, const Agency&)> applied;
};

std::string face(const Snapshot& s, const std::string& id) { return s.at("cases/" + id + "/case.yaml"); }

/// A spreadsheet of 70 clients: more files than a commit flushes one by one.
std::string seventy_rows() {
  std::string csv = "name,program\n";
  for (int i = 0; i < 70; ++i) {
    csv += "Client Number" + std::string(1, static_cast<char>('a' + i % 26)) + std::string(1, static_cast<char>('a' + i / 26)) + ",housing\n";
  }
  return csv;
}

std::vector<Operation> operations() {
  auto one_more = [](const char* folder) {
    return [folder](const Snapshot& before, const Snapshot& after, const Agency& a) {
      const std::string prefix = "cases/" + a.id + "/" + folder + "/";
      return count_under(after, prefix) == count_under(before, prefix) + 1;
    };
  };
  return {
      {"intake",
       [](const services::Session& s, const Agency&) {
         services::IntakeRequest r;
         r.name = "Nia New";
         r.program = "housing";
         services::intake(s, r);
       },
       [](const Snapshot& before, const Snapshot& after, const Agency&) {
         return count_under(after, "cases/") == count_under(before, "cases/") + 1;
       }},
      {"assess phq9 with item 9 above 0",
       [](const services::Session& s, const Agency& a) {
         services::AssessRequest r;
         r.instrument = "phq9";
         for (int i = 1; i <= 9; ++i) {
           r.scores.emplace_back("q" + std::to_string(i), i == 9 ? "2" : "1");
         }
         services::assess(s, a.id, r);
       },
       [](const Snapshot& before, const Snapshot& after, const Agency& a) {
         return count_under(after, "cases/" + a.id + "/assessments/") ==
                    count_under(before, "cases/" + a.id + "/assessments/") + 1 &&
                face(after, a.id).find("urgent") != std::string::npos;
       }},
      {"review of a case with a scheduled review",
       [](const services::Session& s, const Agency& a) {
         services::review(s, a.id, services::ReviewRequest{true, {}, ReviewOutcome::continue_, "fine", {}, {}});
       },
       [](const Snapshot& before, const Snapshot& after, const Agency& a) {
         return count_under(after, "cases/" + a.id + "/reviews/") ==
                    count_under(before, "cases/" + a.id + "/reviews/") + 1 &&
                face(after, a.id).find("review_on") == std::string::npos;
       }},
      {"log", [](const services::Session& s, const Agency& a) {
         services::ContactRequest r;
         r.note = "called";
         services::log_contact(s, a.id, r);
       },
       one_more("contacts")},
      {"refer", [](const services::Session& s, const Agency& a) {
         services::ReferralRequest r;
         r.to = "Food Bank";
         r.without_consent = "verbal consent on the phone";
         services::refer(s, a.id, r);
       },
       one_more("referrals")},
      {"plan update",
       [](const services::Session& s, const Agency& a) {
         services::update_goal(s, a.id, a.goal, services::GoalUpdate{GoalStatus::met, "done", {}, {}});
       },
       [](const Snapshot&, const Snapshot& after, const Agency& a) {
         return after.at("cases/" + a.id + "/plan.yaml").find("done") != std::string::npos;
       }},
      {"referral update",
       [](const services::Session& s, const Agency& a) {
         services::update_referral(s, a.id, a.referral_id, ReferralStatus::accepted, "");
       },
       one_more("referrals")},
      {"consent revoke",
       [](const services::Session& s, const Agency& a) { services::revoke_consent(s, a.id, "Clinic"); },
       [](const Snapshot&, const Snapshot& after, const Agency& a) {
         return face(after, a.id).find("revoked") != std::string::npos;
       }},
      {"edit",
       [](const services::Session& s, const Agency& a) {
         const auto target = services::begin_edit(s, a.id, "case.yaml");
         std::string text = target.text;
         text.replace(text.find("Maria Example"), 13, "Maria Edited");
         services::finish_edit(s, target, text);
       },
       [](const Snapshot&, const Snapshot& after, const Agency& a) {
         return face(after, a.id).find("Maria Edited") != std::string::npos;
       }},
      {"plan add",
       [](const services::Session& s, const Agency& a) {
         services::add_goal(s, a.id, services::GoalRequest{"a home", "housing", {}, {}, ""});
       },
       [](const Snapshot&, const Snapshot& after, const Agency& a) {
         return after.at("cases/" + a.id + "/plan.yaml").find("a home") != std::string::npos;
       }},
      {"consent",
       [](const services::Session& s, const Agency& a) {
         services::add_consent(s, a.id, services::ConsentRequest{"Food Bank", "referral", {}, {}, {}});
       },
       [](const Snapshot&, const Snapshot& after, const Agency& a) {
         return face(after, a.id).find("Food Bank") != std::string::npos;
       }},
      {"flag --urgent",
       [](const services::Session& s, const Agency& a) { services::add_flag(s, a.id, {"eviction", true, ""}); },
       [](const Snapshot&, const Snapshot& after, const Agency& a) {
         return face(after, a.id).find("eviction") != std::string::npos;
       }},
      {"flag --clear",
       [](const services::Session& s, const Agency& a) { services::clear_flag(s, a.id, a.flag, "resolved"); },
       [](const Snapshot&, const Snapshot& after, const Agency& a) {
         return face(after, a.id).find("cleared_reason") != std::string::npos;
       }},
      {"transfer", [](const services::Session& s, const Agency& a) { services::transfer(s, a.id, "bob"); },
       [](const Snapshot&, const Snapshot& after, const Agency& a) {
         return face(after, a.id).find("transferred") != std::string::npos;
       }},
      {"close",
       [](const services::Session& s, const Agency& a) {
         services::close_case(s, a.id, services::CloseRequest{"moved", "", true});
       },
       [](const Snapshot&, const Snapshot& after, const Agency& a) {
         return face(after, a.id).find("closed") != std::string::npos;
       }},
      {"reopen", [](const services::Session& s, const Agency& a) { services::reopen_case(s, a.closed_id); },
       [](const Snapshot&, const Snapshot& after, const Agency& a) {
         return face(after, a.closed_id).find("reopened") != std::string::npos;
       }},
      {"set", [](const services::Session& s, const Agency& a) { services::set_fields(s, a.id, {"phone=555-0100"}); },
       [](const Snapshot&, const Snapshot& after, const Agency& a) {
         return face(after, a.id).find("555-0100") != std::string::npos;
       }},
      {"import of three rows",
       [](const services::Session& s, const Agency&) {
         const auto result = services::import_csv(s, "name,program\nAna One,housing\nBo Two,housing\nCy Three,aging\n",
                                                  "clients.csv", false, false);
         REQUIRE(result.problems.empty());
       },
       [](const Snapshot& before, const Snapshot& after, const Agency&) {
         return count_under(after, "cases/") == count_under(before, "cases/") + 3;
       }},
      {"import of 70 rows, flushed at once",
       [](const services::Session& s, const Agency&) {
         const auto result = services::import_csv(s, seventy_rows(), "clients.csv", false, false);
         REQUIRE(result.problems.empty());
       },
       [](const Snapshot& before, const Snapshot& after, const Agency&) {
         return count_under(after, "cases/") == count_under(before, "cases/") + 70;
       }},
  };
}

const MemoryDisk::Op k_failing_ops[] = {MemoryDisk::Op::write, MemoryDisk::Op::mkdir, MemoryDisk::Op::rename,
                                        MemoryDisk::Op::link,  MemoryDisk::Op::remove, MemoryDisk::Op::sync,
                                        MemoryDisk::Op::list};

}  // namespace

TEST_SUITE("services on a failing disk") {
  TEST_CASE("each step of every writing operation fails in turn: before or after, never between; a retry writes once") {
    const Agency prepared;
    int faults = 0;
    for (const auto& op : operations()) {
      // How many calls of each kind the operation makes when nothing fails.
      auto counting = std::make_shared<MemoryDisk>(*prepared.disk);
      std::map<MemoryDisk::Op, int> base;
      for (auto kind : k_failing_ops) {
        base[kind] = counting->calls(kind);
      }
      op.run(session_on(counting), prepared);
      for (auto kind : k_failing_ops) {
        const int calls = counting->calls(kind) - base[kind];
        for (int nth = 1; nth <= calls; ++nth) {
          for (int error : {ENOSPC, EIO, EACCES}) {
            const std::string name = op.name;
        CAPTURE(name);
            CAPTURE(static_cast<int>(kind));
            CAPTURE(nth);
            CAPTURE(error);
            auto disk = std::make_shared<MemoryDisk>(*prepared.disk);
            const Snapshot before = visible(*disk);
            disk->fail(kind, nth, error);
            bool failed = false;
            try {
              op.run(session_on(disk), prepared);
            } catch (const Error& e) {
              failed = true;
              if (error == EACCES) {
                CHECK(e.kind() == ErrorKind::permission);
              } else if (kind == MemoryDisk::Op::list) {  // a listing read to find a free name
                CHECK((e.kind() == ErrorKind::data || e.kind() == ErrorKind::cannot_write));
              } else {
                CHECK(e.kind() == ErrorKind::cannot_write);
              }
              CHECK(std::string(e.what()).find("Maria") == std::string::npos);
              ++faults;
            }
            disk->clear_faults();
            const Snapshot after = visible(*disk);
            if (failed) {
              CHECK(after == before);
            } else {
              // A failure the operation could live with (cleaning up after itself): it must be whole.
              CHECK(op.applied(before, after, prepared));
              continue;
            }
            op.run(session_on(disk), prepared);
            CHECK(op.applied(before, visible(*disk), prepared));
            CHECK(storage::Store(disk).check().size() == 0);
          }
        }
      }
    }
    MESSAGE(faults << " injected faults made an operation fail, each leaving the repository as before");
    CHECK(faults > 100);
  }

  TEST_CASE("a crash after any step is undone or complete for readers, and the next writer tidies up") {
    const Agency prepared;
    int crashes = 0;
    for (const auto& op : operations()) {
      for (int steps = 0;; ++steps) {
        const std::string name = op.name;
        CAPTURE(name);
        CAPTURE(steps);
        auto disk = std::make_shared<MemoryDisk>(*prepared.disk);
        const Snapshot before = visible(*disk);
        disk->crash_after(steps);
        bool crashed = false;
        try {
          op.run(session_on(disk), prepared);
        } catch (const MemoryDisk::Crashed&) {
          crashed = true;
        }
        disk->revive();
        if (!crashed) {
          break;  // the operation finished within `steps` changes: every crash point was tried
        }
        ++crashes;
        // A reader, before any writer recovers: the case is whole, before or after.
        const storage::Store reader(disk);
        const CaseFile seen = reader.load_case_file(prepared.id);
        const CaseFile was = storage::Store(std::make_shared<MemoryDisk>(*prepared.disk)).load_case_file(prepared.id);
        const bool reader_before = seen.assessments.size() == was.assessments.size() &&
                                   seen.reviews.size() == was.reviews.size() && seen.face == was.face;
        const bool reader_after = op.applied(before, visible(*disk), prepared);
        CHECK((reader_before || reader_after));
        // The next writer undoes an unfinished transaction; `check` then finds nothing wrong.
        { auto tx = reader.begin(); }
        const Snapshot recovered = visible(*disk);
        const bool is_before = [&] {
          Snapshot a = recovered;
          Snapshot b = before;
          for (auto* s : {&a, &b}) {  // leftover temporaries are invisible, and removed by the next write there
            for (auto it = s->begin(); it != s->end();) {
              it = it->first.find("/.") != std::string::npos ? s->erase(it) : std::next(it);
            }
          }
          return a == b;
        }();
        if (!(is_before || op.applied(before, recovered, prepared))) {
          for (const auto& [path, content] : recovered) {
            if (!before.count(path) || before.at(path) != content) {
              MESSAGE("changed: " << path);
            }
          }
          for (const auto& [path, content] : before) {
            if (!recovered.count(path)) {
              MESSAGE("gone: " << path);
            }
          }
        }
        CHECK((is_before || op.applied(before, recovered, prepared)));
        for (const auto& d : reader.check()) {
          CHECK(d.warning);
        }
      }
    }
    MESSAGE(crashes << " simulated crashes, each before or after for readers and after recovery");
  }

  TEST_CASE("an unreadable or missing cases folder is an error, never an empty answer") {
    for (int variant = 0; variant < 4; ++variant) {
      CAPTURE(variant);
      Agency a;
      switch (variant) {
        case 0:
          a.disk->fail_path(MemoryDisk::Op::list, "cases", EACCES);
          break;
        case 1:
          a.disk->erase("cases");
          break;
        case 2:
          a.disk->erase("cases");
          a.disk->put_file("cases", "not a folder");
          break;
        case 3:
          a.disk->erase("cases");
          a.disk->put_symlink("cases");
          break;
      }
      const auto session = session_on(a.disk);
      Problems problems;
      CHECK_THROWS_AS((void)services::list_cases(session, {}, problems), Error);
      CHECK_THROWS_AS((void)services::due(session, {}), Error);
      try {
        (void)services::due(session, {});
      } catch (const Error& e) {
        CHECK(std::string(e.what()).find("cases") != std::string::npos);
        CHECK(e.kind() == (variant == 0 ? ErrorKind::permission : variant == 1 ? ErrorKind::not_found : ErrorKind::data));
      }
      bool named = false;
      for (const auto& d : storage::Store(a.disk).check()) {
        named = named || (d.path == "cases" && !d.warning);
      }
      CHECK(named);
    }
  }

  TEST_CASE("an unreadable record folder or a symbolic link in its place leaves the case out, loudly") {
    for (bool link : {false, true}) {
      Agency a;
      services::ReferralRequest r;
      r.to = "Food Bank";
      r.without_consent = "verbal";
      r.date = day(2026, 2, 1);
      r.follow_up = day(2026, 2, 15);
      services::refer(session_on(a.disk), a.id, r);
      const std::string folder = "cases/" + a.id + "/referrals";
      if (link) {
        a.disk->erase(folder);
        a.disk->put_symlink(folder);
      } else {
        a.disk->fail_path(MemoryDisk::Op::list, folder, EACCES);
      }
      const auto report = services::due(session_on(a.disk), {});
      REQUIRE_FALSE(report.problems.empty());
      CHECK(report.problems.kind == (link ? ErrorKind::data : ErrorKind::permission));
      CHECK(report.problems.diagnostics.front().path == folder);
      for (const auto& item : report.items) {
        CHECK(item.case_id != a.id);  // not half a case
      }
      CHECK_THROWS_AS((void)services::load_overview(session_on(a.disk), a.id), Error);
    }
  }

  TEST_CASE("a write through a symbolic link in place of a case folder is refused") {
    Agency a;
    a.disk->erase("cases/" + a.id);
    a.disk->put_symlink("cases/" + a.id);
    const Snapshot before = visible(*a.disk);
    services::ContactRequest r;
    r.note = "called";
    CHECK_THROWS_AS(services::log_contact(session_on(a.disk), a.id, r), Error);
    CHECK(visible(*a.disk) == before);
  }

  TEST_CASE("an empty case folder left by an older casectl is ignored by readers and removed by the next intake") {
    Agency a;
    a.disk->put_directory("cases/c-aaaaaaaa");
    const auto session = session_on(a.disk);
    const auto report = services::due(session, {});
    CHECK(report.problems.empty());
    services::IntakeRequest r;
    r.name = "Nia New";
    r.program = "housing";
    services::intake(session, r);
    CHECK(visible(*a.disk).count("cases/c-aaaaaaaa") == 0);
  }

  TEST_CASE("a commit of many files flushes them all at once, a small one file by file") {
    Agency a;
    const auto session = session_on(a.disk);
    const int before = a.disk->calls(MemoryDisk::Op::sync);
    REQUIRE(services::import_csv(session, seventy_rows(), "clients.csv", false, false).created.size() == 70);
    const int seventy = a.disk->calls(MemoryDisk::Op::sync) - before;
    CHECK(seventy <= 4);  // the journal's folder, everything staged, everything made visible, the commit point
    REQUIRE(services::import_csv(session, "name,program\nAna One,housing\nBo Two,housing\n", "clients.csv", false,
                                 false).created.size() == 2);
    CHECK(a.disk->calls(MemoryDisk::Op::sync) - before - seventy >= 2 + 2);  // each new folder, then its parent
  }
}

TEST_SUITE("completion candidates") {
  std::vector<std::string> values(const std::vector<services::Candidate>& candidates) {
    std::vector<std::string> out;
    for (const auto& candidate : candidates) {
      out.push_back(candidate.value);
    }
    return out;
  }

  TEST_CASE("cases: an ID prefix with or without c-, else a part of the client's name; open, closed or any") {
    Agency a;
    const auto session = session_on(a.disk);
    using services::CaseState;
    CHECK(values(services::case_candidates(session, "", CaseState::open)) == std::vector{a.id});
    CHECK(values(services::case_candidates(session, "", CaseState::closed)) == std::vector{a.closed_id});
    CHECK(services::case_candidates(session, "", CaseState::any).size() == 2);
    CHECK(values(services::case_candidates(session, a.id.substr(0, 6), CaseState::any)) == std::vector{a.id});
    CHECK(values(services::case_candidates(session, a.id.substr(2), CaseState::any)) == std::vector{a.id});
    const auto maria = services::case_candidates(session, "mari", CaseState::open);
    REQUIRE(maria.size() == 1);
    CHECK(maria[0].value == a.id);
    CHECK(maria[0].description == "Maria Example");
    CHECK(values(services::case_candidates(session, "Example Maria", CaseState::any)) == std::vector{a.id});
    CHECK(services::case_candidates(session, "Closed", CaseState::open).empty());
    CHECK(values(services::case_candidates(session, "Closed", CaseState::closed)) == std::vector{a.closed_id});
    CHECK(services::case_candidates(session, "nobody", CaseState::any).empty());
  }

  TEST_CASE("the goals, referrals, flags and consent parties of the case a reference names") {
    Agency a;
    const auto session = session_on(a.disk);
    const auto goals = services::goal_candidates(session, "Maria");
    REQUIRE(goals.size() == 1);
    CHECK(goals[0].value == a.goal);
    CHECK(goals[0].description == "[active] a job");
    const auto referrals = services::referral_candidates(session, a.id);
    REQUIRE(referrals.size() == 1);
    CHECK(referrals[0].value == a.referral_id);
    CHECK(referrals[0].description == "2026-03-02 to Clinic (sent)");
    const auto flags = services::open_flag_candidates(session, a.id);
    REQUIRE(flags.size() == 1);
    CHECK(flags[0].value == a.flag);
    CHECK(flags[0].description == "no voicemail");
    const auto parties = services::consent_party_candidates(session, a.id);
    REQUIRE(parties.size() == 1);
    CHECK(parties[0].value == "Clinic");
    CHECK(parties[0].description == "care");
    CHECK(services::note_candidates(session, a.id).empty());
    CHECK_THROWS_AS(services::goal_candidates(session, "nobody"), Error);
  }

  TEST_CASE("instruments, their items and each item's answers") {
    Agency a;
    const auto session = session_on(a.disk);
    CHECK(values(services::instrument_candidates(session)) == std::vector<std::string>{"gad7", "phq9", "ssm"});
    const auto items = services::instrument_item_candidates(session, "phq9");
    REQUIRE(items.size() == 9);
    CHECK(items[0].value == "q1");
    CHECK(!items[0].description.empty());
    CHECK(values(services::instrument_score_candidates(session, "phq9", "q9")) ==
          std::vector<std::string>{"0", "1", "2", "3"});
    CHECK(services::instrument_score_candidates(session, "phq9", "q10").empty());
    CHECK_THROWS_AS(services::instrument_item_candidates(session, "nope"), Error);
  }
}
