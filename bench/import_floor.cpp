// The import floor: only the system calls that making N new cases visible all at once needs, and nothing else
// (no row is read, nothing is validated, rendered or checked for duplicates). Each case is one folder holding one
// face sheet, as casectl writes it: the folder is made under a temporary name with its file inside, everything is
// flushed with one syncfs(2), then each folder is renamed to its case ID. A real import must do at least this much,
// so it is the floor the import's timings are compared with.
//
//   import_floor REPO N
//
// REPO must hold an empty cases/ folder. Prints the count of cases made. Plain C++17 and POSIX; built with g++ -O2.

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

// A face sheet's size as import writes it (about 300 bytes).
const std::string face_sheet(300, 'x');

bool make_case(int cases, long i) {
  const std::string staged = ".new-" + std::to_string(i);
  if (mkdirat(cases, staged.c_str(), 0700) != 0) {
    return false;
  }
  const std::string file = staged + "/case.yaml";
  const int fd = openat(cases, file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    return false;
  }
  const bool written = write(fd, face_sheet.data(), face_sheet.size()) == static_cast<ssize_t>(face_sheet.size());
  return close(fd) == 0 && written;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: import_floor REPO N\n");
    return 2;
  }
  const long n = std::atol(argv[2]);
  const int cases = open((std::string(argv[1]) + "/cases").c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (cases < 0) {
    std::perror("cases");
    return 1;
  }
  for (long i = 0; i < n; ++i) {
    if (!make_case(cases, i)) {
      std::perror("write");
      return 1;
    }
  }
  if (syncfs(cases) != 0) {
    std::perror("syncfs");
    return 1;
  }
  for (long i = 0; i < n; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "C%07ld", i);
    if (renameat(cases, (".new-" + std::to_string(i)).c_str(), cases, id) != 0) {
      std::perror("rename");
      return 1;
    }
  }
  if (syncfs(cases) != 0) {
    std::perror("syncfs");
    return 1;
  }
  std::printf("%ld cases made\n", n);
  return 0;
}
