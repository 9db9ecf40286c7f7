#include "casectl/storage/repository.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <set>
#include <sys/stat.h>

#include "casectl/model/id.hpp"
#include "casectl/model/text.hpp"
#include "storage/codec.hpp"
#include "storage/templates.hpp"
#include "storage/yaml_reader.hpp"
#include "storage/yaml_writer.hpp"

namespace casectl::storage {
namespace {

namespace fs = std::filesystem;

constexpr const char* k_config_file = "casectl.yaml";
constexpr const char* k_record_dirs[] = {"contacts", "assessments", "reviews", "referrals"};

/// Reads and parses one file; every problem goes to `diagnostics`.
std::optional<Value> read_value(const fs::path& full, const std::string& display, std::vector<Diagnostic>& diagnostics) {
  std::string text;
  try {
    text = read_regular_file(full, display);
  } catch (const Error& e) {
    diagnostics.insert(diagnostics.end(), e.diagnostics().begin(), e.diagnostics().end());
    return std::nullopt;
  }
  return parse_yaml(text, display, diagnostics);
}

bool has_error(const std::vector<Diagnostic>& diagnostics) {
  return std::any_of(diagnostics.begin(), diagnostics.end(), [](const Diagnostic& d) { return !d.warning; });
}

/// Loads a file through `decode`, or throws a `kind` error carrying every problem found.
template <typename Decode>
auto load_or_throw(const fs::path& full, const std::string& display, const Config* config, Decode decode,
                   ErrorKind kind = ErrorKind::data) {
  std::vector<Diagnostic> diagnostics;
  const std::string text = read_regular_file(full, display);  // its errors keep their own kind (77, 66, …)
  auto value = parse_yaml(text, display, diagnostics);
  decltype(decode(*value, std::declval<DecodeContext&>())) result;
  if (value) {
    DecodeContext context{display, diagnostics, config};
    result = decode(*value, context);
  }
  if (!result || has_error(diagnostics)) {
    std::vector<Diagnostic> errors;
    std::copy_if(diagnostics.begin(), diagnostics.end(), std::back_inserter(errors),
                 [](const Diagnostic& d) { return !d.warning; });
    throw Error(kind, fmt::format("{} is not valid", display), errors);
  }
  return *result;
}

/// Emits `value` and proves that the text reads back to the same value and to the same bytes, falling back to
/// escaped strings where a literal block would not survive. Throws rather than write what would not.
template <typename T, typename Encode, typename Decode>
std::string render_verified(const T& value, Encode encode, Decode decode, const std::string& display) {
  for (bool literal : {true, false}) {
    const std::string text = emit_yaml(encode(value), literal);
    std::vector<Diagnostic> diagnostics;
    auto parsed = parse_yaml(text, display, diagnostics);
    if (!parsed) {
      continue;
    }
    DecodeContext context{display, diagnostics, nullptr};
    auto back = decode(*parsed, context);
    if (back && *back == value && emit_yaml(encode(*back), literal) == text) {
      return text;
    }
  }
  throw Error(ErrorKind::data,
              fmt::format("{}: the data would not read back the same once written (a character YAML cannot "
                          "hold?); nothing written",
                          display));
}

std::vector<std::string> yaml_files_in(const fs::path& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() > 5 && name.substr(name.size() - 5) == ".yaml" && name[0] != '.') {
      names.push_back(name);
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

/// The record ID a dated file name ends with: `2026-03-05-k3x9.yaml` → `k3x9`.
std::string id_from_file_name(const std::string& name) {
  if (name.size() < 4 + 5 + 1) {
    return {};
  }
  return name.substr(name.size() - 5 - 4, 4);
}

std::string yaml_string(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
    }
    out += c;
  }
  return out + "\"";
}

}  // namespace

fs::path find_repository(const RepositoryLocation& where) {
  auto check = [](const fs::path& dir, const char* how) {
    std::error_code ec;
    if (!fs::exists(dir / k_config_file, ec)) {
      throw Error(ErrorKind::not_found,
                  fmt::format("{} ({}) is not a case repository: it has no casectl.yaml", dir.string(), how));
    }
    return fs::absolute(dir);
  };
  if (where.option) {
    return check(*where.option, "from -C/--repo");
  }
  if (where.environment) {
    return check(*where.environment, "from CASECTL_REPO");
  }
  std::error_code ec;
  for (fs::path dir = fs::absolute(where.working_directory);; dir = dir.parent_path()) {
    if (fs::exists(dir / k_config_file, ec)) {
      return dir;
    }
    if (dir == dir.root_path() || dir.empty()) {
      break;
    }
  }
  throw Error(ErrorKind::not_found,
              "not in a case repository (no casectl.yaml here or in any parent directory); use -C DIR, set "
              "CASECTL_REPO, or create one with 'casectl init'");
}

Repository::Repository(fs::path root) : m_root(std::move(root)) {
  try {
    m_config = load_or_throw(m_root / k_config_file, k_config_file, nullptr, decode_config, ErrorKind::config);
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::data) {  // not a regular file, too large, …: still the configuration's fault
      throw Error(ErrorKind::config, e.what(), e.diagnostics());
    }
    throw;
  }
}

Repository Repository::without_config(fs::path root) { return Repository(std::move(root), Config{}, false); }

WriteLock Repository::lock(std::chrono::milliseconds timeout) const { return WriteLock(m_root, timeout); }

fs::path Repository::case_dir(const std::string& id) const { return m_root / "cases" / id; }

std::string Repository::display(const std::string& id, const std::string& file) {
  return fmt::format("cases/{}/{}", id, file);
}

std::vector<std::string> Repository::case_ids() const {
  std::vector<std::string> ids;
  std::error_code ec;
  for (fs::directory_iterator it(m_root / "cases", ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (is_case_id(name) && it->is_directory(ec) && !it->is_symlink(ec)) {
      ids.push_back(name);
    }
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

std::vector<Diagnostic> Repository::case_folder_problems() const {
  std::vector<Diagnostic> problems;
  std::error_code ec;
  for (fs::directory_iterator it(m_root / "cases", ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    std::error_code e2;
    if (is_case_id(name) && (it->is_symlink(e2) || !it->is_directory(e2))) {
      problems.push_back(Diagnostic{"cases/" + name, 0, 0, "is not a real directory (a symbolic link?); casectl "
                                                             "does not follow it"});
    }
  }
  return problems;
}

bool Repository::has_case(const std::string& id) const {
  std::error_code ec;
  return is_case_id(id) && fs::is_directory(case_dir(id), ec) && !fs::is_symlink(case_dir(id), ec);
}

Case Repository::load_case(const std::string& id) const {
  Case c = load_or_throw(case_dir(id) / "case.yaml", display(id, "case.yaml"), names_config(), decode_case);
  if (c.id != id) {
    throw Error(ErrorKind::data, fmt::format("{}: 'id' does not match the folder name", display(id, "case.yaml")),
                {Diagnostic{display(id, "case.yaml"), 0, 0, "'id' does not match the folder name"}});
  }
  return c;
}

std::optional<Plan> Repository::load_plan(const std::string& id) const {
  std::error_code ec;
  if (!fs::exists(fs::symlink_status(case_dir(id) / "plan.yaml", ec))) {
    return std::nullopt;
  }
  return load_or_throw(case_dir(id) / "plan.yaml", display(id, "plan.yaml"), names_config(), decode_plan);
}

CaseFile Repository::load_case_file(const std::string& id) const {
  CaseFile file{load_case(id), load_plan(id), {}, {}, {}, {}, {}};
  const fs::path dir = case_dir(id);
  for (const auto& name : yaml_files_in(dir / "contacts")) {
    file.contacts.push_back(
        load_or_throw(dir / "contacts" / name, display(id, "contacts/" + name), names_config(), decode_contact));
  }
  for (const auto& name : yaml_files_in(dir / "assessments")) {
    file.assessments.push_back(load_or_throw(dir / "assessments" / name, display(id, "assessments/" + name),
                                             names_config(), decode_assessment));
  }
  for (const auto& name : yaml_files_in(dir / "reviews")) {
    file.reviews.push_back(
        load_or_throw(dir / "reviews" / name, display(id, "reviews/" + name), names_config(), decode_review));
  }
  for (const auto& name : yaml_files_in(dir / "referrals")) {
    const std::string shown = display(id, "referrals/" + name);
    std::vector<Diagnostic> diagnostics;
    auto value = read_value(dir / "referrals" / name, shown, diagnostics);
    if (value && record_kind(*value) == "referral-update") {
      file.referral_updates.push_back(load_or_throw(dir / "referrals" / name, shown, names_config(), decode_referral_update));
    } else {
      file.referrals.push_back(load_or_throw(dir / "referrals" / name, shown, names_config(), decode_referral));
    }
  }
  std::stable_sort(file.contacts.begin(), file.contacts.end(), [](const Contact& a, const Contact& b) {
    return std::pair(a.at.date, a.at.minutes) < std::pair(b.at.date, b.at.minutes);
  });
  auto by_date = [](const auto& a, const auto& b) { return a.date < b.date; };
  std::stable_sort(file.assessments.begin(), file.assessments.end(), by_date);
  std::stable_sort(file.reviews.begin(), file.reviews.end(), by_date);
  std::stable_sort(file.referrals.begin(), file.referrals.end(), by_date);
  std::stable_sort(file.referral_updates.begin(), file.referral_updates.end(), [](const auto& a, const auto& b) {
    return std::tie(a.date, a.sequence) < std::tie(b.date, b.sequence);
  });
  return file;
}

std::vector<std::string> Repository::instrument_ids() const {
  std::vector<std::string> ids;
  for (const auto& name : yaml_files_in(m_root / "instruments")) {
    ids.push_back(name.substr(0, name.size() - 5));
  }
  return ids;
}

Instrument Repository::load_instrument(const std::string& id) const {
  if (!is_config_key(id)) {
    throw Error(ErrorKind::usage, "an instrument name is a short key such as phq9");
  }
  const std::string shown = "instruments/" + id + ".yaml";
  std::error_code ec;
  if (!fs::exists(fs::symlink_status(m_root / shown, ec))) {
    throw Error(ErrorKind::not_found, fmt::format("no instrument '{}' (instruments/ has: {})", id,
                                                  join(instrument_ids(), ", ")));
  }
  return load_or_throw(m_root / shown, shown, nullptr, decode_instrument);
}

void Repository::create_case(const Case& c) const {
  const std::string shown = display(c.id, "case.yaml");
  const std::string text = render_verified(c, encode_case, decode_case, shown);
  create_private_directory(m_root / "cases", "cases");
  const fs::path dir = case_dir(c.id);
  if (::mkdir(dir.c_str(), 0700) != 0) {
    throw Error(errno == EEXIST ? ErrorKind::internal : ErrorKind::cannot_write,
                fmt::format("cases/{}: cannot create the case folder", c.id));
  }
  create_file_atomically(dir / "case.yaml", text, shown);
}

namespace {
/// Refuses to replace a file whose comments a rewrite would lose.
void refuse_if_commented(const std::string& current, const std::string& shown) {
  if (const int line = first_comment_line(current)) {
    throw Error(ErrorKind::data,
                fmt::format("{}:{}: the file has comments, which rewriting it would lose; nothing written", shown,
                            line),
                {Diagnostic{shown, line, 1,
                            "the file has comments, which rewriting it would lose; move them into a field (e.g. a "
                            "flag's note) or remove them with 'casectl edit', then try again; nothing written"}});
  }
}
}  // namespace

void Repository::ensure_case_rewritable(const std::string& id) const {
  const std::string shown = display(id, "case.yaml");
  refuse_if_commented(read_regular_file(case_dir(id) / "case.yaml", shown), shown);
}

void Repository::save_case(const Case& c) const {
  const std::string shown = display(c.id, "case.yaml");
  const std::string text = render_verified(c, encode_case, decode_case, shown);
  const fs::path path = case_dir(c.id) / "case.yaml";
  const std::string current = read_regular_file(path, shown);
  if (current == text) {
    return;
  }
  refuse_if_commented(current, shown);
  remove_stale_temporaries(case_dir(c.id));
  write_file_atomically(path, text, shown);
}

void Repository::save_plan(const Plan& plan) const {
  const std::string shown = display(plan.case_id, "plan.yaml");
  const std::string text = render_verified(plan, encode_plan, decode_plan, shown);
  const fs::path path = case_dir(plan.case_id) / "plan.yaml";
  std::error_code ec;
  if (fs::exists(fs::symlink_status(path, ec))) {
    const std::string current = read_regular_file(path, shown);
    if (current == text) {
      return;
    }
    refuse_if_commented(current, shown);
  }
  write_file_atomically(path, text, shown);
}

std::string Repository::new_record_id(const std::string& case_id) const {
  std::set<std::string> taken;
  for (const char* sub : k_record_dirs) {
    for (const auto& name : yaml_files_in(case_dir(case_id) / sub)) {
      taken.insert(id_from_file_name(name));
      if (name.size() > 20) {
        taken.insert(name.substr(11, 4));  // a referral update's name also holds its referral's ID
      }
    }
  }
  for (int attempt = 0; attempt < 1000; ++attempt) {
    std::string id = make_record_id(random_bytes(k_record_id_length));
    if (taken.count(id) == 0) {
      return id;
    }
  }
  throw Error(ErrorKind::internal, "could not find a free record ID");
}

namespace {
template <typename T, typename Encode, typename Decode>
void add_record(const Repository& repo, T& record, const std::string& sub, const std::string& name, Encode encode,
                Decode decode) {
  const std::string shown = Repository::display(record.case_id, sub + "/" + name);
  const std::string text = render_verified(record, encode, decode, shown);
  const fs::path dir = repo.case_dir(record.case_id) / sub;
  create_private_directory(dir, Repository::display(record.case_id, sub));
  remove_stale_temporaries(dir);
  create_file_atomically(dir / name, text, shown);
}
}  // namespace

void Repository::add_contact(Contact& contact) const {
  contact.id = new_record_id(contact.case_id);
  add_record(*this, contact, "contacts", fmt::format("{}-{}.yaml", contact.at.date.iso(), contact.id),
             encode_contact, decode_contact);
}

void Repository::add_assessment(Assessment& assessment) const {
  assessment.id = new_record_id(assessment.case_id);
  add_record(*this, assessment, "assessments",
             fmt::format("{}-{}-{}.yaml", assessment.date.iso(), assessment.instrument, assessment.id),
             encode_assessment, decode_assessment);
}

void Repository::add_review(Review& review) const {
  review.id = new_record_id(review.case_id);
  add_record(*this, review, "reviews", fmt::format("{}-{}.yaml", review.date.iso(), review.id), encode_review,
             decode_review);
}

void Repository::add_referral(Referral& referral) const {
  referral.id = new_record_id(referral.case_id);
  add_record(*this, referral, "referrals", fmt::format("{}-{}.yaml", referral.date.iso(), referral.id),
             encode_referral, decode_referral);
}

void Repository::add_referral_update(ReferralUpdate& update) const {
  update.id = new_record_id(update.case_id);
  add_record(*this, update, "referrals",
             fmt::format("{}-{}-{}.yaml", update.date.iso(), update.referral, update.id), encode_referral_update,
             decode_referral_update);
}

std::vector<Diagnostic> Repository::validate_text(const std::string& relative_path, const std::string& text) const {
  std::vector<Diagnostic> diagnostics;
  if (text.size() > k_max_file_size) {
    diagnostics.push_back(Diagnostic{relative_path, 0, 0, "larger than the 1024 KiB limit"});
    return diagnostics;
  }
  auto value = parse_yaml(text, relative_path, diagnostics);
  if (!value) {
    return diagnostics;
  }
  DecodeContext context{relative_path, diagnostics, names_config()};
  const bool is_plan = relative_path.size() >= 9 && relative_path.substr(relative_path.size() - 9) == "plan.yaml";
  const std::string folder_id = relative_path.substr(6, k_case_id_length);
  if (is_plan) {
    auto plan = decode_plan(*value, context);
    if (plan && plan->case_id != folder_id) {
      diagnostics.push_back(Diagnostic{relative_path, value->line, 1, "'case' must be the ID of this case"});
    }
  } else {
    auto c = decode_case(*value, context);
    if (c && c->id != folder_id) {
      diagnostics.push_back(Diagnostic{relative_path, value->line, 1, "'id' must stay the ID of this case"});
    }
  }
  return diagnostics;
}

void Repository::replace_text(const std::string& relative_path, const std::string& text) const {
  write_file_atomically(m_root / relative_path, text, relative_path);
}

void initialize_repository(const fs::path& dir, const std::string& agency) {
  std::error_code ec;
  if (fs::exists(dir / k_config_file, ec)) {
    throw Error(ErrorKind::cannot_write,
                fmt::format("{} is already a case repository (it has casectl.yaml); nothing written", dir.string()));
  }
  if (!fs::exists(dir, ec)) {
    fs::create_directories(dir.parent_path().empty() ? fs::path(".") : dir.parent_path(), ec);
  }
  create_private_directory(dir, dir.string());
  create_private_directory(dir / "cases", "cases");
  create_private_directory(dir / "instruments", "instruments");
  for (const auto& file : embedded_files()) {
    std::string content = file.content;
    if (file.name == k_config_file) {
      const std::string placeholder = "\"@AGENCY@\"";
      content.replace(content.find(placeholder), placeholder.size(), yaml_string(agency));
    }
    create_file_atomically(dir / file.name, content, file.name);
  }
  create_file_atomically(dir / ".gitignore",
                         "# Written by casectl init: the lock, the cache and interrupted writes stay out of git.\n"
                         ".casectl.lock\n.cache/\n.*.tmp-*\n",
                         ".gitignore");
  create_file_atomically(dir / ".gitattributes",
                         "# Written by casectl init: case files are text with LF line endings on every platform.\n"
                         "*.yaml text eol=lf\n",
                         ".gitattributes");
}

}  // namespace casectl::storage
