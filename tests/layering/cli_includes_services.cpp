// Must compile: the control case, proving that the failures above come from the layering and not the set-up.
#include "casectl/services/cases.hpp"
#include "cli/context.hpp"

int main() { return 0; }
