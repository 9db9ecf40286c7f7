// Must NOT compile: the model is plain types and rules, below every other layer.
#include "casectl/storage/disk.hpp"

int main() { return 0; }
