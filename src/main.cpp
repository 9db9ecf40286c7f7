#include <csignal>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "cli/app.hpp"

int main(int argc, char** argv) {
  // Files are private whatever the caller's umask (cron runs with 022), and a crash never leaves a core dump
  // full of client data.
  ::umask(077);
  const rlimit no_core{0, 0};
  ::setrlimit(RLIMIT_CORE, &no_core);
  ::prctl(PR_SET_DUMPABLE, 0);
  // A write past the file-size limit (ulimit -f) fails with EFBIG, which casectl reports and undoes, rather than
  // killing it part-way through a file.
  ::signal(SIGXFSZ, SIG_IGN);
  return casectl::cli::run(argc, argv);
}
