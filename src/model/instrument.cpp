#include "casectl/model/instrument.hpp"

#include <algorithm>

namespace casectl {

const Item* Instrument::find_item(const std::string& item_id) const {
  for (const auto& item : items) {
    if (item.id == item_id) {
      return &item;
    }
  }
  return nullptr;
}

bool Instrument::in_scale(int value) const {
  return std::any_of(scale.begin(), scale.end(), [&](const ScalePoint& p) { return p.value == value; });
}

std::string Instrument::scale_label(int value) const {
  for (const auto& p : scale) {
    if (p.value == value) {
      return p.label;
    }
  }
  return {};
}

int Instrument::min_value() const {
  int m = scale.empty() ? 0 : scale.front().value;
  for (const auto& p : scale) {
    m = std::min(m, p.value);
  }
  return m;
}

int Instrument::max_value() const {
  int m = scale.empty() ? 0 : scale.front().value;
  for (const auto& p : scale) {
    m = std::max(m, p.value);
  }
  return m;
}

std::string Instrument::band_for(int total) const {
  std::string label;
  int best = 0;
  bool found = false;
  for (const auto& band : bands) {
    if (band.min <= total && (!found || band.min >= best)) {
      best = band.min;
      label = band.label;
      found = true;
    }
  }
  return label;
}

Scored score(const Instrument& instrument, const std::vector<std::pair<std::string, Score>>& scores) {
  Scored result;
  int total = 0;
  bool any = false;
  for (const auto& [item_id, s] : scores) {
    const Item* item = instrument.find_item(item_id);
    if (!item || !s.value) {
      continue;
    }
    total += *s.value;
    any = true;
    if (item->flag && *s.value > item->flag->above) {
      result.flags.push_back(item->flag->name);
      result.urgent = result.urgent || item->flag->urgent;
    }
  }
  if (any) {
    result.total = total;
    if (instrument.scoring == Scoring::sum) {
      result.band = instrument.band_for(total);
    }
  }
  return result;
}

std::optional<Score> parse_answer(const Instrument& instrument, const Item& item, const std::string& text) {
  std::string answer;
  for (char c : text) {
    if (c != ' ' && c != '\t') {
      answer += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
  }
  if (answer == "na" || answer == "n/a") {
    return item.allow_na ? std::optional<Score>(Score{}) : std::nullopt;
  }
  const size_t sign = !answer.empty() && (answer[0] == '-' || answer[0] == '+') ? 1 : 0;
  const size_t digits = answer.size() - sign;
  if (digits == 0 || digits > 5 || answer.find_first_not_of("0123456789", sign) != std::string::npos) {
    return std::nullopt;
  }
  const int magnitude = std::stoi(answer.substr(sign));
  const int value = answer[0] == '-' ? -magnitude : magnitude;
  if (!instrument.in_scale(value)) {
    return std::nullopt;
  }
  return Score{value};
}

}  // namespace casectl
