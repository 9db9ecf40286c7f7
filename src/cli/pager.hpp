#pragma once

#include <optional>
#include <string>

namespace casectl::cli {

/// The pager long output goes through on a terminal: $CASECTL_PAGER, else $PAGER, else "less -FRX". Nothing when
/// the one in force is empty or "cat" (CASECTL_PAGER= or PAGER=cat turn paging off).
std::optional<std::string> pager_command();

/// From now on, the first byte written to std::cout starts `command` (a pager) and everything written to stdout
/// goes through it, and so does stderr when it is the terminal too, so that a message after the output is not
/// drawn over it; as git does, LESS=FRX is set for the pager when LESS is not set (and LESSCHARSET=utf-8, the
/// encoding of all casectl writes, when neither LESSCHARSET nor LESSCHARDEF is). Only when stdout is a
/// terminal. Nothing is started when nothing is written (an error, an empty report). When the pager cannot be
/// started, output goes straight to the terminal (with a note on stderr when it was the user's choice, unless
/// `quiet`).
void page_output(const std::string& command, bool user_choice, bool quiet);

/// Whether a pager was started.
bool pager_started();

/// Ends paging: flushes what is left, closes the pager's input and waits for the user to quit the pager. Output
/// that could not be written because the user quit the pager early is no error: the caller says nothing and keeps
/// its exit status. Nothing to do when no pager was started.
void finish_paging();

}  // namespace casectl::cli
