#include "rules/Annotations.h"

#include "core/Text.h"

#include <sstream>

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "re2/re2.h"

namespace atm {
namespace fixtures {

namespace {

const RE2 &annotationRe() {
  static const RE2 Re(
      R"re(^(\s*(?:#|//|--|;|<!--|/\*|\*|%|'|REM\s)\s*)(EXPECT|OK|TODO-EXPECT):\s*(.*?)\s*(?:-->|\*/)?\s*$)re");
  return Re;
}

/// Semgrep's annotations (semgrep --test), lower case, on the line BEFORE their target:
/// `ruleid: ID[, ID…]`, `ok: ID`, `todoruleid: ID` (a known miss), `todook: ID`.
const RE2 &semgrepRe() {
  static const RE2 Re(
      R"re(^(\s*(?:#|//|--|;|<!--|/\*|\*|%|'|REM\s)\s*)(ruleid|ok|todoruleid|todook):\s*(.*?)\s*(?:-->|\*/)?\s*$)re");
  return Re;
}

Annotation::Kind kindOf(const std::string &Kind) {
  return Kind == "EXPECT" ? Annotation::Expect : Kind == "OK" ? Annotation::Ok : Annotation::Todo;
}

bool parseBody(const std::string &Body, Annotation &A, std::string &Err) {
  std::istringstream In(Body);
  std::string Tok;
  In >> A.Rule;
  if (A.Rule.empty()) {
    Err = "annotation without a rule id";
    return false;
  }
  std::string Rest;
  std::getline(In, Rest);
  // A quoted substring may hold spaces: take it first.
  size_t Q = Rest.find('"');
  if (Q != std::string::npos) {
    size_t Q2 = Rest.rfind('"');
    if (Q2 > Q)
      A.Substring = Rest.substr(Q + 1, Q2 - Q - 1);
    Rest = Rest.substr(0, Q);
  }
  std::istringstream R(Rest);
  while (R >> Tok) {
    llvm::StringRef T(Tok);
    if (T.startswith("@")) {
      int Delta;
      llvm::StringRef N = T.drop_front();
      N.consume_front("+"); // @+2 (getAsInteger takes no plus sign)
      if (N.empty() || N.front() == '+' || N.getAsInteger(10, Delta)) {
        Err = "bad @offset " + Tok;
        return false;
      }
      A.Line += Delta;
    } else if (T.startswith(":")) {
      if (T.drop_front().getAsInteger(10, A.Column)) {
        Err = "bad :column " + Tok;
        return false;
      }
    } else if (T.consume_front("product=")) {
      A.Product = T.str();
    } else if (T.consume_front("dc=")) {
      A.Dc = T.str();
    } else if (T.consume_front("candidates=")) {
      A.Candidates = T.str();
    } else if (T.consume_front("cutoff=")) {
      A.Cutoff = T.str();
    } else if (parseSeverity(T)) {
      A.Severity = T.str();
    } else {
      Err = "unknown annotation token '" + Tok + "'";
      return false;
    }
  }
  return true;
}

} // namespace

bool parseFixture(llvm::StringRef Rel, llvm::StringRef Text, llvm::StringRef Sidecar,
                  std::string &Blanked, std::vector<Annotation> &Anns, std::string &Err) {
  std::vector<std::string> Lines;
  {
    size_t Start = 0;
    for (size_t I = 0; I <= Text.size(); ++I)
      if (I == Text.size() || Text[I] == '\n') {
        Lines.push_back(Text.substr(Start, I - Start).str());
        Start = I + 1;
      }
  }
  unsigned LastCode = 0;
  // Semgrep-style annotations wait here for the next line that is not an annotation.
  std::vector<Annotation> Pending;
  for (size_t I = 0; I < Lines.size(); ++I) {
    std::string Prefix, Kind, Body;
    llvm::StringRef L(Lines[I]);
    std::string Line = L.endswith("\r") ? L.drop_back().str() : L.str();
    std::string Where = Rel.str() + ":" + std::to_string(I + 1) + ": ";
    bool Ours = RE2::FullMatch(Line, annotationRe(), &Prefix, &Kind, &Body);
    bool Semgrep = !Ours && RE2::FullMatch(Line, semgrepRe(), &Prefix, &Kind, &Body);
    if (!Ours && !Semgrep) {
      if (I + 1 == Lines.size() && Lines[I].empty())
        break; // after the final newline: no line
      LastCode = I + 1;
      for (Annotation &A : Pending) {
        A.Line = I + 1;
        Anns.push_back(std::move(A));
      }
      Pending.clear();
      continue;
    }
    if (Ours) {
      Annotation A;
      A.K = kindOf(Kind);
      A.Line = LastCode;
      A.AnnotationLine = I + 1;
      if (!parseBody(Body, A, Err)) {
        Err = Where + Err;
        return false;
      }
      if (A.Line == 0) {
        Err = Where + "annotation before any code line";
        return false;
      }
      Anns.push_back(A);
    } else {
      if (Kind == "todook") {
        Err = Where + "todook: is not supported (a known false positive): fix the rule, or "
                      "drop the line";
        return false;
      }
      for (llvm::StringRef Id : llvm::split(Body, ',')) {
        Annotation A;
        A.K = Kind == "ruleid" ? Annotation::Expect
                               : Kind == "ok" ? Annotation::Ok : Annotation::Todo;
        A.AnnotationLine = I + 1;
        if (!parseBody(Id.trim().str(), A, Err)) {
          Err = Where + Err;
          return false;
        }
        Pending.push_back(std::move(A));
      }
    }
    // Keep the comment opener so block comments stay balanced; blank the rest.
    std::string B = Prefix + std::string(Lines[I].size() - Prefix.size(), ' ');
    if (Line.find("-->") != std::string::npos)
      B = Prefix + std::string(Line.size() - Prefix.size() - 3, ' ') + "-->";
    else if (Line.find("*/") != std::string::npos)
      B = Prefix + std::string(Line.size() - Prefix.size() - 2, ' ') + "*/";
    if (L.endswith("\r"))
      B.back() = '\r';
    Lines[I] = B;
  }
  if (!Pending.empty()) {
    Err = Rel.str() + ":" + std::to_string(Pending.front().AnnotationLine) +
          ": annotation after the last line (ruleid:/ok: apply to the line below them)";
    return false;
  }
  // Sidecar for comment-less formats.
  unsigned SN = 0;
  for (llvm::StringRef SL : llvm::split(Sidecar, '\n')) {
    ++SN;
    SL = SL.rtrim("\r");
    if (SL.trim().empty() || SL.trim().startswith("#"))
      continue;
    std::string Num, Kind, Body;
    static const RE2 SideRe(R"(^\s*(\d+)\s+(EXPECT|OK|TODO-EXPECT):\s*(.*?)\s*$)");
    std::string Where = Rel.str() + ".expect:" + std::to_string(SN) + ": ";
    if (!RE2::FullMatch(re2::StringPiece(SL.data(), SL.size()), SideRe, &Num, &Kind, &Body)) {
      Err = Where + "expected '<line> EXPECT: …'";
      return false;
    }
    Annotation A;
    A.K = kindOf(Kind);
    if (llvm::StringRef(Num).getAsInteger(10, A.Line) || A.Line == 0) {
      Err = Where + "bad line number " + Num;
      return false;
    }
    A.AnnotationLine = SN;
    A.Sidecar = true;
    if (!parseBody(Body, A, Err)) {
      Err = Where + Err;
      return false;
    }
    Anns.push_back(A);
  }
  Blanked.clear();
  for (size_t I = 0; I < Lines.size(); ++I) {
    if (I)
      Blanked += "\n";
    Blanked += Lines[I];
  }
  return true;
}

bool readFixture(const std::string &Base, const std::string &Rel, std::string &Blanked,
                 std::vector<Annotation> &Anns, std::string &Err) {
  std::string Path = Base + "/" + Rel;
  auto Buf = llvm::MemoryBuffer::getFile(Path, false, false);
  if (!Buf) {
    Err = "cannot read " + Path;
    return false;
  }
  std::string Sidecar;
  if (auto Side = llvm::MemoryBuffer::getFile(Path + ".expect", false, false))
    Sidecar = (*Side)->getBuffer().str();
  if (!parseFixture(Rel, (*Buf)->getBuffer(), Sidecar, Blanked, Anns, Err))
    return false;
  if (isNotebookPath(Rel)) // the scanner sees a notebook's code cells (core/Text.h)
    decodeNotebookCells(Blanked.data(), Blanked.size());
  return true;
}

std::vector<FixtureProblem> compareFindings(const std::vector<Annotation> &Anns,
                                            const std::vector<Finding> &Findings) {
  std::vector<bool> Claimed(Findings.size(), false);
  std::vector<FixtureProblem> Problems;
  auto Add = [&](const Annotation &A, FixtureProblem::Kind K, const std::string &Rule,
                 std::string What) {
    FixtureProblem P;
    P.Line = A.AnnotationLine;
    P.Sidecar = A.Sidecar;
    P.K = K;
    P.Rule = Rule;
    P.What = std::move(What);
    Problems.push_back(std::move(P));
  };
  for (const Annotation &A : Anns) {
    auto Matches = [&](const Finding &F) {
      return F.RuleId == A.Rule && F.Begin.Line == A.Line &&
             (A.Column == 0 || F.Begin.Column == A.Column);
    };
    if (A.K == Annotation::Expect) {
      bool Found = false;
      for (size_t I = 0; I < Findings.size(); ++I) {
        const Finding &F = Findings[I];
        if (Claimed[I] || !Matches(F))
          continue;
        Found = true;
        Claimed[I] = true;
        auto Mismatch = [&](std::string What) {
          Add(A, FixtureProblem::Mismatch, A.Rule, std::move(What));
        };
        if (!A.Severity.empty() && severityName(F.Sev) != A.Severity)
          Mismatch("severity " + severityName(F.Sev).str() + ", expected " + A.Severity);
        if (!A.Product.empty() && F.Product != A.Product &&
            !((A.Product == "zoho" || A.Product == "unknown") && F.Product.empty()))
          Mismatch("product '" + F.Product + "', expected '" + A.Product + "'");
        if (!A.Dc.empty() && F.DataCentre != A.Dc && !(A.Dc == "none" && F.DataCentre.empty()))
          Mismatch("data centre '" + F.DataCentre + "', expected '" + A.Dc + "'");
        if (!A.Candidates.empty()) {
          std::string Got;
          for (const std::string &C : F.ProductCandidates)
            Got += (Got.empty() ? "" : ",") + C;
          if (Got != A.Candidates)
            Mismatch("candidates '" + Got + "', expected '" + A.Candidates + "'");
        }
        if (!A.Cutoff.empty() && F.Cutoff != A.Cutoff)
          Mismatch("cutoff '" + F.Cutoff + "', expected '" + A.Cutoff + "'");
        if (!A.Substring.empty() && F.Message.find(A.Substring) == std::string::npos)
          Mismatch("message '" + F.Message + "' lacks \"" + A.Substring + "\"");
        break;
      }
      if (!Found)
        Add(A, FixtureProblem::Missing, A.Rule,
            "expected " + A.Rule + " on line " + std::to_string(A.Line) +
                (A.Column ? ":" + std::to_string(A.Column) : "") + " — not found");
    } else {
      for (const Finding &F : Findings)
        if (Matches(F))
          Add(A,
              A.K == Annotation::Ok ? FixtureProblem::OkFired : FixtureProblem::TodoFires, A.Rule,
              std::string(A.K == Annotation::Ok ? "deliberate negative fired: "
                                                : "TODO-EXPECT now fires (promote it to EXPECT): ") +
                  F.RuleId + " on line " + std::to_string(F.Begin.Line));
    }
  }
  for (size_t I = 0; I < Findings.size(); ++I)
    if (!Claimed[I]) {
      const Finding &F = Findings[I];
      FixtureProblem P;
      P.Line = F.Begin.Line;
      P.Column = F.Begin.Column;
      P.K = FixtureProblem::Unexpected;
      P.Rule = F.RuleId;
      P.What = "unexpected " + F.RuleId + ": " + F.Message;
      P.Source = F.LineText;
      Problems.push_back(std::move(P));
    }
  return Problems;
}

std::string checkFindings(const std::string &Rel, const std::vector<Annotation> &Anns,
                          const std::vector<Finding> &Findings) {
  std::ostringstream Out;
  for (const FixtureProblem &P : compareFindings(Anns, Findings)) {
    Out << Rel << ":" << P.Line;
    if (P.K == FixtureProblem::Unexpected)
      Out << ":" << P.Column;
    Out << ": " << P.What << "\n";
    if (P.K == FixtureProblem::Unexpected)
      Out << "    " << P.Source << "\n";
  }
  return Out.str();
}

} // namespace fixtures
} // namespace atm
