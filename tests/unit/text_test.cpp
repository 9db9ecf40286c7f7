#include <doctest/doctest.h>

#include <random>

#include <string>
#include <string_view>
#include <vector>

#include "casectl/model/id.hpp"
#include "casectl/model/text.hpp"

using namespace std::string_view_literals;
using casectl::find_text_problem;
using casectl::code_point_at;

namespace {

/// The byte offset of the first problem, or -1 when the text is fine.
long problem_at(std::string_view text, bool allow_newlines = true) {
  auto p = find_text_problem(text, allow_newlines);
  return p ? static_cast<long>(p->offset) : -1;
}

std::string problem_reason(std::string_view text, bool allow_newlines = true) {
  auto p = find_text_problem(text, allow_newlines);
  return p ? p->reason : std::string();
}

}  // namespace

TEST_SUITE("text") {
  TEST_CASE("valid UTF-8 of every length is accepted") {
    CHECK(problem_at("") == -1);
    CHECK(problem_at("plain ASCII, with a tab\tand a newline\n") == -1);
    CHECK(problem_at("Zo\xC3\xAB") == -1);                  // ë, 2 bytes
    CHECK(problem_at("\xE2\x82\xAC 5") == -1);              // €, 3 bytes
    CHECK(problem_at("\xF0\x9F\x99\x82") == -1);            // 🙂, 4 bytes
    CHECK(problem_at("\xF4\x8F\xBF\xBF") == -1);            // U+10FFFF, the last code point
    CHECK(problem_at("\xC2\xA0") == -1);                    // no-break space is text, not a control
    CHECK(problem_at("\xE6\x97\xA5\xE6\x9C\xAC") == -1);    // 日本
  }

  TEST_CASE("overlong encodings are refused") {
    CHECK(problem_at("\xC0\x80") == 0);              // NUL in 2 bytes
    CHECK(problem_at("\xC1\xBF") == 0);
    CHECK(problem_at("ab\xE0\x80\xAF") == 2);        // '/' in 3 bytes
    CHECK(problem_at("\xF0\x82\x82\xAC") == 0);      // € in 4 bytes
    CHECK(problem_reason("\xC0\x80").find("UTF-8") != std::string::npos);
  }

  TEST_CASE("surrogates and code points above U+10FFFF are refused") {
    CHECK(problem_at("\xED\xA0\x80") == 0);      // U+D800
    CHECK(problem_at("x\xED\xBF\xBF") == 1);     // U+DFFF
    CHECK(problem_at("\xF4\x90\x80\x80") == 0);  // U+110000
    CHECK(problem_at("\xF5\x80\x80\x80") == 0);
    CHECK(problem_at("\xFF") == 0);
    CHECK(problem_at("\xFE") == 0);
  }

  TEST_CASE("stray continuation bytes and truncated characters are refused") {
    CHECK(problem_at("\x80") == 0);
    CHECK(problem_at("ab\xBF") == 2);
    CHECK(problem_at("a\xE2\x82") == 1);          // € cut short at the end
    CHECK(problem_reason("a\xE2\x82").find("truncated") != std::string::npos);
    CHECK(problem_at("a\xE2\x82x") == 1);         // € cut short before more text
    CHECK(problem_at("\xF0\x9F\x99") == 0);
    CHECK(problem_at("\xC3") == 0);
  }

  TEST_CASE("a byte-order mark is refused wherever it is") {
    CHECK(problem_at("\xEF\xBB\xBF" "a: 1") == 0);
    CHECK(problem_reason("\xEF\xBB\xBF" "a: 1").find("byte-order mark") != std::string::npos);
    CHECK(problem_at("a\xEF\xBB\xBF") == 1);
  }

  TEST_CASE("CR, NUL, DEL and other C0 controls are refused; TAB is allowed") {
    CHECK(problem_at("a\r\nb") == 1);
    CHECK(problem_reason("a\r\nb").find("CR") != std::string::npos);
    CHECK(problem_at("a\rb") == 1);
    CHECK(problem_at("ab\0c"sv) == 2);
    CHECK(problem_at("\x7f") == 0);
    CHECK(problem_at("a\x1b[31m") == 1);
    CHECK(problem_at("\x01") == 0);
    CHECK(problem_at("\x0b") == 0);
    CHECK(problem_at("\x0c") == 0);
    CHECK(problem_at("a\tb") == -1);
    CHECK(problem_reason("\x7f").find("U+007F") != std::string::npos);
  }

  TEST_CASE("C1 controls and the Unicode line separators are refused") {
    CHECK(problem_at("\xC2\x85") == 0);  // NEL, U+0085
    CHECK(problem_reason("\xC2\x85").find("U+0085") != std::string::npos);
    CHECK(problem_at("x\xC2\x80") == 1);  // U+0080
    CHECK(problem_at("x\xC2\x9F") == 1);  // U+009F
    CHECK(problem_at("a\xE2\x80\xA8") == 1);  // LINE SEPARATOR
    CHECK(problem_reason("a\xE2\x80\xA8").find("U+2028") != std::string::npos);
    CHECK(problem_at("\xE2\x80\xA9") == 0);  // PARAGRAPH SEPARATOR
  }

  TEST_CASE("the offset counts bytes, past multi-byte characters") {
    CHECK(problem_at("\xC3\xA9\r") == 2);
    CHECK(problem_at("\xF0\x9F\x99\x82\x7f") == 4);
  }

  TEST_CASE("code_point_at decodes one character and gives its length, or length 0 for bytes that are not UTF-8") {
    using P = std::pair<char32_t, size_t>;
    CHECK(code_point_at("a", 0) == P{U'a', 1});
    CHECK(code_point_at("x\xC3\xA9", 1) == P{U'\u00E9', 2});
    CHECK(code_point_at("\xE2\x80\xAE", 0) == P{U'\u202E', 3});
    CHECK(code_point_at("\xF0\x9F\x99\x82", 0) == P{U'\U0001F642', 4});
    for (const char* bad : {"\x80", "\xC0\xAF", "\xE0\x80\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xE2\x80",
                            "\xC3\x28", "\xFF"}) {
      CHECK(code_point_at(bad, 0).second == 0);
    }
  }

  TEST_CASE("newlines are allowed unless refused") {
    CHECK(problem_at("two\nlines") == -1);
    CHECK(problem_at("two\nlines", false) == 3);
    CHECK(problem_at("one line", false) == -1);
    CHECK(problem_at("tab\tok", false) == -1);
  }

  TEST_CASE("fold_name lower-cases and single-spaces a name, splitting it at punctuation") {
    CHECK(casectl::fold_name("  Mary-Jane   O'Neil  ") == "mary jane oneil");
    CHECK(casectl::fold_name("SMITH, John.") == "smith john");
    CHECK(casectl::fold_name("Ana\tLopez") == "ana lopez");
    CHECK(casectl::fold_name("(Bob) \"Bobby\" Brown/Smith; Jr.") == "bob bobby brown smith jr");
    CHECK(casectl::fold_name("") == "");
    CHECK(casectl::fold_name(" - ") == "");
    CHECK(casectl::fold_name(".,;:-'\"") == "");
    CHECK(casectl::fold_name("Henry 8th") == "henry 8th");
  }

  TEST_CASE("fold_name is idempotent, so a name the index keeps folded matches as the name does") {
    for (const char* name : {"  Mary-Jane   O'Neil  ", "(Bob) \"Bobby\" Brown/Smith; Jr.", "José García-Núñez",
                             "Jose\xCC\x81", "Straße", "ǅemal Ǆ", "ﬁona Ⅻ", "İlker Işık", "\xFF\xFE" "bad bytes",
                             "ＦＵＬＬ　ＷＩＤＴＨ", "Ὀδυσσεύς"}) {
      const std::string once = casectl::fold_name(name);
      CHECK(casectl::fold_name(once) == once);
      CHECK(casectl::folded_name_matches(casectl::name_words(name), once));
      CHECK(casectl::folded_name_matches(casectl::name_words("zz"), once) == casectl::name_matches({"zz"}, name));
    }
  }

  TEST_CASE("fold_name removes accents and folds case on full Unicode") {
    CHECK(casectl::fold_name("José García-Núñez") == "jose garcia nunez");
    CHECK(casectl::fold_name("JOSÉ GARCÍA-NÚÑEZ") == "jose garcia nunez");
    CHECK(casectl::fold_name("Jose\xCC\x81") == "jose");                     // e + combining acute (NFD)
    CHECK(casectl::fold_name("Zo\xC3\xAB") == "zoe");                        // ë
    CHECK(casectl::fold_name("Straße") == "strasse");
    CHECK(casectl::fold_name("İlknur Işık") == "ilknur isik");
    CHECK(casectl::fold_name("Søren Łukasz Đorđe Æsa Œdipe Þór Ħassan") == "soren lukasz dorde aesa oedipe thor hassan");
    CHECK(casectl::fold_name("Nguyễn Thị Hương") == "nguyen thi huong");
    CHECK(casectl::fold_name("Ёлкина Ольга") == "елкина ольга");
    CHECK(casectl::fold_name("ΟΔΥΣΣΕΥΣ Ὀδυσσεύς") == "οδυσσευσ οδυσσευσ");  // final sigma folds to sigma
    CHECK(casectl::fold_name("ＡＢＣ") == "abc");                               // full-width letters
    CHECK(casectl::fold_name("ﬁona") == "fiona");                              // the fi ligature
    CHECK(casectl::fold_name("山田 太郎") == "山田 太郎");
  }

  TEST_CASE("fold_name drops apostrophes and invisible characters, and splits at every other separator") {
    CHECK(casectl::fold_name("O’Neil") == "oneil");        // right single quotation mark
    CHECK(casectl::fold_name("Oʼneil") == "oneil");        // modifier letter apostrophe
    CHECK(casectl::fold_name("D'Angelo") == "dangelo");
    CHECK(casectl::fold_name("Jo\xC2\xADs\xC3\xA9") == "jose");       // soft hyphen
    CHECK(casectl::fold_name("Jo\xE2\x80\x8Bse") == "jose");          // zero-width space
    CHECK(casectl::fold_name("Ana\xC2\xA0Lopez") == "ana lopez");     // no-break space
    CHECK(casectl::fold_name("Ana\xE2\x80\x94Lopez") == "ana lopez");  // em dash
    CHECK(casectl::fold_name("Ana\xE3\x80\x80Lopez") == "ana lopez");  // ideographic space
    CHECK(casectl::fold_name("\xE2\x80\xA6") == "");                    // horizontal ellipsis
  }

  TEST_CASE("fold_name reads invalid UTF-8 and control characters as separators") {
    CHECK(casectl::fold_name("Ana\xFFLopez") == "ana lopez");
    CHECK(casectl::fold_name("Jos\xE9") == "jos");          // Latin-1 é
    CHECK(casectl::fold_name("\xC3") == "");
    CHECK(casectl::fold_name("Ana\x01Lopez") == "ana lopez");
    CHECK(casectl::fold_name(std::string("Ana\0Lopez", 9)) == "ana lopez");
  }

  TEST_CASE("name_words and name_key: the folded words, and the same in sorted order") {
    CHECK(casectl::name_words("Garcia, José") == std::vector<std::string>{"garcia", "jose"});
    CHECK(casectl::name_words("---").empty());
    CHECK(casectl::name_key("José García") == "garcia jose");
    CHECK(casectl::name_key("Garcia, Jose") == "garcia jose");
    CHECK(casectl::name_key("GARCÍA JOSÉ") == "garcia jose");
    CHECK(casectl::name_key("José García-Núñez") == "garcia jose nunez");
    CHECK(casectl::name_key(".") == "");
  }

  TEST_CASE("name_matches: every word of the reference begins a word of the name, in any order") {
    const std::string name = "José García-Núñez";
    auto matches = [&](std::string_view reference) {
      return casectl::name_matches(casectl::name_words(reference), name);
    };
    for (const char* reference : {"jose", "garcia", "Garcia, Jose", "JOSÉ garcía-núñez", "nunez", "núñez josé",
                                  "gar", "j", "j. g.", "jose jose", "  garcia   nunez "}) {
      CAPTURE(reference);
      CHECK(matches(reference));
    }
    for (const char* reference : {"arcia", "jose lopez", "josef", "garcianunez", "maria"}) {
      CAPTURE(reference);
      CHECK_FALSE(matches(reference));
    }
    // A reference with no words matches nothing, never everything.
    for (const char* reference : {"", ".", ",", "---", "   ", "'"}) {
      CAPTURE(reference);
      CHECK_FALSE(matches(reference));
    }
    CHECK(casectl::name_matches(casectl::name_words("oneil"), "Siobhán O’Neil"));
    CHECK(casectl::name_matches(casectl::name_words("o'neil"), "Siobhán O’Neil"));
    CHECK(casectl::name_matches(casectl::name_words("ΠΑΠΑ"), "Παπαδόπουλος"));
    CHECK_FALSE(casectl::name_matches(casectl::name_words("jose"), "---"));
  }

  TEST_CASE("names_overlap: every word of one name is a word of the other") {
    CHECK(casectl::names_overlap("Jose Garcia", "José García-Núñez"));
    CHECK(casectl::names_overlap("García-Núñez, José", "Jose Garcia"));
    CHECK(casectl::names_overlap("Ann Lee", "lee ann"));
    CHECK_FALSE(casectl::names_overlap("Jose Garcia", "Jose Lopez"));
    CHECK_FALSE(casectl::names_overlap("Jo Garcia", "Jose Garcia"));        // words, not prefixes
    CHECK_FALSE(casectl::names_overlap("Ann Ann", "Ann Lee"));              // each word counts
    CHECK_FALSE(casectl::names_overlap("---", "Ann Lee"));
  }

  TEST_CASE("names_within agrees with name_distance") {
    std::mt19937 random(7);
    const char* pieces[] = {"a", "b", "ab", " ", "é", "ñ", "ba", "c"};
    auto name = [&] {
      std::string n;
      for (size_t k = 0, count = random() % 7; k < count; ++k) {
        n += pieces[random() % std::size(pieces)];
      }
      return n;
    };
    for (int i = 0; i < 20000; ++i) {
      const std::string a = name();
      const std::string b = name();
      const auto fa = casectl::FoldedName::of(a);
      const auto fb = casectl::FoldedName::of(b);
      for (int most = 0; most <= 3; ++most) {
        CAPTURE(a);
        CAPTURE(b);
        CAPTURE(most);
        REQUIRE(casectl::names_within(fa, fb, most) == (casectl::name_distance(fa, fb) <= most));
      }
    }
  }

  TEST_CASE("name_distance compares folded names, in characters, whatever the word order") {
    CHECK(casectl::name_distance("Ann", "ANN") == 0);
    CHECK(casectl::name_distance("Mary-Jane Smith", "mary jane  smith") == 0);
    CHECK(casectl::name_distance("Jon Smith", "John Smith") == 1);
    CHECK(casectl::name_distance("Maria Lopez", "Mario Lopes") == 2);
    CHECK(casectl::name_distance("", "abc") == 3);
    CHECK(casectl::name_distance("abc", "xyz") == 3);
    CHECK(casectl::name_distance("Garcia, Jose", "José García") == 0);
    CHECK(casectl::name_distance("Josh Garcia", "García, José") == 1);
    CHECK(casectl::name_distance("Mario Lopez", "Mario Nopez") == 1);      // a typo that changes the word order
    CHECK(casectl::name_distance("Ольга", "Олга") == 1);                    // characters, not bytes
  }

  TEST_CASE("closest_match suggests a candidate within two edits") {
    const std::vector<std::string> keys = {"status", "schema", "program", "worker"};
    CHECK(casectl::closest_match("stauts", keys) == "status");
    CHECK(casectl::closest_match("progam", keys) == "program");
    CHECK(casectl::closest_match("worker", keys) == "worker");
    CHECK(casectl::closest_match("workers", keys) == "worker");
    CHECK_FALSE(casectl::closest_match("telephone", keys));
    CHECK(casectl::closest_match("stxxus", {"status"}) == "status");  // two substitutions: still close
    CHECK_FALSE(casectl::closest_match("sxxxus", {"status"}));                  // three: too far
    CHECK_FALSE(casectl::closest_match("status", {}));
  }

  TEST_CASE("closest_match counts two swapped letters as one typo") {
    const std::vector<std::string> commands = {"init", "intake", "list", "log", "show"};
    CHECK(casectl::closest_match("lsit", commands) == "list");  // was "init": two substitutions each
    CHECK(casectl::closest_match("shwo", commands) == "show");
    CHECK(casectl::closest_match("itnake", commands) == "intake");
    CHECK(casectl::closest_match("lgo", commands) == "log");
  }
}

TEST_SUITE("ids") {
  TEST_CASE("a case ID is c- and 8 characters of the lower-case base32 alphabet") {
    CHECK(casectl::is_case_id("c-abcdefgh"));
    CHECK(casectl::is_case_id("c-a2b3c4d7"));
    CHECK_FALSE(casectl::is_case_id("c-abcdefg"));
    CHECK_FALSE(casectl::is_case_id("c-abcdefghi"));
    CHECK_FALSE(casectl::is_case_id("c-ABCDEFGH"));
    CHECK_FALSE(casectl::is_case_id("c-abcdefg1"));  // 1 is not in base32
    CHECK_FALSE(casectl::is_case_id("c-abcdefg8"));
    CHECK_FALSE(casectl::is_case_id("c-abcdefg0"));
    CHECK_FALSE(casectl::is_case_id("d-abcdefgh"));
    CHECK_FALSE(casectl::is_case_id("cxabcdefgh"));
    CHECK_FALSE(casectl::is_case_id("abcdefgh"));
    CHECK_FALSE(casectl::is_case_id("c-abc/efgh"));
    CHECK_FALSE(casectl::is_case_id(""));
  }

  TEST_CASE("a record ID is 4 characters of the same alphabet") {
    CHECK(casectl::is_record_id("k3x9") == false);  // 9 is not in base32
    CHECK(casectl::is_record_id("k3x7"));
    CHECK(casectl::is_record_id("abcd"));
    CHECK_FALSE(casectl::is_record_id("k3x1"));
    CHECK_FALSE(casectl::is_record_id("K3X7"));
    CHECK_FALSE(casectl::is_record_id("k3x"));
    CHECK_FALSE(casectl::is_record_id("k3x77"));
    CHECK_FALSE(casectl::is_record_id(""));
  }

  TEST_CASE("looks_like_case_id_prefix accepts the start of an ID with or without c-") {
    CHECK(casectl::looks_like_case_id_prefix("c-ab"));
    CHECK(casectl::looks_like_case_id_prefix("ab"));
    CHECK(casectl::looks_like_case_id_prefix("c-abcdefgh"));
    CHECK(casectl::looks_like_case_id_prefix("abcdefgh"));
    CHECK(casectl::looks_like_case_id_prefix("c"));
    CHECK_FALSE(casectl::looks_like_case_id_prefix("abcdefghi"));
    CHECK_FALSE(casectl::looks_like_case_id_prefix("c-abcdefghi"));
    CHECK_FALSE(casectl::looks_like_case_id_prefix("c-"));
    CHECK_FALSE(casectl::looks_like_case_id_prefix(""));
    CHECK_FALSE(casectl::looks_like_case_id_prefix("Ada"));
    CHECK_FALSE(casectl::looks_like_case_id_prefix("mary jane"));
    CHECK_FALSE(casectl::looks_like_case_id_prefix("c-ab1"));
  }

  TEST_CASE("make_case_id and make_record_id give well-formed IDs from random bytes") {
    CHECK(casectl::make_case_id(std::string("\x00\x01\x02\x03\x04\x05\x06\x07", 8)) == "c-abcdefgh");
    CHECK(casectl::make_case_id(std::string("\x1f\x20\x3f\xff\x80\x81\x9a\x1b", 8)) == "c-7a77ab23");
    CHECK(casectl::make_record_id(std::string("\x00\x01\x02\x1f", 4)) == "abc7");
    for (int seed = 0; seed < 256; seed += 7) {
      std::string bytes;
      for (int k = 0; k < 8; ++k) {
        bytes += static_cast<char>((seed * 31 + k * 97) & 0xff);
      }
      CAPTURE(seed);
      CHECK(casectl::is_case_id(casectl::make_case_id(bytes)));
      CHECK(casectl::is_record_id(casectl::make_record_id(bytes.substr(0, 4))));
    }
  }

  TEST_CASE("configuration keys are short lower-case words") {
    for (const char* key : {"housing", "mental-health", "a", "0", "a.b_c-d", "phq9", "goals-met"}) {
      CAPTURE(key);
      CHECK(casectl::is_config_key(key));
    }
    for (const char* key : {"", "Housing", "-x", ".x", "_x", "a b", "a/b", "a:b", "\xC3\xA9", "ab\n"}) {
      CAPTURE(key);
      CHECK_FALSE(casectl::is_config_key(key));
    }
    CHECK(casectl::is_config_key(std::string(64, 'a')));
    CHECK_FALSE(casectl::is_config_key(std::string(65, 'a')));
  }
}
