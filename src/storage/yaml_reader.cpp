#include "storage/yaml_reader.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <memory>
#include <unordered_map>
#include <yaml.h>

#include "casectl/model/text.hpp"
#include "casectl/storage/merge.hpp"

namespace casectl::storage {
namespace {

/// A key's name for a message, when it looks like a field name rather than text that could be client data.
std::string quoted_key(const std::string& key) {
  const bool plain = !key.empty() && key.size() <= 40 &&
                     std::all_of(key.begin(), key.end(), [](char c) {
                       return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
                     });
  return plain ? " '" + key + "'" : "";
}

struct Mark {
  int line = 0;  // 1-based
  int column = 0;
};

Mark mark_of(const yaml_mark_t& mark) {
  return Mark{static_cast<int>(mark.line) + 1, static_cast<int>(mark.column) + 1};
}

/// Stops the build at the first structure casectl refuses.
struct Refused {
  Mark mark;
  std::string message;
};

/// A plain scalar YAML reads as null: nothing, or ~ and the spellings of null.
bool is_null_text(std::string_view text) {
  return text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL";
}

/// Builds a `Value` from libyaml's events, refusing what casectl never writes as the events arrive, so that alias
/// bombs, cycles and deep nesting never become a tree.
class TreeBuilder {
 public:
  std::optional<Value> result;

  void scalar(const yaml_event_t& event) {
    const auto& s = event.data.scalar;
    const Mark mark = mark_of(event.start_mark);
    refuse_anchor_or_tag(mark, s.anchor, s.tag);
    const std::string_view text(reinterpret_cast<const char*>(s.value), s.length);
    const bool plain = s.style == YAML_PLAIN_SCALAR_STYLE;
    if (plain && is_null_text(text)) {
      add(node_at(mark, Value::Kind::null));
      return;
    }
    // Escapes can spell what the raw bytes may not (\e, \0, \r, \x85, \L): the decoded text obeys the same
    // rules as the file.
    if (auto problem = find_text_problem(text)) {
      throw Refused{mark, "a quoted string holds " + problem->reason + " (written as an escape)"};
    }
    Value v = node_at(mark, Value::Kind::scalar);
    v.text = std::string(text);
    v.quoted = !plain;
    add(std::move(v));
  }
  void start(const yaml_event_t& event, Value::Kind kind) {
    const Mark mark = mark_of(event.start_mark);
    if (kind == Value::Kind::sequence) {
      refuse_anchor_or_tag(mark, event.data.sequence_start.anchor, event.data.sequence_start.tag);
    } else {
      refuse_anchor_or_tag(mark, event.data.mapping_start.anchor, event.data.mapping_start.tag);
    }
    if (static_cast<int>(m_stack.size()) >= k_max_depth) {
      throw Refused{mark, fmt::format("nested deeper than {} levels", k_max_depth)};
    }
    m_stack.push_back(Frame{node_at(mark, kind), std::nullopt, {}});
  }
  void end() {
    Value done = std::move(m_stack.back().node);
    m_stack.pop_back();
    add(std::move(done));
  }

 private:
  struct Frame {
    Value node;
    std::optional<Value> key;                      // for maps: the key waiting for its value
    std::unordered_map<std::string, int> lines;  // for maps: each key's line, to find a duplicate at once
  };
  std::vector<Frame> m_stack;
  int m_nodes = 0;

  Value node_at(Mark mark, Value::Kind kind) {
    if (++m_nodes > k_max_nodes) {
      throw Refused{mark, fmt::format("more than {} values in one file", k_max_nodes)};
    }
    Value v;
    v.kind = kind;
    v.line = mark.line;
    v.column = mark.column;
    return v;
  }

  static void refuse_anchor_or_tag(Mark mark, const yaml_char_t* anchor, const yaml_char_t* tag) {
    if (anchor != nullptr) {
      throw Refused{mark, "anchors (&name) are not allowed in casectl files"};
    }
    if (tag != nullptr) {
      throw Refused{mark, "tags (!name) are not allowed in casectl files"};
    }
  }

  void add(Value v) {
    if (m_stack.empty()) {
      result = std::move(v);
      return;
    }
    Frame& top = m_stack.back();
    if (top.node.is_sequence()) {
      top.node.items.push_back(std::move(v));
      return;
    }
    if (!top.key) {
      const Mark at{v.line, v.column};
      if (!v.is_scalar()) {
        throw Refused{at, "map keys must be plain text"};
      }
      // YAML allows implicit keys up to 1024 characters; a longer one could never be written back.
      if (v.text.size() > k_max_key_length) {
        throw Refused{at, fmt::format("a key longer than {} characters", k_max_key_length)};
      }
      if (auto [it, fresh] = top.lines.emplace(v.text, v.line); !fresh) {
        throw Refused{at, fmt::format("duplicate key{} (first at line {})", quoted_key(v.text), it->second)};
      }
      top.key = std::move(v);
      return;
    }
    top.node.entries.emplace_back(std::move(*top.key), std::move(v));
    top.key.reset();
  }
};

/// libyaml's parser, freed on every path.
class Parser {
 public:
  explicit Parser(std::string_view text) {
    yaml_parser_initialize(&m_parser);
    yaml_parser_set_input_string(&m_parser, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  }
  ~Parser() { yaml_parser_delete(&m_parser); }
  Parser(const Parser&) = delete;
  Parser& operator=(const Parser&) = delete;

  /// The next event, or a refusal naming libyaml's problem and where it found it.
  yaml_event_type_t next(TreeBuilder& builder) {
    yaml_event_t event;
    if (!yaml_parser_parse(&m_parser, &event)) {
      const char* problem = m_parser.problem ? m_parser.problem : "cannot be parsed";
      throw Refused{mark_of(m_parser.problem_mark), std::string("not valid YAML: ") + problem};
    }
    std::unique_ptr<yaml_event_t, void (*)(yaml_event_t*)> owned(&event, yaml_event_delete);
    switch (event.type) {
      case YAML_ALIAS_EVENT:
        throw Refused{mark_of(event.start_mark), "aliases (*name) are not allowed in casectl files"};
      case YAML_SCALAR_EVENT:
        builder.scalar(event);
        break;
      case YAML_SEQUENCE_START_EVENT:
        builder.start(event, Value::Kind::sequence);
        break;
      case YAML_MAPPING_START_EVENT:
        builder.start(event, Value::Kind::map);
        break;
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_END_EVENT:
        builder.end();
        break;
      default:
        break;
    }
    m_last_mark = mark_of(event.start_mark);
    return event.type;
  }
  Mark last_mark() const { return m_last_mark; }

 private:
  yaml_parser_t m_parser{};
  Mark m_last_mark;
};

/// The case folder `path` lies in, for the command that resolves its conflicts ("CASE" when it lies in none).
std::string case_of(const std::string& path) {
  const size_t at = path.find("cases/");
  if (at == std::string::npos) {
    return "CASE";
  }
  const size_t start = at + 6;
  return path.substr(start, path.find('/', start) - start);
}

/// Merge conflicts left in the file: each block says how to settle it without losing anything else; a marker
/// outside any block is reported with its line.
bool report_conflict_markers(std::string_view text, const std::string& path, std::vector<Diagnostic>& out) {
  const std::string id = case_of(path);
  std::vector<int> in_blocks;
  bool found = false;
  for (const auto& block : find_conflict_blocks(text)) {
    found = true;
    for (int line = block.first_line; line <= block.last_line; ++line) {
      in_blocks.push_back(line);
    }
    if (block.field.empty()) {
      out.push_back(Diagnostic{path, block.first_line, 1,
                               fmt::format("a merge conflict git marked line by line; 'casectl resolve {}' merges "
                                           "the file field by field and loses nothing ('casectl hooks install' "
                                           "has git do so itself)",
                                           id)});
    } else {
      out.push_back(Diagnostic{
          path, block.first_line, 1,
          fmt::format("conflicting values of {}: ours ({}) {}; theirs ({}) {}; keep one with 'casectl resolve {} {} "
                      "--ours' or '--theirs' (nothing else is lost)",
                      block.field, block.ours_label, shown_side(block.ours), block.theirs_label,
                      shown_side(block.theirs), id, block.field)});
    }
  }
  int line = 1;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    const std::string_view row = text.substr(start, end == std::string_view::npos ? text.size() - start : end - start);
    const bool marker = starts_with(row, "<<<<<<<") || starts_with(row, ">>>>>>>") || starts_with(row, "|||||||") ||
                        row == "=======" || starts_with(row, "======= ");
    if (marker && std::find(in_blocks.begin(), in_blocks.end(), line) == in_blocks.end()) {
      found = true;
      out.push_back(Diagnostic{path, line, 1, "a merge conflict marker outside any whole conflict; remove it with "
                                              "'casectl edit' and run 'casectl check' again"});
    }
    if (end == std::string_view::npos) {
      break;
    }
    start = end + 1;
    ++line;
  }
  return found;
}

}  // namespace

std::pair<int, int> line_and_column(std::string_view text, size_t offset) {
  int line = 1;
  int column = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0u) != 0x80u) {
      ++column;
    }
  }
  return {line, column};
}

std::optional<Value> parse_yaml(std::string_view text, const std::string& path, std::vector<Diagnostic>& diagnostics) {
  if (auto problem = find_text_problem(text)) {
    auto [line, column] = line_and_column(text, problem->offset);
    diagnostics.push_back(Diagnostic{path, line, column, problem->reason});
    return std::nullopt;
  }
  if (report_conflict_markers(text, path, diagnostics)) {
    return std::nullopt;
  }
  // Said plainly before the parser says it its own way: a truncated file often ends inside a quote.
  if (const auto open_quote = scan_text(text).unclosed_quote) {
    diagnostics.push_back(Diagnostic{path, open_quote->first, open_quote->second,
                                     "a quoted string is never closed (is the file cut short?)"});
    return std::nullopt;
  }
  TreeBuilder builder;
  try {
    Parser parser(text);
    yaml_event_type_t type = YAML_NO_EVENT;
    while (type != YAML_DOCUMENT_START_EVENT && type != YAML_STREAM_END_EVENT) {
      type = parser.next(builder);
    }
    if (type == YAML_STREAM_END_EVENT) {
      diagnostics.push_back(Diagnostic{path, 0, 0, "the file is empty"});
      return std::nullopt;
    }
    while (type != YAML_DOCUMENT_END_EVENT) {
      type = parser.next(builder);
    }
    // A second document would be ignored silently by a plain load; casectl files hold exactly one. Whatever
    // follows the end of the first ('...' then text) is a second document, valid or not.
    bool second = false;
    try {
      second = parser.next(builder) != YAML_STREAM_END_EVENT;
    } catch (const Refused&) {
      second = true;
    }
    if (second) {
      diagnostics.push_back(Diagnostic{path, parser.last_mark().line, 1,
                                       "more than one YAML document in the file ('---' or '...')"});
      return std::nullopt;
    }
  } catch (const Refused& refused) {
    diagnostics.push_back(Diagnostic{path, refused.mark.line, refused.mark.column, refused.message});
    return std::nullopt;
  } catch (const std::bad_alloc&) {
    diagnostics.push_back(Diagnostic{path, 0, 0, "not valid YAML: too large to parse"});
    return std::nullopt;
  }
  if (!builder.result) {
    diagnostics.push_back(Diagnostic{path, 0, 0, "the file is empty"});
  }
  return builder.result;
}

TextScan scan_text(std::string_view text) {
  // A small scanner, enough for block-style files: it knows quoted scalars (which may span lines) and literal
  // or folded blocks, where '#' is text. A '#' starts a comment at the start of a line or after a blank.
  TextScan result;
  int line = 0;
  char quote = 0;
  std::pair<int, int> quote_start{0, 0};
  int block_indent = -1;  // indentation of the key that opened a block scalar, while inside one
  size_t start = 0;
  while (start < text.size()) {
    ++line;
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    const std::string_view row = text.substr(start, end - start);
    start = end + 1;
    const size_t indent = row.find_first_not_of(' ');
    if (block_indent >= 0) {
      if (indent == std::string_view::npos || static_cast<int>(indent) > block_indent) {
        continue;
      }
      block_indent = -1;
    }
    bool at_value_start = true;
    int key_column = -1;  // where the row's first key (after any "- ") starts
    for (size_t i = 0; i < row.size(); ++i) {
      const char c = row[i];
      if (quote == 0 && key_column < 0 && c != ' ' && !(c == '-' && (i + 1 == row.size() || row[i + 1] == ' '))) {
        key_column = static_cast<int>(i);
      }
      if (quote != 0) {
        if (quote == '"' && c == '\\') {
          ++i;
        } else if (c == quote) {
          if (quote == '\'' && i + 1 < row.size() && row[i + 1] == '\'') {
            ++i;
          } else {
            quote = 0;
            at_value_start = false;
          }
        }
        continue;
      }
      if (c == '#' && (i == 0 || row[i - 1] == ' ' || row[i - 1] == '\t')) {
        if (result.first_comment_line == 0) {
          result.first_comment_line = line;
        }
        break;
      }
      if ((c == '"' || c == '\'') && at_value_start) {
        quote = c;
        quote_start = {line, static_cast<int>(i) + 1};
        continue;
      }
      if (c == ' ' || c == '\t') {
        continue;  // blanks keep the state: a value may start after them
      }
      const bool before_blank = i + 1 == row.size() || row[i + 1] == ' ';
      if (c == '-' && at_value_start && before_blank) {
        continue;  // a sequence entry's dash
      }
      if (c == '[' || c == '{' || c == ',' || (c == ':' && before_blank)) {
        at_value_start = true;
        continue;
      }
      if ((c == '|' || c == '>') && at_value_start) {
        const std::string_view rest = row.substr(i + 1);
        const size_t hash = rest.find(" #");
        const std::string_view indicators = rest.substr(0, hash);
        if (indicators.find_first_not_of("+-0123456789 ") == std::string_view::npos) {
          if (hash != std::string_view::npos && result.first_comment_line == 0) {
            result.first_comment_line = line;
          }
          // The block's text is indented deeper than the key that owns it.
          // (for "- |" the owner is the sequence entry, at the dash's column)
          const int dash_column = static_cast<int>(indent == std::string_view::npos ? 0 : indent);
          block_indent = key_column >= 0 && key_column < static_cast<int>(i) ? key_column : dash_column;
          break;
        }
      }
      at_value_start = false;
    }
  }
  if (quote != 0) {
    result.unclosed_quote = quote_start;
  }
  return result;
}

int first_comment_line(std::string_view text) { return scan_text(text).first_comment_line; }

}  // namespace casectl::storage
