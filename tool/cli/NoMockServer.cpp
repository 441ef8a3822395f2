// Used only while the mock server library is not part of the build.
#include "cli/Commands.h"
namespace atm::cli {
bool mockServerSelected() { return false; }
int runMockServer() { return 2; }
} // namespace atm::cli
