#pragma once

// Reading a case's files into the model: the one place that knows how a case folder is read. The store and the
// index both use it.

#include <algorithm>
#include <array>
#include <fmt/format.h>
#include <optional>
#include <string>
#include <vector>

#include "casectl/model/case_file.hpp"
#include "casectl/model/config.hpp"
#include "casectl/model/error.hpp"
#include "casectl/storage/disk.hpp"
#include "casectl/storage/file_io.hpp"
#include "storage/codec.hpp"
#include "storage/io_errors.hpp"
#include "storage/journal.hpp"
#include "storage/yaml_reader.hpp"

namespace casectl::storage {

bool has_error(const std::vector<Diagnostic>& diagnostics);
/// The bytes of a file, or the error a reader reports.
std::string read_file(Disk& disk, const std::string& path);

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
std::vector<std::string> record_files(Disk& disk, const std::string& dir);
/// The case folder must be a real directory holding a face sheet.
void require_case_folder(Disk& disk, const std::string& id);
/// The face sheet of case `id`, which must name `id`.
Case load_face(Disk& disk, const std::string& id, const Config* config);
std::optional<Plan> load_plan_from(Disk& disk, const std::string& id, const Config* config);
/// The face sheet (unless given), the plan and every dated record of a case.
CaseFile load_file(Disk& disk, const std::string& id, const Config* config, std::optional<Case> face);

/// Where a dated record of a case came from: its file, the file's stamp when it was read, and the record's place
/// in its list of the `CaseFile`.
struct RecordSource {
  std::string name;
  Stamp stamp;
  uint8_t list = 0;  ///< 0 contacts, 1 assessments, 2 reviews, 3 referrals, 4 referral updates
  uint32_t position = 0;
  bool operator==(const RecordSource&) const = default;
};
/// The sources of a case's records, folder by folder (contacts, assessments, reviews, referrals), in name order.
using RecordSources = std::array<std::vector<RecordSource>, 4>;

/// A case's history as read before: its plan and records (their facts are enough), where they came from, and the
/// stamps of the plan and the record folders then (`history_stamps`).
struct HistoryBefore {
  const CaseFile& file;
  const RecordSources& sources;
  const std::vector<std::optional<Stamp>>& stamps;
};

/// The plan and every dated record of a case (`load_file`), and where each record came from, the folders having
/// the stamps `stamps`. Given the history `before`, only what changed is read: the plan if its stamp changed, and
/// in a record folder whose stamp changed, the files that are new or whose own stamp changed.
CaseFile load_history(Disk& disk, const std::string& id, const Config* config, Case face,
                      const std::vector<std::optional<Stamp>>& stamps, const HistoryBefore* before,
                      RecordSources& sources);
bool is_empty_folder(Disk& disk, const std::string& dir);

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

}  // namespace casectl::storage
