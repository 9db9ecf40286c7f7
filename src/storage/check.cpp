// `casectl check`: every problem in every file, not just the first.
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <deque>
#include <thread>
#include <fmt/format.h>
#include <set>
#include <sodium.h>

#include "casectl/model/id.hpp"
#include "casectl/storage/file_io.hpp"
#include "casectl/storage/store.hpp"
#include "storage/case_digest.hpp"
#include "storage/case_reader.hpp"
#include "storage/case_scan.hpp"
#include "storage/codec.hpp"
#include "storage/index_file.hpp"
#include "storage/io_errors.hpp"
#include "storage/journal.hpp"
#include "storage/layout.hpp"
#include "storage/yaml_reader.hpp"

namespace casectl::storage {
namespace {

void note(std::vector<Diagnostic>& out, const std::string& path, const std::string& message, bool warning = false) {
  out.push_back(Diagnostic{path, 0, 0, message, warning});
}

void add_error(std::vector<Diagnostic>& out, const Error& e, const std::string& path) {
  Problems problems;
  problems.add(e, path);
  out.insert(out.end(), problems.diagnostics.begin(), problems.diagnostics.end());
}

std::optional<Value> read_into(Disk& disk, const std::string& path, std::vector<Diagnostic>& out) {
  try {
    return parse_yaml(disk.read(path, k_max_file_size), path, out);
  } catch (const IoError& e) {
    add_error(out, read_error(e), path);
    return std::nullopt;
  }
}

/// The YAML files of a folder that casectl keeps; everything else in it is reported. A folder that cannot be
/// listed is an error, never an empty folder.
std::vector<std::string> list_folder(Disk& disk, const std::string& dir, std::vector<Diagnostic>& out,
                                     const std::set<std::string>& allowed_dirs = {},
                                     const std::set<std::string>& read_apart = {}) {
  std::vector<DirEntry> entries;
  try {
    entries = list_directory(disk, dir).value_or(std::vector<DirEntry>{});
  } catch (const IoError& e) {
    add_error(out, read_error(e), dir);
    return {};
  }
  std::vector<std::string> yaml_files;
  for (const auto& entry : entries) {
    const std::string path = layout::join(dir, entry.name);
    if (read_apart.count(entry.name) > 0) {
      continue;  // read on its own, which reports its problems
    }
    if (entry.name == layout::cases_keep_name && entry.type == EntryType::regular) {
      continue;
    }
    if (layout::is_temporary_name(entry.name)) {
      note(out, path, "left by an interrupted write; invisible to readers, removed by the next write here", true);
      continue;
    }
    if (entry.type == EntryType::symlink) {
      note(out, path, "is a symbolic link; casectl does not follow links inside the repository");
      continue;
    }
    if (entry.type == EntryType::directory) {
      if (allowed_dirs.count(entry.name) == 0) {
        note(out, path, "unexpected directory", true);
      }
      continue;
    }
    if (layout::is_yaml_name(entry.name)) {
      if (entry.type != EntryType::regular) {
        note(out, path, "is not a regular file (a FIFO, socket or device?)");
        continue;
      }
      yaml_files.push_back(entry.name);
      continue;
    }
    note(out, path, "unexpected file (casectl ignores it)", true);
  }
  std::sort(yaml_files.begin(), yaml_files.end());
  return yaml_files;
}

/// A dated record's file name must carry its date and ID, so that a listing stays a true timeline.
void check_record_name(const std::string& name, const std::string& path, const Date& date, const std::string& id,
                       std::vector<Diagnostic>& out) {
  const auto parsed = layout::parse_record_file_name(name);
  if (!parsed || parsed->date != date.iso() || parsed->id != id) {
    note(out, path, fmt::format("the file name should start with the record's date ({}) and end with its id ({})",
                                date.iso(), id));
  }
}

/// Workers leave: their cases stay readable, but an open case must be on someone's list.
void check_assigned_worker(const Config* config, const Case& c, const std::string& path,
                           std::vector<Diagnostic>& out) {
  if (!config || c.worker.empty() || !c.is_open()) {
    return;
  }
  const Worker* worker = config->find_worker(c.worker);
  if (!worker) {
    note(out, path, fmt::format("open, and assigned to worker '{}', whom casectl.yaml no longer lists (mark workers "
                                "who leave 'active: false'); transfer it with 'casectl transfer {} --to WORKER'",
                                c.worker, c.id),
         true);
  } else if (!worker->active) {
    note(out, path, fmt::format("open, and assigned to worker '{}', who is inactive; transfer it with 'casectl "
                                "transfer {} --to WORKER'",
                                c.worker, c.id),
         true);
  }
}

}  // namespace

void Store::check_case_folder(Disk& disk, const std::string& id, std::vector<Diagnostic>& out) const {
  const std::string base = layout::case_dir(id);
  if (disk.list(base).empty()) {
    note(out, base, "an empty case folder, left by an interrupted intake; ignored, and removed by the next intake",
         true);
    return;
  }
  std::set<std::string> allowed;
  for (const char* sub : layout::record_dirs) {
    allowed.insert(sub);
  }
  list_folder(disk, base, out, allowed, {layout::face_sheet_name, layout::plan_name});

  const std::string face_path = layout::face_sheet(id);
  if (auto value = read_into(disk, face_path, out)) {
    DecodeContext context{face_path, out, names_config()};
    if (auto c = decode_case(*value, context)) {
      if (c->id != id) {
        out.push_back(Diagnostic{face_path, value->line, 1, "'id' does not match the folder name"});
      }
      check_assigned_worker(names_config(), *c, face_path, out);
    }
  }
  const std::string plan_path = layout::plan_file(id);
  if (disk.type(plan_path)) {
    if (auto value = read_into(disk, plan_path, out)) {
      DecodeContext context{plan_path, out, names_config()};
      if (auto plan = decode_plan(*value, context); plan && plan->case_id != id) {
        out.push_back(Diagnostic{plan_path, value->line, 1, "'case' does not match the folder name"});
      }
    }
  }

  auto each = [&](layout::Record kind, auto&& visit) {
    const std::string dir = layout::record_dir(id, kind);
    if (disk.type(dir) == EntryType::symlink) {
      return;  // reported with the case folder's entries
    }
    for (const auto& name : list_folder(disk, dir, out)) {
      const std::string path = layout::join(dir, name);
      if (auto value = read_into(disk, path, out)) {
        DecodeContext context{path, out, names_config()};
        visit(name, path, *value, context);
      }
    }
  };
  auto same_case = [&](const std::string& case_id, const std::string& path) {
    if (case_id != id) {
      note(out, path, "'case' does not match the folder");
    }
  };

  std::set<std::string> contact_ids;
  std::vector<std::pair<std::string, std::string>> amends;  // (file, id amended)
  each(layout::Record::contact, [&](const std::string& name, const std::string& path, const Value& value,
                                    DecodeContext& context) {
    if (auto c = decode_contact(value, context)) {
      check_record_name(name, path, c->at.date, c->id, out);
      contact_ids.insert(c->id);
      if (!c->amends.empty()) {
        amends.emplace_back(path, c->amends);
      }
      same_case(c->case_id, path);
    }
  });
  for (const auto& [path, target] : amends) {
    if (contact_ids.count(target) == 0) {
      note(out, path, fmt::format("'amends' names note '{}', which this case does not have", target));
    }
  }
  each(layout::Record::assessment, [&](const std::string& name, const std::string& path, const Value& value,
                                       DecodeContext& context) {
    if (auto a = decode_assessment(value, context)) {
      check_record_name(name, path, a->date, a->id, out);
      same_case(a->case_id, path);
      if (!is_config_key(a->instrument) || !disk.type(layout::instrument_file(a->instrument))) {
        note(out, path, fmt::format("instrument '{}' is not in instruments/", a->instrument), true);
      }
    }
  });
  each(layout::Record::review, [&](const std::string& name, const std::string& path, const Value& value,
                                   DecodeContext& context) {
    if (auto r = decode_review(value, context)) {
      check_record_name(name, path, r->date, r->id, out);
      same_case(r->case_id, path);
    }
  });
  std::set<std::string> referral_ids;
  std::vector<std::pair<std::string, std::string>> updates;
  each(layout::Record::referral, [&](const std::string& name, const std::string& path, const Value& value,
                                     DecodeContext& context) {
    if (record_kind(value) == "referral-update") {
      if (auto u = decode_referral_update(value, context)) {
        check_record_name(name, path, u->date, u->id, out);
        updates.emplace_back(path, u->referral);
      }
    } else if (auto r = decode_referral(value, context)) {
      check_record_name(name, path, r->date, r->id, out);
      referral_ids.insert(r->id);
    }
  });
  for (const auto& [path, target] : updates) {
    if (referral_ids.count(target) == 0) {
      note(out, path, fmt::format("updates referral '{}', which this case does not have", target));
    }
  }
}

std::vector<Diagnostic> Store::check(bool full) const {
  std::vector<Diagnostic> out;
  Disk* disk = m_disk.get();
  std::optional<BeforeView> before;
  try {
    if (auto journal = read_journal(*m_disk)) {
      note(out, layout::journal_file,
           "an interrupted transaction; readers see the repository as before it, and the next writing command "
           "undoes it",
           true);
      before.emplace(*m_disk, std::move(*journal));
      disk = &*before;
    }
  } catch (const IoError& e) {
    add_error(out, read_error(e), layout::journal_file);
  }
  try {
    for (const auto& entry : disk->list("")) {  // the root is the agency's: only our own leftovers are named
      if (layout::is_temporary_name(entry.name)) {
        note(out, entry.name, "left by an interrupted write; removed by the next writing command", true);
      }
    }
  } catch (const IoError& e) {
    add_error(out, read_error(e), ".");
  }
  for (const auto& name : list_folder(*disk, layout::instruments_dir, out)) {
    const std::string path = layout::join(layout::instruments_dir, name);
    if (auto value = read_into(*disk, path, out)) {
      DecodeContext context{path, out, nullptr};
      if (auto ins = decode_instrument(*value, context); ins && ins->id + ".yaml" != name) {
        out.push_back(Diagnostic{path, value->line, 1, "'id' must match the file name"});
      }
    }
  }
  std::vector<DirEntry> entries;
  try {
    auto listed = list_directory(*disk, layout::cases_dir);
    if (!listed) {
      throw IoError("open", layout::cases_dir, ENOENT);
    }
    entries = std::move(*listed);
  } catch (const IoError& e) {
    add_error(out, read_error(e), layout::cases_dir);
  }
  std::sort(entries.begin(), entries.end(), [](const DirEntry& a, const DirEntry& b) { return a.name < b.name; });
  std::vector<std::string> ids;
  for (const auto& entry : entries) {
    const std::string path = layout::join(layout::cases_dir, entry.name);
    if (entry.name == layout::cases_keep_name && entry.type == EntryType::regular) {
      continue;
    }
    if (layout::is_temporary_name(entry.name)) {
      note(out, path, "left by an interrupted write; invisible to readers, removed by the next write here", true);
    } else if (entry.type == EntryType::symlink) {
      note(out, path, "is a symbolic link; case folders must be real directories");
    } else if (entry.type != EntryType::directory || !is_case_id(entry.name)) {
      note(out, path, "is not a case folder (case folders are named c- and 8 characters of a-z, 2-7)", true);
    } else {
      ids.push_back(entry.name);
    }
  }
  // The index keeps what each case folder held when it was last checked; without it (an unfinished transaction,
  // --no-cache, no place for it), every folder is checked.
  std::unique_ptr<IndexFile> index;
  if (m_use_index && !before && m_config_known) {
    try {
      index = IndexFile::open(*disk, encode_stamps(configuration_stamps(*disk)));
    } catch (const IoError&) {
    }
  }
  for (auto& found : check_case_folders(*disk, ids, index.get(), full)) {
    out.insert(out.end(), found.begin(), found.end());
  }
  return out;
}

namespace {

/// A hash (BLAKE2b, 128 bits) of every entry of a case folder and of its record folders, each with its stamp: a
/// file added, removed, renamed or changed in any way changes it. Empty when a folder cannot be listed.
std::string fingerprint(Disk& disk, const std::string& id, int64_t began, bool& settled_now) {
  std::string print;
  std::vector<std::optional<Stamp>> stamps;
  auto add_folder = [&](const std::string& dir, bool descend, auto&& self) -> void {
    auto entries = disk.list(dir);
    std::sort(entries.begin(), entries.end(), [](const DirEntry& a, const DirEntry& b) { return a.name < b.name; });
    for (const auto& entry : entries) {
      const std::string path = layout::join(dir, entry.name);
      stamps.push_back(disk.stamp(path));
      print += entry.name + '/' + encode_stamps({stamps.back()});
      if (descend && entry.type == EntryType::directory) {
        self(path, false, self);
      }
    }
  };
  try {
    add_folder(layout::case_dir(id), true, add_folder);
  } catch (const IoError&) {
    return {};
  }
  settled_now = settled(stamps, began);
  unsigned char hash[16];
  crypto_generichash(hash, sizeof hash, reinterpret_cast<const unsigned char*>(print.data()), print.size(), nullptr, 0);
  return std::string(reinterpret_cast<const char*>(hash), sizeof hash);
}

}  // namespace

std::vector<std::vector<Diagnostic>> Store::check_case_folders(Disk& disk, const std::vector<std::string>& ids,
                                                               IndexFile* index, bool full) const {
  struct Folder {
    std::string fingerprint;
    bool settled = false;
    bool reused = false;
  };
  const int64_t began = stamping_begins();
  auto stored = index ? index->checks() : std::map<std::string, std::pair<std::string, std::string>>{};
  std::vector<Folder> folders(ids.size());
  std::vector<std::vector<Diagnostic>> found(ids.size());
  std::atomic<size_t> next{0};
  std::atomic<size_t> done{0};
  auto work = [&](bool reporting) {  // on both cores: most of the time goes into stamping, or reading, every file
    for (size_t i; (i = next.fetch_add(1)) < ids.size();) {
      const size_t so_far = done.fetch_add(1);  // the cases begun: this one is under way
      if (reporting) {
        report_progress(m_progress, "checking cases", so_far, ids.size());
      }
      Folder& folder = folders[i];
      if (index) {
        folder.fingerprint = fingerprint(disk, ids[i], began, folder.settled);
      }
      const auto known = stored.find(ids[i]);
      if (!full && !folder.fingerprint.empty() && known != stored.end() && known->second.first == folder.fingerprint) {
        try {
          found[i] = decode_diagnostics(known->second.second);
          folder.reused = true;
          continue;
        } catch (const DigestError&) {
        }
      }
      try {
        check_case_folder(disk, ids[i], found[i]);
      } catch (const IoError& e) {
        add_error(found[i], read_error(e), layout::case_dir(ids[i]));
      }
    }
  };
  std::thread helper(work, false);
  work(true);
  helper.join();
  report_progress(m_progress, "checking cases", ids.size(), ids.size());
  if (!index) {
    return found;
  }
  std::vector<IndexFile::Checked> checked;
  std::deque<IndexRow> corrections;  // kept in place while `corrected` points to them
  std::vector<IndexFile::Change> corrected;
  for (size_t i = 0; i < ids.size(); ++i) {
    if (folders[i].reused) {
      continue;
    }
    if (folders[i].settled && !folders[i].fingerprint.empty()) {
      checked.push_back({ids[i], folders[i].fingerprint, encode_diagnostics(found[i])});
    }
    if (auto row = record_changed_in_place(disk, *index, ids[i], began)) {  // said once: the index is corrected
      note(found[i], layout::case_dir(ids[i]),
           "a record in this case was changed in place after it was written; records are never rewritten (correct "
           "one with a new note that amends it), and answers given before this check may have missed the change",
           true);
      corrections.push_back(std::move(*row));
      corrected.push_back(IndexFile::Change{&ids[i], &corrections.back(), false, true});
    }
  }
  std::vector<std::string> gone;
  for (const auto& [id, check] : stored) {
    if (!std::binary_search(ids.begin(), ids.end(), id)) {
      gone.push_back(id);
    }
  }
  index->write(corrected, {});
  index->write_checks(checked, gone);
  return found;
}

namespace {
bool same_facts(std::string_view history, std::string_view kept) {
  try {
    return history_facts(history) == history_facts(kept);
  } catch (const DigestError&) {
    return false;
  }
}
}  // namespace

std::optional<IndexRow> Store::record_changed_in_place(Disk& disk, IndexFile& index, const std::string& id,
                                                                int64_t began) const {
  try {
    const auto stamps = history_stamps(disk, id);
    const std::string encoded = encode_stamps(stamps);
    const auto kept = index.history(id, encoded);
    if (!kept) {
      return std::nullopt;  // the index has no summary that the change could have made wrong
    }
    RecordSources sources;
    const CaseFile file = load_history(disk, id, names_config(), load_face(disk, id, names_config()), stamps, nullptr,
                                       sources);
    forget_unsettled(sources, began);
    std::string history = encode_history(file, sources);
    if (same_facts(history, *kept)) {
      return std::nullopt;
    }
    IndexRow row;
    row.history_stamps = encoded;
    row.history = settled(stamps, began) ? std::move(history) : std::string();  // an empty one never decodes
    return row;
  } catch (const Error&) {
    return std::nullopt;  // a case that cannot be read: reported above
  } catch (const IoError&) {
    return std::nullopt;
  }
}

std::vector<Diagnostic> check_repository(std::shared_ptr<Disk> disk, bool use_index, bool full,
                                         const ProgressSink& progress) {
  std::vector<Diagnostic> out;
  try {
    Store store(disk);
    store.use_index(use_index);
    store.set_progress(progress);
    out = store.check(full);
  } catch (const Error& e) {
    // A broken casectl.yaml is reported, and every other file is still checked.
    out = e.diagnostics().empty() ? std::vector<Diagnostic>{Diagnostic{layout::config_file, 0, 0, e.what()}}
                                  : e.diagnostics();
    Store without = Store::without_config(disk);
    without.set_progress(progress);
    auto rest = without.check();
    out.insert(out.end(), rest.begin(), rest.end());
  }
  std::stable_sort(out.begin(), out.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.path, a.line, a.column) < std::tie(b.path, b.line, b.column);
  });
  return out;
}

}  // namespace casectl::storage
