//===- LexCommand.cpp - `authtoken-migrate lex FILE` -----------------------===//

#include <algorithm>
#include <string>

#include "cli/Cli.h"
#include "cli/Commands.h"
#include "core/Text.h"
#include "lang/Language.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

namespace cl = llvm::cl;
using namespace atm;
using namespace atm::cli;

namespace {

cl::SubCommand LexCmd("lex", "Show how a file is split into code/string/comment/config spans (for rule authors)");
cl::opt<std::string> LexFile(cl::Positional, cl::desc("FILE"), cl::Required, cl::sub(LexCmd));
cl::opt<bool> LexShowSecrets("show-secrets",
                             cl::desc("Print secret values unmasked (off by default)"),
                             cl::sub(LexCmd));

/// The first \p Max bytes of \p S, never cutting a UTF-8 sequence.
llvm::StringRef takeFrontUtf8(llvm::StringRef S, size_t Max) {
  if (S.size() <= Max)
    return S;
  while (Max > 0 && (static_cast<unsigned char>(S[Max]) & 0xC0) == 0x80)
    --Max;
  return S.take_front(Max);
}

} // namespace

namespace atm::cli {

bool lexSelected() { return static_cast<bool>(LexCmd); }

int runLex() {
  auto Buf = readSourceFile(LexFile, "lex");
  if (!Buf)
    return failErr(Buf.takeError());
  llvm::StringRef Text = (*Buf)->getBuffer();
  Language L = detectLanguage(LexFile, Text.take_front(4096));
  llvm::outs() << LexFile << ": language " << languageName(L) << "\n";
  if (L == Language::Unknown)
    return 0;
  LineIndex Lines(Text);
  SpanMap Spans = lex(L, Text);
  // Secrets are found once with the whole file as context (a value split over spans),
  // then each span shows its part: linear however many spans a line has.
  std::vector<SecretRange> Secrets;
  if (!LexShowSecrets)
    Secrets = findSecrets(Text, 0, Text.size(), &Spans);
  for (const Span &S : Spans.spans()) {
    if (S.Kind == SpanKind::Code && Text.slice(S.Begin, S.End).trim().empty())
      continue;
    Position P = Lines.position(S.Begin);
    size_t End = std::min<size_t>(S.End, S.Begin + 512); // more than is shown
    llvm::StringRef Raw = Text.slice(S.Begin, End);
    std::string Full;
    if (LexShowSecrets) {
      Full = Raw.str();
    } else {
      auto First = std::lower_bound(Secrets.begin(), Secrets.end(), S.Begin,
                                    [](const SecretRange &R, size_t O) { return R.End <= O; });
      auto Last = First;
      while (Last != Secrets.end() && Last->Begin < End)
        ++Last;
      Full = applySecretMasks(Text, S.Begin, End,
                              llvm::makeArrayRef(Secrets).slice(First - Secrets.begin(), Last - First));
    }
    std::string Shown = takeFrontUtf8(Full, 70).str();
    for (char &C : Shown)
      if (C == '\n' || C == '\r' || C == '\t')
        C = ' ';
    llvm::outs() << llvm::formatv("{0,5}:{1,-4} {2,-12} {3}\n", P.Line, P.Column,
                                  spanKindName(S.Kind), Shown);
  }
  return 0;
}

} // namespace atm::cli
