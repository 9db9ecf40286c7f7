#include "storage/yaml_reader.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <sstream>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include "casectl/model/text.hpp"

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

/// Thrown from inside the event handler to stop the parser at the first structure casectl refuses.
struct Refused {
  YAML::Mark mark;
  std::string message;
};

/// Builds a `Value` from parser events, refusing what casectl never writes as the events arrive, so that alias
/// bombs, cycles and deep nesting never become a tree.
class TreeBuilder : public YAML::EventHandler {
 public:
  std::optional<Value> result;

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    refuse_anchor(mark, anchor);
    add(node_at(mark, Value::Kind::null));
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override {
    throw Refused{mark, "aliases (*name) are not allowed in casectl files"};
  }
  void OnAnchor(const YAML::Mark& mark, const std::string&) override {
    throw Refused{mark, "anchors (&name) are not allowed in casectl files"};
  }
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    refuse_anchor(mark, anchor);
    refuse_tag(mark, tag);
    // Escapes can spell what the raw bytes may not (\e, \0, \r, \x85, \L), and yaml-cpp 0.7 decodes \_ and \N
    // to invalid UTF-8: the decoded text obeys the same rules as the file.
    if (auto problem = find_text_problem(value)) {
      throw Refused{mark, "a quoted string holds " + problem->reason + " (written as an escape)"};
    }
    Value v = node_at(mark, Value::Kind::scalar);
    v.text = value;
    v.quoted = tag == "!";
    add(std::move(v));
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    refuse_anchor(mark, anchor);
    refuse_tag(mark, tag);
    open(node_at(mark, Value::Kind::sequence));
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    refuse_anchor(mark, anchor);
    refuse_tag(mark, tag);
    open(node_at(mark, Value::Kind::map));
  }
  void OnMapEnd() override { close(); }

 private:
  struct Frame {
    Value node;
    std::optional<Value> key;  // for maps: the key waiting for its value
  };
  std::vector<Frame> m_stack;
  int m_nodes = 0;

  Value node_at(const YAML::Mark& mark, Value::Kind kind) {
    if (++m_nodes > k_max_nodes) {
      throw Refused{mark, fmt::format("more than {} values in one file", k_max_nodes)};
    }
    Value v;
    v.kind = kind;
    v.line = mark.line + 1;
    v.column = mark.column + 1;
    return v;
  }

  static void refuse_anchor(const YAML::Mark& mark, YAML::anchor_t anchor) {
    if (anchor != YAML::NullAnchor) {
      throw Refused{mark, "anchors (&name) are not allowed in casectl files"};
    }
  }
  static void refuse_tag(const YAML::Mark& mark, const std::string& tag) {
    if (tag != "?" && tag != "!" && !tag.empty()) {
      throw Refused{mark, "tags (!name) are not allowed in casectl files"};
    }
  }

  void open(Value node) {
    if (static_cast<int>(m_stack.size()) >= k_max_depth) {
      throw Refused{mark_of(node), fmt::format("nested deeper than {} levels", k_max_depth)};
    }
    m_stack.push_back(Frame{std::move(node), std::nullopt});
  }

  void close() {
    Value done = std::move(m_stack.back().node);
    m_stack.pop_back();
    add(std::move(done));
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
      if (!v.is_scalar()) {
        throw Refused{mark_of(v), "map keys must be plain text"};
      }
      // YAML allows implicit keys up to 1024 characters; a longer one could never be written back.
      if (v.text.size() > k_max_key_length) {
        throw Refused{mark_of(v), fmt::format("a key longer than {} characters", k_max_key_length)};
      }
      for (const auto& entry : top.node.entries) {
        if (entry.first.text == v.text) {
          throw Refused{mark_of(v), fmt::format("duplicate key{} (first at line {})", quoted_key(v.text),
                                                entry.first.line)};
        }
      }
      top.key = std::move(v);
      return;
    }
    top.node.entries.emplace_back(std::move(*top.key), std::move(v));
    top.key.reset();
  }

  static YAML::Mark mark_of(const Value& v) {
    YAML::Mark m;
    m.line = v.line - 1;
    m.column = v.column - 1;
    return m;
  }
};

/// Merge conflict markers left by git: each one is reported with its line.
bool report_conflict_markers(std::string_view text, const std::string& path, std::vector<Diagnostic>& out) {
  bool found = false;
  int line = 1;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    const std::string_view row = text.substr(start, end == std::string_view::npos ? text.size() - start : end - start);
    if (starts_with(row, "<<<<<<<") || starts_with(row, ">>>>>>>") || starts_with(row, "|||||||") ||
        row == "=======" || starts_with(row, "======= ")) {
      out.push_back(Diagnostic{path, line, 1, "merge conflict marker; resolve the conflict (keep one side) and run "
                                              "'casectl check' again"});
      found = true;
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
  // yaml-cpp 0.7 accepts a quote left open at the end of the file: a truncated file would load.
  if (const auto open_quote = scan_text(text).unclosed_quote) {
    diagnostics.push_back(Diagnostic{path, open_quote->first, open_quote->second,
                                     "a quoted string is never closed (is the file cut short?)"});
    return std::nullopt;
  }
  std::istringstream stream{std::string(text)};
  TreeBuilder builder;
  try {
    YAML::Parser parser(stream);
    if (!parser.HandleNextDocument(builder)) {
      diagnostics.push_back(Diagnostic{path, 0, 0, "the file is empty"});
      return std::nullopt;
    }
    // A second document would be ignored silently by a plain load; casectl files hold exactly one. The loop is
    // bounded: yaml-cpp 0.7 never stops producing null documents for some inputs.
    TreeBuilder second;
    if (parser.HandleNextDocument(second)) {
      int line = second.result ? second.result->line : 0;
      diagnostics.push_back(Diagnostic{path, line, 1, "more than one YAML document in the file ('---' or '...')"});
      return std::nullopt;
    }
  } catch (const Refused& refused) {
    diagnostics.push_back(Diagnostic{path, refused.mark.line + 1, refused.mark.column + 1, refused.message});
    return std::nullopt;
  } catch (const YAML::Exception& e) {
    const bool has_mark = !e.mark.is_null();
    std::string message = e.msg == "bad file" ? "nested too deeply" : e.msg;
    diagnostics.push_back(Diagnostic{path, has_mark ? e.mark.line + 1 : 0, has_mark ? e.mark.column + 1 : 0,
                                     "not valid YAML: " + message});
    return std::nullopt;
  } catch (const std::bad_alloc&) {
    diagnostics.push_back(Diagnostic{path, 0, 0, "not valid YAML: too large to parse"});
    return std::nullopt;
  } catch (const std::exception& e) {
    diagnostics.push_back(Diagnostic{path, 0, 0, fmt::format("not valid YAML: {}", e.what())});
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
