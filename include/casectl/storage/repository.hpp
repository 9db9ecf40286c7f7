#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "casectl/model/case.hpp"
#include "casectl/model/case_file.hpp"
#include "casectl/model/config.hpp"
#include "casectl/model/error.hpp"
#include "casectl/model/instrument.hpp"
#include "casectl/model/plan.hpp"
#include "casectl/model/records.hpp"
#include "casectl/storage/file_io.hpp"

namespace casectl::storage {


/// How to find the repository: `-C`/`--repo` first, then `CASECTL_REPO`, then the nearest ancestor of the
/// working directory that holds casectl.yaml.
struct RepositoryLocation {
  std::optional<std::filesystem::path> option;
  std::optional<std::filesystem::path> environment;
  std::filesystem::path working_directory;
};
std::filesystem::path find_repository(const RepositoryLocation& where);

/// A case repository on disk. Reads never lock; every write happens under a `WriteLock` the caller holds, goes
/// to a file atomically, and is verified to load back to the same values before it replaces anything.
class Repository {
 public:
  /// Opens the repository at `root`, reading casectl.yaml (a `config` error when it is broken).
  explicit Repository(std::filesystem::path root);
  /// A repository whose casectl.yaml could not be read, for `check` to look at everything else: names of
  /// programs, workers and risk levels are then not checked.
  static Repository without_config(std::filesystem::path root);

  const std::filesystem::path& root() const { return m_root; }
  const Config& config() const { return m_config; }

  WriteLock lock(std::chrono::milliseconds timeout) const;

  /// IDs of every case folder, sorted.
  std::vector<std::string> case_ids() const;
  /// Entries of cases/ that look like case folders but are not real directories (e.g. symbolic links).
  std::vector<Diagnostic> case_folder_problems() const;
  bool has_case(const std::string& id) const;

  Case load_case(const std::string& id) const;
  std::optional<Plan> load_plan(const std::string& id) const;
  /// The face sheet, the plan and every dated record of a case; a broken file is a `data` error.
  CaseFile load_case_file(const std::string& id) const;

  std::vector<std::string> instrument_ids() const;
  Instrument load_instrument(const std::string& id) const;

  /// Creates a new case folder and face sheet; the ID must be new.
  void create_case(const Case& c) const;
  /// Rewrites the face sheet; refuses (and writes nothing) when the file on disk has comments.
  void save_case(const Case& c) const;
  /// Throws what `save_case` would when the face sheet cannot be rewritten, so that an operation writing a record
  /// and then the face sheet can refuse before writing either.
  void ensure_case_rewritable(const std::string& id) const;
  void save_plan(const Plan& plan) const;
  // New dated records: each gets a fresh record ID unique within its case, set on the argument.
  void add_contact(Contact& contact) const;
  void add_assessment(Assessment& assessment) const;
  void add_review(Review& review) const;
  void add_referral(Referral& referral) const;
  void add_referral_update(ReferralUpdate& update) const;

  /// Validates the text of a face sheet or plan as `edit` would save it, without writing.
  std::vector<Diagnostic> validate_text(const std::string& relative_path, const std::string& text) const;
  /// Writes a face sheet or plan from text already validated by `validate_text`.
  void replace_text(const std::string& relative_path, const std::string& text) const;

  /// Every problem in every file of the repository.
  std::vector<Diagnostic> check() const;

  std::filesystem::path case_dir(const std::string& id) const;
  /// `cases/ID/file`, as shown in messages.
  static std::string display(const std::string& id, const std::string& file);

 private:
  std::filesystem::path m_root;
  Config m_config;
  bool m_config_known = true;

  Repository(std::filesystem::path root, Config config, bool known)
      : m_root(std::move(root)), m_config(std::move(config)), m_config_known(known) {}
  const Config* names_config() const { return m_config_known ? &m_config : nullptr; }

  std::string new_record_id(const std::string& case_id) const;
  void check_case_folder(const std::string& id, std::vector<Diagnostic>& out) const;
};

/// Creates a new repository in `dir`: casectl.yaml with commented examples, the shipped instruments,
/// .gitignore and .gitattributes. Refuses when `dir` already holds casectl.yaml.
void initialize_repository(const std::filesystem::path& dir, const std::string& agency);

}  // namespace casectl::storage

namespace casectl::storage {
/// `Repository::check` for a repository whose casectl.yaml may itself be broken.
std::vector<Diagnostic> check_repository(const std::filesystem::path& root);
}  // namespace casectl::storage
