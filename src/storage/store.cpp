#include "casectl/storage/store.hpp"

#include <algorithm>
#include <cerrno>
#include <fmt/format.h>

#include "casectl/model/id.hpp"
#include "casectl/model/text.hpp"
#include "casectl/storage/file_io.hpp"
#include "storage/case_digest.hpp"
#include "storage/case_reader.hpp"
#include "storage/case_scan.hpp"
#include "storage/codec.hpp"
#include "storage/io_errors.hpp"
#include "storage/journal.hpp"
#include "storage/layout.hpp"
#include "storage/yaml_reader.hpp"

namespace casectl::storage {

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

std::optional<std::pair<std::string, Document>> Store::document_at(std::string_view path) {
  const std::string prefix = std::string(layout::cases_dir) + "/";
  const size_t slash = path.find('/', prefix.size());
  if (!starts_with(path, prefix) || slash == std::string_view::npos) {
    return std::nullopt;
  }
  const std::string id(path.substr(prefix.size(), slash - prefix.size()));
  if (!is_case_id(id)) {
    return std::nullopt;
  }
  for (Document document : {Document::face_sheet, Document::plan}) {
    if (path == path_of(id, document)) {
      return std::pair(id, document);
    }
  }
  return std::nullopt;
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
    ids.reserve(entries.size());
    for (auto& entry : entries) {
      if (!is_case_id(entry.name)) {
        continue;
      }
      if (entry.type != EntryType::directory) {
        problems.add(read_error(IoError("open", layout::case_dir(entry.name),
                                        entry.type == EntryType::symlink ? ELOOP : ENOTDIR)),
                     layout::case_dir(entry.name));
        continue;
      }
      ids.push_back(std::move(entry.name));
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
    m_face = m_indexed ? m_indexed->face() : load_face(m_disk, m_id, m_store.names_config());
  }
  return *m_face;
}

bool CaseView::open_at_end_of(Date day) {
  return m_indexed && !m_face ? m_indexed->open_at_end_of(day) : face().open_at_end_of(day);
}

std::string CaseView::folded_name() {
  return m_indexed && !m_face ? m_indexed->folded_name() : fold_name(face().client.name);
}

const CaseFile& CaseView::facts() {
  if (!m_facts) {
    m_facts = m_indexed ? m_indexed->facts() : facts_of(file());
  }
  return *m_facts;
}

Case CaseView::take_face() {
  if (!m_face) {  // straight from where it is read, not through the view
    return m_indexed ? m_indexed->face() : load_face(m_disk, m_id, m_store.names_config());
  }
  Case taken = std::move(*m_face);
  m_face.reset();
  return taken;
}

CaseFile CaseView::take_facts() {
  facts();
  CaseFile taken = std::move(*m_facts);
  m_facts.reset();
  return taken;
}

const CaseFile& CaseView::file() {
  if (!m_file) {
    if (m_indexed) {  // visited outside a reader's lock: read as of one moment
      face();
      m_file = read_consistently(m_disk, m_store.m_lock_timeout,
                                 [&](Disk& disk) { return load_file(disk, m_id, m_store.names_config(), m_face); });
    } else {
      m_file = load_file(m_disk, m_id, m_store.names_config(), m_face);
    }
  }
  return *m_file;
}

Problems Store::for_each_case(const std::function<void(CaseView&)>& visit, Reading reading) const {
  Problems problems;
  const std::vector<std::string> ids = case_ids(problems);
  auto scan = m_use_index ? CaseScan::start(*m_disk, names_config(), ids, m_lock_timeout,
                                            reading == Reading::histories, m_progress)
                          : nullptr;
  for (size_t i = 0; i < ids.size(); ++i) {
    const std::string& id = ids[i];
    if (!scan) {  // every case read from its files
      report_progress(m_progress, "reading cases", i, ids.size());
    }
    try {
      if (IndexedCase* indexed = scan ? scan->entry(i) : nullptr) {
        try {
          CaseView view(*this, *m_disk, id, indexed);
          visit(view);
          scan->after_visit(i);
          continue;
        } catch (const DigestError&) {  // a damaged summary whose check sum held: read the files instead
        }
      }
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
  if (scan) {
    scan->finish();
  } else {
    report_progress(m_progress, "reading cases", ids.size(), ids.size());
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

/// Makes `file` hold each of `lines` (appended after `comment` when some are missing); gives whether it changed.
bool ensure_lines(Disk& disk, const std::string& file, const std::string& comment,
                  const std::vector<std::string>& lines) {
  std::string text;
  if (disk.type(file)) {
    text = disk.read(file, k_max_file_size);
  }
  const auto present = split(text, '\n');
  std::string missing;
  for (const auto& line : lines) {
    if (std::none_of(present.begin(), present.end(), [&](const std::string& p) { return trim(p) == line; })) {
      missing += line + "\n";
    }
  }
  if (missing.empty()) {
    return false;
  }
  if (!text.empty() && text.back() != '\n') {
    text += '\n';
  }
  text += "# " + comment + "\n" + missing;
  const std::string staged = layout::temporary_name(file, hex(random_bytes(4)));
  disk.write_new(staged, text);
  disk.rename(staged, file);
  disk.sync_directory("");
  return true;
}

/// Makes .gitignore list `name`, so that `git add -A` never commits it.
void ensure_ignored(Disk& disk, const std::string& name) {
  for (const auto& line : split(disk.type(layout::gitignore_file) ? disk.read(layout::gitignore_file, k_max_file_size)
                                                                   : std::string(),
                                '\n')) {
    if (trim(line) == "/" + name) {
      return;
    }
  }
  ensure_lines(disk, layout::gitignore_file,
               "The secret behind de-identified pseudonyms: copy it to the agency's other clones by hand.", {name});
}


}  // namespace

bool Store::prepare_for_git() const {
  try {
    bool changed = ensure_lines(*m_disk, layout::gitattributes_file,
                                "Added by casectl: face sheets and plans are merged field by field (casectl hooks "
                                "install).",
                                std::vector<std::string>(std::begin(layout::gitattributes_lines),
                                                         std::end(layout::gitattributes_lines)));
    if (!m_disk->type(layout::cases_keep_file)) {
      const std::string staged = layout::temporary_name(layout::cases_keep_file, hex(random_bytes(4)));
      m_disk->write_new(staged, "");
      m_disk->rename(staged, layout::cases_keep_file);
      m_disk->sync_directory(layout::cases_dir);
      changed = true;
    }
    return changed;
  } catch (const IoError& e) {
    throw write_error(e);
  }
}

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

Store::Health Store::health() const {
  Health health;
  if (const auto index = m_disk->stamp(layout::index_file); index && index->type == EntryType::regular) {
    health.index_bytes = index->size;
  }
  try {
    // No lock file: no writer has ever held it, and none is made here.
    health.writer_busy = m_disk->type(layout::lock_file) &&
                         m_disk->lock(LockKind::writer, std::chrono::milliseconds(0)) == nullptr;
  } catch (const IoError& e) {
    health.lock_problem = e.what();
  }
  try {
    health.interrupted = m_disk->type(layout::journal_file) == EntryType::regular;
  } catch (const IoError& e) {
    throw read_error(e);
  }
  return health;
}

}  // namespace casectl::storage
