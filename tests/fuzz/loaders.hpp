#pragma once

// The fuzz harnesses: one per loader, each a function that takes any bytes and must return (a value, an error
// diagnostic or a casectl::Error) — never crash, hang, leak, throw anything else or break its round trip. A
// broken property calls abort() so that libFuzzer (or the replay) reports it.

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace casectl::fuzz {

using Loader = void (*)(std::string_view bytes);

struct Harness {
  const char* name;    ///< the libFuzzer target is casectl_fuzz_<name>
  const char* corpus;  ///< its seeds: tests/fuzz/corpus/<corpus>/
  Loader loader;
};

/// Every harness, in a fixed order.
const std::vector<Harness>& harnesses();
/// The harness called `name`; nothing when there is none.
const Harness* find_harness(std::string_view name);

/// Runs `loader` on the bytes, turning an escaped exception into abort().
int run_guarded(Loader loader, const uint8_t* data, size_t size);

}  // namespace casectl::fuzz
