#include "core/Text.h"

#include "gtest/gtest.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/ConvertUTF.h"

#include <random>
#include <string>

using namespace atm;

TEST(Date, ParsesStrictCalendarDates) {
  EXPECT_TRUE(Date::parse("2021-05-31"));
  EXPECT_TRUE(Date::parse("2024-02-29"));
  EXPECT_FALSE(Date::parse("2023-02-29"));
  EXPECT_FALSE(Date::parse("2021-13-01"));
  EXPECT_FALSE(Date::parse("2021-5-31"));
  EXPECT_FALSE(Date::parse("yesterday"));
  EXPECT_EQ(Date::parse("2021-05-31")->str(), "2021-05-31");
}

TEST(Date, DayArithmeticRoundTrips) {
  for (int64_t D = -1000; D < 30000; D += 37)
    EXPECT_EQ(Date::fromDays(D).toDays(), D);
  EXPECT_EQ(Date::parse("1970-01-01")->toDays(), 0);
  EXPECT_EQ(Date::parse("2000-03-01")->toDays() - Date::parse("2000-02-28")->toDays(), 2);
}

TEST(Deadline, StatusAgainstAsOf) {
  Date Cutoff = *Date::parse("2021-05-31");
  // The example of the issue: 2003 days after 2021-05-31 is 2026-11-24.
  EXPECT_EQ(deadlineStatus(Cutoff, *Date::parse("2026-11-24")),
            "past cutoff since 2021-05-31 (2003 days)");
  EXPECT_EQ(deadlineStatus(Cutoff, *Date::parse("2021-06-01")),
            "past cutoff since 2021-05-31 (1 day)");
  EXPECT_EQ(deadlineStatus(Cutoff, *Date::parse("2021-05-31")), "cutoff is today (2021-05-31)");
  EXPECT_EQ(deadlineStatus(Cutoff, *Date::parse("2021-05-19")), "due in 12 days (2021-05-31)");
  EXPECT_EQ(deadlineStatus(Cutoff, *Date::parse("2021-05-30")), "due in 1 day (2021-05-31)");
}

TEST(LineIndex, ALoneCarriageReturnEndsALine) {
  // Classic Mac OS line ends, mixed with "\r\n" and "\n" as in files edited on both.
  std::string T = "a\rbb\r\nccc\rdd\n\re";
  LineIndex L(T);
  EXPECT_EQ(L.lineCount(), 6u);
  EXPECT_EQ(L.line(1), "a");
  EXPECT_EQ(L.line(2), "bb");
  EXPECT_EQ(L.line(3), "ccc");
  EXPECT_EQ(L.line(4), "dd");
  EXPECT_EQ(L.line(5), "");
  EXPECT_EQ(L.line(6), "e");
  EXPECT_EQ(L.position(T.find("ccc") + 1).Line, 3u);
  EXPECT_EQ(L.position(T.find("ccc") + 1).Column, 2u);
  EXPECT_EQ(L.position(T.find('e')).Line, 6u);
  // A "\r\n" is still one line break, never two.
  LineIndex W("x\r\ny\r\n");
  EXPECT_EQ(W.lineCount(), 3u);
  EXPECT_EQ(W.line(2), "y");
}

TEST(Text, NormalizeLoneCarriageReturnsKeepsLengthAndCrlf) {
  std::string T = "a\rbb\r\nccc\r";
  EXPECT_EQ(normalizeLoneCarriageReturns(T), 2u);
  EXPECT_EQ(T, "a\nbb\r\nccc\n");
  std::string U = "no\r\nlone\r\nreturns\n";
  EXPECT_EQ(normalizeLoneCarriageReturns(U), 0u);
  EXPECT_EQ(U, "no\r\nlone\r\nreturns\n");
  std::string E;
  EXPECT_EQ(normalizeLoneCarriageReturns(E), 0u);
}

TEST(LineIndex, CrlfBomAndColumns) {
  std::string T = "\xEF\xBB\xBFline one\r\nsecond\r\n\r\nlast";
  LineIndex L(T);
  EXPECT_EQ(L.lineCount(), 4u);
  EXPECT_EQ(L.line(1), "line one");
  EXPECT_EQ(L.line(2), "second");
  EXPECT_EQ(L.line(3), "");
  EXPECT_EQ(L.line(4), "last");
  Position P = L.position(3); // 'l' after the BOM
  EXPECT_EQ(P.Line, 1u);
  EXPECT_EQ(P.Column, 1u);
  P = L.position(T.find("second") + 2);
  EXPECT_EQ(P.Line, 2u);
  EXPECT_EQ(P.Column, 3u);
}

TEST(Redact, MasksTokenValuesButKeepsShapes) {
  std::string In =
      "url = 'https://books.zoho.com/api/v3/contacts?authtoken=3f2c8e7a9b1d4c6e8f0a2b4c6d8e0f1a&organization_id=1'";
  std::string Out = redactSecrets(In);
  EXPECT_EQ(Out.find("3f2c8e7a9b1d4c6e8f0a2b4c6d8e0f1a"), std::string::npos) << Out;
  EXPECT_NE(Out.find("authtoken=3f2c\xE2\x80\xA6"), std::string::npos) << Out;
  EXPECT_NE(Out.find("organization_id=1"), std::string::npos) << Out;
  // Variable references and placeholders are not secrets.
  EXPECT_EQ(redactSecrets("?authtoken=${token}&scope=crmapi"), "?authtoken=${token}&scope=crmapi");
  EXPECT_EQ(redactSecrets("authtoken=YOUR_TOKEN"), "authtoken=YOUR_TOKEN");
  // Passwords sent to the generation endpoint.
  EXPECT_EQ(redactSecrets("PASSWORD=hunter2secret9").find("hunter2secret9"), std::string::npos);
  // Bare 32-hex and OAuth tokens anywhere on the line.
  std::string O2 = redactSecrets("x = \"bad18eba1ff45jk7858b8ae88a77fa30\"; y = "
                                 "\"1000.0123456789abcdef0123456789abcdef.0123456789abcdef0123456789abcdef\"");
  EXPECT_EQ(O2.find("bad18eba1ff45jk7858b8ae88a77fa30"), std::string::npos) << O2;
  EXPECT_EQ(O2.find("0123456789abcdef0123456789abcdef"), std::string::npos) << O2;
  // Ordinary words and URLs stay readable.
  EXPECT_EQ(redactSecrets("https://crm.zoho.com/crm/private/json/Leads/getRecords"),
            "https://crm.zoho.com/crm/private/json/Leads/getRecords");
}

TEST(Utf16, ColumnsCountCodeUnits) {
  std::string L = "a\xC3\xA9" "b\xF0\x9F\x98\x80" "c"; // a é b 😀 c
  EXPECT_EQ(utf16Column(L, 1), 1u);
  EXPECT_EQ(utf16Column(L, 4), 3u);  // 'b' after a(1) é(2 bytes, 1 unit)
  EXPECT_EQ(utf16Column(L, 9), 6u);  // 'c' after 😀 (4 bytes, 2 units)
}

TEST(Hash, StableAndOrderSensitive) {
  EXPECT_EQ(stableHash({"a", "b"}), stableHash({"a", "b"}));
  EXPECT_NE(stableHash({"a", "b"}), stableHash({"b", "a"}));
  EXPECT_NE(stableHash({"ab", ""}), stableHash({"a", "b"}));
  EXPECT_EQ(stableHash({"x"}).size(), 16u);
}

TEST(Utf8, Validity) {
  EXPECT_TRUE(isValidUtf8("plain ascii \xC3\xA9"));
  EXPECT_FALSE(isValidUtf8("bad \xC3\x28"));
  EXPECT_FALSE(isValidUtf8("\xFF"));
}

namespace {
bool llvmSaysValid(const std::string &S) {
  const auto *P = reinterpret_cast<const llvm::UTF8 *>(S.data());
  return llvm::isLegalUTF8String(&P, P + S.size());
}
} // namespace

// The validator skips ASCII runs after every multi-byte sequence; it must still agree
// with LLVM's decoder byte for byte: overlong forms, surrogates, past U+10FFFF,
// truncated sequences at the end and in the middle, far from the first non-ASCII byte.
TEST(Utf8, AgreesWithLlvmsDecoder) {
  const std::vector<std::string> Edges = {
      "\xC2\x80", "\xC1\xBF", "\xC0\x80", "\xDF\xBF", "\xE0\xA0\x80", "\xE0\x9F\xBF",
      "\xED\x9F\xBF", "\xED\xA0\x80", "\xEF\xBF\xBF", "\xF0\x90\x80\x80",
      "\xF0\x8F\xBF\xBF", "\xF4\x8F\xBF\xBF", "\xF4\x90\x80\x80", "\xF5\x80\x80\x80",
      "\xE2\x82", "\xF0\x9F\x98", "\x80", "\xBF", "\xFE", "\xFF", "\xE2\x28\xA1"};
  const std::string Pad(37, 'a');
  for (const std::string &E : Edges)
    for (const std::string &S : {E, Pad + E, E + Pad, "\xC3\xA9" + Pad + E + Pad,
                                 Pad + "\xE2\x82\xAC" + Pad + E})
      EXPECT_EQ(isValidUtf8(S), llvmSaysValid(S)) << llvm::toHex(S);
  std::mt19937 Rng(42);
  const char Bytes[] = {'a', '\n', '\x80', '\xBF', '\xC2', '\xC3', '\xDF', '\xE0', '\xE2',
                        '\xED', '\xEF', '\xF0', '\xF4', '\xF5', '\xA0', '\x9F', '\x8F', '\x90'};
  unsigned Valid = 0;
  for (int Round = 0; Round < 20000; ++Round) {
    std::string S(Rng() % 24, 'x');
    for (char &C : S)
      C = Rng() % 3 == 0 ? Bytes[Rng() % sizeof(Bytes)] : 'a';
    bool Want = llvmSaysValid(S);
    Valid += Want;
    ASSERT_EQ(isValidUtf8(S), Want) << llvm::toHex(S);
  }
  EXPECT_GT(Valid, 1000u); // the generator reaches both answers
}

namespace {
/// The notebook decoded, with each line's trailing padding (and "\r") dropped (the length and the
/// line breaks are checked to be the original's).
std::vector<std::string> decodedLines(std::string Nb, size_t *Decoded = nullptr) {
  std::string Before = Nb;
  size_t N = decodeNotebookCells(Nb.data(), Nb.size());
  if (Decoded)
    *Decoded = N;
  EXPECT_EQ(Nb.size(), Before.size());
  for (size_t I = 0; I < Nb.size(); ++I)
    if (Before[I] == '\n' || Before[I] == '\r')
      EXPECT_EQ(Nb[I], Before[I]) << "line break moved at " << I;
  std::vector<std::string> Out;
  for (llvm::StringRef L : llvm::split(Nb, '\n'))
    Out.push_back(L.rtrim("\r").rtrim(" ").str()); // a kept "\r" is checked above
  return Out;
}
} // namespace

TEST(Notebook, CodeCellsBecomeTheirCodeLineForLine) {
  std::string Nb = "{\n"
                   " \"cells\": [\n"
                   "  {\n"
                   "   \"cell_type\": \"markdown\",\n"
                   "   \"metadata\": {},\n"
                   "   \"source\": [\n"
                   "    \"Use `authtoken=` no more\\n\"\n"
                   "   ]\n"
                   "  },\n"
                   "  {\n"
                   "   \"cell_type\": \"code\",\n"
                   "   \"execution_count\": 1,\n"
                   "   \"metadata\": {},\n"
                   "   \"outputs\": [{\"name\": \"stdout\", \"text\": [\"authtoken=x\\n\"]}],\n"
                   "   \"source\": [\n"
                   "    \"params = {\\\"authtoken\\\": t}\\n\",\n"
                   "    \"if x:\\n\",\n"
                   "    \"\\tpath = \\\"C:\\\\\\\\tmp\\\" # caf\\u00e9 \\ud83d\\ude00\\n\",\n"
                   "    \"print('d\\u00e9j\\u00e0')\"\n"
                   "   ]\n"
                   "  }\n"
                   " ],\n"
                   " \"nbformat\": 4\n"
                   "}\n";
  size_t N = 0;
  auto L = decodedLines(Nb, &N);
  EXPECT_EQ(N, 4u);
  ASSERT_EQ(L.size(), 25u);
  EXPECT_EQ(L[6], "");  // markdown
  EXPECT_EQ(L[13], ""); // outputs
  EXPECT_EQ(L[15], "params = {\"authtoken\": t}");
  EXPECT_EQ(L[16], "if x:");
  EXPECT_EQ(L[17], "\tpath = \"C:\\\\tmp\" # caf\xC3\xA9 \xF0\x9F\x98\x80");
  EXPECT_EQ(L[18], "print('d\xC3\xA9j\xC3\xA0')");
  for (unsigned I : {0u, 1u, 3u, 10u, 14u, 19u, 22u})
    EXPECT_EQ(L[I], "") << "line " << I + 1;
}

TEST(Notebook, OtherShapesAndTextsThatAreNoNotebook) {
  // nbformat 3 ("input"), a one-element source on its line, CRLF line ends.
  std::string V3 = "{\r\n \"worksheets\": [{\r\n  \"cells\": [{\r\n   \"cell_type\": \"code\",\r\n"
                   "   \"input\": [\"x = 'authtoken'\"],\r\n   \"language\": \"python\"\r\n  }]\r\n }]\r\n}\r\n";
  size_t N = 0;
  auto L = decodedLines(V3, &N);
  EXPECT_EQ(N, 1u);
  EXPECT_EQ(L[4], "x = 'authtoken'");
  EXPECT_EQ(L[3], "");
  // A malformed escape: that line is blanked, not guessed at.
  std::string Bad = "{\n \"cells\": [{\n  \"cell_type\": \"code\",\n  \"source\": [\n"
                    "   \"a = \\q\\n\",\n   \"b = 1\\n\"\n  ]\n }]\n}\n";
  L = decodedLines(Bad, &N);
  EXPECT_EQ(N, 1u);
  EXPECT_EQ(L[4], "");
  EXPECT_EQ(L[5], "b = 1");
  // Minified (one line) or not a notebook at all: unchanged.
  for (std::string S : {std::string("{\"cells\":[{\"cell_type\":\"code\",\"source\":[\"a\\n\"]}]}"),
                        std::string("{\n\"a\": 1,\n\"b\": 2,\n\"c\": 3,\n\"d\": 4\n}\n")}) {
    std::string Copy = S;
    EXPECT_EQ(decodeNotebookCells(Copy.data(), Copy.size()), 0u);
    EXPECT_EQ(Copy, S);
  }
  EXPECT_TRUE(isNotebookPath("a/b/Report.IPYNB"));
  EXPECT_FALSE(isNotebookPath("a/ipynb.py"));
}
