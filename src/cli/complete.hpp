#pragma once

#include <string>
#include <vector>

#include "cli/context.hpp"

namespace casectl::cli {

/// The hidden command the shell completion scripts call: `casectl __complete WORD… CURRENT`, given the words of
/// the command line after `casectl` up to the cursor (the last one the word being completed, maybe empty), each
/// as the shell would pass it (unquoted).
inline constexpr const char* k_complete_command = "__complete";

/// Prints what the word being completed may become, one candidate a line, `VALUE` or `VALUE<TAB>DESCRIPTION`
/// (descriptions for the shells that show them: a case's is its client's name). A line `:files` or `:dirs`
/// instead asks the shell to complete a file name (a directory) itself. Reads the repository that -C/--repo on the
/// line, else CASECTL_REPO, else the working directory names. Prints nothing on stderr and exits 0 whatever
/// happens: a broken repository or a line that makes no sense give no candidates.
int complete_words(CLI::App& app, Context& context, const std::vector<std::string>& words);

}  // namespace casectl::cli
