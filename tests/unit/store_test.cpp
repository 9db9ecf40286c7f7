#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#include <vector>

#include "casectl/model/error.hpp"
#include "casectl/model/id.hpp"
#include "casectl/services/cases.hpp"
#include "casectl/storage/file_io.hpp"
#include "casectl/storage/store.hpp"

using namespace casectl;
namespace fs = std::filesystem;
using std::chrono::milliseconds;

namespace {

/// A private temporary directory, removed with everything in it at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "casectl-unit-XXXXXX").string();
    const char* made = ::mkdtemp(pattern.data());
    REQUIRE(made != nullptr);
    m_path = made;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(m_path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return m_path; }

 private:
  fs::path m_path;
};

/// Sets the process umask for the duration of a test.
class Umask {
 public:
  explicit Umask(mode_t mask) : m_old(::umask(mask)) {}
  ~Umask() { ::umask(m_old); }
  Umask(const Umask&) = delete;
  Umask& operator=(const Umask&) = delete;

 private:
  mode_t m_old;
};

mode_t mode_of(const fs::path& path) {
  struct stat st {};
  REQUIRE(::lstat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

std::string read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void write_all(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  REQUIRE(out.good());
}

std::vector<std::string> names_in(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string replace_first(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE_MESSAGE(at != std::string::npos, from);
  text.replace(at, from.size(), to);
  return text;
}

Date day(int y, int m, int d) { return Date::from_ymd(y, m, d); }

Case make_case(const std::string& id, const std::string& name) {
  Case c;
  c.id = id;
  c.client.name = name;
  c.client.dob = day(1980, 5, 17);
  c.program = "housing";
  c.worker = "alice";
  c.risk = "low";
  c.opened = day(2024, 1, 10);
  c.history.push_back(CaseEvent{c.opened, "opened", {}, {}, {}, {}, {}});
  return c;
}

/// A fresh repository made by `initialize_repository` in a temporary directory.
struct RepoFixture {
  TempDir temp;
  fs::path root = temp.path() / "repo";
  RepoFixture() { storage::initialize_repository(root, "Unit Test Agency"); }
  storage::Store open() const { return storage::Store(storage::open_posix_disk(root)); }
  std::shared_ptr<const storage::Store> shared() const {
    return std::make_shared<const storage::Store>(storage::open_posix_disk(root));
  }
};

/// Each of these writes in a transaction of its own.
void create_case(const storage::Store& store, const Case& c) {
  auto tx = store.begin();
  tx.create_case(c);
  tx.commit();
}
void save_case(const storage::Store& store, const Case& c) {
  auto tx = store.begin();
  tx.save_case(c);
  tx.commit();
}
template <typename Record, typename Add>
void add(const storage::Store& store, Record& record, Add add_record) {
  auto tx = store.begin();
  (tx.*add_record)(record);
  tx.commit();
}
fs::path case_dir(const fs::path& root, const std::string& id) { return root / "cases" / id; }
std::vector<std::string> case_ids(const storage::Store& store) {
  Problems problems;
  auto ids = store.case_ids(problems);
  CHECK(problems.empty());
  return ids;
}

template <typename F>
ErrorKind kind_thrown(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.kind();
  }
  FAIL("no casectl::Error was thrown");
  return ErrorKind::internal;
}

}  // namespace

TEST_SUITE("store") {
  TEST_CASE("initialize_repository writes a repository that opens") {
    RepoFixture f;
    CHECK(fs::is_regular_file(f.root / "casectl.yaml"));
    CHECK(fs::is_directory(f.root / "cases"));
    CHECK(fs::is_regular_file(f.root / ".gitignore"));
    const storage::Store repo = f.open();
    CHECK(repo.config().agency == "Unit Test Agency");
    CHECK(case_ids(repo).empty());
    CHECK_FALSE(repo.instrument_ids().empty());
    CHECK(repo.check().empty());
  }

  TEST_CASE("initialize_repository refuses a directory that already is a repository") {
    RepoFixture f;
    const std::string before = read_all(f.root / "casectl.yaml");
    CHECK(kind_thrown([&] { storage::initialize_repository(f.root, "Other"); }) == ErrorKind::cannot_write);
    CHECK(read_all(f.root / "casectl.yaml") == before);
  }

  TEST_CASE("create_case, load_case and save_case round-trip a face sheet") {
    RepoFixture f;
    const storage::Store repo = f.open();
    Case c = make_case("c-abcdefgh", "Ana L\xC3\xB3pez");
    c.client.address = "12 Main St\nSpringfield";
    c.tags = {"priority"};
    c.extra.emplace_back("funder_code", Value::string("F-9"));
    create_case(repo, c);
    CHECK(repo.has_case("c-abcdefgh"));
    CHECK(case_ids(repo) == std::vector<std::string>{"c-abcdefgh"});
    CHECK(repo.load_case("c-abcdefgh") == c);

    c.worker = "bob";
    c.risk = "high";
    c.consents.push_back(Consent{"Shelter", "housing", day(2024, 1, 10), day(2025, 1, 10), {}, {}});
    save_case(repo, c);
    CHECK(repo.load_case("c-abcdefgh") == c);
    const std::string bytes = read_all(case_dir(f.root, "c-abcdefgh") / "case.yaml");
    save_case(repo, c);  // nothing changed: the same bytes
    CHECK(read_all(case_dir(f.root, "c-abcdefgh") / "case.yaml") == bytes);
  }

  TEST_CASE("create_case refuses an ID that exists") {
    RepoFixture f;
    const storage::Store repo = f.open();
    create_case(repo, make_case("c-abcdefgh", "Ana"));
    const std::string before = read_all(case_dir(f.root, "c-abcdefgh") / "case.yaml");
    CHECK_THROWS_AS(create_case(repo, make_case("c-abcdefgh", "Someone Else")), Error);
    CHECK(read_all(case_dir(f.root, "c-abcdefgh") / "case.yaml") == before);
  }

  TEST_CASE("load_case of a missing case is not_found") {
    RepoFixture f;
    const storage::Store repo = f.open();
    CHECK(kind_thrown([&] { (void)repo.load_case("c-abcdefgh"); }) == ErrorKind::not_found);
  }

  TEST_CASE("records get fresh IDs and private files named by date and ID") {
    const Umask umask(0);  // the modes must not depend on the caller's umask
    RepoFixture f;
    const storage::Store repo = f.open();
    create_case(repo, make_case("c-abcdefgh", "Ana"));
    const fs::path dir = case_dir(f.root, "c-abcdefgh");

    Contact contact;
    contact.case_id = "c-abcdefgh";
    contact.at = DateTime{day(2024, 3, 5), 9 * 60 + 30, 60};
    contact.type = "phone";
    contact.note = "Called.\nAll well.\n";
    add(repo, contact, &storage::Transaction::add_contact);
    CHECK(is_record_id(contact.id));
    const fs::path contact_file = dir / "contacts" / ("2024-03-05-" + contact.id + ".yaml");
    CHECK(fs::is_regular_file(contact_file));

    Review review;
    review.case_id = "c-abcdefgh";
    review.date = day(2024, 4, 1);
    add(repo, review, &storage::Transaction::add_review);
    CHECK(is_record_id(review.id));
    const fs::path review_file = dir / "reviews" / ("2024-04-01-" + review.id + ".yaml");
    CHECK(fs::is_regular_file(review_file));

    Referral referral;
    referral.case_id = "c-abcdefgh";
    referral.date = day(2024, 3, 1);
    referral.to = "Food bank";
    referral.follow_up = day(2024, 3, 15);
    add(repo, referral, &storage::Transaction::add_referral);
    const fs::path referral_file = dir / "referrals" / ("2024-03-01-" + referral.id + ".yaml");
    CHECK(fs::is_regular_file(referral_file));

    ReferralUpdate update;
    update.case_id = "c-abcdefgh";
    update.referral = referral.id;
    update.date = day(2024, 3, 10);
    update.status = ReferralStatus::accepted;
    add(repo, update, &storage::Transaction::add_referral_update);
    const fs::path update_file =
        dir / "referrals" / ("2024-03-10-" + referral.id + "-" + update.id + ".yaml");
    CHECK(fs::is_regular_file(update_file));

    Assessment assessment;
    assessment.case_id = "c-abcdefgh";
    assessment.date = day(2024, 3, 5);
    assessment.instrument = "gad7";
    assessment.scores = {{"q1", Score{2}}, {"q2", Score{}}};
    add(repo, assessment, &storage::Transaction::add_assessment);
    const auto assessment_names = names_in(dir / "assessments");
    REQUIRE(assessment_names.size() == 1);
    CHECK(assessment_names[0].rfind("2024-03-05-", 0) == 0);
    CHECK(assessment_names[0].find(assessment.id + ".yaml") != std::string::npos);

    const std::set<std::string> ids = {contact.id, review.id, referral.id, update.id, assessment.id};
    CHECK(ids.size() == 5);

    for (const fs::path& file : {contact_file, review_file, referral_file, update_file,
                                 dir / "assessments" / assessment_names[0], dir / "case.yaml"}) {
      CAPTURE(file);
      CHECK(mode_of(file) == 0600);
    }
    for (const fs::path& sub : {f.root, f.root / "cases", dir, dir / "contacts", dir / "reviews", dir / "referrals",
                                dir / "assessments"}) {
      CAPTURE(sub);
      CHECK(mode_of(sub) == 0700);
    }
    // No temporary file is left behind.
    for (const char* sub : {"contacts", "reviews", "referrals", "assessments"}) {
      for (const auto& name : names_in(dir / sub)) {
        CHECK_FALSE((name[0] == '.'));
      }
    }

    const CaseFile file = repo.load_case_file("c-abcdefgh");
    REQUIRE(file.contacts.size() == 1);
    CHECK(file.contacts[0] == contact);
    REQUIRE(file.reviews.size() == 1);
    CHECK(file.reviews[0] == review);
    REQUIRE(file.referrals.size() == 1);
    CHECK(file.referrals[0] == referral);
    REQUIRE(file.referral_updates.size() == 1);
    CHECK(file.referral_updates[0] == update);
    REQUIRE(file.assessments.size() == 1);
    CHECK(file.assessments[0] == assessment);
    CHECK(file.referral_status(referral.id) == ReferralStatus::accepted);
    CHECK(repo.check().empty());
  }

  TEST_CASE("save_case refuses a face sheet with a comment and leaves it byte-identical") {
    RepoFixture f;
    const storage::Store repo = f.open();
    Case c = make_case("c-abcdefgh", "Ana");
    create_case(repo, c);
    const fs::path path = case_dir(f.root, "c-abcdefgh") / "case.yaml";
    const std::string commented = "# Do not call before noon.\n" + read_all(path);
    write_all(path, commented);
    REQUIRE(repo.load_case("c-abcdefgh") == c);  // comments are fine to read

    c.worker = "bob";
    try {
      save_case(repo, c);
      FAIL("save_case wrote over a comment");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::data);
      REQUIRE(e.diagnostics().size() == 1);
      CHECK(e.diagnostics()[0].line == 1);
      CHECK(e.diagnostics()[0].message.find("comment") != std::string::npos);
    }
    CHECK(read_all(path) == commented);
  }

  TEST_CASE("save_case also sees a comment after a block scalar that opens a list entry") {
    // Hand-edited: the multi-line note comes first in the flag's entry, and a comment follows it.
    RepoFixture f;
    const storage::Store repo = f.open();
    Case c = make_case("c-abcdefgh", "Ana");
    c.flags.push_back(Flag{"", "fall-risk", {}, false, "Uses a cane.\nNeeds a ground floor.", {}, "", {}});
    create_case(repo, c);
    const fs::path path = case_dir(f.root, "c-abcdefgh") / "case.yaml";
    const std::string canonical =
        "flags:\n  - flag: fall-risk\n    note: |-\n      Uses a cane.\n      Needs a ground floor.\n";
    const std::string hand_edited =
        "flags:\n  - note: |-\n      Uses a cane.\n      Needs a ground floor.\n"
        "    flag: \"fall-risk\"  # keeper: see the paper file\n";
    const std::string text = replace_first(read_all(path), canonical, hand_edited);
    write_all(path, text);
    REQUIRE(repo.load_case("c-abcdefgh") == c);

    c.worker = "bob";
    CHECK_THROWS_AS(save_case(repo, c), Error);
    CHECK(read_all(path) == text);
  }

  TEST_CASE("create_file_atomically never overwrites") {
    TempDir temp;
    const fs::path path = temp.path() / "record.yaml";
    storage::create_file_atomically(path, "first\n", "record.yaml");
    CHECK(read_all(path) == "first\n");
    CHECK(mode_of(path) == 0600);
    CHECK(kind_thrown([&] { storage::create_file_atomically(path, "second\n", "record.yaml"); }) ==
          ErrorKind::cannot_write);
    CHECK(read_all(path) == "first\n");
    CHECK(names_in(temp.path()) == std::vector<std::string>{"record.yaml"});
  }

  TEST_CASE("write_file_atomically replaces a file with a private one") {
    TempDir temp;
    const fs::path path = temp.path() / "case.yaml";
    write_all(path, "old\n");
    ::chmod(path.c_str(), 0644);
    storage::write_file_atomically(path, "new\n", "case.yaml");
    CHECK(read_all(path) == "new\n");
    CHECK(mode_of(path) == 0600);
    CHECK(names_in(temp.path()) == std::vector<std::string>{"case.yaml"});
  }

  TEST_CASE("a second writer in the same process times out as busy") {
    RepoFixture f;
    const storage::Store repo = f.open();
    const storage::Store other(storage::open_posix_disk(f.root), milliseconds(100));
    {
      const storage::Transaction first = repo.begin();
      const auto start = std::chrono::steady_clock::now();
      CHECK(kind_thrown([&] { (void)other.begin(); }) == ErrorKind::busy);
      const auto waited = std::chrono::steady_clock::now() - start;
      CHECK(waited >= milliseconds(100));
      CHECK(waited < milliseconds(5000));
    }
    // Released with the first transaction: the next writer gets it at once.
    const storage::Transaction again = other.begin();
    CHECK(mode_of(f.root / ".casectl.lock") == 0600);
  }


  TEST_CASE("read_regular_file refuses a symlink, a directory, a FIFO and a file over the cap") {
    TempDir temp;
    const fs::path file = temp.path() / "ok.yaml";
    write_all(file, "0123456789");
    CHECK(storage::read_regular_file(file, "ok.yaml") == "0123456789");
    CHECK(storage::read_regular_file(file, "ok.yaml", 10) == "0123456789");
    CHECK(kind_thrown([&] { (void)storage::read_regular_file(file, "ok.yaml", 9); }) == ErrorKind::data);
    // A file longer than its size says (as /proc's are: size 0) is read whole, and still held to the cap.
    const std::string status = storage::read_regular_file("/proc/self/status", "status");
    CHECK(status.find("\nPid:") != std::string::npos);
    CHECK(status.back() == '\n');
    CHECK(kind_thrown([&] { (void)storage::read_regular_file("/proc/self/status", "status", 100); }) == ErrorKind::data);

    const fs::path link = temp.path() / "link.yaml";
    fs::create_symlink(file, link);
    try {
      (void)storage::read_regular_file(link, "link.yaml");
      FAIL("read a symlink");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::data);
      CHECK(std::string(e.what()).find("link.yaml") != std::string::npos);
      CHECK(std::string(e.what()).find("symbolic link") != std::string::npos);
    }

    const fs::path dir = temp.path() / "dir.yaml";
    fs::create_directory(dir);
    CHECK(kind_thrown([&] { (void)storage::read_regular_file(dir, "dir.yaml"); }) == ErrorKind::data);

    const fs::path fifo = temp.path() / "fifo.yaml";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    CHECK(kind_thrown([&] { (void)storage::read_regular_file(fifo, "fifo.yaml"); }) == ErrorKind::data);

    const fs::path big = temp.path() / "big.yaml";
    write_all(big, std::string(storage::k_max_file_size + 1, 'x'));
    CHECK(kind_thrown([&] { (void)storage::read_regular_file(big, "big.yaml"); }) == ErrorKind::data);

    CHECK(kind_thrown([&] { (void)storage::read_regular_file(temp.path() / "none.yaml", "none.yaml"); }) ==
          ErrorKind::not_found);
  }

  TEST_CASE("check reports several broken files at once") {
    RepoFixture f;
    const storage::Store repo = f.open();
    create_case(repo, make_case("c-aaaaaaaa", "Ana"));
    create_case(repo, make_case("c-bbbbbbbb", "Bo"));
    create_case(repo, make_case("c-cccccccc", "Cy"));
    Contact contact;
    contact.case_id = "c-bbbbbbbb";
    contact.at = DateTime{day(2024, 3, 5), 600, 0};
    contact.type = "phone";
    add(repo, contact, &storage::Transaction::add_contact);

    // 1: conflict markers in a face sheet.
    const fs::path face = case_dir(f.root, "c-aaaaaaaa") / "case.yaml";
    std::string text = read_all(face);
    text = replace_first(text, "worker: alice\n", "<<<<<<< ours\nworker: \"alice\"\n=======\nworker: \"bob\"\n>>>>>>> theirs\n");
    write_all(face, text);
    // 2: an impossible date in a contact note.
    const fs::path note = case_dir(f.root, "c-bbbbbbbb") / "contacts" / ("2024-03-05-" + contact.id + ".yaml");
    write_all(note, replace_first(read_all(note), "2024-03-05T10:00+00:00", "2024-02-30T10:00+00:00"));
    // 3: a plan with a bad goal status.
    write_all(case_dir(f.root, "c-bbbbbbbb") / "plan.yaml",
              "schema: 1\ncase: \"c-bbbbbbbb\"\ngoals:\n  - id: \"g1\"\n    goal: \"x\"\n    status: \"done\"\n");
    // 4: a symlink where a record should be.
    fs::create_symlink(note, case_dir(f.root, "c-bbbbbbbb") / "contacts" / "2024-03-06-zzzz.yaml");

    const std::vector<Diagnostic> problems = repo.check();
    std::string all;
    std::set<std::string> paths;
    for (const auto& d : problems) {
      all += d.to_string() + "\n";
      if (!d.warning) {
        paths.insert(d.path);
      }
    }
    CAPTURE(all);
    CHECK(paths.count("cases/c-aaaaaaaa/case.yaml") == 1);
    CHECK(paths.count("cases/c-bbbbbbbb/contacts/2024-03-05-" + contact.id + ".yaml") == 1);
    CHECK(paths.count("cases/c-bbbbbbbb/plan.yaml") == 1);
    CHECK(paths.count("cases/c-bbbbbbbb/contacts/2024-03-06-zzzz.yaml") == 1);
    CHECK(paths.size() == 4);
    int markers = 0;
    for (const auto& d : problems) {
      if (d.path == "cases/c-aaaaaaaa/case.yaml" && d.message.find("conflict") != std::string::npos) {
        ++markers;
        CHECK(d.line > 0);
      }
    }
    CHECK(markers == 1);  // one conflict: one diagnostic, at its first marker
  }
}

TEST_SUITE("resolve_case") {
  struct Cases : RepoFixture {
    services::Session session{shared(), day(2024, 3, 13), 720, 0, {}, true};
    Cases() {
      create_case(*session.store, make_case("c-abcdefgh", "Maria Lopez"));
      create_case(*session.store, make_case("c-abcdxyz2", "Mario Rossi"));
      create_case(*session.store, make_case("c-zzzz2345", "Ann Lee"));
    }
    std::string resolve(const std::string& reference) const {
      return services::resolve_case(session, reference);
    }
  };

  TEST_CASE("a full ID or a unique prefix, with or without c-, names its case") {
    const Cases f;
    CHECK(f.resolve("c-abcdefgh") == "c-abcdefgh");
    CHECK(f.resolve("c-abcde") == "c-abcdefgh");
    CHECK(f.resolve("abcde") == "c-abcdefgh");
    CHECK(f.resolve("abcdx") == "c-abcdxyz2");
    CHECK(f.resolve("zz") == "c-zzzz2345");
    CHECK(f.resolve("c-z") == "c-zzzz2345");
  }

  TEST_CASE("a unique part of the client's name names its case, whatever the case of the letters") {
    const Cases f;
    CHECK(f.resolve("LOPEZ") == "c-abcdefgh");
    CHECK(f.resolve("lopez") == "c-abcdefgh");
    CHECK(f.resolve("Ann Lee") == "c-zzzz2345");
    CHECK(f.resolve("lee") == "c-zzzz2345");
    CHECK(f.resolve("rossi") == "c-abcdxyz2");
  }

  TEST_CASE("an ambiguous prefix lists every case it matches") {
    const Cases f;
    try {
      (void)f.resolve("abcd");
      FAIL("no ambiguity reported");
    } catch (const AmbiguousCase& e) {
      CHECK(e.ids() == std::vector<std::string>{"c-abcdefgh", "c-abcdxyz2"});
      CHECK(e.names() == std::vector<std::string>{"Maria Lopez", "Mario Rossi"});
    }
  }

  TEST_CASE("an ambiguous part of a name lists every case it matches") {
    const Cases f;
    try {
      (void)f.resolve("Mari");
      FAIL("no ambiguity reported");
    } catch (const AmbiguousCase& e) {
      CHECK(e.ids() == std::vector<std::string>{"c-abcdefgh", "c-abcdxyz2"});
    }
  }

  TEST_CASE("a prefix that matches one case by ID and another by name is ambiguous") {
    const Cases f;
    create_case(*f.session.store, make_case("c-juaa2345", "Ann Other"));
    create_case(*f.session.store, make_case("c-bbbb2222", "Jules Juarez"));
    for (const char* reference : {"ju", "jua"}) {
      CAPTURE(reference);
      try {
        (void)f.resolve(reference);
        FAIL("no ambiguity reported");
      } catch (const AmbiguousCase& e) {
        CHECK(e.kind() == ErrorKind::usage);
        CHECK(e.ids() == std::vector<std::string>{"c-bbbb2222", "c-juaa2345"});
        CHECK(e.names() == std::vector<std::string>{"Jules Juarez", "Ann Other"});
      }
    }
    CHECK(f.resolve("juaa") == "c-juaa2345");      // by ID only: no name has a word beginning with "juaa"
    CHECK(f.resolve("juar") == "c-bbbb2222");      // by name only: no ID begins with "juar"
    CHECK(f.resolve("c-ju") == "c-juaa2345");      // with its "c-", a prefix is an ID only
    CHECK(f.resolve("juaa2345") == "c-juaa2345");  // a whole ID, with or without "c-"
    CHECK(f.resolve("c-juaa2345") == "c-juaa2345");
    CHECK(kind_thrown([&] { (void)f.resolve("c-jul"); }) == ErrorKind::not_found);
  }

  TEST_CASE("a prefix that matches a case both by ID and by name names it") {
    const Cases f;
    create_case(*f.session.store, make_case("c-juaa2345", "Jules Juarez"));
    CHECK(f.resolve("ju") == "c-juaa2345");
  }

  TEST_CASE("a name matches whatever its case, accents, punctuation and word order") {
    const Cases f;
    create_case(*f.session.store, make_case("c-qqqq2345", "José García-Núñez"));
    for (const char* reference : {"jose", "garcia", "Garcia, Jose", "JOSÉ garcía-núñez", "nunez jo", "Núñez"}) {
      CAPTURE(reference);
      CHECK(f.resolve(reference) == "c-qqqq2345");
    }
    CHECK(kind_thrown([&] { (void)f.resolve("arcia"); }) == ErrorKind::not_found);
  }

  TEST_CASE("a reference with no letter or digit is refused, not matched to every case") {
    const Cases f;
    for (const char* reference : {".", ",", "---", "' - '", "\xE2\x80\xA6"}) {
      CAPTURE(reference);
      CHECK(kind_thrown([&] { (void)f.resolve(reference); }) == ErrorKind::usage);
    }
    CHECK(kind_thrown([&] { (void)f.resolve("   "); }) == ErrorKind::usage);
  }

  TEST_CASE("an unknown reference is not_found") {
    const Cases f;
    CHECK(kind_thrown([&] { (void)f.resolve("Zed"); }) == ErrorKind::not_found);
    CHECK(kind_thrown([&] { (void)f.resolve("c-qqqqqqqq"); }) == ErrorKind::not_found);
    CHECK(kind_thrown([&] { (void)f.resolve("qq"); }) == ErrorKind::not_found);
  }

  TEST_CASE("a case opened by intake can be found by its ID and its name") {
    const Cases f;
    services::IntakeRequest request;
    request.name = "Zoe Quinn";
    request.program = "housing";
    request.worker = "alice";
    const services::IntakeResult result = services::intake(f.session, request);
    CHECK(is_case_id(result.id));
    CHECK(f.resolve(result.id) == result.id);
    CHECK(f.resolve("quinn") == result.id);
  }
}

/// The warnings for `c` against `existing`, as intake gives them.
std::vector<std::string> warnings_for(const std::vector<Case>& existing, const Case& c) {
  DuplicateRegister known;
  for (const auto& e : existing) {
    known.add(e, e.id);
  }
  return services::duplicate_warnings(known.find(c));
}

TEST_SUITE("duplicate_warnings") {
  TEST_CASE("the same name in another order or without accents, with the same date of birth, warns") {
    const std::vector<Case> existing = {make_case("c-abcdefgh", "José García")};
    for (const char* name : {"Jose Garcia", "Garcia, Jose", "GARCÍA JOSÉ"}) {
      CAPTURE(name);
      CHECK(warnings_for(existing, make_case("", name)) ==
            std::vector<std::string>{"possible duplicate of c-abcdefgh: same name and date of birth"});
    }
    Case other_dob = make_case("", "Jose Garcia");
    other_dob.client.dob = day(1990, 1, 1);
    CHECK(warnings_for(existing, other_dob) ==
          std::vector<std::string>{"possible duplicate of c-abcdefgh: same name"});
  }

  TEST_CASE("a similar name, or part of the name with the same date of birth, warns") {
    const std::vector<Case> existing = {make_case("c-abcdefgh", "José García-Núñez")};
    CHECK(warnings_for(existing, make_case("", "Jose Garcia")) ==
          std::vector<std::string>{"possible duplicate of c-abcdefgh: same date of birth and part of the same name"});
    CHECK(warnings_for(existing, make_case("", "Josh Garcia-Nunez")) ==
          std::vector<std::string>{
              "possible duplicate of c-abcdefgh: a very similar name and the same date of birth"});
    Case other_dob = make_case("", "Jose Garcia");
    other_dob.client.dob = day(1990, 1, 1);
    CHECK(warnings_for(existing, other_dob).empty());
  }

  TEST_CASE("the same phone number, compared by its digits, warns") {
    Case maria = make_case("c-abcdefgh", "Maria Lopez");
    maria.client.phone = "+1 (555) 123-4567";
    Case pat = make_case("", "Pat Kim");
    pat.client.dob = std::nullopt;
    for (const char* phone : {"555.123.4567", "15551234567", "+1 555 123 4567", "123-4567"}) {
      CAPTURE(phone);
      pat.client.phone = phone;
      CHECK(warnings_for({maria}, pat) ==
            std::vector<std::string>{"possible duplicate of c-abcdefgh: same phone number"});
    }
    for (const char* phone : {"555-123-4568", "4567", "", "ext. 4567"}) {
      CAPTURE(phone);
      pat.client.phone = phone;
      CHECK(warnings_for({maria}, pat).empty());
    }
    Case again = make_case("", "Maria López");
    again.client.phone = "555 123 4567";
    CHECK(warnings_for({maria}, again) ==
          std::vector<std::string>{"possible duplicate of c-abcdefgh: same name and date of birth; same phone number"});
  }

  TEST_CASE("different clients, and names with no letter, do not warn") {
    const std::vector<Case> existing = {make_case("c-abcdefgh", "José García"), make_case("c-abcdxyz2", "---")};
    CHECK(warnings_for(existing, make_case("", "Maria Lopez")).empty());
    CHECK(warnings_for(existing, make_case("", ".")).empty());
  }
}
