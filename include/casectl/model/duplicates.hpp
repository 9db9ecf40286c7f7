#pragma once

// Clients who may be the same person: the rule (`duplicate_reason`), and a register that finds the clients a new
// one may duplicate without comparing it with every client known, so that an import of 100,000 rows into a
// repository of 20,000 cases takes seconds, not hours.

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "casectl/model/case.hpp"

namespace casectl {

/// Why `c` may be the same client as `existing`, empty when nothing suggests it: the same name (compared as
/// `name_key` folds it, whatever the word order, case and accents) or a very similar one (`name_distance` of 2
/// at most), each also saying whether the date of birth is the same; the same date of birth and every word of one
/// name in the other; the same phone number (its digits, or the last 7 digits or more of the longer one). Never
/// names the client.
std::string duplicate_reason(const Case& existing, const Case& c);

/// At most this many possible duplicates are named for one client; the rest are counted as "more".
inline constexpr size_t k_duplicates_named = 10;

class DuplicateRegister {
 public:
  DuplicateRegister();
  ~DuplicateRegister();
  DuplicateRegister(const DuplicateRegister&) = delete;
  DuplicateRegister& operator=(const DuplicateRegister&) = delete;

  /// Adds a client, called `label` in what `find` gives ("c-…", "line 4 of this file").
  void add(const Case& c, std::string label);

  struct Match {
    std::string label;
    std::string reason;  ///< `duplicate_reason`
  };
  struct Found {
    std::vector<Match> matches;  ///< at most `k_duplicates_named` clients that `c` may duplicate
    bool more = false;           ///< there are others
    bool maybe_more = false;     ///< there were too many look-alike names to compare them all
  };
  /// The clients added so far that `c` may duplicate, in the order they were added: every one when there are at
  /// most `k_duplicates_named`, else that many and `more`. The work is bounded whatever the clients known.
  Found find(const Case& c) const;
  /// `find`, then `add`: the client's name folded once (an import does both for every row).
  Found find_then_add(const Case& c, std::string label);

 private:
  struct Impl;
  std::unique_ptr<Impl> m;
};

}  // namespace casectl
