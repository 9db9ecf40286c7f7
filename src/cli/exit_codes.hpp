#pragma once

#include "casectl/model/error.hpp"

namespace casectl::cli {

/// Exit statuses (sysexits.h), as documented in casectl(1).
namespace exit_code {
inline constexpr int ok = 0;
inline constexpr int findings = 1;  ///< check found problems, or --exit-code and something is due
inline constexpr int usage = 64;
inline constexpr int data = 65;
inline constexpr int no_input = 66;
inline constexpr int internal = 70;
inline constexpr int cannot_create = 73;
inline constexpr int io_error = 74;  ///< the output could not be written
inline constexpr int temporary = 75;
inline constexpr int permission = 77;
inline constexpr int config = 78;
}  // namespace exit_code

int exit_code_for(ErrorKind kind);

}  // namespace casectl::cli
