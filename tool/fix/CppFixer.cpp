//===- CppFixer.cpp - C, C++ and Objective-C through the Clang front end
//--------===//
//
// The Clang front end (tool/clang) already works out the C-family fixes during
// the scan: each fixable finding comes with a FindingFix (byte edits that drop
// the legacy credential and give the same request the OAuth header from the
// generated helper, plus the helper's
// `#include "zoho_oauth.h"` after the file's last #include). This fixer turns
// those edits into the engine's edits, so that `fix` prints them in its one
// unified diff with the helper files (`helper --lang cpp`: zoho_oauth.h,
// zoho_oauth.cpp) added once per directory. `scan --export-fixes` writes the
// same edits for clang-apply-replacements.
//
// A finding without a FindingFix is left for a person with the front end's
// reason (its FixNote); so is one whose fix would also edit another file (a
// header reached through a macro or a shared list): `fix` edits a finding's own
// file only.

#include <algorithm>
#include <set>

#include "fix/EditUtil.h"
#include "fix/Fixers.h"

#include "fmt/format.h"
#include "llvm/Support/Path.h"

namespace atm::fix {
namespace {

constexpr llvm::StringLiteral IncludeLine = "#include \"zoho_oauth.h\"\n";

/// The front end's fix of \p F (same display path, offset and rule), or null.
const FindingFix *clangFixOf(const std::vector<FindingFix> &Fixes, const Finding &F) {
  for (const FindingFix &Fx : Fixes)
    if (Fx.DisplayPath == F.Path && Fx.Offset == F.Offset && Fx.RuleId == F.RuleId)
      return &Fx;
  return nullptr;
}

/// The reason a finding has no edit: the front end's note without its "no
/// automatic fix:" prefix (the summary already says "left for a person").
std::string manualReason(const Finding &F, bool FrontendRan) {
  llvm::StringRef N = llvm::StringRef(F.FixNote).trim();
  if (N.consume_front("no automatic fix: ") || N.consume_front("no automatic fix"))
    N = N.ltrim(" :");
  if (!N.empty())
    return N.str();
  if (!FrontendRan)
    return "C, C++ and Objective-C are fixed through the Clang front end, "
           "which did not run";
  return "no Clang fix for `" + F.RuleId +
         "` (a lexer rule; when the file did not parse "
         "with Clang, the scan's notes say why: give fix the include paths "
         "with -p or "
         "--extra-arg)";
}

/// The whole lines of \p Text around byte \p Offset.
llvm::StringRef lineAt(llvm::StringRef Text, size_t Offset) {
  Offset = std::min(Offset, Text.size());
  size_t B = Text.rfind('\n', Offset ? Offset - 1 : 0);
  B = B == llvm::StringRef::npos || Offset == 0 ? 0 : B + 1;
  size_t E = Text.find('\n', Offset);
  return Text.slice(B, E == llvm::StringRef::npos ? Text.size() : E);
}

bool isHardcoded(const Finding &F) { return llvm::StringRef(F.RuleId).contains("hardcoded"); }

class CppFixer final : public LanguageFixer {
public:
  llvm::StringRef name() const override { return "cpp"; }
  bool handles(Language L) const override {
    return L == Language::C || L == Language::Cpp || L == Language::ObjC;
  }

  void fix(FileContext &Ctx) const override {
    const std::vector<FindingFix> *Fixes = Ctx.Opts ? Ctx.Opts->ClangFixes : nullptr;
    std::string NS = Ctx.Opts ? helperNamespace("cpp", *Ctx.Opts) : "zoho_oauth";
    std::set<std::pair<size_t, std::string>> SharedDone; // the #include, once
    bool NeedsHelper = false;
    for (size_t I = 0; I < Ctx.Findings.size(); ++I) {
      const Finding &F = *Ctx.Findings[I];
      if (isHardcoded(F))
        Ctx.RevokeLines.push_back(F.Begin.Line);
      const FindingFix *Fx = Fixes ? clangFixOf(*Fixes, F) : nullptr;
      if (!Fx || Fx->Edits.empty()) {
        Ctx.manual(I, manualReason(F, Fixes != nullptr));
        continue;
      }
      std::string Other;
      for (const TextEdit &E : Fx->Edits)
        if (E.DisplayPath != Ctx.Path)
          Other = E.DisplayPath;
      if (!Other.empty()) {
        Ctx.manual(I, fmt::format("its fix also edits {} (fix edits a finding's own file "
                                  "only); apply it with `scan --export-fixes` and "
                                  "clang-apply-replacements",
                                  Other));
        continue;
      }
      bool Bad = false;
      for (const TextEdit &E : Fx->Edits)
        Bad = Bad || E.Offset + E.Length > Ctx.Text.size();
      if (Bad) { // the file changed between the parse and now
        Ctx.manual(I, "the file changed while it was being fixed; run fix again");
        continue;
      }
      // Endpoints that died with the authtoken (CRM API v1, …) are ported, not
      // patched.
      std::string Seen = lineAt(Ctx.Text, F.Offset).str();
      for (const TextEdit &E : Fx->Edits)
        if (E.Length)
          Seen += "\n" + lineAt(Ctx.Text, E.Offset).str();
      std::string Dead = deadEndpoint(Seen);
      if (!Dead.empty()) {
        Ctx.manual(I, Dead);
        continue;
      }
      bool CallsHelper = false;
      for (const TextEdit &E : Fx->Edits) {
        TextEdit Out;
        Out.Offset = E.Offset;
        Out.Length = E.Length;
        Out.Text = E.Text;
        if (NS != "zoho_oauth") { // --namespace cpp=NAME: the helper's C++ namespace
          std::string T;
          llvm::StringRef In(Out.Text);
          for (size_t P; (P = In.find("zoho_oauth::")) != llvm::StringRef::npos;
               In = In.drop_front(P + 12))
            T += In.take_front(P).str() + NS + "::";
          Out.Text = T + In.str();
        }
        if (llvm::StringRef(E.Text).contains("zoho_oauth"))
          CallsHelper = true;
        if (E.Length == 0 && E.Text.find(IncludeLine.str()) != std::string::npos) {
          if (SharedDone.insert({E.Offset, E.Text}).second)
            Ctx.addSharedEdit(std::move(Out));
          continue;
        }
        Ctx.addEdit(I, std::move(Out));
      }
      NeedsHelper = NeedsHelper || CallsHelper;
      Ctx.fixed(I, Fx->Note.empty() ? F.FixNote : Fx->Note);
    }
    if (NeedsHelper)
      Ctx.Helpers.push_back(
          {"cpp", llvm::sys::path::parent_path(Ctx.Path, llvm::sys::path::Style::posix).str()});
  }
};

} // namespace

std::unique_ptr<LanguageFixer> makeCppFixer() { return std::make_unique<CppFixer>(); }

} // namespace atm::fix
