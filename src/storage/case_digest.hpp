#pragma once

// The index's compact binary form of a case, read back far faster than YAML. A face sheet and a plan are kept
// whole; a dated record keeps its facts (dates, kinds, minutes, scores, statuses, workers, follow-ups) and leaves
// out its free text and unknown keys, which no list, due item or report reads. The layout carries no field
// names: `k_digest_version` in the index changes whenever it does.

#include <stdexcept>
#include <string>
#include <string_view>

#include "casectl/model/case_file.hpp"
#include "casectl/model/error.hpp"
#include "storage/case_reader.hpp"

namespace casectl::storage {

/// A digest that does not decode: the index holding it is not trusted.
struct DigestError : std::runtime_error {
  DigestError() : std::runtime_error("the index holds a damaged entry") {}
};

std::string encode_face(const Case& face);
Case decode_face(std::string_view bytes);

/// The plan and the dated records of `file` (not its face sheet), and where the records came from.
std::string encode_history(const CaseFile& file, const RecordSources& sources);
/// Fills the plan and the dated records of `file` from `encode_history`'s bytes.
void decode_history(std::string_view bytes, CaseFile& file);
/// The part of `encode_history`'s bytes that `decode_history` reads.
std::string_view history_facts(std::string_view bytes);
/// Where the records of `encode_history`'s bytes came from.
RecordSources decode_sources(std::string_view bytes);

/// What `check` found in a case folder, kept until the folder changes.
std::string encode_diagnostics(const std::vector<Diagnostic>& diagnostics);
std::vector<Diagnostic> decode_diagnostics(std::string_view bytes);

/// What `encode_history` keeps of a case: the records without their free text and unknown keys.
CaseFile facts_of(CaseFile file);

}  // namespace casectl::storage
