// Must NOT compile: the store knows nothing of the services above it.
#include "casectl/services/session.hpp"

int main() { return 0; }
