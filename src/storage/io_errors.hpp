#pragma once

#include "casectl/model/error.hpp"
#include "casectl/storage/disk.hpp"

namespace casectl::storage {

/// A failed read as the user sees it: the path and the problem, with the kind the exit code follows (a missing
/// file 66, permission 77, anything else 65).
Error read_error(const IoError& e);
/// A failed write: permission 77, anything else 73.
Error write_error(const IoError& e);

}  // namespace casectl::storage
