#include "casectl/storage/store.hpp"

#include <algorithm>
#include <cerrno>
#include <fmt/format.h>

#include "casectl/model/id.hpp"
#include "casectl/model/text.hpp"
#include "casectl/storage/file_io.hpp"
#include "storage/codec.hpp"
#include "storage/io_errors.hpp"
#include "storage/journal.hpp"
#include "storage/layout.hpp"
#include "storage/yaml_reader.hpp"

namespace casectl::storage {
namespace {

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

/// Parses text through `decode`, or throws a `kind` error carrying every problem found.
template <typename Decode>
auto decode_or_throw(const std::string& text, const std::string& path, const Config* config, Decode decode,
                     ErrorKind kind = ErrorKind::data) {
  std::vector<Diagnostic> diagnostics;
  auto value = parse_yaml(text, path, diagnostics);
  decltype(decode(*value, std::declval<DecodeContext&>())) result;
  if (value) {
    DecodeContext context{path, diagnostics, config};
    result = decode(*value, context);
  }
  if (!result || has_error(diagnostics)) {
    std::vector<Diagnostic> errors;
    std::copy_if(diagnostics.begin(), diagnostics.end(), std::back_inserter(errors),
                 [](const Diagnostic& d) { return !d.warning; });
    throw Error(kind, fmt::format("{} is not valid", path), errors);
  }
  return *result;
}

template <typename Decode>
auto load_or_throw(Disk& disk, const std::string& path, const Config* config, Decode decode) {
  return decode_or_throw(read_file(disk, path), path, config, decode);
}

/// The YAML files of a record folder, sorted; nothing when the folder does not exist. The folder must be a real
/// directory, and every entry that looks like a record must be a regular file.
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

/// The case folder must be a real directory holding a face sheet.
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

/// Runs `read` on the disk as of one moment: no commit happens meanwhile, and an unfinished transaction left by
/// a writer that died is seen as not having happened.
template <typename Read>
auto read_consistently(Disk& disk, std::chrono::milliseconds timeout, Read read) {
  auto lock = disk.lock(LockKind::read_snapshot, timeout);
  if (!lock) {
    throw Error(ErrorKind::busy, "another casectl command has been committing a change for too long; try again");
  }
  std::optional<Journal> journal;
  try {
    journal = read_journal(disk);
  } catch (const IoError& e) {
    throw read_error(e);
  }
  if (journal) {
    BeforeView before(disk, std::move(*journal));
    return read(static_cast<Disk&>(before));
  }
  return read(disk);
}

}  // namespace

Store::Store(std::shared_ptr<Disk> disk, std::chrono::milliseconds lock_timeout)
    : m_disk(std::move(disk)), m_lock_timeout(lock_timeout) {
  try {
    m_config = decode_or_throw(read_file(*m_disk, layout::config_file), layout::config_file, nullptr, decode_config,
                               ErrorKind::config);
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::data) {  // not a regular file, too large, …: still the configuration's fault
      throw Error(ErrorKind::config, e.what(), e.diagnostics());
    }
    throw;
  }
}

Store::Store(std::shared_ptr<Disk> disk, Config config, bool known)
    : m_disk(std::move(disk)), m_config(std::move(config)), m_config_known(known), m_lock_timeout(std::chrono::seconds(5)) {}

Store Store::without_config(std::shared_ptr<Disk> disk) { return Store(std::move(disk), Config{}, false); }

std::string Store::path_of(const std::string& id, Document document) {
  return document == Document::plan ? layout::plan_file(id) : layout::face_sheet(id);
}

std::vector<std::string> Store::case_ids(Problems& problems) const {
  return read_consistently(*m_disk, m_lock_timeout, [&](Disk& disk) {
    std::vector<DirEntry> entries;
    try {
      auto listed = list_directory(disk, layout::cases_dir);
      if (!listed) {
        throw IoError("open", layout::cases_dir, ENOENT);
      }
      entries = std::move(*listed);
    } catch (const IoError& e) {
      Error error = read_error(e);
      if (e.code() == ENOENT) {  // not "no such case": the repository itself is damaged
        error = Error(ErrorKind::not_found, "cases: the folder of case folders is missing; is this a case repository?",
                      {Diagnostic{"cases", 0, 0, "the folder of case folders is missing"}});
      }
      throw error;
    }
    std::vector<std::string> ids;
    for (const auto& entry : entries) {
      if (!is_case_id(entry.name)) {
        continue;
      }
      if (entry.type != EntryType::directory) {
        problems.add(read_error(IoError("open", layout::case_dir(entry.name),
                                        entry.type == EntryType::symlink ? ELOOP : ENOTDIR)),
                     layout::case_dir(entry.name));
        continue;
      }
      ids.push_back(entry.name);
    }
    std::sort(ids.begin(), ids.end());
    return ids;
  });
}

bool Store::has_case(const std::string& id) const {
  if (!is_case_id(id)) {
    return false;
  }
  try {
    return m_disk->type(layout::case_dir(id)) == EntryType::directory;
  } catch (const IoError& e) {
    throw read_error(e);
  }
}

Case Store::load_case(const std::string& id) const {
  return read_consistently(*m_disk, m_lock_timeout, [&](Disk& disk) { return load_face(disk, id, names_config()); });
}

std::optional<Plan> Store::load_plan(const std::string& id) const {
  return read_consistently(*m_disk, m_lock_timeout,
                           [&](Disk& disk) { return load_plan_from(disk, id, names_config()); });
}

CaseFile Store::load_case_file(const std::string& id) const {
  return read_consistently(*m_disk, m_lock_timeout,
                           [&](Disk& disk) { return load_file(disk, id, names_config(), std::nullopt); });
}

std::optional<std::string> Store::load_text(const std::string& id, Document document) const {
  const std::string path = path_of(id, document);
  return read_consistently(*m_disk, m_lock_timeout, [&](Disk& disk) -> std::optional<std::string> {
    require_case_folder(disk, id);
    try {
      if (!disk.type(path)) {
        return std::nullopt;
      }
    } catch (const IoError& e) {
      throw read_error(e);
    }
    return read_file(disk, path);
  });
}

const Case& CaseView::face() {
  if (!m_face) {
    m_face = load_face(m_disk, m_id, m_store.names_config());
  }
  return *m_face;
}

const CaseFile& CaseView::file() {
  if (!m_file) {
    m_file = load_file(m_disk, m_id, m_store.names_config(), m_face);
  }
  return *m_file;
}

Problems Store::for_each_case(const std::function<void(CaseView&)>& visit) const {
  Problems problems;
  for (const auto& id : case_ids(problems)) {
    try {
      read_consistently(*m_disk, m_lock_timeout, [&](Disk& disk) {
        CaseView view(*this, disk, id);
        visit(view);
        return 0;
      });
    } catch (const Error& e) {
      if (e.kind() == ErrorKind::busy) {
        throw;
      }
      if (e.kind() == ErrorKind::not_found && is_empty_folder(*m_disk, layout::case_dir(id))) {
        problems.empty_case_folders.push_back(id);
        continue;
      }
      problems.add(e, layout::face_sheet(id));
    }
  }
  return problems;
}

std::vector<std::string> Store::instrument_ids() const {
  std::vector<std::string> ids;
  for (const auto& name : record_files(*m_disk, layout::instruments_dir)) {
    ids.push_back(name.substr(0, name.size() - 5));
  }
  return ids;
}

namespace {

std::string hex(std::string_view bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char b : bytes) {
    out += digits[b >> 4];
    out += digits[b & 15];
  }
  return out;
}

std::optional<std::string> from_hex(std::string_view text) {
  if (text.size() % 2 != 0) {
    return std::nullopt;
  }
  auto value = [](char c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
  };
  std::string out;
  for (size_t i = 0; i < text.size(); i += 2) {
    const int high = value(text[i]);
    const int low = value(text[i + 1]);
    if (high < 0 || low < 0) {
      return std::nullopt;
    }
    out += static_cast<char>(high * 16 + low);
  }
  return out;
}

/// Makes .gitignore list `name`, so that `git add -A` never commits it.
void ensure_ignored(Disk& disk, const std::string& name) {
  std::string text;
  if (disk.type(layout::gitignore_file)) {
    text = disk.read(layout::gitignore_file, k_max_file_size);
  }
  for (const auto& line : split(text, '\n')) {
    if (trim(line) == name || trim(line) == "/" + name) {
      return;
    }
  }
  if (!text.empty() && text.back() != '\n') {
    text += '\n';
  }
  text += "# The secret behind de-identified pseudonyms: copy it to the agency's other clones by hand.\n" + name + "\n";
  const std::string staged = layout::temporary_name(layout::gitignore_file, hex(random_bytes(4)));
  disk.write_new(staged, text);
  disk.rename(staged, layout::gitignore_file);
  disk.sync_directory("");
}

}  // namespace

std::string Store::pseudonym_key() const {
  const std::string path = layout::pseudonym_key_file;
  std::string text;
  try {
    if (!m_disk->type(path)) {
      // Published by a link, which fails rather than replace: two exports at once agree on one key.
      const std::string staged = layout::temporary_name(path, hex(random_bytes(4)));
      m_disk->write_new(staged, hex(random_bytes(32)) + "\n");
      try {
        m_disk->link(staged, path);
      } catch (const IoError& e) {
        if (e.code() != EEXIST) {
          m_disk->remove(staged);
          throw;
        }
      }
      m_disk->remove(staged);
      m_disk->sync_directory("");
    }
    ensure_ignored(*m_disk, path);
    text = m_disk->read(path, 1024);
  } catch (const IoError& e) {
    throw write_error(e);
  }
  auto key = from_hex(trim(text));
  if (!key || key->size() != 32) {
    throw Error(ErrorKind::data, fmt::format("{} is not a key casectl wrote (64 hexadecimal digits); restore it from "
                                             "another clone of the repository, or remove it to start new pseudonyms",
                                             path));
  }
  return *key;
}

Instrument Store::load_instrument(const std::string& id) const {
  if (!is_config_key(id)) {
    throw Error(ErrorKind::usage, "an instrument name is a short key such as phq9");
  }
  const std::string path = layout::instrument_file(id);
  bool present = false;
  try {
    present = m_disk->type(path).has_value();
  } catch (const IoError& e) {
    throw read_error(e);
  }
  if (!present) {
    throw Error(ErrorKind::not_found,
                fmt::format("no instrument '{}' (instruments/ has: {})", id, join(instrument_ids(), ", ")));
  }
  return load_or_throw(*m_disk, path, nullptr, decode_instrument);
}

std::vector<Diagnostic> Store::validate_text(const std::string& id, Document document,
                                             const std::string& text) const {
  const std::string path = path_of(id, document);
  std::vector<Diagnostic> diagnostics;
  if (text.size() > k_max_file_size) {
    diagnostics.push_back(Diagnostic{path, 0, 0, "larger than the 1024 KiB limit"});
    return diagnostics;
  }
  auto value = parse_yaml(text, path, diagnostics);
  if (!value) {
    return diagnostics;
  }
  DecodeContext context{path, diagnostics, names_config()};
  if (document == Document::plan) {
    auto plan = decode_plan(*value, context);
    if (plan && plan->case_id != id) {
      diagnostics.push_back(Diagnostic{path, value->line, 1, "'case' must be the ID of this case"});
    }
  } else {
    auto c = decode_case(*value, context);
    if (c && c->id != id) {
      diagnostics.push_back(Diagnostic{path, value->line, 1, "'id' must stay the ID of this case"});
    }
  }
  return diagnostics;
}

}  // namespace casectl::storage
