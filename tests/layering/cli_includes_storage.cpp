// Must NOT compile: the command line sees the services, never the storage layer below them.
// CTest builds this as if it were part of the command line and expects the build to fail.
#include "casectl/storage/store.hpp"

int main() { return 0; }
