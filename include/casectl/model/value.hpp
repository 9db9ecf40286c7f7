#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace casectl {

/// The newest `schema` of casectl's case files, which records made in memory have and every file is written in.
/// Schema 2 (merge-friendly teams): goals get random IDs that two clones cannot both take, and referral answers
/// carry the moment they were recorded. Files of schema 1 read as they are and become schema 2 when rewritten.
inline constexpr int k_newest_schema = 2;

/// A plain tree of YAML-like data, with the position each node had in its file. Storage reads every file into
/// one; the model keeps the keys it does not know as `Extras` so that a rewrite never drops them.
struct Value {
  enum class Kind { null, scalar, sequence, map };

  Kind kind = Kind::null;
  std::string text;     ///< for scalars
  bool quoted = false;  ///< scalar is a string (quoted in its file, or to be written quoted)
  int line = 0;         ///< 1-based position in the file; 0 for values made in memory
  int column = 0;
  std::vector<Value> items;                           ///< for sequences
  std::vector<std::pair<Value, Value>> entries;       ///< for maps, in file order

  // Defined out of line: a pair of Values is only complete once Value is, and clang checks it too early.
  Value();
  ~Value();
  Value(const Value&);
  Value(Value&&) noexcept;
  Value& operator=(const Value&);
  Value& operator=(Value&&) noexcept;

  static Value string(std::string text) { Value v; v.kind = Kind::scalar; v.text = std::move(text); v.quoted = true; return v; }
  static Value plain(std::string text) { Value v; v.kind = Kind::scalar; v.text = std::move(text); return v; }
  static Value map() { Value v; v.kind = Kind::map; return v; }
  static Value sequence() { Value v; v.kind = Kind::sequence; return v; }

  bool is_null() const { return kind == Kind::null; }
  bool is_scalar() const { return kind == Kind::scalar; }
  bool is_map() const { return kind == Kind::map; }
  bool is_sequence() const { return kind == Kind::sequence; }

  const Value* find(std::string_view key) const;
  /// Appends `key: value` to a map; values that are null are skipped so that empty fields stay out of files.
  void set(std::string key, Value value);

  /// Equality of content, ignoring positions.
  bool operator==(const Value& other) const;
};

/// Keys of a map that casectl does not know, kept in file order.
using Extras = std::vector<std::pair<std::string, Value>>;

}  // namespace casectl
