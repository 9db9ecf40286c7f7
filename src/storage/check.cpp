// `casectl check`: every problem in every file, not just the first.
#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <set>
#include <sys/stat.h>

#include "casectl/model/id.hpp"
#include "casectl/storage/repository.hpp"
#include "storage/codec.hpp"
#include "storage/yaml_reader.hpp"

namespace casectl::storage {
namespace {

namespace fs = std::filesystem;

std::optional<Value> read_into(const fs::path& full, const std::string& shown, std::vector<Diagnostic>& out) {
  try {
    const std::string text = read_regular_file(full, shown);
    return parse_yaml(text, shown, out);
  } catch (const Error& e) {
    out.insert(out.end(), e.diagnostics().begin(), e.diagnostics().end());
    return std::nullopt;
  }
}

void note(std::vector<Diagnostic>& out, const std::string& path, const std::string& message, bool warning = false) {
  out.push_back(Diagnostic{path, 0, 0, message, warning});
}

/// Entries of a directory that are not what casectl keeps there.
struct Listing {
  std::vector<std::string> yaml_files;
};

Listing list_directory(const fs::path& dir, const std::string& shown, std::vector<Diagnostic>& out,
                       const std::set<std::string>& allowed_dirs = {}, const std::set<std::string>& read_apart = {}) {
  Listing listing;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    const std::string path = shown + "/" + name;
    if (read_apart.count(name) > 0) {
      continue;  // read on its own, which reports its problems
    }
    struct stat st {};
    if (::lstat(it->path().c_str(), &st) != 0) {
      continue;
    }
    if (is_temporary_name(name)) {
      note(out, path, "temporary file left by an interrupted write; casectl removes it on the next write here", true);
      continue;
    }
    if (S_ISLNK(st.st_mode)) {
      note(out, path, "is a symbolic link; casectl reads only regular files");
      continue;
    }
    if (S_ISDIR(st.st_mode)) {
      if (allowed_dirs.count(name) == 0) {
        note(out, path, "unexpected directory", true);
      }
      continue;
    }
    if (name.size() > 5 && name.substr(name.size() - 5) == ".yaml") {
      if (!S_ISREG(st.st_mode)) {
        note(out, path, "is not a regular file (a FIFO, socket or device?)");
        continue;
      }
      listing.yaml_files.push_back(name);
      continue;
    }
    note(out, path, "unexpected file (casectl ignores it)", true);
  }
  std::sort(listing.yaml_files.begin(), listing.yaml_files.end());
  return listing;
}

/// A dated record's file name must carry its date and ID, so that a listing stays a true timeline.
void check_record_name(const std::string& name, const std::string& shown, const Date& date, const std::string& id,
                       std::vector<Diagnostic>& out) {
  if (name.substr(0, 10) != date.iso() || name.find(id + ".yaml") == std::string::npos) {
    note(out, shown, fmt::format("the file name should start with the record's date ({}) and end with its id ({})",
                                 date.iso(), id));
  }
}

}  // namespace

void Repository::check_case_folder(const std::string& id, std::vector<Diagnostic>& out) const {
  const fs::path dir = case_dir(id);
  const std::string base = "cases/" + id;
  list_directory(dir, base, out, {"contacts", "assessments", "reviews", "referrals"}, {"case.yaml", "plan.yaml"});

  const std::string face_path = display(id, "case.yaml");
  if (auto value = read_into(dir / "case.yaml", face_path, out)) {
    DecodeContext context{face_path, out, names_config()};
    if (auto c = decode_case(*value, context); c && c->id != id) {
      out.push_back(Diagnostic{face_path, value->line, 1, "'id' does not match the folder name"});
    }
  }
  std::error_code ec;
  if (fs::exists(fs::symlink_status(dir / "plan.yaml", ec))) {
    const std::string shown = display(id, "plan.yaml");
    if (auto value = read_into(dir / "plan.yaml", shown, out)) {
      DecodeContext context{shown, out, names_config()};
      if (auto plan = decode_plan(*value, context); plan && plan->case_id != id) {
        out.push_back(Diagnostic{shown, value->line, 1, "'case' does not match the folder name"});
      }
    }
  }

  std::set<std::string> contact_ids;
  std::vector<std::pair<std::string, std::string>> amends;  // (file, id amended)
  for (const auto& name : list_directory(dir / "contacts", base + "/contacts", out).yaml_files) {
    const std::string shown = display(id, "contacts/" + name);
    if (auto value = read_into(dir / "contacts" / name, shown, out)) {
      DecodeContext context{shown, out, names_config()};
      if (auto c = decode_contact(*value, context)) {
        check_record_name(name, shown, c->at.date, c->id, out);
        contact_ids.insert(c->id);
        if (!c->amends.empty()) {
          amends.emplace_back(shown, c->amends);
        }
        if (c->case_id != id) {
          note(out, shown, "'case' does not match the folder");
        }
      }
    }
  }
  for (const auto& [shown, target] : amends) {
    if (contact_ids.count(target) == 0) {
      note(out, shown, fmt::format("'amends' names note '{}', which this case does not have", target));
    }
  }
  for (const auto& name : list_directory(dir / "assessments", base + "/assessments", out).yaml_files) {
    const std::string shown = display(id, "assessments/" + name);
    if (auto value = read_into(dir / "assessments" / name, shown, out)) {
      DecodeContext context{shown, out, names_config()};
      if (auto a = decode_assessment(*value, context)) {
        check_record_name(name, shown, a->date, a->id, out);
        if (a->case_id != id) {
          note(out, shown, "'case' does not match the folder");
        }
        std::error_code e2;
        if (!fs::exists(m_root / "instruments" / (a->instrument + ".yaml"), e2)) {
          note(out, shown, fmt::format("instrument '{}' is not in instruments/", a->instrument), true);
        }
      }
    }
  }
  for (const auto& name : list_directory(dir / "reviews", base + "/reviews", out).yaml_files) {
    const std::string shown = display(id, "reviews/" + name);
    if (auto value = read_into(dir / "reviews" / name, shown, out)) {
      DecodeContext context{shown, out, names_config()};
      if (auto r = decode_review(*value, context)) {
        check_record_name(name, shown, r->date, r->id, out);
        if (r->case_id != id) {
          note(out, shown, "'case' does not match the folder");
        }
      }
    }
  }
  std::set<std::string> referral_ids;
  std::vector<std::pair<std::string, std::string>> updates;
  for (const auto& name : list_directory(dir / "referrals", base + "/referrals", out).yaml_files) {
    const std::string shown = display(id, "referrals/" + name);
    auto value = read_into(dir / "referrals" / name, shown, out);
    if (!value) {
      continue;
    }
    DecodeContext context{shown, out, names_config()};
    if (record_kind(*value) == "referral-update") {
      if (auto u = decode_referral_update(*value, context)) {
        check_record_name(name, shown, u->date, u->id, out);
        updates.emplace_back(shown, u->referral);
      }
    } else if (auto r = decode_referral(*value, context)) {
      check_record_name(name, shown, r->date, r->id, out);
      referral_ids.insert(r->id);
    }
  }
  for (const auto& [shown, target] : updates) {
    if (referral_ids.count(target) == 0) {
      note(out, shown, fmt::format("updates referral '{}', which this case does not have", target));
    }
  }
}

std::vector<Diagnostic> Repository::check() const {
  std::vector<Diagnostic> out;
  for (const auto& name : list_directory(m_root / "instruments", "instruments", out).yaml_files) {
    const std::string shown = "instruments/" + name;
    if (auto value = read_into(m_root / "instruments" / name, shown, out)) {
      DecodeContext context{shown, out, nullptr};
      if (auto ins = decode_instrument(*value, context); ins && ins->id + ".yaml" != name) {
        out.push_back(Diagnostic{shown, value->line, 1, "'id' must match the file name"});
      }
    }
  }
  std::error_code ec;
  for (fs::directory_iterator it(m_root / "cases", ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    const std::string shown = "cases/" + name;
    struct stat st {};
    if (::lstat(it->path().c_str(), &st) != 0 || name[0] == '.') {
      continue;
    }
    if (S_ISLNK(st.st_mode)) {
      note(out, shown, "is a symbolic link; case folders must be real directories");
    } else if (!S_ISDIR(st.st_mode) || !is_case_id(name)) {
      note(out, shown, "is not a case folder (case folders are named c- and 8 characters of a-z, 2-7)", true);
    } else {
      check_case_folder(name, out);
    }
  }
  return out;
}

std::vector<Diagnostic> check_repository(const fs::path& root) {
  std::vector<Diagnostic> out;
  try {
    out = Repository(root).check();
  } catch (const Error& e) {
    // A broken casectl.yaml is reported, and every other file is still checked.
    out = e.diagnostics().empty() ? std::vector<Diagnostic>{Diagnostic{"casectl.yaml", 0, 0, e.what()}}
                                  : e.diagnostics();
    auto rest = Repository::without_config(root).check();
    out.insert(out.end(), rest.begin(), rest.end());
  }
  std::stable_sort(out.begin(), out.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.path, a.line, a.column) < std::tie(b.path, b.line, b.column);
  });
  return out;
}

}  // namespace casectl::storage
