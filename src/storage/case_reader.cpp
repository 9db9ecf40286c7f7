#include "storage/case_reader.hpp"

#include "storage/layout.hpp"

namespace casectl::storage {

bool has_error(const std::vector<Diagnostic>& diagnostics) {
  return std::any_of(diagnostics.begin(), diagnostics.end(), [](const Diagnostic& d) { return !d.warning; });
}

std::string read_file(Disk& disk, const std::string& path) {
  try {
    return disk.read(path, k_max_file_size);
  } catch (const IoError& e) {
    throw read_error(e);
  }
}

std::vector<std::string> record_files(Disk& disk, const std::string& dir) {
  std::vector<DirEntry> entries;
  try {
    entries = list_directory(disk, dir).value_or(std::vector<DirEntry>{});
  } catch (const IoError& e) {
    throw read_error(e);
  }
  std::vector<std::string> names;
  for (const auto& entry : entries) {
    if (!layout::is_yaml_name(entry.name)) {
      continue;
    }
    if (entry.type != EntryType::regular) {
      throw read_error(IoError("open", layout::join(dir, entry.name),
                               entry.type == EntryType::symlink ? ELOOP
                               : entry.type == EntryType::directory ? EISDIR
                                                                    : EINVAL));
    }
    names.push_back(entry.name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

void require_case_folder(Disk& disk, const std::string& id) {
  const std::string dir = layout::case_dir(id);
  std::optional<EntryType> type;
  try {
    type = disk.type(dir);
  } catch (const IoError& e) {
    throw read_error(e);
  }
  if (!type) {
    throw Error(ErrorKind::not_found, fmt::format("no case {}", id));
  }
  if (*type != EntryType::directory) {
    throw read_error(IoError("open", dir, *type == EntryType::symlink ? ELOOP : ENOTDIR));
  }
}

Case load_face(Disk& disk, const std::string& id, const Config* config) {
  require_case_folder(disk, id);
  const std::string path = layout::face_sheet(id);
  Case c = load_or_throw(disk, path, config, decode_case);
  if (c.id != id) {
    throw Error(ErrorKind::data, fmt::format("{}: 'id' does not match the folder name", path),
                {Diagnostic{path, 0, 0, "'id' does not match the folder name"}});
  }
  return c;
}

std::optional<Plan> load_plan_from(Disk& disk, const std::string& id, const Config* config) {
  const std::string path = layout::plan_file(id);
  try {
    if (!disk.type(path)) {
      return std::nullopt;
    }
  } catch (const IoError& e) {
    throw read_error(e);
  }
  return load_or_throw(disk, path, config, decode_plan);
}

CaseFile load_file(Disk& disk, const std::string& id, const Config* config, std::optional<Case> face) {
  CaseFile file{face ? std::move(*face) : load_face(disk, id, config), load_plan_from(disk, id, config), {}, {}, {}, {}, {}};
  using layout::Record;
  auto each = [&](Record kind, auto&& add) {
    const std::string dir = layout::record_dir(id, kind);
    for (const auto& name : record_files(disk, dir)) {
      add(layout::join(dir, name));
    }
  };
  each(Record::contact, [&](const std::string& path) {
    file.contacts.push_back(load_or_throw(disk, path, config, decode_contact));
  });
  each(Record::assessment, [&](const std::string& path) {
    file.assessments.push_back(load_or_throw(disk, path, config, decode_assessment));
  });
  each(Record::review, [&](const std::string& path) {
    file.reviews.push_back(load_or_throw(disk, path, config, decode_review));
  });
  each(Record::referral, [&](const std::string& path) {
    // Referrals and the answers to them share a folder; the file says which it is. Parsed once.
    const std::string text = read_file(disk, path);
    std::vector<Diagnostic> ignored;
    auto value = parse_yaml(text, path, ignored);
    if (value && record_kind(*value) == "referral-update") {
      file.referral_updates.push_back(decode_or_throw(text, path, config, decode_referral_update));
    } else {
      file.referrals.push_back(decode_or_throw(text, path, config, decode_referral));
    }
  });
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

bool is_empty_folder(Disk& disk, const std::string& dir) {
  try {
    return disk.list(dir).empty();
  } catch (const IoError&) {
    return false;
  }
}

}  // namespace casectl::storage
