#pragma once

namespace casectl::cli {

/// Runs casectl with the command-line arguments; gives the process exit status (sysexits codes).
int run(int argc, char** argv);

}  // namespace casectl::cli
