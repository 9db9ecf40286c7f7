// Must NOT compile: the services know nothing of the command line above them.
#include "cli/context.hpp"

int main() { return 0; }
