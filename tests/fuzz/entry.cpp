// The libFuzzer entry of one harness, chosen when building: -DCASECTL_FUZZ_HARNESS="name".
#include <cstdio>
#include <cstdlib>

#include "loaders.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const casectl::fuzz::Loader loader = [] {
    const auto* harness = casectl::fuzz::find_harness(CASECTL_FUZZ_HARNESS);
    if (!harness) {
      std::fprintf(stderr, "no fuzz harness called %s\n", CASECTL_FUZZ_HARNESS);
      std::abort();
    }
    return harness->loader;
  }();
  return casectl::fuzz::run_guarded(loader, data, size);
}
