#include "storage/layout.hpp"

#include "casectl/model/id.hpp"

namespace casectl::storage::layout {
namespace {

constexpr std::string_view yaml_suffix = ".yaml";

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

}  // namespace

std::string join(const std::string& dir, const std::string& name) { return dir.empty() ? name : dir + "/" + name; }

std::string parent(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

std::string base_name(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string instrument_file(const std::string& id) { return join(instruments_dir, id + ".yaml"); }
std::string case_dir(const std::string& case_id) { return join(cases_dir, case_id); }
std::string face_sheet(const std::string& case_id) { return join(case_dir(case_id), face_sheet_name); }
std::string plan_file(const std::string& case_id) { return join(case_dir(case_id), plan_name); }

const char* record_dir_name(Record kind) {
  switch (kind) {
    case Record::contact:
      return "contacts";
    case Record::assessment:
      return "assessments";
    case Record::review:
      return "reviews";
    case Record::referral:
    case Record::referral_update:
      return "referrals";
  }
  return "contacts";
}

std::string record_dir(const std::string& case_id, Record kind) { return join(case_dir(case_id), record_dir_name(kind)); }

std::string record_file_name(Date date, const std::string& id, const std::string& extra) {
  return date.iso() + "-" + (extra.empty() ? "" : extra + "-") + id + std::string(yaml_suffix);
}

std::optional<RecordName> parse_record_file_name(std::string_view name) {
  if (!is_yaml_name(name)) {
    return std::nullopt;
  }
  const std::string_view stem = name.substr(0, name.size() - yaml_suffix.size());
  constexpr size_t date_length = 10;
  if (stem.size() < date_length + 1 + k_record_id_length || stem[date_length] != '-' ||
      stem[stem.size() - k_record_id_length - 1] != '-') {
    return std::nullopt;
  }
  RecordName out;
  out.date = std::string(stem.substr(0, date_length));
  out.id = std::string(stem.substr(stem.size() - k_record_id_length));
  if (stem.size() > date_length + 1 + k_record_id_length) {
    out.extra = std::string(stem.substr(date_length + 1, stem.size() - date_length - 2 - k_record_id_length));
  }
  return out;
}

bool is_yaml_name(std::string_view name) {
  return name.size() > yaml_suffix.size() && name[0] != '.' && ends_with(name, yaml_suffix);
}

bool is_temporary_name(std::string_view name) {
  return !name.empty() && name[0] == '.' &&
         (name.find(".tmp-") != std::string_view::npos || name.find(".old-") != std::string_view::npos);
}

namespace {
std::string hidden(const std::string& name) { return name[0] == '.' ? name : "." + name; }
}  // namespace

std::string temporary_name(const std::string& name, const std::string& transaction) {
  return hidden(name) + ".tmp-" + transaction;
}

std::string backup_name(const std::string& name, const std::string& transaction) {
  return hidden(name) + ".old-" + transaction;
}

}  // namespace casectl::storage::layout
