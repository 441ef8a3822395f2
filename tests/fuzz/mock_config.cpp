/// \file
/// Fuzz target: the mock server's configuration parser (parseMockConfig: YAML or JSON)
/// and validateMockConfig() for a configuration that parses.
/// Seeds: tests/fuzz/seeds/mock_config/ (the examples of tool/mock/README.md).

#include <cstdint>

#include "fuzz/FuzzCommon.h"
#include "mock/MockConfig.h"

using namespace atm::mock;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  llvm::StringRef Text(reinterpret_cast<const char *>(Data), Size);
  auto C = parseMockConfig(Text, "mock.yaml");
  if (!C) {
    std::string Msg = llvm::toString(C.takeError());
    ATM_FUZZ_CHECK(!Msg.empty(), "empty error message");
    return 0;
  }
  if (llvm::Error E = validateMockConfig(*C, "mock.yaml"))
    llvm::consumeError(std::move(E));
  (void)toJson(C->Limits);
  (void)toJson(C->Faults);
  return 0;
}
