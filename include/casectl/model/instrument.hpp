#pragma once

#include <optional>
#include <string>
#include <vector>

#include "casectl/model/records.hpp"
#include "casectl/model/value.hpp"

namespace casectl {

struct ScalePoint {
  int value = 0;
  std::string label;
  bool operator==(const ScalePoint&) const = default;
};

struct ItemFlag {
  int above = 0;
  std::string name;
  bool urgent = false;
  bool operator==(const ItemFlag&) const = default;
};

struct Item {
  std::string id;
  std::string text;
  std::vector<std::pair<int, std::string>> levels;  ///< descriptions of scale values for this item
  bool allow_na = false;
  std::optional<ItemFlag> flag;
  bool operator==(const Item&) const = default;
};

struct Band {
  int min = 0;
  std::string label;
  bool operator==(const Band&) const = default;
};

enum class Scoring { sum, domains };

/// An assessment instrument, instruments/ID.yaml: data, so that agencies can add their own.
struct Instrument {
  int schema = 1;
  std::string id;
  std::string title;
  std::string version;
  std::string source;
  std::string licence;
  std::string attribution;
  std::string prompt;  ///< the question lead-in, e.g. "Over the last 2 weeks, how often …"
  std::string note;
  Scoring scoring = Scoring::sum;
  bool lower_is_better = false;  ///< `better: lower` (PHQ-9, GAD-7): a falling score is an improvement
  /// The smallest change of the total that is clinically meaningful (`meaningful_change`; PHQ-9, GAD-7: 5).
  std::optional<int> meaningful_change;
  std::vector<ScalePoint> scale;
  std::vector<Item> items;
  std::vector<Band> bands;
  Extras extra;

  const Item* find_item(const std::string& id) const;
  bool in_scale(int value) const;
  std::string scale_label(int value) const;
  int min_value() const;
  int max_value() const;
  /// The band whose `min` is the highest not above `total`.
  std::string band_for(int total) const;
};

/// What an assessment came to: total, band and the flags its answers raise.
struct Scored {
  std::optional<int> total;
  std::string band;
  std::vector<std::string> flags;
  bool urgent = false;
};
Scored score(const Instrument& instrument, const std::vector<std::pair<std::string, Score>>& scores);

/// An answer to one item as a person types it: a whole number on the instrument's scale (an optional sign, at
/// most five digits), or "na"/"n/a" (any case) where the item allows "not applicable". Nothing when it is not a
/// valid answer to that item. The one rule for every way of answering (--score, the prompt, piped answers).
std::optional<Score> parse_answer(const Instrument& instrument, const Item& item, const std::string& text);

}  // namespace casectl
