#include "casectl/storage/merge.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <map>

#include "casectl/model/id.hpp"
#include "casectl/model/text.hpp"
#include "casectl/storage/file_io.hpp"
#include "storage/codec.hpp"
#include "storage/yaml_reader.hpp"
#include "storage/yaml_writer.hpp"

namespace casectl::storage {
namespace {

/// How a list in a face sheet or plan merges: as one value, or item by item, items known by some of their
/// fields (`key`), by their whole content (records that are never edited), or as a set of words.
struct ListRule {
  enum class Kind { whole_value, by_key, by_content, as_set } kind = Kind::whole_value;
  std::vector<const char*> key;
  bool dated = false;  ///< items carry a `date`; the merged list is put back in date order
};

/// The one place that knows which lists of casectl's files hold records added over time.
ListRule list_rule(const std::string& where) {
  using Kind = ListRule::Kind;
  if (where == "household" || where == "care_team") {
    return {Kind::by_key, {"name"}, false};
  }
  if (where == "consents") {
    return {Kind::by_key, {"party", "purpose", "signed"}, false};
  }
  if (where == "flags") {
    return {Kind::by_key, {"id"}, false};
  }
  if (where == "goals") {
    return {Kind::by_key, {"id"}, false};
  }
  if (where == "history" || where == "goals.progress") {
    return {Kind::by_content, {}, true};
  }
  if (where == "tags") {
    return {Kind::as_set, {}, false};
  }
  return {};
}

/// Equality of content, map keys in any order.
bool same(const Value& a, const Value& b) {
  if (a.kind != b.kind) {
    return false;
  }
  switch (a.kind) {
    case Value::Kind::null:
      return true;
    case Value::Kind::scalar:
      return a.text == b.text;
    case Value::Kind::sequence:
      return std::equal(a.items.begin(), a.items.end(), b.items.begin(), b.items.end(), same);
    case Value::Kind::map:
      if (a.entries.size() != b.entries.size()) {
        return false;
      }
      return std::all_of(a.entries.begin(), a.entries.end(), [&](const auto& entry) {
        const Value* other = b.find(entry.first.text);
        return other && same(entry.second, *other);
      });
  }
  return false;
}

const Value& absent() {
  static const Value none;
  return none;
}

/// A list, or no list (a key left out) as the empty list it stands for.
Value as_list(const Value& value) { return value.is_null() ? Value::sequence() : value; }

const Value& field(const Value& map, std::string_view key) {
  const Value* v = map.is_map() ? map.find(key) : nullptr;
  return v ? *v : absent();
}

/// A text that stands for `value` alone, map keys sorted: what "the same record" means for records known by content.
std::string fingerprint(const Value& value) {
  switch (value.kind) {
    case Value::Kind::null:
      return "~";
    case Value::Kind::scalar:
      return fmt::format("s{}:{}", value.text.size(), value.text);
    case Value::Kind::sequence: {
      std::string out = "[";
      for (const auto& item : value.items) {
        out += fingerprint(item) + ",";
      }
      return out + "]";
    }
    case Value::Kind::map: {
      std::map<std::string, std::string> sorted;
      for (const auto& [k, v] : value.entries) {
        sorted[k.text] = fingerprint(v);
      }
      std::string out = "{";
      for (const auto& [k, v] : sorted) {
        out += fmt::format("{}{}:{}", k.size(), k, v);
      }
      return out + "}";
    }
  }
  return {};
}

struct Place {
  std::string where;  ///< the kind of field: "goals.progress"
  std::string label;  ///< the field itself: "goals[gk2xq].progress"

  Place in(const std::string& key) const {
    return {where.empty() ? key : where + "." + key, label.empty() ? key : label + "." + key};
  }
};

class Merger {
 public:
  explicit Merger(std::string token) : m_token(std::move(token)) {}

  Value merge(const Value& base, const Value& ours, const Value& theirs, const Place& place) {
    if (same(ours, theirs)) {
      return ours;
    }
    if (same(base, ours)) {
      return theirs;
    }
    if (same(base, theirs)) {
      return ours;
    }
    if (ours.is_map() && theirs.is_map() && (base.is_map() || base.is_null())) {
      return merge_maps(base, ours, theirs, place);
    }
    const ListRule rule = list_rule(place.where);
    const auto list_or_none = [](const Value& v) { return v.is_sequence() || v.is_null(); };
    if (rule.kind != ListRule::Kind::whole_value && list_or_none(base) && list_or_none(ours) &&
        list_or_none(theirs)) {
      Value merged = merge_lists(as_list(base), as_list(ours), as_list(theirs), place, rule);
      return merged.items.empty() ? Value() : merged;  // a list emptied on both sides leaves no key
    }
    m_conflicts.push_back({place.label, ours, theirs});
    return Value::plain(placeholder(m_conflicts.size() - 1));
  }

  struct Conflict {
    std::string field;
    Value ours;
    Value theirs;
  };
  const std::vector<Conflict>& conflicts() const { return m_conflicts; }
  std::string placeholder(size_t index) const { return fmt::format("{}-{}", m_token, index); }

 private:
  std::string m_token;
  std::vector<Conflict> m_conflicts;

  Value merge_maps(const Value& base, const Value& ours, const Value& theirs, const Place& place) {
    std::vector<std::string> keys;
    for (const Value* side : {&ours, &theirs}) {
      for (const auto& entry : side->entries) {
        if (std::find(keys.begin(), keys.end(), entry.first.text) == keys.end()) {
          keys.push_back(entry.first.text);
        }
      }
    }
    Value merged = Value::map();
    for (const auto& key : keys) {
      merged.set(key, merge(field(base, key), field(ours, key), field(theirs, key), place.in(key)));
    }
    return merged;
  }

  /// The identity of each item of `list`, repeated identities told apart by their count.
  static std::vector<std::string> identities(const Value& list, const ListRule& rule) {
    std::vector<std::string> ids;
    std::map<std::string, int> seen;
    for (const auto& item : list.items) {
      std::string id;
      if (rule.kind == ListRule::Kind::by_key) {
        for (const char* key : rule.key) {
          const Value& part = field(item, key);
          id += fmt::format("{}\x1f", part.is_scalar() ? part.text : std::string());
        }
      }
      if (id.find_first_not_of('\x1f') == std::string::npos) {
        id = fingerprint(item);  // by content, or keyed without a key (an old flag without an ID)
      }
      ids.push_back(fmt::format("{}#{}", id, seen[id]++));
    }
    return ids;
  }

  static std::string item_label(const Value& item, const ListRule& rule) {
    std::vector<std::string> parts;
    for (const char* key : rule.key) {
      const Value& part = field(item, key);
      if (part.is_scalar() && !part.text.empty()) {
        parts.push_back(part.text);
      }
    }
    return join(parts, ", ");
  }

  Value merge_lists(const Value& base, const Value& ours, const Value& theirs, const Place& place,
                    const ListRule& rule) {
    const auto base_ids = identities(base, rule);
    const auto our_ids = identities(ours, rule);
    const auto their_ids = identities(theirs, rule);
    const auto position = [](const std::vector<std::string>& ids, const std::string& id) {
      return static_cast<size_t>(std::find(ids.begin(), ids.end(), id) - ids.begin());
    };
    Value merged = Value::sequence();
    // A record removed on one side and changed on the other is kept: losing it is never the safe answer.
    const auto keep = [&](const Value& item, const std::string& id, const Value& other_side,
                          const std::vector<std::string>& other_ids) {
      const size_t in_base = position(base_ids, id);
      const size_t in_other = position(other_ids, id);
      if (in_other < other_ids.size()) {
        const Value& base_item = in_base < base_ids.size() ? base.items[in_base] : absent();
        const Place item_place{place.where, fmt::format("{}[{}]", place.label, item_label(item, rule))};
        merged.items.push_back(merge(base_item, item, other_side.items[in_other], item_place));
      } else if (in_base >= base_ids.size() || !same(base.items[in_base], item)) {
        merged.items.push_back(item);
      }
    };
    for (size_t i = 0; i < ours.items.size(); ++i) {
      keep(ours.items[i], our_ids[i], theirs, their_ids);
    }
    for (size_t i = 0; i < theirs.items.size(); ++i) {
      if (position(our_ids, their_ids[i]) == our_ids.size()) {
        keep(theirs.items[i], their_ids[i], ours, our_ids);
      }
    }
    if (rule.dated) {
      std::stable_sort(merged.items.begin(), merged.items.end(), [](const Value& a, const Value& b) {
        return field(a, "date").text < field(b, "date").text;
      });
    }
    return merged;
  }
};

/// The canonical tree of a face sheet or plan, or nothing when `text` is not a readable one.
std::optional<Value> canonical(Document document, std::string_view text) {
  std::vector<Diagnostic> diagnostics;
  auto parsed = parse_yaml(text, "merge", diagnostics);
  if (!parsed) {
    return std::nullopt;
  }
  DecodeContext context{"merge", diagnostics, nullptr};
  if (document == Document::face_sheet) {
    auto c = decode_case(*parsed, context);
    return c ? std::optional(encode_case(*c)) : std::nullopt;
  }
  auto plan = decode_plan(*parsed, context);
  return plan ? std::optional(encode_plan(*plan)) : std::nullopt;
}

constexpr std::string_view k_ours_marker = "<<<<<<< ";
constexpr std::string_view k_middle_marker = "=======";
constexpr std::string_view k_theirs_marker = ">>>>>>> ";
constexpr std::string_view k_base_marker = "|||||||";
constexpr std::string_view k_field_tag = "casectl: ";

/// The lines `key: value` would take at `indent`.
std::vector<std::string> field_lines(const std::string& key, const Value& value, const std::string& indent) {
  if (value.is_null()) {
    return {};
  }
  Value one = Value::map();
  one.set(key, value);
  std::vector<std::string> lines;
  for (auto& line : split(emit_yaml(one), '\n')) {
    if (!line.empty()) {
      lines.push_back(indent + line);
    }
  }
  return lines;
}

/// Replaces each placeholder line of `text` by a block that shows both values of its field.
std::string mark_conflicts(const std::string& text, const Merger& merger, const MergeSide& ours,
                           const MergeSide& theirs) {
  std::string out;
  for (const auto& line : split(text, '\n')) {
    const size_t colon = line.find(": ");
    size_t which = merger.conflicts().size();
    for (size_t i = 0; colon != std::string::npos && i < merger.conflicts().size(); ++i) {
      if (line.compare(colon + 2, std::string::npos, merger.placeholder(i)) == 0) {
        which = i;
      }
    }
    if (which == merger.conflicts().size()) {
      out += line + "\n";
      continue;
    }
    const auto& conflict = merger.conflicts()[which];
    const size_t key_at = line.find_first_not_of(' ');
    const std::string indent = line.substr(0, key_at);
    const std::string key = line.substr(key_at, colon - key_at);
    out += fmt::format("{}{}{} | ours: {}\n", k_ours_marker, k_field_tag, conflict.field, ours.label);
    for (const auto& l : field_lines(key, conflict.ours, indent)) {
      out += l + "\n";
    }
    out += fmt::format("{}\n", k_middle_marker);
    for (const auto& l : field_lines(key, conflict.theirs, indent)) {
      out += l + "\n";
    }
    out += fmt::format("{}{}{} | theirs: {}\n", k_theirs_marker, k_field_tag, conflict.field, theirs.label);
  }
  while (out.size() > 1 && out[out.size() - 1] == '\n' && out[out.size() - 2] == '\n') {
    out.pop_back();
  }
  return out;
}

/// A token found in none of the texts, to stand in for a conflicting value until its block is written.
std::string fresh_token(std::initializer_list<std::string_view> texts) {
  for (;;) {
    std::string token = "casectl-conflict-" + make_record_id(random_bytes(k_record_id_length)) +
                        make_record_id(random_bytes(k_record_id_length));
    if (std::none_of(texts.begin(), texts.end(), [&](std::string_view t) { return t.find(token) != t.npos; })) {
      return token;
    }
  }
}

/// "casectl: FIELD | ours: LABEL" → FIELD and LABEL; git's own label is the label, with no field.
void parse_marker(std::string_view rest, std::string& field_name, std::string& label) {
  if (starts_with(rest, k_field_tag)) {
    rest.remove_prefix(k_field_tag.size());
    const size_t bar = rest.rfind(" | ");
    if (bar != std::string_view::npos) {
      field_name = std::string(rest.substr(0, bar));
      rest.remove_prefix(bar + 3);
      const size_t colon = rest.find(": ");
      label = std::string(colon == std::string_view::npos ? rest : rest.substr(colon + 2));
      return;
    }
  }
  label = std::string(rest);
}

}  // namespace

std::optional<MergeResult> merge_document(Document document, std::string_view base, const MergeSide& ours,
                                          const MergeSide& theirs) {
  const auto base_tree = trim(base).empty() ? std::optional(Value()) : canonical(document, base);
  const auto our_tree = canonical(document, ours.text);
  const auto their_tree = canonical(document, theirs.text);
  if (!base_tree || !our_tree || !their_tree) {
    return std::nullopt;
  }
  Merger merger(fresh_token({base, ours.text, theirs.text}));
  const Value merged = merger.merge(*base_tree, *our_tree, *their_tree, Place{});
  MergeResult result;
  if (merger.conflicts().empty()) {
    const std::string text = emit_yaml(merged);
    const auto tree = canonical(document, text);
    if (!tree) {
      return std::nullopt;  // two valid sides that make an invalid whole: for git's line-by-line merge
    }
    result.text = emit_yaml(*tree);
    return result;
  }
  for (const auto& conflict : merger.conflicts()) {
    result.conflicts.push_back({conflict.field});
  }
  result.text = mark_conflicts(emit_yaml(merged), merger, ours, theirs);
  return result;
}

std::vector<ConflictBlock> find_conflict_blocks(std::string_view text) {
  std::vector<ConflictBlock> blocks;
  std::optional<ConflictBlock> open;
  enum class Part { ours, base, theirs } part = Part::ours;
  const auto lines = split(text, '\n');
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    const int number = static_cast<int>(i) + 1;
    if (starts_with(line, k_ours_marker)) {
      open = ConflictBlock{};
      open->first_line = number;
      parse_marker(std::string_view(line).substr(k_ours_marker.size()), open->field, open->ours_label);
      part = Part::ours;
    } else if (!open) {
      continue;
    } else if (starts_with(line, k_base_marker)) {
      part = Part::base;
    } else if (line == k_middle_marker) {
      part = Part::theirs;
    } else if (starts_with(line, k_theirs_marker)) {
      std::string field_name;
      parse_marker(std::string_view(line).substr(k_theirs_marker.size()), field_name, open->theirs_label);
      open->last_line = number;
      blocks.push_back(std::move(*open));
      open.reset();
    } else if (part == Part::ours) {
      open->ours.push_back(line);
    } else if (part == Part::theirs) {
      open->theirs.push_back(line);
    }
  }
  return blocks;
}

std::string shown_side(const std::vector<std::string>& lines) {
  std::vector<std::string> trimmed;
  for (const auto& line : lines) {
    trimmed.push_back(trim(line));
  }
  return trimmed.empty() ? std::string("(no value)") : join(trimmed, " / ");
}

std::string settle_conflicts(std::string_view text, const std::vector<std::string>& fields, bool take_ours,
                             std::vector<std::string>& unknown) {
  const auto blocks = find_conflict_blocks(text);
  for (const auto& name : fields) {
    if (std::none_of(blocks.begin(), blocks.end(), [&](const ConflictBlock& b) { return b.field == name; })) {
      unknown.push_back(name);
    }
  }
  const auto lines = split(text, '\n');
  std::string out;
  size_t next = 0;  // the next line of `text` to copy
  for (const auto& block : blocks) {
    const bool chosen = !block.field.empty() &&
                        (fields.empty() || std::find(fields.begin(), fields.end(), block.field) != fields.end());
    if (!chosen) {
      continue;
    }
    for (; next + 1 < static_cast<size_t>(block.first_line); ++next) {
      out += lines[next] + "\n";
    }
    for (const auto& line : take_ours ? block.ours : block.theirs) {
      out += line + "\n";
    }
    next = static_cast<size_t>(block.last_line);
  }
  for (; next < lines.size(); ++next) {
    out += lines[next] + (next + 1 < lines.size() ? "\n" : "");
  }
  return out;
}

}  // namespace casectl::storage
