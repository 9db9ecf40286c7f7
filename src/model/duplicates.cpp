#include "casectl/model/duplicates.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <memory_resource>
#include <optional>
#include <span>
#include <unordered_map>

#include "casectl/model/text.hpp"

namespace casectl {
namespace {

constexpr int k_similar = 2;                 ///< a very similar name is at most this `name_distance` away
constexpr size_t k_phone_digits_min = 7;     ///< fewer digits say too little to call two phones the same
constexpr size_t k_phone_digits_max = 32;    ///< longer numbers are compared by their last 32 digits
constexpr size_t k_words_indexed = 6;        ///< the dates of birth are indexed with subsets of this many words
constexpr size_t k_names_compared = 4'000;   ///< look-alike names compared with one client at most

/// How far the search for similar names went.
enum class SimilarNames { all, more, maybe_more };

/// A client as the rule compares them: folded once.
struct Folded {
  FoldedName name;
  std::optional<Date> dob;
  std::string digits;  ///< of the phone number, the last `k_phone_digits_max`
};

Folded folded_client(const Case& c) {
  Folded p{FoldedName::of(c.client.name), c.client.dob, {}};
  std::copy_if(c.client.phone.begin(), c.client.phone.end(), std::back_inserter(p.digits),
               [](char ch) { return ch >= '0' && ch <= '9'; });
  if (p.digits.size() > k_phone_digits_max) {
    p.digits.erase(0, p.digits.size() - k_phone_digits_max);
  }
  return p;
}

/// Phone numbers are the same when their digits are, or when the digits of one (7 at least) end the other's: a
/// country or area code in front, spaces and punctuation do not hide a duplicate.
bool same_phone(const std::string& a, const std::string& b) {
  const auto& [shorter, longer] = a.size() <= b.size() ? std::tie(a, b) : std::tie(b, a);
  return shorter.size() >= k_phone_digits_min && longer.ends_with(shorter);
}

/// How alike the names (and dates of birth) of two clients are, as a warning says it; empty when they are not.
/// `similar` is `name_distance(...) <= k_similar`, when the caller knows it already.
std::string name_likeness(const Folded& existing, const Folded& p, std::optional<bool> similar = std::nullopt) {
  if (p.name.sorted.empty() || existing.name.sorted.empty()) {
    return {};
  }
  const bool same_dob = p.dob && existing.dob == p.dob;
  if (p.name.sorted == existing.name.sorted) {
    return same_dob ? "same name and date of birth" : "same name";
  }
  if (similar ? *similar : names_within(existing.name, p.name, k_similar)) {
    return same_dob ? "a very similar name and the same date of birth" : "a very similar name";
  }
  if (same_dob && names_overlap(existing.name, p.name)) {
    return "same date of birth and part of the same name";  // "Jose Garcia" for "José García-Núñez"
  }
  return {};
}

std::string reason(const Folded& existing, const Folded& p, std::optional<bool> similar = std::nullopt) {
  std::string out = name_likeness(existing, p, similar);
  if (same_phone(existing.digits, p.digits)) {
    out += out.empty() ? "same phone number" : "; same phone number";
  }
  return out;
}

/// Counts of a name's characters, 32 buckets, saturated: half the difference of two names' counts is at most the
/// edit distance between them, in either word order, so most names are ruled out without computing it.
using Histogram = std::array<uint8_t, 32>;

Histogram histogram_of(std::u32string_view text) {
  Histogram h{};
  for (const char32_t code : text) {
    auto& n = h[code % h.size()];
    n = static_cast<uint8_t>(std::min(255, n + 1));
  }
  return h;
}

bool may_be_similar(const Histogram& a, const Histogram& b) {
  int apart = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    apart += std::abs(a[i] - b[i]);
  }
  return apart <= 2 * k_similar;
}

uint64_t mix(uint64_t hash, uint64_t value) {
  hash ^= value + 0x9e3779b97f4a7c15ULL + (hash << 6) + (hash >> 2);
  return hash * 0xff51afd7ed558ccdULL;
}

uint64_t hash_of(uint64_t seed, std::u32string_view text) {
  for (const char32_t code : text) {
    seed = mix(seed, code);
  }
  return mix(seed, text.size());
}

uint64_t hash_of(uint64_t seed, std::string_view text) {
  return mix(std::hash<std::string_view>{}(text), seed);
}

/// Lists of numbers under keys that are hashes already: open addressing in one array of plain slots, the lists
/// in an arena that is freed whole. An import adds some 20 keys and looks up some 150 per row: one probe each, and
/// no allocation, division or chain of nodes.
class Buckets {
 public:
  void add(uint64_t key, uint32_t value) {
    if ((m_used + 1) * 4 > m_slots.size() * 3) {
      grow();
    }
    Slot& slot = m_slots[place(key)];
    if (slot.size == 0) {
      slot.key = key;
      ++m_used;
    }
    if (slot.size == slot.capacity) {
      const uint32_t capacity = std::max<uint32_t>(2, 2 * slot.capacity);
      auto* values = static_cast<uint32_t*>(m_arena.allocate(capacity * sizeof(uint32_t), alignof(uint32_t)));
      std::copy_n(slot.values, slot.size, values);
      slot.values = values;  // the old list stays in the arena until the register goes
      slot.capacity = capacity;
    }
    slot.values[slot.size++] = value;
  }

  /// The list under `key`, in the order added; empty when there is none.
  std::span<const uint32_t> find(uint64_t key) const {
    if (m_slots.empty()) {
      return {};
    }
    const Slot& slot = m_slots[place(key)];
    return {slot.values, slot.size};
  }

 private:
  struct Slot {
    uint64_t key = 0;
    uint32_t* values = nullptr;
    uint32_t size = 0;  // 0: a free slot (a key is only ever added with a value)
    uint32_t capacity = 0;
  };

  /// The slot holding `key`, or the free one where it goes.
  size_t place(uint64_t key) const {
    const size_t mask = m_slots.size() - 1;
    size_t at = static_cast<size_t>((key * 0x9e3779b97f4a7c15ULL) >> 20) & mask;
    while (m_slots[at].size != 0 && m_slots[at].key != key) {
      at = (at + 1) & mask;
    }
    return at;
  }

  void grow() {
    std::vector<Slot> old(std::max<size_t>(1024, 2 * m_slots.size()));
    old.swap(m_slots);
    for (const Slot& slot : old) {
      if (slot.size != 0) {
        m_slots[place(slot.key)] = slot;
      }
    }
  }

  std::vector<Slot> m_slots;
  size_t m_used = 0;
  std::pmr::monotonic_buffer_resource m_arena;
};

/// The start and length of segment `i` of 0..k_similar of a name `length` characters long (PassJoin): two names at
/// most k_similar apart share a segment of one, shifted by at most k_similar characters in the other.
std::pair<size_t, size_t> segment(size_t length, size_t i) {
  constexpr size_t parts = k_similar + 1;
  const size_t base = length / parts;
  const size_t longer = length % parts;  // the last `longer` segments have one character more
  const size_t shorter = parts - longer;
  const size_t start = i < shorter ? i * base : shorter * base + (i - shorter) * (base + 1);
  return {start, i < shorter ? base : base + 1};
}

/// Every non-empty subset of the distinct words of a name (of its first `k_words_indexed`), each as one string.
std::vector<std::string> word_subsets(const std::vector<std::string>& sorted_words) {
  std::vector<std::string> distinct;
  std::unique_copy(sorted_words.begin(), sorted_words.end(), std::back_inserter(distinct));
  distinct.resize(std::min(distinct.size(), k_words_indexed));
  std::vector<std::string> subsets;
  for (uint32_t mask = 1; mask < (1u << distinct.size()); ++mask) {
    std::string subset;
    for (size_t w = 0; w < distinct.size(); ++w) {
      if (mask & (1u << w)) {
        subset += distinct[w];
        subset += '\0';
      }
    }
    subsets.push_back(std::move(subset));
  }
  return subsets;
}

std::string all_words(const std::vector<std::string>& sorted_words) {
  std::string out;
  for (auto it = sorted_words.begin(); it != sorted_words.end(); it = std::upper_bound(it, sorted_words.end(), *it)) {
    out += *it;
    out += '\0';
  }
  return out;
}

}  // namespace

std::string duplicate_reason(const Case& existing, const Case& c) { return reason(folded_client(existing), folded_client(c)); }

// Three ways in, each giving clients who may match, every one then checked with the rule itself:
//  - names: clients are grouped by folded name; each group's segments (see `segment`), in both word orders, lead
//    to it from any name at most k_similar characters apart;
//  - phones: every suffix of 7 digits or more of a number leads to it, and so does the whole number;
//  - dates of birth: with each subset of the words of a name (sharing a date of birth and every word of the
//    shorter name), and with all its words.
struct DuplicateRegister::Impl {
  struct Group {  // clients with the same folded name, in the order they were added
    FoldedName name;
    std::vector<uint32_t> clients;
  };
  struct Known {
    std::string label;
    uint32_t group;
    Folded person;
  };

  std::vector<Known> clients;
  std::vector<Group> groups;
  /// Per group, what a search reads of it first, side by side: most comparisons need only these.
  struct Probe {
    uint32_t visited = 0;  ///< the last `visit` that compared it
    Histogram histogram;   ///< of its name
  };
  mutable std::vector<Probe> probes;
  std::unordered_map<std::u32string, uint32_t> group_of_name;
  Buckets by_segment;                     // -> groups
  Buckets by_phone_suffix, by_phone;      // -> clients
  Buckets by_birth_subset, by_birth_all;  // -> clients
  mutable uint32_t visit = 0;

  static uint64_t segment_key(int order, size_t length, size_t i, std::u32string_view text) {
    return hash_of(mix(mix(static_cast<uint64_t>(order), length), i), text);
  }
  static const std::u32string& form(const FoldedName& name, int order) {
    return order == 0 ? name.in_order : name.sorted;
  }
  static uint64_t birth_key(const Date& dob, const std::string& words) {
    return hash_of(static_cast<uint64_t>(dob.days()), words);
  }

  uint32_t group_for(const FoldedName& name) {
    const auto [it, added] = group_of_name.try_emplace(name.in_order, static_cast<uint32_t>(groups.size()));
    if (added) {
      groups.push_back(Group{name, {}});
      probes.push_back(Probe{0, histogram_of(name.in_order)});
      for (int order = 0; order < 2 && !name.sorted.empty(); ++order) {  // no name is like no name
        const auto& text = form(name, order);
        for (size_t i = 0; i <= k_similar; ++i) {
          const auto [start, length] = segment(text.size(), i);
          by_segment.add(segment_key(order, text.size(), i, std::u32string_view(text).substr(start, length)), it->second);
        }
      }
    }
    return it->second;
  }

  void add(Folded p, std::string label) {
    const auto index = static_cast<uint32_t>(clients.size());
    const uint32_t group = group_for(p.name);
    groups[group].clients.push_back(index);
    if (p.digits.size() >= k_phone_digits_min) {
      for (size_t n = k_phone_digits_min; n <= p.digits.size(); ++n) {
        by_phone_suffix.add(hash_of(0, std::string_view(p.digits).substr(p.digits.size() - n)), index);
      }
      by_phone.add(hash_of(0, p.digits), index);
    }
    if (p.dob && !p.name.words.empty()) {
      for (const auto& subset : word_subsets(p.name.words)) {
        by_birth_subset.add(birth_key(*p.dob, subset), index);
      }
      by_birth_all.add(birth_key(*p.dob, all_words(p.name.words)), index);
    }
    clients.push_back(Known{std::move(label), group, std::move(p)});
  }

  /// The buckets that may hold a name at most k_similar from `name`: per word order, length and segment, the
  /// places where the segment can be after at most k_similar edits (PassJoin's position bounds).
  std::vector<std::span<const uint32_t>> segment_buckets(const FoldedName& name) const {
    std::vector<std::span<const uint32_t>> buckets;
    for (int order = 0; order < 2; ++order) {
      const std::u32string_view text = form(name, order);
      const size_t from = text.size() > k_similar ? text.size() - k_similar : 0;
      for (size_t length = from; length <= text.size() + k_similar; ++length) {
        for (size_t i = 0; i <= k_similar; ++i) {
          const auto [start, size] = segment(length, i);
          const auto shift = static_cast<std::ptrdiff_t>(text.size()) - static_cast<std::ptrdiff_t>(length);
          const auto p = static_cast<std::ptrdiff_t>(start);
          const auto before = static_cast<std::ptrdiff_t>(i);  // edits before the segment
          const auto after = static_cast<std::ptrdiff_t>(k_similar - i);
          const std::ptrdiff_t lowest = std::max({std::ptrdiff_t{0}, p - before, p + shift - after});
          const std::ptrdiff_t highest = std::min({p + before, p + shift + after,
                                                   static_cast<std::ptrdiff_t>(text.size() - size)});
          for (auto at = static_cast<size_t>(lowest); static_cast<std::ptrdiff_t>(at) <= highest; ++at) {
            if (const auto bucket = by_segment.find(segment_key(order, length, i, text.substr(at, size)));
                !bucket.empty()) {
              buckets.push_back(bucket);
            }
          }
        }
      }
    }
    auto by_place = [](const auto& a, const auto& b) { return a.data() < b.data(); };
    std::sort(buckets.begin(), buckets.end(), by_place);
    buckets.erase(std::unique(buckets.begin(), buckets.end(), [](const auto& a, const auto& b) { return a.data() == b.data(); }),
                  buckets.end());
    return buckets;
  }

  /// The groups whose names are at most k_similar from `name`, sorted, from the smallest buckets up. The search
  /// stops once the groups found hold more clients than are named (there are more, for certain), or after
  /// comparing k_names_compared names (there may be more): so one client costs at most that many comparisons,
  /// whatever the names known, and an import is linear in its rows.
  SimilarNames similar_groups(const FoldedName& name, const Histogram& histogram, std::vector<uint32_t>& out) const {
    auto buckets = segment_buckets(name);
    std::stable_sort(buckets.begin(), buckets.end(), [](const auto& a, const auto& b) { return a.size() < b.size(); });
    ++visit;
    size_t compared = 0;
    size_t clients_found = 0;
    SimilarNames outcome = SimilarNames::all;
    for (const auto bucket : buckets) {
      for (const uint32_t g : bucket) {
        Probe& probe = probes[g];
        if (probe.visited == visit) {
          continue;
        }
        probe.visited = visit;
        if (++compared > k_names_compared) {
          outcome = SimilarNames::maybe_more;
          break;
        }
        if (may_be_similar(probe.histogram, histogram) && names_within(groups[g].name, name, k_similar)) {
          out.push_back(g);
          clients_found += groups[g].clients.size();
          if (clients_found > k_duplicates_named) {
            outcome = SimilarNames::more;
            break;
          }
        }
      }
      if (outcome != SimilarNames::all) {
        break;
      }
    }
    std::sort(out.begin(), out.end());
    return outcome;
  }

  Found find(const Folded& p) const {
    std::vector<uint32_t> candidates;  // clients; from each way in, the first that match (enough to fill `Found`)
    auto take = [&](std::span<const uint32_t> bucket) {
      size_t matching = 0;
      for (auto it = bucket.begin(); it != bucket.end() && matching <= k_duplicates_named; ++it) {
        if (!reason(clients[*it].person, p).empty()) {
          candidates.push_back(*it);
          ++matching;
        }
      }
    };
    std::vector<uint32_t> similar;
    SimilarNames searched = SimilarNames::all;
    if (!p.name.sorted.empty()) {
      searched = similar_groups(p.name, histogram_of(p.name.in_order), similar);
    }
    for (const uint32_t g : similar) {
      const auto& members = groups[g].clients;  // each matches, by its name
      candidates.insert(candidates.end(), members.begin(),
                        members.begin() + static_cast<std::ptrdiff_t>(std::min(members.size(), k_duplicates_named + 1)));
    }
    if (p.digits.size() >= k_phone_digits_min) {
      take(by_phone_suffix.find(hash_of(0, p.digits)));
      for (size_t n = k_phone_digits_min; n < p.digits.size(); ++n) {
        take(by_phone.find(hash_of(0, std::string_view(p.digits).substr(p.digits.size() - n))));
      }
    }
    if (p.dob && !p.name.words.empty()) {
      take(by_birth_subset.find(birth_key(*p.dob, all_words(p.name.words))));
      for (const auto& subset : word_subsets(p.name.words)) {
        take(by_birth_all.find(birth_key(*p.dob, subset)));
      }
    }
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    Found found;
    for (const uint32_t index : candidates) {
      const Known& client = clients[index];
      const bool by_name = std::binary_search(similar.begin(), similar.end(), client.group);
      std::string why = reason(client.person, p, by_name ? std::optional<bool>(true) : std::nullopt);
      if (why.empty()) {
        continue;
      }
      if (found.matches.size() == k_duplicates_named) {
        found.more = true;
        break;
      }
      found.matches.push_back(Match{client.label, std::move(why)});
    }
    found.more = found.more || searched == SimilarNames::more;
    found.maybe_more = searched == SimilarNames::maybe_more && !found.more;
    return found;
  }
};

DuplicateRegister::DuplicateRegister() : m(std::make_unique<Impl>()) {}
DuplicateRegister::~DuplicateRegister() = default;
void DuplicateRegister::add(const Case& c, std::string label) { m->add(folded_client(c), std::move(label)); }
DuplicateRegister::Found DuplicateRegister::find(const Case& c) const { return m->find(folded_client(c)); }
DuplicateRegister::Found DuplicateRegister::find_then_add(const Case& c, std::string label) {
  Folded p = folded_client(c);
  Found found = m->find(p);
  m->add(std::move(p), std::move(label));
  return found;
}

}  // namespace casectl
