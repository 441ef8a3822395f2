#pragma once
/// \file
/// Subcommands other than `scan`/`rules` live in their own files in tool/cli/. Each file
/// defines its llvm::cl::SubCommand and options (cl::sub(ThatSubCommand)) as file-static
/// globals and exposes the two functions below; main.cpp parses argv once and dispatches.

namespace atm::cli {

/// `authtoken-migrate mock-server …` (tool/cli/MockServerCommand.cpp).
bool mockServerSelected();
int runMockServer();

} // namespace atm::cli
