#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "casectl/model/case_file.hpp"
#include "casectl/model/config.hpp"
#include "casectl/model/due.hpp"

using namespace casectl;

namespace {

Date day(int y, int m, int d) { return Date::from_ymd(y, m, d); }

/// An open case of program "housing", risk "low", opened on 2024-01-01, with no records.
CaseFile open_case() {
  CaseFile file;
  file.face.id = "c-abcdefgh";
  file.face.client.name = "Ana";
  file.face.program = "housing";
  file.face.worker = "alice";
  file.face.risk = "low";
  file.face.opened = day(2024, 1, 1);
  return file;
}

/// A config whose only rule is the one `set` writes.
template <typename Set>
Config config_with(Set set) {
  Config config;
  set(config.rules);
  return config;
}

Contact contact(const std::string& id, Date date, int minutes, const std::string& type = "phone") {
  Contact c;
  c.id = id;
  c.case_id = "c-abcdefgh";
  c.at = DateTime{date, minutes, 0};
  c.type = type;
  return c;
}

Review review(const std::string& id, Date date) {
  Review r;
  r.id = id;
  r.case_id = "c-abcdefgh";
  r.date = date;
  return r;
}

Assessment assessment(const std::string& id, Date date) {
  Assessment a;
  a.id = id;
  a.case_id = "c-abcdefgh";
  a.date = date;
  a.instrument = "gad7";
  return a;
}

std::vector<DueItem> of_kind(const std::vector<DueItem>& items, const std::string& kind) {
  std::vector<DueItem> out;
  for (const auto& item : items) {
    if (item.kind == kind) {
      out.push_back(item);
    }
  }
  return out;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

const Date k_today = day(2024, 3, 13);

}  // namespace

TEST_SUITE("due: reviews") {
  const Config reviews = config_with([](Rules& r) {
    r.review.first = Interval{30, 'd'};
    r.review.every = Interval{90, 'd'};
    r.review.note = "Plans are reviewed quarterly";
  });

  TEST_CASE("the first review is due N days after opening") {
    const auto items = of_kind(due_items(open_case(), reviews, k_today), "review");
    REQUIRE(items.size() == 1);
    CHECK(items[0].due == day(2024, 1, 31));
    CHECK(items[0].case_id == "c-abcdefgh");
    CHECK(items[0].worker == "alice");
    CHECK(items[0].program == "housing");
    CHECK(items[0].days_overdue == 42);
    CHECK(items[0].overdue());
    CAPTURE(items[0].reason);
    CHECK(contains(items[0].reason, "first review 30d after opening on 2024-01-01"));
    CHECK(contains(items[0].reason, "casectl.yaml rules"));
    CHECK(contains(items[0].reason, "Plans are reviewed quarterly"));
  }

  TEST_CASE("then every M days after the last review, whatever the order of the list") {
    CaseFile file = open_case();
    file.reviews = {review("rv22", day(2024, 2, 10)), review("rv33", day(2024, 1, 20))};
    const auto items = of_kind(due_items(file, reviews, k_today), "review");
    REQUIRE(items.size() == 1);
    CHECK(items[0].due == day(2024, 5, 10));
    CHECK(items[0].days_overdue == -58);
    CHECK_FALSE(items[0].overdue());
    CAPTURE(items[0].reason);
    CHECK(contains(items[0].reason, "every 90d after the last review on 2024-02-10"));
  }

  TEST_CASE("with only `every`, the first review counts it from opening") {
    const Config only_every = config_with([](Rules& r) { r.review.every = Interval{2, 'm'}; });
    const auto items = of_kind(due_items(open_case(), only_every, k_today), "review");
    REQUIRE(items.size() == 1);
    CHECK(items[0].due == day(2024, 3, 1));
  }

  TEST_CASE("review_on on the face sheet overrides the schedule") {
    CaseFile file = open_case();
    file.face.review_on = day(2024, 4, 2);
    file.reviews = {review("rv22", day(2024, 2, 10))};
    const auto items = of_kind(due_items(file, reviews, k_today), "review");
    REQUIRE(items.size() == 1);
    CHECK(items[0].due == day(2024, 4, 2));
    CHECK(contains(items[0].reason, "2024-04-02"));
  }

  TEST_CASE("no review rule, no review due") {
    CHECK(of_kind(due_items(open_case(), Config{}, k_today), "review").empty());
  }

  TEST_CASE("the reason names the rule's origin when a program sets it") {
    Config config = reviews;
    Program housing;
    housing.id = "housing";
    housing.rules.review.every = Interval{60, 'd'};
    housing.rules.review.note = "HUD contract";
    config.programs.push_back(housing);
    CaseFile file = open_case();
    file.reviews = {review("rv22", day(2024, 2, 10))};
    const auto items = of_kind(due_items(file, config, k_today), "review");
    REQUIRE(items.size() == 1);
    CHECK(items[0].due == day(2024, 4, 10));
    CAPTURE(items[0].reason);
    CHECK(contains(items[0].reason, "program housing"));
    CHECK(contains(items[0].reason, "HUD contract"));
    CHECK(contains(items[0].reason, "2024-02-10"));
  }

  TEST_CASE("a reason never quotes the note of a rule whose values were overridden") {
    // The program changes the interval without a note of its own: the agency's note names another policy.
    Config config = reviews;
    Program housing;
    housing.id = "housing";
    housing.rules.review.every = Interval{60, 'd'};
    config.programs.push_back(housing);
    CaseFile file = open_case();
    file.reviews = {review("rv22", day(2024, 2, 10))};
    const auto items = of_kind(due_items(file, config, k_today), "review");
    REQUIRE(items.size() == 1);
    CAPTURE(items[0].reason);
    CHECK(contains(items[0].reason, "program housing"));
    CHECK_FALSE(contains(items[0].reason, "Plans are reviewed quarterly"));
  }

  TEST_CASE("a case's own rule wins and says so") {
    CaseFile file = open_case();
    file.face.risk = "high";
    file.face.rules.edit().review.every = Interval{14, 'd'};
    file.face.rules.edit().review.note = "Court order";
    file.reviews = {review("rv22", day(2024, 3, 1))};
    const auto items = of_kind(due_items(file, reviews, k_today), "review");
    REQUIRE(items.size() == 1);
    CHECK(items[0].due == day(2024, 3, 15));
    CHECK(contains(items[0].reason, "case override"));
    CHECK(contains(items[0].reason, "Court order"));
  }
}

TEST_SUITE("due: assessments and contacts") {
  const Config assessments = config_with([](Rules& r) {
    r.assessment.first = Interval{30, 'd'};
    r.assessment.every = Interval{180, 'd'};
  });

  TEST_CASE("the first assessment is due within J days of intake") {
    const auto items = of_kind(due_items(open_case(), assessments, k_today), "assessment");
    REQUIRE(items.size() == 1);
    CHECK(items[0].due == day(2024, 1, 31));
    CHECK(contains(items[0].reason, "first assessment within 30d of intake on 2024-01-01"));
  }

  TEST_CASE("reassessment is due K days after the latest assessment") {
    CaseFile file = open_case();
    file.assessments = {assessment("as22", day(2024, 2, 1)), assessment("as33", day(2024, 1, 15))};
    const auto items = of_kind(due_items(file, assessments, k_today), "assessment");
    REQUIRE(items.size() == 1);
    CHECK(items[0].due == day(2024, 7, 30));
    CHECK(contains(items[0].reason, "reassessment every 180d after the last assessment on 2024-02-01"));
  }

  const Config contacts = config_with([](Rules& r) {
    r.contact.every = Interval{30, 'd'};
    r.contact.note = "No client goes a month without contact";
  });

  TEST_CASE("a contact is due M days after the last contact made; attempts do not count") {
    CaseFile file = open_case();
    file.contacts = {contact("ct22", day(2024, 2, 1), 600), contact("ct33", day(2024, 2, 20), 600, "attempt")};
    const auto items = of_kind(due_items(file, contacts, k_today), "contact");
    REQUIRE(items.size() == 1);
    CHECK(items[0].due == day(2024, 3, 2));
    CHECK(items[0].days_overdue == 11);
    CAPTURE(items[0].reason);
    CHECK(contains(items[0].reason, "last contact on 2024-02-01"));
    CHECK(contains(items[0].reason, "No client goes a month without contact"));
  }

  TEST_CASE("with only attempts, the contact rule counts from opening") {
    CaseFile file = open_case();
    file.contacts = {contact("ct33", day(2024, 2, 20), 600, "attempt")};
    const auto items = of_kind(due_items(file, contacts, k_today), "contact");
    REQUIRE(items.size() == 1);
    CHECK(items[0].due == day(2024, 1, 31));
    CHECK(contains(items[0].reason, "opening on 2024-01-01"));
  }

  TEST_CASE("a risk level's contact rule replaces the general one") {
    Config config = contacts;
    config.risk_levels = {"low", "high"};
    config.risk["high"].contact.every = Interval{7, 'd'};
    CaseFile file = open_case();
    file.face.risk = "high";
    file.contacts = {contact("ct22", day(2024, 3, 1), 600)};
    const auto items = of_kind(due_items(file, config, k_today), "contact");
    REQUIRE(items.size() == 1);
    CHECK(items[0].due == day(2024, 3, 8));
    CHECK(contains(items[0].reason, "casectl.yaml risk high"));
  }
}

TEST_SUITE("due: goals, follow-ups, referrals, consents") {
  TEST_CASE("an active goal is due at its target date; met goals and goals without target are not") {
    CaseFile file = open_case();
    Plan plan;
    plan.case_id = "c-abcdefgh";
    Goal g1;
    g1.id = "g1";
    g1.target = day(2024, 3, 1);
    Goal g2;
    g2.id = "g2";
    g2.status = GoalStatus::met;
    g2.target = day(2024, 2, 1);
    Goal g3;
    g3.id = "g3";
    Goal g4;
    g4.id = "g4";
    g4.status = GoalStatus::dropped;
    g4.target = day(2024, 2, 1);
    plan.goals = {g1, g2, g3, g4};
    file.plan = plan;
    const auto items = of_kind(due_items(file, Config{}, k_today), "goal");
    REQUIRE(items.size() == 1);
    CHECK(items[0].ref == "g1");
    CHECK(items[0].due == day(2024, 3, 1));
    CHECK(items[0].days_overdue == 12);
    CHECK(contains(items[0].reason, "g1"));
  }

  TEST_CASE("a follow-up is due until a later contact is made") {
    CaseFile file = open_case();
    Contact asked = contact("ct22", day(2024, 2, 1), 600);
    asked.follow_up = day(2024, 2, 8);
    file.contacts = {asked};
    auto items = of_kind(due_items(file, Config{}, k_today), "follow-up");
    REQUIRE(items.size() == 1);
    CHECK(items[0].due == day(2024, 2, 8));
    CHECK(items[0].ref == "ct22");
    CHECK(contains(items[0].reason, "2024-02-01"));

    file.contacts.push_back(contact("ct33", day(2024, 2, 5), 600, "attempt"));
    CHECK(of_kind(due_items(file, Config{}, k_today), "follow-up").size() == 1);  // an attempt does not answer

    file.contacts.push_back(contact("ct44", day(2024, 2, 1), 630));  // later the same day
    CHECK(of_kind(due_items(file, Config{}, k_today), "follow-up").empty());
  }

  TEST_CASE("a referral with no answer is due at its follow-up date; an answer closes it") {
    CaseFile file = open_case();
    Referral referral;
    referral.id = "rf22";
    referral.case_id = "c-abcdefgh";
    referral.date = day(2024, 3, 1);
    referral.to = "Food bank";
    referral.follow_up = day(2024, 3, 15);
    Referral no_follow_up = referral;
    no_follow_up.id = "rf33";
    no_follow_up.follow_up.reset();
    file.referrals = {referral, no_follow_up};

    auto items = of_kind(due_items(file, Config{}, k_today), "referral");
    REQUIRE(items.size() == 1);
    CHECK(items[0].ref == "rf22");
    CHECK(items[0].due == day(2024, 3, 15));
    CHECK(items[0].days_overdue == -2);
    CHECK(contains(items[0].reason, "2024-03-01"));

    ReferralUpdate other;
    other.id = "up22";
    other.referral = "rf33";
    other.case_id = "c-abcdefgh";
    other.date = day(2024, 3, 5);
    other.status = ReferralStatus::accepted;
    file.referral_updates = {other};
    CHECK(of_kind(due_items(file, Config{}, k_today), "referral").size() == 1);  // another referral's answer

    ReferralUpdate still_sent = other;
    still_sent.id = "up33";
    still_sent.referral = "rf22";
    still_sent.status = ReferralStatus::sent;
    file.referral_updates.push_back(still_sent);
    CHECK(of_kind(due_items(file, Config{}, k_today), "referral").size() == 1);

    ReferralUpdate answer = still_sent;
    answer.id = "up44";
    answer.status = ReferralStatus::declined;
    file.referral_updates.push_back(answer);
    CHECK(of_kind(due_items(file, Config{}, k_today), "referral").empty());
  }

  TEST_CASE("a consent is due at its expiry and visible from the warning window") {
    const Config config = config_with([](Rules& r) { r.consent.warn = Interval{30, 'd'}; });
    CaseFile file = open_case();
    file.face.consents = {
        Consent{"Shelter", "housing", day(2024, 1, 1), day(2024, 4, 30), {}, {}},
        Consent{"Clinic", "health", day(2024, 1, 1), day(2024, 4, 1), day(2024, 2, 1), {}},  // revoked
        Consent{"School", "education", day(2024, 1, 1), {}, {}, {}},                      // no expiry
    };
    const auto items = of_kind(due_items(file, config, k_today), "consent");
    REQUIRE(items.size() == 1);
    CHECK(items[0].ref == "1");
    CHECK(items[0].due == day(2024, 4, 30));
    CHECK(items[0].visible_from == day(2024, 3, 31));
    CHECK(contains(items[0].reason, "2024-04-30"));
  }

  TEST_CASE("items other than consents are visible from their due date") {
    const Config config = config_with([](Rules& r) { r.review.first = Interval{30, 'd'}; });
    const auto items = due_items(open_case(), config, k_today);
    REQUIRE(items.size() == 1);
    CHECK(items[0].visible_from == items[0].due);
  }

  TEST_CASE("a closed case has nothing due") {
    const Config config = config_with([](Rules& r) {
      r.review.first = Interval{30, 'd'};
      r.contact.every = Interval{30, 'd'};
      r.assessment.first = Interval{30, 'd'};
    });
    CaseFile file = open_case();
    file.face.status = CaseStatus::closed;
    file.face.closed = day(2024, 2, 1);
    Contact asked = contact("ct22", day(2024, 1, 20), 600);
    asked.follow_up = day(2024, 1, 27);
    file.contacts = {asked};
    CHECK(due_items(file, config, k_today).empty());
    file.face.status = CaseStatus::open;
    CHECK(due_items(file, config, k_today).size() == 4);
  }
}

TEST_SUITE("due: days overdue and order") {
  const Config thirty = config_with([](Rules& r) { r.review.first = Interval{30, 'd'}; });  // due 2024-01-31

  TEST_CASE("due today is 0 days overdue and not overdue") {
    const auto items = due_items(open_case(), thirty, day(2024, 1, 31));
    REQUIRE(items.size() == 1);
    CHECK(items[0].days_overdue == 0);
    CHECK_FALSE(items[0].overdue());
  }

  TEST_CASE("the day after it is 1 day overdue; before it the count is negative") {
    const auto after = due_items(open_case(), thirty, day(2024, 2, 1));
    REQUIRE(after.size() == 1);
    CHECK(after[0].days_overdue == 1);
    CHECK(after[0].overdue());
    const auto before = due_items(open_case(), thirty, day(2024, 1, 28));
    REQUIRE(before.size() == 1);
    CHECK(before[0].days_overdue == -3);
    CHECK_FALSE(before[0].overdue());
  }

  TEST_CASE("sort_due_items puts the most overdue first, then the soonest due") {
    auto item = [](const std::string& case_id, const std::string& kind, Date due) {
      DueItem i;
      i.case_id = case_id;
      i.kind = kind;
      i.due = due;
      i.days_overdue = due.days_until(k_today);
      return i;
    };
    std::vector<DueItem> items = {
        item("c-aaaaaaaa", "review", day(2024, 3, 20)),     // due in 7 days
        item("c-bbbbbbbb", "contact", day(2024, 3, 8)),     // 5 overdue
        item("c-cccccccc", "goal", day(2024, 3, 13)),       // due today
        item("c-dddddddd", "review", day(2024, 3, 3)),      // 10 overdue
        item("c-eeeeeeee", "consent", day(2024, 3, 15)),    // due in 2 days
        item("c-ffffffff", "assessment", day(2024, 3, 8)),  // 5 overdue: assessment before contact
        item("c-aaaaaaaa", "contact", day(2024, 3, 8)),     // 5 overdue: same kind, case a first
    };
    sort_due_items(items);
    std::vector<std::string> order;
    for (const auto& i : items) {
      order.push_back(i.case_id.substr(2, 1) + ":" + i.kind);
    }
    CHECK(order == std::vector<std::string>{"d:review", "f:assessment", "a:contact", "b:contact", "c:goal",
                                            "e:consent", "a:review"});
  }

  TEST_CASE("all the kinds of one case come out together, each with a reason") {
    const Config config = config_with([](Rules& r) {
      r.review.first = Interval{30, 'd'};
      r.assessment.first = Interval{14, 'd'};
      r.contact.every = Interval{30, 'd'};
      r.consent.warn = Interval{30, 'd'};
    });
    CaseFile file = open_case();
    file.face.consents = {Consent{"Shelter", "", {}, day(2024, 4, 1), {}, {}}};
    auto items = due_items(file, config, k_today);
    CHECK(items.size() == 4);
    for (const auto& i : items) {
      CAPTURE(i.kind);
      CHECK_FALSE(i.reason.empty());
    }
    sort_due_items(items);
    REQUIRE(items.size() == 4);
    CHECK(items[0].kind == "assessment");  // due 2024-01-15, the most overdue
    CHECK(items[3].kind == "consent");
  }
}
