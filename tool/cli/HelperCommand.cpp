//===- HelperCommand.cpp - `authtoken-migrate helper` ----------------------===//

#include <string>

#include "cli/Cli.h"
#include "cli/Commands.h"
#include "helpers/Helpers.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/raw_ostream.h"

#ifndef ATM_VERSION
#define ATM_VERSION "0.0.0"
#endif

namespace cl = llvm::cl;
using namespace atm;
using namespace atm::cli;

namespace {

cl::SubCommand HelperCmd("helper", "Write a generated OAuth token-refresh helper for a language");
cl::opt<std::string> HelperLang("lang", cl::desc("Language of the helper (see --list)"), cl::value_desc("LANG"),
                                cl::sub(HelperCmd));
cl::opt<std::string> HelperOut("out", cl::desc("Directory to write into (default: .)"), cl::init("."),
                               cl::value_desc("DIR"), cl::sub(HelperCmd));
cl::opt<std::string> HelperNamespace("namespace", cl::desc("Namespace / package / module name for the helper"),
                                     cl::value_desc("NAME"), cl::sub(HelperCmd));
cl::alias HelperPackage("package", cl::desc("Alias for --namespace"), cl::aliasopt(HelperNamespace));
cl::opt<std::string>
    HelperInPackage("in-package",
                    cl::desc("Go: write zoho_oauth.go as a file of this existing package (its "
                             "names prefixed, e.g. zohoOAuthSetAuthorization)"),
                    cl::value_desc("PKG"), cl::sub(HelperCmd));
cl::opt<bool> HelperForce("force", cl::desc("Overwrite files that were changed since they were generated"),
                          cl::sub(HelperCmd));
cl::opt<bool> HelperList("list", cl::desc("List the languages that have a helper"), cl::sub(HelperCmd));

} // namespace

namespace atm::cli {

bool helperSelected() { return static_cast<bool>(HelperCmd); }

int runHelper() {
  if (HelperList) {
    for (const std::string &L : helperLanguages())
      llvm::outs() << L << "\n";
    return 0;
  }
  if (HelperLang.empty())
    return fail("helper: --lang is required (see 'authtoken-migrate helper --list')");
  HelperOptions O;
  O.Lang = HelperLang;
  O.OutDir = HelperOut;
  O.Namespace = HelperNamespace;
  O.Force = HelperForce;
  O.Package = HelperInPackage;
  if (!O.Package.empty() && O.Lang != "go")
    return fail("helper: --in-package is for --lang go only");
  O.ToolVersion = ATM_VERSION;
  if (auto E = writeHelper(O, llvm::outs()))
    return failErr(std::move(E));
  return 0;
}

} // namespace atm::cli
