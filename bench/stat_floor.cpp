// The stat floor: only the system calls that any change detection over a case repository needs, and nothing
// else (no file is opened for reading, nothing is parsed). A command that answers from an index must still do
// about this much to know the index is current, so it is the floor the warm timings are compared with.
//
//   stat_floor REPO OPEN_CASES_FILE
//
// 1. list cases/ and stat every face sheet, cases/ID/case.yaml (a closed case can be reopened by an edit);
// 2. for each open case (the IDs in OPEN_CASES_FILE, produced beforehand by the generator, so that finding out
//    which cases are open costs nothing here): list the case folder and stat everything in it;
// 3. list each of the open case's record folders (contacts/, assessments/, reviews/, referrals/).
//
// Prints the counts, so that none of the work can be left out. Plain C++17 and POSIX; built with g++ -O2.

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

namespace {

struct Counts {
  long face_sheets = 0;
  long entries_statted = 0;
  long record_names = 0;
};

// The names in directory `fd` (closed by this function), without . and ..
std::vector<std::string> list(int fd) {
  std::vector<std::string> names;
  DIR* dir = fdopendir(fd);
  if (dir == nullptr) {
    close(fd);
    return names;
  }
  while (const dirent* e = readdir(dir)) {
    if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0) {
      names.emplace_back(e->d_name);
    }
  }
  closedir(dir);
  return names;
}

int open_dir(int at, const std::string& path) {
  return openat(at, path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: stat_floor REPO OPEN_CASES_FILE\n");
    return 2;
  }
  std::vector<std::string> open_cases;
  {
    std::ifstream in(argv[2]);
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) open_cases.push_back(line);
    }
  }
  const int cases = open_dir(AT_FDCWD, std::string(argv[1]) + "/cases");
  if (cases < 0) {
    std::perror("cases");
    return 1;
  }
  Counts n;
  struct stat st {};

  // 1. Every face sheet.
  for (const auto& id : list(dup(cases))) {
    if (fstatat(cases, (id + "/case.yaml").c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0) {
      ++n.face_sheets;
    }
  }
  // 2 and 3. What each open case folder holds, and the names in its record folders.
  for (const auto& id : open_cases) {
    const int folder = open_dir(cases, id);
    if (folder < 0) {
      continue;
    }
    for (const auto& name : list(dup(folder))) {
      if (fstatat(folder, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
        continue;
      }
      ++n.entries_statted;
      if (S_ISDIR(st.st_mode)) {
        const int records = open_dir(folder, name);
        if (records >= 0) {
          n.record_names += static_cast<long>(list(records).size());
        }
      }
    }
    close(folder);
  }
  close(cases);
  std::printf("face sheets %ld, open-case entries %ld, record names %ld\n", n.face_sheets, n.entries_statted,
              n.record_names);
  return 0;
}
