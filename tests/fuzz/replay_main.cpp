// Replays inputs through the fuzz harnesses, for builds without libFuzzer. A crash, abort or broken round trip
// ends the process, so CTest reports the test as failed.
//
//   casectl_fuzz_replay CORPUS            every harness over the seeds of its folder, CORPUS/<harness's corpus>/
//   casectl_fuzz_replay HARNESS PATH...   one harness over the files given (or the files in the folders given)

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>
#include <vector>

#include "loaders.hpp"

namespace fs = std::filesystem;
using casectl::fuzz::Harness;

namespace {

/// The files at `path` (itself, or those under it), sorted; false when it is neither a file nor a folder.
bool collect(const fs::path& path, std::vector<fs::path>& files) {
  std::error_code error;
  if (fs::is_directory(path, error)) {
    for (const auto& entry : fs::recursive_directory_iterator(path)) {
      if (entry.is_regular_file()) {
        files.push_back(entry.path());
      }
    }
  } else if (fs::is_regular_file(path, error)) {
    files.push_back(path);
  } else {
    return false;
  }
  return true;
}

bool replay(const Harness& harness, std::vector<fs::path> files) {
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "%s: cannot read\n", file.c_str());
      return false;
    }
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::fprintf(stderr, "%s: %s (%zu bytes)\n", harness.name, file.c_str(), bytes.size());
    casectl::fuzz::run_guarded(harness.loader, reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  }
  std::printf("%s: replayed %zu inputs\n", harness.name, files.size());
  return !files.empty();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 2) {
    bool ok = true;
    for (const auto& harness : casectl::fuzz::harnesses()) {
      std::vector<fs::path> files;
      ok = collect(fs::path(argv[1]) / harness.corpus, files) && replay(harness, files) && ok;
    }
    return ok ? 0 : 1;
  }
  const Harness* harness = argc > 2 ? casectl::fuzz::find_harness(argv[1]) : nullptr;
  if (!harness) {
    std::fprintf(stderr, "usage: %s CORPUS | HARNESS FILE|DIR...\n", argv[0]);
    return 2;
  }
  std::vector<fs::path> files;
  for (int i = 2; i < argc; ++i) {
    if (!collect(argv[i], files)) {
      std::fprintf(stderr, "%s: not a file or folder\n", argv[i]);
      return 2;
    }
  }
  return replay(*harness, files) ? 0 : 1;
}
