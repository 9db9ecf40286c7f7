#include "storage/case_reader.hpp"

#include <numeric>

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

namespace {

/// The record folders, in the order of `RecordSources`.
constexpr layout::Record k_folders[] = {layout::Record::contact, layout::Record::assessment, layout::Record::review,
                                        layout::Record::referral};

/// Reads the record in `path`, of record folder `folder`, onto the end of its list in `file`; gives the list
/// (`RecordSource::list`).
uint8_t add_record(Disk& disk, const std::string& path, size_t folder, const Config* config, CaseFile& file) {
  switch (folder) {
    case 0:
      file.contacts.push_back(load_or_throw(disk, path, config, decode_contact));
      return 0;
    case 1:
      file.assessments.push_back(load_or_throw(disk, path, config, decode_assessment));
      return 1;
    case 2:
      file.reviews.push_back(load_or_throw(disk, path, config, decode_review));
      return 2;
    default: {
      // Referrals and the answers to them share a folder; the file says which it is. Parsed once.
      const std::string text = read_file(disk, path);
      std::vector<Diagnostic> ignored;
      auto value = parse_yaml(text, path, ignored);
      if (value && record_kind(*value) == "referral-update") {
        file.referral_updates.push_back(decode_or_throw(text, path, config, decode_referral_update));
        return 4;
      }
      file.referrals.push_back(decode_or_throw(text, path, config, decode_referral));
      return 3;
    }
  }
}

/// Copies the record `source` names from `from` onto the end of its list in `to`; false when `from` has none.
bool copy_record(const CaseFile& from, const RecordSource& source, CaseFile& to) {
  auto copy = [&](const auto& in, auto& out) {
    if (source.position >= in.size()) {
      return false;
    }
    out.push_back(in[source.position]);
    return true;
  };
  switch (source.list) {
    case 0: return copy(from.contacts, to.contacts);
    case 1: return copy(from.assessments, to.assessments);
    case 2: return copy(from.reviews, to.reviews);
    case 3: return copy(from.referrals, to.referrals);
    case 4: return copy(from.referral_updates, to.referral_updates);
    default: return false;
  }
}

size_t list_size(const CaseFile& file, uint8_t list) {
  const size_t sizes[] = {file.contacts.size(), file.assessments.size(), file.reviews.size(), file.referrals.size(),
                          file.referral_updates.size()};
  return sizes[list];
}

/// Puts `items`, read in file-name order, in `RecordOrder`; gives where each one went.
template <typename T>
std::vector<uint32_t> sort_list(std::vector<T>& items) {
  std::vector<uint32_t> order(items.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return RecordOrder{}(items[a], items[b]); });
  std::vector<T> sorted;
  sorted.reserve(items.size());
  std::vector<uint32_t> position(items.size());
  for (uint32_t k = 0; k < order.size(); ++k) {
    sorted.push_back(std::move(items[order[k]]));
    position[order[k]] = k;
  }
  items = std::move(sorted);
  return position;
}

/// Puts every list of `file`, read in file-name order, in `RecordOrder`; gives, list by list, where each went.
std::array<std::vector<uint32_t>, 5> sort_records(CaseFile& file) {
  return {sort_list(file.contacts), sort_list(file.assessments), sort_list(file.reviews), sort_list(file.referrals),
          sort_list(file.referral_updates)};
}

Stamp stamp_of_file(Disk& disk, const std::string& path) {
  try {
    if (auto stamp = disk.stamp(path)) {
      return *stamp;
    }
    throw IoError("stat", path, ENOENT);  // gone since the folder was listed
  } catch (const IoError& e) {
    throw read_error(e);
  }
}

}  // namespace

CaseFile load_file(Disk& disk, const std::string& id, const Config* config, std::optional<Case> face) {
  CaseFile file{face ? std::move(*face) : load_face(disk, id, config), load_plan_from(disk, id, config), {}, {}, {}, {}, {}};
  for (size_t folder = 0; folder < std::size(k_folders); ++folder) {
    const std::string dir = layout::record_dir(id, k_folders[folder]);
    for (const auto& name : record_files(disk, dir)) {
      add_record(disk, layout::join(dir, name), folder, config, file);
    }
  }
  sort_records(file);
  return file;
}

CaseFile load_history(Disk& disk, const std::string& id, const Config* config, Case face,
                      const std::vector<std::optional<Stamp>>& stamps, const HistoryBefore* before,
                      RecordSources& sources) {
  auto unchanged = [&](size_t i) {
    return before && before->stamps.size() == stamps.size() && before->stamps[i] == stamps[i];
  };
  CaseFile file{std::move(face), unchanged(0) ? before->file.plan : load_plan_from(disk, id, config), {}, {}, {}, {}, {}};
  for (size_t folder = 0; folder < std::size(k_folders); ++folder) {
    const std::string dir = layout::record_dir(id, k_folders[folder]);
    std::vector<RecordSource>& listed = sources[folder];
    listed.clear();
    auto add = [&](const std::string& name, const Stamp& stamp, const RecordSource* known) {
      RecordSource source{name, stamp, 0, 0};
      if (known && known->stamp == stamp && copy_record(before->file, *known, file)) {
        source.list = known->list;
      } else {
        source.list = add_record(disk, layout::join(dir, name), folder, config, file);
      }
      source.position = static_cast<uint32_t>(list_size(file, source.list) - 1);
      listed.push_back(std::move(source));
    };
    if (unchanged(folder + 1)) {
      for (const auto& known : before->sources[folder]) {
        add(known.name, known.stamp, &known);
      }
      continue;
    }
    const std::vector<RecordSource> none;
    const auto& known = before ? before->sources[folder] : none;
    for (const auto& name : record_files(disk, dir)) {
      const Stamp stamp = stamp_of_file(disk, layout::join(dir, name));  // before reading: a later change shows
      auto it = std::lower_bound(known.begin(), known.end(), name,
                                 [](const RecordSource& s, const std::string& n) { return s.name < n; });
      add(name, stamp, it != known.end() && it->name == name ? &*it : nullptr);
    }
  }
  const auto positions = sort_records(file);
  for (auto& folder : sources) {
    for (auto& source : folder) {
      source.position = positions[source.list][source.position];
    }
  }
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
