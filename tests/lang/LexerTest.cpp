#include "lang/Language.h"

#include <random>
#include <string>

#include <gtest/gtest.h>

using namespace atm;
using llvm::StringRef;

namespace {

constexpr SpanKind C = SpanKind::Code;
constexpr SpanKind S = SpanKind::String;
constexpr SpanKind M = SpanKind::Comment;
constexpr SpanKind K = SpanKind::ConfigKey;
constexpr SpanKind V = SpanKind::ConfigValue;
constexpr SpanKind T = SpanKind::Text;

char letterOf(SpanKind Kind) {
  switch (Kind) {
  case SpanKind::Code: return 'c';
  case SpanKind::String: return 's';
  case SpanKind::Comment: return 'm';
  case SpanKind::ConfigKey: return 'k';
  case SpanKind::ConfigValue: return 'v';
  case SpanKind::Text: return 't';
  }
  return '?';
}

/// Checks the SpanMap contract: sorted, no gaps or overlaps, covering [0, Size),
/// no empty spans, adjacent spans of one kind merged.
::testing::AssertionResult coversExactly(const SpanMap &Map, size_t Size) {
  size_t Pos = 0;
  const Span *Prev = nullptr;
  for (const Span &Sp : Map.spans()) {
    if (Sp.Begin != Pos)
      return ::testing::AssertionFailure()
             << "gap or overlap at " << Pos << " (span begins at " << Sp.Begin << ")";
    if (Sp.End <= Sp.Begin)
      return ::testing::AssertionFailure() << "empty span at " << Sp.Begin;
    if (Prev && Prev->Kind == Sp.Kind)
      return ::testing::AssertionFailure() << "unmerged spans at " << Sp.Begin;
    Pos = Sp.End;
    Prev = &Sp;
  }
  if (Pos != Size)
    return ::testing::AssertionFailure()
           << "coverage ends at " << Pos << ", size " << Size;
  return ::testing::AssertionSuccess();
}

/// One letter per byte: c=code, s=string, m=comment, k=key, v=value, t=text.
std::string maskOf(Language L, StringRef Text) {
  SpanMap Map = lex(L, Text);
  std::string Mask(Text.size(), '?');
  for (const Span &Sp : Map.spans())
    for (size_t I = Sp.Begin; I < Sp.End && I < Mask.size(); ++I)
      Mask[I] = letterOf(Sp.Kind);
  return Mask;
}

/// Text and mask side by side, line by line, for failure messages.
std::string sideBySide(StringRef Text, const std::string &Mask) {
  std::string Out;
  size_t B = 0;
  while (B < Text.size()) {
    size_t E = Text.find('\n', B);
    E = E == StringRef::npos ? Text.size() : E;
    std::string Line;
    for (size_t I = B; I < E; ++I)
      Line += (static_cast<unsigned char>(Text[I]) < 0x20 ? '.' : Text[I]);
    Out += "  |" + Line + "\n  |" + Mask.substr(B, E - B) + "\n";
    B = E + 1;
  }
  return Out;
}

struct KindCase {
  const char *Name;
  Language Lang;
  std::string Text;
  const char *Marker; ///< a substring of Text; every byte of it must have Kind
  SpanKind Kind;
  int Occurrence = 0; ///< which occurrence of Marker (0 = first)
};

std::ostream &operator<<(std::ostream &OS, const KindCase &C) { return OS << C.Name; }

class KindTest : public ::testing::TestWithParam<KindCase> {};

TEST_P(KindTest, MarkerHasKind) {
  const KindCase &Case = GetParam();
  StringRef Text(Case.Text);
  SpanMap Map = lex(Case.Lang, Text);
  ASSERT_TRUE(coversExactly(Map, Text.size()));
  size_t Pos = Text.find(Case.Marker);
  for (int I = 0; I < Case.Occurrence && Pos != StringRef::npos; ++I)
    Pos = Text.find(Case.Marker, Pos + 1);
  ASSERT_NE(Pos, StringRef::npos) << "marker not found: " << Case.Marker;
  std::string Mask = maskOf(Case.Lang, Text);
  for (size_t I = Pos; I < Pos + strlen(Case.Marker); ++I)
    ASSERT_EQ(letterOf(Map.kindAt(I)), letterOf(Case.Kind))
        << "marker '" << Case.Marker << "' byte " << (I - Pos) << "\n"
        << sideBySide(Text, Mask);
}

const KindCase KindCases[] = {
    // ---- C / C++ / ObjC ----
    {"CLineComment", Language::C, "int x; // authtoken here\nint y;", "authtoken", M},
    {"CBlockComment", Language::C, "a /* multi\nline TOKEN */ b", "TOKEN", M},
    {"CAfterBlock", Language::C, "a /* x */ bcode", "bcode", C},
    {"CString", Language::C, "s = \"authtoken=\";", "\"authtoken=\"", S},
    {"CEscapedQuote", Language::C, "s = \"a\\\"TOK\"; code", "TOK", S},
    {"CEscapedQuoteEnd", Language::C, "s = \"a\\\"TOK\"; code", "code", C},
    {"CCommentInString", Language::C, "s = \"// not a comment\"; x", "not", S},
    {"CStringInComment", Language::C, "// \"str\"\nafter", "after", C},
    {"CChar", Language::C, "c = '\"'; after", "after", C},
    {"CUnterminatedEndsAtEol", Language::C, "s = \"abc\nnext_line", "next_line", C},
    {"CppRaw", Language::Cpp, "auto s = R\"(a \" b TOKEN)\"; code", "TOKEN", S},
    {"CppRawDelim", Language::Cpp, "auto s = R\"x(a )\" TOKEN)x\"; code", "TOKEN", S},
    {"CppRawDelimAfter", Language::Cpp, "auto s = R\"x(a )\" b)x\"; code", "code", C},
    {"CppRawU8", Language::Cpp, "auto s = u8R\"(TOKEN\n\"more)\"; z", "more", S},
    {"CppRawLR", Language::Cpp, "auto s = LR\"(TOKEN)\"; z", "z", C},
    {"CppDigitSeparator", Language::Cpp, "int n = 1'000'000; auto s = \"TOK\";", "TOK", S},
    {"CppDigitSeparatorCode", Language::Cpp, "int n = 1'000; int code;", "code", C},
    {"ObjCString", Language::ObjC, "NSString *s = @\"authtoken\";", "authtoken", S},
    {"CLineContinuationInString", Language::C, "s = \"a\\\nTOKEN\";", "TOKEN", S},
    // ---- Java / Kotlin / Go ----
    {"JavaTextBlock", Language::Java, "String s = \"\"\"\n  authtoken=\"x\"\n  \"\"\"; code", "authtoken", S},
    {"JavaTextBlockEnd", Language::Java, "String s = \"\"\"\n  a\n  \"\"\"; code", "code", C},
    {"KotlinTemplateCode", Language::Kotlin, "val s = \"a ${user.token} b\"", "user.token", C},
    {"KotlinTemplateString", Language::Kotlin, "val s = \"a ${user.token} bTAIL\"", "bTAIL", S},
    {"KotlinTemplateNested", Language::Kotlin, "val s = \"a ${f(\"in}ner\")} TAIL\"", "in}ner", S},
    {"KotlinTemplateNestedTail", Language::Kotlin, "val s = \"a ${f(\"in}ner\")} TAIL\"", "TAIL", S},
    {"KotlinRawTemplate", Language::Kotlin, "val s = \"\"\"a\\ ${x + 1} b\"\"\" c", "x + 1", C},
    {"KotlinDollarName", Language::Kotlin, "val s = \"a $token b\"", "$token", S},
    {"GoRawString", Language::Go, "s := `raw \"authtoken\"\n`; x", "authtoken", S},
    {"GoRawStringEnd", Language::Go, "s := `a\\`; code", "code", C},
    {"GoRune", Language::Go, "r := '\\''; code", "code", C},
    // ---- C# ----
    {"CsVerbatim", Language::CSharp, "var s = @\"C:\\path\"\"TOK\"\"\\\"; code", "TOK", S},
    {"CsVerbatimEnd", Language::CSharp, "var s = @\"C:\\path\\\"; code", "code", C},
    {"CsInterpCode", Language::CSharp, "var s = $\"a {user.Token} b\";", "user.Token", C},
    {"CsInterpString", Language::CSharp, "var s = $\"a {user.Token} bTAIL\";", "bTAIL", S},
    {"CsInterpEscape", Language::CSharp, "var s = $\"{{notcode}} {x}\";", "notcode", S},
    {"CsInterpNestedString", Language::CSharp, "var s = $\"a {f(\"q}\")} TAIL\";", "TAIL", S},
    {"CsVerbatimInterp", Language::CSharp, "var s = $@\"a\n{token} b\";", "token", C},
    {"CsInterpVerbatim", Language::CSharp, "var s = @$\"a\n{token} b\"\"c\";", "b\"\"c", S},
    {"CsRaw", Language::CSharp, "var s = \"\"\"\n  \"authtoken\" \"\"\n  \"\"\"; code", "authtoken", S},
    {"CsRawEnd", Language::CSharp, "var s = \"\"\"\n  a \"\"\n  \"\"\"; code", "code", C},
    {"CsRawInterp", Language::CSharp, "var s = $$\"\"\"{ {{token}} }\"\"\"; z", "token", C},
    {"CsRawInterpBraces", Language::CSharp, "var s = $$\"\"\"{lit} {{token}}\"\"\"; z", "{lit}", S},
    {"CsChar", Language::CSharp, "var c = '\\''; code", "code", C},
    {"CsComment", Language::CSharp, "/// <summary>authtoken</summary>\nclass X {}", "authtoken", M},
    // ---- JavaScript / TypeScript ----
    {"JsTemplateText", Language::JavaScript, "const u = `https://x?authtoken=${tok}&a=1`;", "authtoken", S},
    {"JsTemplateExpr", Language::JavaScript, "const u = `a=${user.tok}&b`;", "user.tok", C},
    {"JsTemplateTail", Language::JavaScript, "const u = `a=${user.tok}&bTAIL`;", "&bTAIL", S},
    {"JsTemplateNested", Language::JavaScript, "x = `a ${ `inner ${deep} q` } b`;", "deep", C},
    {"JsTemplateNestedInner", Language::JavaScript, "x = `a ${ `inner ${deep} q` } b`;", "inner", S},
    {"JsTemplateNestedQ", Language::JavaScript, "x = `a ${ `inner ${deep} q` } bTAIL`;", "q`", S},
    {"JsTemplateNestedTail", Language::JavaScript, "x = `a ${ `inner ${deep} q` } bTAIL`;", "bTAIL", S},
    {"JsTemplateBraces", Language::JavaScript, "x = `a ${ {k: '}'}.k } TAIL`;", "TAIL", S},
    {"JsTemplateObject", Language::JavaScript, "x = `a ${ {k: 1}.k } b`;", "k: 1", C},
    {"JsTemplateMultiline", Language::JavaScript, "x = `line1\nauthtoken\n`; y", "authtoken", S},
    {"JsTemplateEscapedBacktick", Language::JavaScript, "x = `a\\`b TOK`; y", "TOK", S},
    {"JsRegexQuote", Language::JavaScript, "s = s.replace(/'/g, ''); const code = 1;", "const code", C},
    {"JsRegexIsString", Language::JavaScript, "x = /authtoken=([^&]+)/.exec(u);", "authtoken", S},
    {"JsRegexClass", Language::JavaScript, "x = /[/'\"]/g; code()", "code()", C},
    {"JsDivision", Language::JavaScript, "a = b / c; d = 'TOK' / 2;", "'TOK'", S},
    {"JsDivisionNotRegex", Language::JavaScript, "a = (b) / c / d; code", "c", C},
    {"JsRegexAfterReturn", Language::JavaScript, "return /'/.test(x); code", "code", C},
    {"JsRegexAtStart", Language::JavaScript, "/'/.test(x); code", "code", C},
    {"JsLineComment", Language::JavaScript, "x = 1; // authtoken\ny", "authtoken", M},
    {"JsCommentNotInString", Language::JavaScript, "u = 'http://x/y'; code", "code", C},
    {"JsSingleQuote", Language::JavaScript, "a = 'it\\'s TOK'; b", "TOK", S},
    {"JsUnterminatedAtEol", Language::JavaScript, "a = 'abc\ncode_here", "code_here", C},
    {"JsJsxAttr", Language::JavaScript, "<a href=\"TOK\">x</a>", "TOK", S},
    // ---- Python ----
    {"PyComment", Language::Python, "x = 1  # authtoken\ny", "authtoken", M},
    {"PyString", Language::Python, "x = 'authtoken'", "authtoken", S},
    {"PyHashInString", Language::Python, "x = '# not comment' + code", "code", C},
    {"PyTriple", Language::Python, "x = \"\"\"a\n'\"authtoken\"\n\"\"\"\ncode", "authtoken", S},
    {"PyTripleEnd", Language::Python, "x = \"\"\"a\n\"\"\"\ncode", "code", C},
    {"PyTripleSingle", Language::Python, "x = '''a\nTOK'''\ncode", "TOK", S},
    {"PyRawPrefix", Language::Python, "x = r'\\d+TOK'", "r'", S},
    {"PyRawBackslashQuote", Language::Python, "x = r'a\\'TOK'; code", "TOK", S},
    {"PyBytesPrefix", Language::Python, "x = Rb\"TOK\"", "TOK", S},
    {"PyPrefixNotIdent", Language::Python, "rb = 1; x = rb", "rb", C, 1},
    {"PyFStringExpr", Language::Python, "u = f\"a={token} b\"", "token", C},
    {"PyFStringText", Language::Python, "u = f\"a={token} bTAIL\"", "bTAIL", S},
    {"PyFStringEscape", Language::Python, "u = f\"{{literal}} {x}\"", "literal", S},
    {"PyFStringSpec", Language::Python, "u = f\"{value:>10} TAIL\"", ">10", S},
    {"PyFStringSpecNested", Language::Python, "u = f\"{value:{width}} TAIL\"", "width", C},
    {"PyFStringSpecNestedTail", Language::Python, "u = f\"{value:{width}} TAIL\"", "TAIL", S},
    {"PyFStringNestedQuotes", Language::Python, "u = f'''{d[\"key\"]} TAIL'''", "\"key\"", S},
    {"PyFStringNestedQuotesTail", Language::Python, "u = f'''{d[\"key\"]} TAIL'''", "TAIL", S},
    {"PyFStringDict", Language::Python, "u = f\"{ {'a': 1}['a'] } T\"", "1}[", C},
    {"PyFStringSameQuotes312", Language::Python, "u = f\"{d[\"k\"]} TAIL\"", "TAIL", S},
    {"PyFStringMultilineTriple", Language::Python, "u = f\"\"\"\n{a +\n b} TOK\n\"\"\"\nz", "TOK", S},
    {"PyFStringUnterminatedField", Language::Python, "u = f\"{abc\nnext = 1", "next", C},
    {"PyFStringUpper", Language::Python, "u = F'{x}TOK'", "TOK", S},
    {"PyRfString", Language::Python, "u = rf'\\d{x}TOK'", "x", C},
    {"PyUnterminatedAtEol", Language::Python, "x = 'abc\ncode", "code", C},
    {"PyBackslashContinuation", Language::Python, "x = 'abc\\\nTOK'", "TOK", S},
    // ---- Ruby ----
    {"RbComment", Language::Ruby, "x = 1 # authtoken\ny", "authtoken", M},
    {"RbBeginEnd", Language::Ruby, "=begin\nauthtoken\n=end\ncode", "authtoken", M},
    {"RbBeginEndAfter", Language::Ruby, "=begin\nauthtoken\n=end\ncode", "code", C},
    {"RbInterp", Language::Ruby, "s = \"a #{user.token} b\"", "user.token", C},
    {"RbInterpTail", Language::Ruby, "s = \"a #{user.token} bTAIL\"", "bTAIL", S},
    {"RbInterpNested", Language::Ruby, "s = \"a #{h[\"k}\"]} TAIL\"", "TAIL", S},
    {"RbSingleNoInterp", Language::Ruby, "s = 'a #{notcode} b'", "notcode", S},
    {"RbPercentQ", Language::Ruby, "s = %q(a (nested) TOK) ; code", "TOK", S},
    {"RbPercentQAfter", Language::Ruby, "s = %q(a (nested) b) ; code", "code", C},
    {"RbPercentBigQInterp", Language::Ruby, "s = %Q[a #{x} TOK]", "x", C},
    {"RbPercentW", Language::Ruby, "s = %w{authtoken other}", "authtoken", S},
    {"RbPercentBare", Language::Ruby, "s = %(authtoken)", "authtoken", S},
    {"RbPercentI", Language::Ruby, "s = %i<a b>; code", "code", C},
    {"RbModulo", Language::Ruby, "x = a % b; c = 'TOK'", "'TOK'", S},
    {"RbModuloCode", Language::Ruby, "x = a % (b); code", "code", C},
    {"RbPutsPercent", Language::Ruby, "puts %(TOK)", "TOK", S},
    {"RbHeredocSquiggly", Language::Ruby, "s = <<~EOS\n  authtoken\n  EOS\ncode", "authtoken", S},
    {"RbHeredocSquigglyTerm", Language::Ruby, "s = <<~EOS\n  a\n  EOS\ncode", "EOS", S, 1},
    {"RbHeredocAfter", Language::Ruby, "s = <<~EOS\n  a\n  EOS\ncode", "code", C},
    {"RbHeredocDash", Language::Ruby, "s = <<-EOS\n  TOK\n  EOS\ncode", "TOK", S},
    {"RbHeredocPlain", Language::Ruby, "s = <<EOS\nTOK\nEOS\ncode", "code", C},
    {"RbHeredocRestOfLine", Language::Ruby, "f(<<~EOS, 'TOK')\n  body\nEOS\ncode", "'TOK'", S},
    {"RbHeredocInterp", Language::Ruby, "s = <<~EOS\n  a #{token} b\nEOS\n", "token", C},
    {"RbHeredocSingleQuotedNoInterp", Language::Ruby, "s = <<~'EOS'\n  a #{token} b\nEOS\n", "token", S},
    {"RbHeredocDoubleQuoted", Language::Ruby, "s = <<~\"EOS\"\n  TOK\nEOS\ncode", "TOK", S},
    {"RbHeredocTwo", Language::Ruby, "f(<<A, <<B)\nfirst\nA\nsecond\nB\ncode", "second", S},
    {"RbHeredocTwoAfter", Language::Ruby, "f(<<A, <<B)\nfirst\nA\nsecond\nB\ncode", "code", C},
    {"RbShiftNotHeredoc", Language::Ruby, "a << b\nc = 1", "c = 1", C},
    {"RbShiftLower", Language::Ruby, "arr <<item\ncode", "code", C},
    {"RbCharLiteral", Language::Ruby, "c = ?'; code", "code", C},
    {"RbTernary", Language::Ruby, "x = a ? 'TOK' : b", "'TOK'", S},
    {"RbPredicate", Language::Ruby, "x.empty? ? 'TOK' : 1", "'TOK'", S},
    {"RbBacktick", Language::Ruby, "out = `curl #{url} TOK`", "{url}", C},
    {"RbGlobalQuote", Language::Ruby, "x = $'; code", "code", C},
    {"RbEnd", Language::Ruby, "code\n__END__\nauthtoken", "authtoken", M},
    {"RbRegex", Language::Ruby, "x =~ /'/; code", "code", C},
    {"RbVagrantShell", Language::Ruby,
     "Vagrant.configure(\"2\") do |c|\n  c.vm.provision \"shell\", inline: <<-SHELL\n    curl \"x?authtoken=1\"\n  SHELL\nend\n",
     "authtoken", S},
    // ---- PHP ----
    {"PhpOutsideIsText", Language::PHP, "<html>authtoken</html><?php $x = 1; ?>", "authtoken", T},
    {"PhpOpenTag", Language::PHP, "<p>x</p><?php $x = 1; ?>", "<?php", C},
    {"PhpInside", Language::PHP, "<?php $authtoken = 1; ?>after", "$authtoken", C},
    {"PhpAfterClose", Language::PHP, "<?php $x = 1; ?>after", "after", T},
    {"PhpEcho", Language::PHP, "<p><?= $token ?></p>", "$token", C},
    {"PhpXmlDecl", Language::PHP, "<?xml version=\"1.0\"?><a>TOK</a>", "TOK", T},
    {"PhpLineComment", Language::PHP, "<?php // authtoken\n$x;", "authtoken", M},
    {"PhpHashComment", Language::PHP, "<?php # authtoken\n$x;", "authtoken", M},
    {"PhpAttribute", Language::PHP, "<?php #[Route('/x')]\nfunction f() {}", "Route", C},
    {"PhpCommentEndsAtClose", Language::PHP, "<?php // c ?>html TOK", "TOK", T},
    {"PhpBlockComment", Language::PHP, "<?php /* authtoken */ $x;", "authtoken", M},
    {"PhpSingle", Language::PHP, "<?php $u = 'authtoken=' . $t;", "'authtoken='", S},
    {"PhpSingleNoInterp", Language::PHP, "<?php $u = 'a $notvar b';", "$notvar", S},
    {"PhpDoubleVar", Language::PHP, "<?php $u = \"a=$token&b\";", "$token", C},
    {"PhpDoubleVarTail", Language::PHP, "<?php $u = \"a=$token&bTAIL\";", "&bTAIL", S},
    {"PhpDoubleArrow", Language::PHP, "<?php $u = \"a=$this->token&b\";", "$this->token", C},
    {"PhpDoubleIndex", Language::PHP, "<?php $u = \"a=$cfg[key]&b\";", "$cfg[key]", C},
    {"PhpBraceInterp", Language::PHP, "<?php $u = \"a={$cfg['k']} TAIL\";", "$cfg[", C},
    {"PhpBraceInterpTail", Language::PHP, "<?php $u = \"a={$cfg['}']} TAIL\";", "TAIL", S},
    {"PhpDollarBrace", Language::PHP, "<?php $u = \"a=${token} TAIL\";", "token", C},
    {"PhpEscapedDollar", Language::PHP, "<?php $u = \"a=\\$notvar\";", "notvar", S},
    {"PhpQuestionGtInString", Language::PHP, "<?php $u = \"?>\"; $code = 1;", "$code", C},
    {"PhpHeredoc", Language::PHP, "<?php\n$s = <<<EOT\nauthtoken $name\nEOT;\n$c = 1;", "authtoken", S},
    {"PhpHeredocVar", Language::PHP, "<?php\n$s = <<<EOT\nauthtoken $name\nEOT;\n$c = 1;", "$name", C},
    {"PhpHeredocAfter", Language::PHP, "<?php\n$s = <<<EOT\nauthtoken $name\nEOT;\n$c = 1;", "$c", C},
    {"PhpHeredocQuoted", Language::PHP, "<?php\n$s = <<<\"EOT\"\nTOK\nEOT;\n$c = 1;", "$c", C},
    {"PhpNowdoc", Language::PHP, "<?php\n$s = <<<'EOT'\na $notvar\nEOT;\n$c = 1;", "$notvar", S},
    {"PhpHeredocFlexible", Language::PHP, "<?php\n$s = [<<<EOT\n    TOK\n    EOT, 2];\n$c = 1;", "$c", C},
    {"PhpHeredocFlexibleTerm", Language::PHP, "<?php\n$s = [<<<EOT\n    TOK\n    EOT, 2];", "2]", C},
    {"PhpHeredocIdPrefix", Language::PHP, "<?php\n$s = <<<EOT\nEOTX is text\nEOT;\n", "EOTX is text", S},
    // ---- Perl ----
    {"PlComment", Language::Perl, "my $x = 1; # authtoken\n", "authtoken", M},
    {"PlPod", Language::Perl, "code;\n=head1 NAME\n\nauthtoken\n\n=cut\nafter;", "authtoken", M},
    {"PlPodAfter", Language::Perl, "code;\n=head1 NAME\n\nauthtoken\n\n=cut\nafter;", "after", C},
    {"PlString", Language::Perl, "my $u = \"a=$token\";", "$token", S},
    {"PlQq", Language::Perl, "my $u = qq{a {nested} TOK}; code", "TOK", S},
    {"PlQqAfter", Language::Perl, "my $u = qq{a {nested} b}; code", "code", C},
    {"PlQw", Language::Perl, "my @a = qw(authtoken b);", "authtoken", S},
    {"PlQAnyDelim", Language::Perl, "my $a = q!auth'token!; code", "code", C},
    {"PlHashKey", Language::Perl, "my $v = $h{q}; my $s = 'TOK';", "'TOK'", S},
    {"PlFatComma", Language::Perl, "%h = (q => 1, s => 'TOK');", "'TOK'", S},
    {"PlSubst", Language::Perl, "$x =~ s/auth/TOK/g; code", "code", C},
    {"PlSubstBraces", Language::Perl, "$x =~ s{a}\n {TOK}g; code", "TOK", S},
    {"PlDollarHash", Language::Perl, "my $n = $#array; code", "code", C},
    {"PlHeredoc", Language::Perl, "print <<\"EOF\";\nauthtoken\nEOF\ncode;", "authtoken", S},
    {"PlHeredocAfter", Language::Perl, "print <<\"EOF\";\nauthtoken\nEOF\ncode;", "code", C},
    {"PlHeredocBare", Language::Perl, "print <<EOF;\nTOK\nEOF\ncode;", "TOK", S},
    {"PlHeredocIndented", Language::Perl, "print <<~EOF;\n  TOK\n  EOF\ncode;", "code", C},
    {"PlShift", Language::Perl, "my $x = 1 << 2; my $c = 'TOK';", "'TOK'", S},
    {"PlEnd", Language::Perl, "code;\n__END__\nauthtoken", "authtoken", M},
    {"PlData", Language::Perl, "code;\n__DATA__\nauthtoken", "authtoken", M},
    // ---- Elixir ----
    {"ExComment", Language::Elixir, "x = 1 # authtoken\n", "authtoken", M},
    {"ExInterp", Language::Elixir, "s = \"a #{token} b\"", "token", C},
    {"ExHeredoc", Language::Elixir, "@doc \"\"\"\nauthtoken #{x}\n\"\"\"\ncode", "authtoken", S},
    {"ExHeredocAfter", Language::Elixir, "@doc \"\"\"\nauthtoken\n\"\"\"\ncode", "code", C},
    {"ExSigil", Language::Elixir, "s = ~s(a (b) TOK) <> code", "TOK", S},
    {"ExSigilAfter", Language::Elixir, "s = ~s(a (b) c) <> code", "code", C},
    {"ExSigilRegex", Language::Elixir, "r = ~r/auth'token/i; code", "code", C},
    {"ExSigilUpperNoInterp", Language::Elixir, "s = ~S[a #{notcode}]", "notcode", S},
    {"ExSigilWords", Language::Elixir, "s = ~w{authtoken b}", "authtoken", S},
    {"ExSigilHeredoc", Language::Elixir, "s = ~s\"\"\"\nTOK\n\"\"\"\ncode", "code", C},
    {"ExCharLiteral", Language::Elixir, "c = ?\"; code", "code", C},
    {"ExPredicate", Language::Elixir, "if valid?(x), do: 'TOK'", "'TOK'", S},
    // ---- CoffeeScript ----
    {"CoffeeComment", Language::CoffeeScript, "x = 1 # authtoken\n", "authtoken", M},
    {"CoffeeBlockComment", Language::CoffeeScript, "###\nauthtoken\n###\ncode", "authtoken", M},
    {"CoffeeBlockCommentAfter", Language::CoffeeScript, "###\nauthtoken\n###\ncode", "code", C},
    {"CoffeeInterp", Language::CoffeeScript, "s = \"a #{tok} b\"", "tok", C},
    {"CoffeeSingle", Language::CoffeeScript, "s = 'a #{notcode}'", "notcode", S},
    {"CoffeeTriple", Language::CoffeeScript, "s = \"\"\"\nTOK #{x}\n\"\"\"\ncode", "x", C},
    {"CoffeeTripleSingle", Language::CoffeeScript, "s = '''\nTOK\n'''\ncode", "code", C},
    // ---- Shell ----
    {"ShComment", Language::Shell, "echo hi # authtoken\n", "authtoken", M},
    {"ShHashInWord", Language::Shell, "echo a#b authtoken\n", "authtoken", C},
    {"ShDollarHash", Language::Shell, "echo $# authtoken\n", "authtoken", C},
    {"ShBraceHash", Language::Shell, "echo ${#arr[@]} authtoken\n", "authtoken", C},
    {"ShSingle", Language::Shell, "curl 'x?authtoken=1'", "authtoken", S},
    {"ShSingleNoEscape", Language::Shell, "echo 'a\\' code", "code", C},
    {"ShAnsiC", Language::Shell, "echo $'it\\'s TOK' code", "TOK", S},
    {"ShAnsiCAfter", Language::Shell, "echo $'it\\'s TOK' code", "code", C},
    {"ShDouble", Language::Shell, "curl \"x?authtoken=$TOKEN\"", "authtoken", S},
    {"ShDoubleVar", Language::Shell, "curl \"x?authtoken=${TOKEN}\"", "${TOKEN}", S},
    {"ShSubstInDouble", Language::Shell, "x=\"a $(cat token.txt) b\"", "cat token.txt", C},
    {"ShSubstInDoubleTail", Language::Shell, "x=\"a $(cat token.txt) bTAIL\"", "bTAIL", S},
    {"ShSubstNestedQuotes", Language::Shell, "x=\"a $(echo \"inner\") TAIL\"", "inner", S},
    {"ShSubstNestedQuotesTail", Language::Shell, "x=\"a $(echo \"inner\") TAIL\"", "TAIL", S},
    {"ShBacktickInDouble", Language::Shell, "x=\"a `whoami` b\"", "whoami", C},
    {"ShSubstParens", Language::Shell, "x=\"$( (cd a) ) TAIL\"", "TAIL", S},
    {"ShHeredoc", Language::Shell, "cat <<EOF\nauthtoken=1\nEOF\necho code", "authtoken", S},
    {"ShHeredocAfter", Language::Shell, "cat <<EOF\nauthtoken=1\nEOF\necho code", "echo code", C},
    {"ShHeredocQuoted", Language::Shell, "cat <<'EOF' > f\n$x TOK\nEOF\ncode", "$x TOK", S},
    {"ShHeredocDash", Language::Shell, "cat <<-\"EOF\"\n\tTOK\n\tEOF\ncode", "code", C},
    {"ShHeredocSpace", Language::Shell, "cat << EOF\nTOK\nEOF\ncode", "TOK", S},
    {"ShHereString", Language::Shell, "grep x <<< \"TOK\"\ncode", "TOK", S},
    {"ShArithmetic", Language::Shell, "echo $((1 + 2)) 'TOK'", "'TOK'", S},
    {"Dockerfile", Language::Shell, "FROM x\n# authtoken\nRUN echo 'TOK'", "authtoken", M},
    // ---- Deluge ----
    {"DelugeComment", Language::Deluge, "x = 1; // authtoken\n", "authtoken", M},
    {"DelugeBlock", Language::Deluge, "/* authtoken */ x", "authtoken", M},
    {"DelugeString", Language::Deluge, "url = \"https://x?authtoken=\" + t;", "authtoken", S},
    {"DelugeCode", Language::Deluge, "m.put(\"authtoken\", authtoken);", "authtoken)", C},
    {"DelugeSingle", Language::Deluge, "x = 'TOK';", "TOK", S},
    {"DelugeInvokeUrl", Language::Deluge, "r = invokeurl\n[\n url: \"u\"\n type: GET\n];", "type: GET", C},
    // ---- .env ----
    {"EnvKey", Language::Env, "ZOHO_AUTHTOKEN=abc\n", "ZOHO_AUTHTOKEN", K},
    {"EnvValue", Language::Env, "ZOHO_AUTHTOKEN=abc123\n", "abc123", V},
    {"EnvEquals", Language::Env, "A=b\n", "=", C},
    {"EnvExport", Language::Env, "export TOKEN=abc\n", "TOKEN", K},
    {"EnvExportKeyword", Language::Env, "export TOKEN=abc\n", "export", C},
    {"EnvComment", Language::Env, "# authtoken\nA=b", "authtoken", M},
    {"EnvInlineComment", Language::Env, "A=b # authtoken\n", "authtoken", M},
    {"EnvHashInValue", Language::Env, "A=b#c\n", "b#c", V},
    {"EnvQuoted", Language::Env, "A=\"x # not comment\" # c\n", "\"x # not comment\"", V},
    {"EnvQuotedComment", Language::Env, "A=\"x\" # authtoken\n", "authtoken", M},
    {"EnvMultilineQuoted", Language::Env, "KEY=\"line1\nTOK\"\nB=c", "TOK", V},
    {"EnvMultilineNext", Language::Env, "KEY=\"line1\nTOK\"\nB=c", "B", K},
    {"EnvSpaces", Language::Env, "  KEY = value  \n", "value", V},
    {"EnvCrlf", Language::Env, "A=b\r\nTOKEN=x\r\n", "TOKEN", K},
    // ---- .properties ----
    {"PropsEquals", Language::Properties, "zoho.authtoken=abc\n", "zoho.authtoken", K},
    {"PropsValue", Language::Properties, "zoho.authtoken=abc\n", "abc", V},
    {"PropsColon", Language::Properties, "key: the value\n", "the value", V},
    {"PropsSpace", Language::Properties, "key the value\n", "the value", V},
    {"PropsComment", Language::Properties, "# authtoken\nk=v", "authtoken", M},
    {"PropsBang", Language::Properties, "! authtoken\nk=v", "authtoken", M},
    {"PropsContinuation", Language::Properties, "k=a,\\\n  TOK\nn=1", "TOK", V},
    {"PropsContinuationNext", Language::Properties, "k=a,\\\n  TOK\nn=1", "n", K},
    {"PropsEscapedSep", Language::Properties, "my\\=key=v\n", "my\\=key", K},
    {"PropsEvenBackslashes", Language::Properties, "k=a\\\\\nn=1", "n", K},
    // ---- INI ----
    {"IniSection", Language::Ini, "[zoho]\nauthtoken = abc\n", "[zoho]", K},
    {"IniKey", Language::Ini, "[zoho]\nauthtoken = abc\n", "authtoken", K},
    {"IniValue", Language::Ini, "[zoho]\nauthtoken = abc\n", "abc", V},
    {"IniColon", Language::Ini, "authtoken: abc\n", "abc", V},
    {"IniSemicolonComment", Language::Ini, "; authtoken\n", "authtoken", M},
    {"IniHashComment", Language::Ini, "# authtoken\n", "authtoken", M},
    {"IniInlineComment", Language::Ini, "k = v ; authtoken\n", "authtoken", M},
    {"IniSemicolonInValue", Language::Ini, "k = a;b\n", "a;b", V},
    {"IniQuotedValue", Language::Ini, "k = \"a ; b\" ; c\n", "\"a ; b\"", V},
    {"IniContinuation", Language::Ini, "k = a\n  TOK\n", "TOK", V},
    // ---- TOML ----
    {"TomlKey", Language::Toml, "authtoken = \"abc\"\n", "authtoken", K},
    {"TomlValue", Language::Toml, "authtoken = \"abc\"\n", "\"abc\"", V},
    {"TomlTable", Language::Toml, "[zoho.crm]\nk = 1\n", "[zoho.crm]", K},
    {"TomlArrayTable", Language::Toml, "[[servers]]\nk = 1\n", "[[servers]]", K},
    {"TomlDottedKey", Language::Toml, "zoho.auth.token = 1\n", "zoho.auth.token", K},
    {"TomlQuotedKey", Language::Toml, "\"auth token\" = 1\n", "\"auth token\"", K},
    {"TomlComment", Language::Toml, "k = 1 # authtoken\n", "authtoken", M},
    {"TomlHashInString", Language::Toml, "k = \"a # b\"\n", "# b", V},
    {"TomlNumber", Language::Toml, "k = 42\n", "42", V},
    {"TomlMultiline", Language::Toml, "k = \"\"\"\nTOK\n\"\"\"\nn = 1", "TOK", V},
    {"TomlMultilineNext", Language::Toml, "k = \"\"\"\nTOK\n\"\"\"\nn = 1", "n", K},
    {"TomlLiteral", Language::Toml, "k = 'C:\\path'\nn = 1", "'C:\\path'", V},
    {"TomlInlineTableKey", Language::Toml, "z = { token = \"abc\", b = 2 }\n", "token", K},
    {"TomlInlineTableValue", Language::Toml, "z = { token = \"abc\", b = 2 }\n", "\"abc\"", V},
    {"TomlInlineTableSecondKey", Language::Toml, "z = { token = \"abc\", b = 2 }\n", "b", K, 1},
    {"TomlArray", Language::Toml, "a = [\n  \"TOK\", # c\n  2,\n]\nn = 1", "\"TOK\"", V},
    {"TomlArrayAfter", Language::Toml, "a = [\n  \"x\", # c\n  2,\n]\nn = 1", "n", K},
    {"TomlDate", Language::Toml, "d = 1979-05-27 07:32:00Z\n", "07:32:00Z", V},
    // ---- YAML ----
    {"YamlKey", Language::Yaml, "authtoken: abc\n", "authtoken", K},
    {"YamlValue", Language::Yaml, "authtoken: abc\n", "abc", V},
    {"YamlNested", Language::Yaml, "zoho:\n  crm:\n    authtoken: abc\n", "authtoken", K},
    {"YamlComment", Language::Yaml, "# authtoken\nk: v\n", "authtoken", M},
    {"YamlInlineComment", Language::Yaml, "k: v # authtoken\n", "authtoken", M},
    {"YamlHashInValue", Language::Yaml, "k: a#b\n", "a#b", V},
    {"YamlHashInQuotes", Language::Yaml, "k: \"a # b\"\n", "# b", V},
    {"YamlSeqKey", Language::Yaml, "- name: authtoken\n  value: x\n", "name", K},
    {"YamlSeqValue", Language::Yaml, "- name: authtoken\n  value: x\n", "authtoken", V},
    {"YamlSeqSecondKey", Language::Yaml, "- name: authtoken\n  value: x\n", "value", K},
    {"YamlPlainItem", Language::Yaml, "list:\n  - authtoken\n", "authtoken", V},
    {"YamlQuotedKey", Language::Yaml, "\"auth token\": 1\n", "\"auth token\"", K},
    {"YamlSingleQuoted", Language::Yaml, "k: 'it''s TOK'\n", "TOK", V},
    {"YamlUrlValue", Language::Yaml, "url: https://x/?authtoken=1\n", "https://x/?authtoken=1", V},
    {"YamlFlowMapKey", Language::Yaml, "m: {a: b, \"c\": d}\n", "a", K},
    {"YamlFlowMapValue", Language::Yaml, "m: {a: b, \"c\": d}\n", "d", V},
    {"YamlFlowQuotedKey", Language::Yaml, "m: {a: b, \"c\": d}\n", "\"c\"", K},
    {"YamlFlowSeq", Language::Yaml, "m: [authtoken, b]\n", "authtoken", V},
    {"YamlFlowMultiline", Language::Yaml, "m: {\n  token: x,\n  b: y\n}\nn: 1", "token", K},
    {"YamlFlowMultilineAfter", Language::Yaml, "m: {\n  token: x,\n  b: y\n}\nn: 1", "n", K},
    {"YamlBlockLiteral", Language::Yaml, "script: |\n  curl \"x?authtoken=1\"\n  echo hi\nnext: 1\n", "curl", V},
    {"YamlBlockLiteralAfter", Language::Yaml, "script: |\n  curl x\nnext: 1\n", "next", K},
    {"YamlBlockFolded", Language::Yaml, "s: >-\n  TOK\n\n  more\nn: 1", "more", V},
    {"YamlBlockInSeq", Language::Yaml, "steps:\n  - run: |\n      echo TOK\n  - name: x\n", "echo TOK", V},
    {"YamlBlockInSeqNext", Language::Yaml, "steps:\n  - run: |\n      echo TOK\n  - name: x\n", "name", K},
    {"YamlDocMarker", Language::Yaml, "---\nk: v\n", "---", C},
    {"YamlAnchor", Language::Yaml, "base: &b\n  k: TOK\nx: *b\n", "TOK", V},
    {"YamlCrlf", Language::Yaml, "a: b\r\nauthtoken: c\r\n", "authtoken", K},
    {"YamlMultilineQuoted", Language::Yaml, "k: \"line1\n  TOK\"\nn: 1", "TOK", V},
    {"YamlMultilineQuotedAfter", Language::Yaml, "k: \"line1\n  TOK\"\nn: 1", "n", K, 1},
    {"YamlColonInKeyValue", Language::Yaml, "time: 12:30\n", "12:30", V},
    // ---- JSON ----
    {"JsonKey", Language::Json, "{\"authtoken\": \"abc\"}", "\"authtoken\"", K},
    {"JsonValue", Language::Json, "{\"authtoken\": \"abc\"}", "\"abc\"", V},
    {"JsonNumber", Language::Json, "{\"a\": 12.5e3}", "12.5e3", V},
    {"JsonLiteral", Language::Json, "{\"a\": true}", "true", V},
    {"JsonPunct", Language::Json, "{\"a\": true}", "{", C},
    {"JsonArrayString", Language::Json, "[\"authtoken\", 1]", "\"authtoken\"", V},
    {"JsonKeyAcrossNewline", Language::Json, "{\"authtoken\"\n  : 1}", "\"authtoken\"", K},
    {"JsonEscapes", Language::Json, "{\"a\\\"b\": \"c\"}", "\"c\"", V},
    {"JsonComment", Language::Json, "{\n// authtoken\n\"a\": 1}", "authtoken", M},
    {"JsonBlockComment", Language::Json, "{/* authtoken */\"a\": 1}", "authtoken", M},
    {"Json5Bare", Language::Json, "{authtoken: 'x'}", "authtoken", K},
    // ---- XML / HTML ----
    {"XmlComment", Language::Xml, "<a><!-- authtoken --></a>", "authtoken", M},
    {"XmlTagName", Language::Xml, "<authtoken>x</authtoken>", "authtoken", K},
    {"XmlText", Language::Xml, "<key>authtoken</key>", "authtoken", V},
    {"XmlAttrName", Language::Xml, "<add key=\"authtoken\" value=\"abc\"/>", "key", K},
    {"XmlAttrValue", Language::Xml, "<add key=\"authtoken\" value=\"abc\"/>", "\"authtoken\"", V},
    {"XmlAttrSingleQuoted", Language::Xml, "<add value='abc'/>", "'abc'", V},
    {"XmlCdata", Language::Xml, "<a><![CDATA[ <authtoken> ]]></a>", "<authtoken>", V},
    {"XmlDecl", Language::Xml, "<?xml version=\"1.0\"?>\n<a/>", "version", C},
    {"XmlDoctype", Language::Xml, "<!DOCTYPE html>\n<p>x</p>", "DOCTYPE", C},
    {"XmlClosingTag", Language::Xml, "<a>x</a>", "/", C},
    {"HtmlUnquotedAttr", Language::Xml, "<input value=authtoken>", "authtoken", V},
    {"HtmlScript", Language::Xml, "<script>if (a < b) x = 'TOK';</script><p>y</p>", "a < b", V},
    {"HtmlScriptAfter", Language::Xml, "<script>if (a<b) x;</script><p>y</p>", "p", K, 1},
    {"XmlPlistKey", Language::Xml, "<dict>\n  <key>authtoken</key>\n  <string>abc</string>\n</dict>", "abc", V},
    {"XmlNamespaced", Language::Xml, "<ns:item ns:attr=\"v\"/>", "ns:attr", K},
    // ---- Markdown ----
    {"MdProse", Language::Markdown, "Use the authtoken param.\n", "authtoken", T},
    {"MdFence", Language::Markdown, "Text\n```python\nx = 'authtoken'\n```\nafter", "authtoken", S},
    {"MdFenceInfo", Language::Markdown, "Text\n```python\nx = 1\n```\nafter", "python", S},
    {"MdFenceAfter", Language::Markdown, "Text\n```python\nx = 1\n```\nafter", "after", T},
    {"MdTildeFence", Language::Markdown, "~~~\nauthtoken\n~~~\nafter", "authtoken", S},
    {"MdLongFence", Language::Markdown, "````\n```\nTOK\n````\nafter", "TOK", S},
    {"MdInlineCode", Language::Markdown, "Pass `authtoken=x` here.", "authtoken", S},
    {"MdInlineCodeAfter", Language::Markdown, "Pass `authtoken=x` here.", "here", T},
    {"MdDoubleBacktick", Language::Markdown, "A ``code ` with TOK`` b", "TOK", S},
    {"MdUnmatchedBacktick", Language::Markdown, "A ` lone TOK\n\nb `x`", "TOK", T},
    {"MdHtmlComment", Language::Markdown, "a <!-- authtoken --> b", "authtoken", M},
    {"MdUnterminatedFence", Language::Markdown, "```\nTOK", "TOK", S},
    // ---- Plain text ----
    {"Text", Language::Text, "authtoken = 1 // \"x\"", "authtoken", T},
    {"TextQuote", Language::Text, "authtoken = 1 // \"x\"", "\"x\"", T},
    // ---- CRLF and BOM ----
    {"CrlfC", Language::C, "int a; // c\r\nint authtoken;\r\n", "authtoken", C},
    {"CrlfPy", Language::Python, "x = 1 # c\r\ny = 'TOK'\r\n", "TOK", S},
    {"CrlfPyTriple", Language::Python, "x = '''\r\nTOK\r\n'''\r\ncode\r\n", "code", C},
    {"CrlfShHeredoc", Language::Shell, "cat <<EOF\r\nTOK\r\nEOF\r\ncode\r\n", "code", C},
    {"CrlfRbHeredoc", Language::Ruby, "s = <<~EOS\r\n  TOK\r\n  EOS\r\ncode\r\n", "code", C},
    {"CrlfPhpHeredoc", Language::PHP, "<?php\r\n$s = <<<EOT\r\nTOK\r\nEOT;\r\n$c = 1;", "$c", C},
    {"CrlfProps", Language::Properties, "k=a\\\r\n  TOK\r\nn=1", "TOK", V},
    {"CrlfIni", Language::Ini, "[s]\r\nk = v\r\n", "v", V},
    {"BomPy", Language::Python, "\xEF\xBB\xBF# authtoken\nx", "authtoken", M},
    {"BomEnv", Language::Env, "\xEF\xBB\xBFTOKEN=x\n", "TOKEN", K},
    {"BomIni", Language::Ini, "\xEF\xBB\xBF[s]\nk=v", "[s]", K},
    {"BomYaml", Language::Yaml, "\xEF\xBB\xBFtoken: x\n", "token", K},
    {"BomJson", Language::Json, "\xEF\xBB\xBF{\"a\": 1}", "\"a\"", K},
    {"BomPhp", Language::PHP, "\xEF\xBB\xBF<?php $x = 'TOK';", "TOK", S},
    {"BomMarkdown", Language::Markdown, "\xEF\xBB\xBF```\nTOK\n```\n", "TOK", S},
    // ---- Unterminated input ----
    {"UnterminatedBlockComment", Language::C, "x /* authtoken", "authtoken", M},
    {"UnterminatedTemplate", Language::JavaScript, "x = `abc ${ f(", "f(", C},
    {"UnterminatedPyTriple", Language::Python, "x = '''abc\nTOK", "TOK", S},
    {"UnterminatedRbHeredoc", Language::Ruby, "x = <<~EOS\nTOK", "TOK", S},
    {"UnterminatedShHeredoc", Language::Shell, "cat <<EOF\nTOK", "TOK", S},
    {"UnterminatedPhpHeredoc", Language::PHP, "<?php $x = <<<EOT\nTOK", "TOK", S},
    {"UnterminatedPhp", Language::PHP, "<?php $x = 'TOK", "TOK", S},
    {"UnterminatedXmlComment", Language::Xml, "<a><!-- TOK", "TOK", M},
    {"UnterminatedPod", Language::Perl, "=pod\nTOK", "TOK", M},
    {"UnterminatedCsRaw", Language::CSharp, "x = \"\"\"\nTOK", "TOK", S},
    {"UnterminatedYamlFlow", Language::Yaml, "k: {a: [TOK", "TOK", V},
    // ---- HOCON / nginx blocks in INI-lexed .conf files ----
    {"IniHoconBlockKey", Language::Ini, "zoho {\n  authtoken = \"\"\n  api_key = x\n}\n", "api_key", K},
    {"IniHoconBlockValue", Language::Ini, "zoho {\n  a = 1\n  TOK = \"v\"\n}\n", "\"v\"", V},
    {"IniHoconAfterBlock", Language::Ini, "zoho {\n  a = 1\n}\nkey = x\n  TOK\n", "TOK", V},
    {"IniContinuationStillValue", Language::Ini, "[s]\nkey = a\n  TOK\n", "TOK", V},
    // ---- Elixir config statements ----
    {"ExsConfigKey", Language::Elixir, "config :zoho, authtoken: \"\", base: \"u\"\n", "authtoken", K},
    {"ExsConfigValue", Language::Elixir, "config :zoho, authtoken: \"TOK\"\n", "\"TOK\"", V},
    {"ExsConfigModule", Language::Elixir, "config :zoho, Zoho.Client,\n  # note\n  api_key: nil,\n  TOK: 1\n", "TOK", K},
    {"ExsConfigNil", Language::Elixir, "config :zoho, Zoho.Client,\n  api_key: nil\n", "nil", V},
    {"ExsConfigEnds", Language::Elixir, "config :zoho, a: 1\nget(u, TOK: t)\n", "TOK", C},
    {"ExsKeywordInCall", Language::Elixir, "get(u, params: [authtoken: t])\n", "authtoken", C},
    {"ExsConfigWordInCode", Language::Elixir, "configure :x, TOK: 1\n", "TOK", C},
    // ---- Generic (files of no known language) ----
    {"GenDqString", Language::Generic, "local u = \"a?authtoken=TOK\" .. t", "TOK", S},
    {"GenSqString", Language::Generic, "u <- 'x\\'TOK' ; code", "TOK", S},
    {"GenSqStringEnd", Language::Generic, "u <- 'x\\'y' ; code", "code", C},
    {"GenApostrophe", Language::Generic, "don't stop: TOK", "TOK", C},
    {"GenStringEndsAtEol", Language::Generic, "x = \"open\nTOK", "TOK", C},
    {"GenHash", Language::Generic, "x <- 1 # TOK\ny", "TOK", M},
    {"GenHashLineStart", Language::Generic, "### TOK\nGET /", "TOK", M},
    {"GenHashInWord", Language::Generic, "GET /a#TOK", "TOK", C},
    {"GenSlashes", Language::Generic, "x = 1 // TOK", "TOK", M},
    {"GenUrlNotComment", Language::Generic, "GET https://TOK.zoho.com/", "TOK", C},
    {"GenDashes", Language::Generic, "local x = 1 -- TOK", "TOK", M},
    {"GenDashesLineStart", Language::Generic, "--TOK?\n", "TOK", C},
    {"GenDashesBare", Language::Generic, "--\nTOK", "TOK", C},
    {"GenLongOption", Language::Generic, "curl --header TOK", "TOK", C},
    {"GenLuaBlock", Language::Generic, "--[[ a\nTOK ]] b", "TOK", M},
    {"GenLuaBlockEnd", Language::Generic, "--[[ a\nb ]] TOK", "TOK", C},
    {"GenBlock", Language::Generic, "a /* x\nTOK */ b", "TOK", M},
    {"GenBlockNeedsBlank", Language::Generic, "a/* TOK */", "TOK", C},
    {"GenSemicolonLineStart", Language::Generic, "  ; TOK\n", "TOK", M},
    {"GenSemicolonMidLine", Language::Generic, "a := 1 ; TOK", "TOK", C},
    {"GenCommentInString", Language::Generic, "s = \"# // TOK\"", "TOK", S},
    {"GenStringInComment", Language::Generic, "# \"a\nTOK", "TOK", C},
    // ---- Invalid UTF-8 and NUL ----
    {"InvalidUtf8Py", Language::Python, "x = '\xff\xfe' # TOK\n", "TOK", M},
    {"InvalidUtf8Js", Language::JavaScript, "\xc3\x28 = 1; // TOK", "TOK", M},
    {"NulByte", Language::C, std::string("a\0b /* TOK */", 13), "TOK", M},
    {"NulInString", Language::Python, std::string("x = 'a\0b' # TOK", 15), "TOK", M},
    {"Utf8Identifier", Language::JavaScript, "const \xc3\xa9t\xc3\xa9 = 'TOK';", "TOK", S},
};

INSTANTIATE_TEST_SUITE_P(
    Lexers, KindTest, ::testing::ValuesIn(KindCases),
    [](const ::testing::TestParamInfo<KindCase> &I) { return std::string(I.param.Name); });

// ---- Exact masks for a few constructs whose boundaries matter ----

struct MaskCase {
  const char *Name;
  Language Lang;
  const char *Text;
  const char *Mask;
};

std::ostream &operator<<(std::ostream &OS, const MaskCase &C) { return OS << C.Name; }

class MaskTest : public ::testing::TestWithParam<MaskCase> {};

TEST_P(MaskTest, Matches) {
  const MaskCase &Case = GetParam();
  EXPECT_EQ(maskOf(Case.Lang, Case.Text), Case.Mask) << Case.Text;
}

const MaskCase MaskCases[] = {
    {"CString", Language::C,
     "a=\"x\";//c",
     "ccssscmmm"},
    {"JsTemplate", Language::JavaScript,
     "`a${b}c`",
     "ssccccss"},
    {"JsTemplateNested", Language::JavaScript,
     "`a${`b${c}`}d`",
     "ssccssccccscss"},
    {"PyFString", Language::Python,
     "f'a{b:>3}{{c}}'",
     "ssscccsscssssss"},
    {"CsInterp", Language::CSharp,
     "$\"a{b}\"",
     "ssscccs"},
    {"RbInterp", Language::Ruby,
     "\"a#{b}\"#c",
     "ssccccsmm"},
    {"PhpVar", Language::PHP,
     "x<?php \"a$b\"?>y",
     "tccccccssccscct"},
    {"ShSubst", Language::Shell,
     "\"a$(b)c\"",
     "ssccccss"},
    {"Env", Language::Env,
     "K=v #c\n",
     "kcvcmmc"},
    {"Ini", Language::Ini,
     "[s]\nk = v\n",
     "kkkckcccvc"},
    {"Yaml", Language::Yaml,
     "k: v #c\n",
     "kccvcmmc"},
    {"Json", Language::Json,
     "{\"k\":1}",
     "ckkkcvc"},
    {"Xml", Language::Xml,
     "<a b=\"c\">d</a>",
     "ckckcvvvcvcckc"},
    {"Markdown", Language::Markdown,
     "a `b` c",
     "ttssstt"},
};

INSTANTIATE_TEST_SUITE_P(
    Lexers, MaskTest, ::testing::ValuesIn(MaskCases),
    [](const ::testing::TestParamInfo<MaskCase> &I) { return std::string(I.param.Name); });

// ---- Robustness ----

std::vector<Language> allLanguages() {
  std::vector<Language> All;
  for (int I = 0; I <= static_cast<int>(Language::Unknown); ++I)
    All.push_back(static_cast<Language>(I));
  return All;
}

TEST(LexerRobustness, EmptyInput) {
  for (Language L : allLanguages()) {
    SpanMap Map = lex(L, "");
    EXPECT_TRUE(Map.spans().empty()) << languageName(L).str();
  }
}

TEST(LexerRobustness, BomOnly) {
  for (Language L : allLanguages())
    EXPECT_TRUE(coversExactly(lex(L, "\xEF\xBB\xBF"), 3)) << languageName(L).str();
}

/// Random inputs biased towards the characters lexers care about.
TEST(LexerRobustness, RandomInputsCoverEveryByte) {
  static const char Alphabet[] =
      "\"'`$#{}()[]<>/\\*?!%@~=:;,.-|&^ \t\n\r\n\nabcEOFqQwsrfR0123456789x\xff\xc3\xa9";
  std::mt19937 Rng(12345);
  std::uniform_int_distribution<int> Len(0, 200);
  std::uniform_int_distribution<int> Pick(0, sizeof(Alphabet) - 2);
  std::uniform_int_distribution<int> AnyByte(0, 255);
  std::uniform_int_distribution<int> Coin(0, 9);
  for (Language L : allLanguages()) {
    for (int Round = 0; Round < 2000; ++Round) {
      std::string Text;
      int N = Len(Rng);
      bool Raw = Coin(Rng) == 0;
      for (int I = 0; I < N; ++I)
        Text += Raw ? static_cast<char>(AnyByte(Rng)) : Alphabet[Pick(Rng)];
      if (Coin(Rng) == 0)
        Text = "<?php " + Text;
      if (Coin(Rng) == 0)
        Text = "<<EOF\n" + Text;
      SpanMap Map = lex(L, Text);
      ASSERT_TRUE(coversExactly(Map, Text.size()))
          << languageName(L).str() << " round " << Round;
    }
  }
}

/// Deep nesting must neither recurse nor blow up: bounded frame stacks.
TEST(LexerRobustness, DeepInterpolationNesting) {
  std::string Js, Py, Rb, Sh, Kt;
  for (int I = 0; I < 10000; ++I) {
    Js += "`${";
    Py += "f'{";
    Rb += "\"#{";
    Sh += "\"$(";
    Kt += "\"${";
  }
  EXPECT_TRUE(coversExactly(lex(Language::JavaScript, Js), Js.size()));
  EXPECT_TRUE(coversExactly(lex(Language::Python, Py), Py.size()));
  EXPECT_TRUE(coversExactly(lex(Language::Ruby, Rb), Rb.size()));
  EXPECT_TRUE(coversExactly(lex(Language::Shell, Sh), Sh.size()));
  EXPECT_TRUE(coversExactly(lex(Language::Kotlin, Kt), Kt.size()));
  std::string Yaml(100000, '['), Toml = "a = " + std::string(100000, '[');
  EXPECT_TRUE(coversExactly(lex(Language::Yaml, "k: " + Yaml), Yaml.size() + 3));
  EXPECT_TRUE(coversExactly(lex(Language::Toml, Toml), Toml.size()));
}

/// Large inputs in linear time: a quadratic lexer would take minutes here.
TEST(LexerRobustness, LargeInputsAreLinear) {
  std::string Line;
  for (int I = 0; I < 200000; ++I)
    Line += "a / b ` ' \" # /* [ { <<X <?php ${ #{ ";
  // One enormous line (~7 MB) and many short lines.
  std::string Lines;
  for (int I = 0; I < 200000; ++I)
    Lines += "x = \"a\" + 'b' # c // d\n";
  for (Language L : allLanguages()) {
    EXPECT_TRUE(coversExactly(lex(L, Line), Line.size())) << languageName(L).str();
    EXPECT_TRUE(coversExactly(lex(L, Lines), Lines.size())) << languageName(L).str();
  }
  // Pathological for regex and inline-code look-ahead.
  std::string Slashes(2000000, '/');
  for (size_t I = 1; I < Slashes.size(); I += 3)
    Slashes[I] = '(';
  EXPECT_TRUE(coversExactly(lex(Language::JavaScript, Slashes), Slashes.size()));
  std::string Ticks;
  for (int I = 0; I < 500000; ++I)
    Ticks += "` a ";
  Ticks += "``";
  EXPECT_TRUE(coversExactly(lex(Language::Markdown, Ticks), Ticks.size()));
}

TEST(LexerRobustness, SpanMapLookups) {
  std::string Text = "x = 'TOK' # c";
  SpanMap Map = lex(Language::Python, Text);
  EXPECT_EQ(Map.kindAt(0), C);
  EXPECT_EQ(Map.kindAt(5), S);
  EXPECT_EQ(Map.kindAt(Text.size() - 1), M);
  ASSERT_NE(Map.spanAt(5), nullptr);
  EXPECT_EQ(Map.spanAt(5)->Begin, 4u);
  EXPECT_EQ(Map.spanAt(5)->End, 9u);
}

} // namespace

// Regression: the .env lexer searched for '=' up to the end of the file on every line
// (42 s for 4 MiB); INI did the same for ']'. The spans must come out right for a big
// file of lines without the separator.
TEST(LexerRobustness, EnvAndIniSeparatorsAreSearchedOnTheirLineOnly) {
  std::string Env, Ini;
  while (Env.size() < (4u << 20))
    Env += "FEATURE_FLAG_WITHOUT_VALUE\n";
  size_t EnvKey = Env.size();
  Env += "ZOHO_AUTHTOKEN=abc\n";
  SpanMap EM = lex(Language::Env, Env);
  ASSERT_TRUE(coversExactly(EM, Env.size()));
  EXPECT_EQ(EM.kindAt(0), C);
  EXPECT_EQ(EM.kindAt(EnvKey - 2), C);
  EXPECT_EQ(EM.kindAt(EnvKey), K);
  EXPECT_EQ(EM.kindAt(Env.size() - 3), V);
  ASSERT_GE(EM.spans().size(), 3u);
  EXPECT_EQ(EM.spans()[0].End, EnvKey); // every line before is one Code span
  while (Ini.size() < (4u << 20))
    Ini += "[unterminated section\n";
  size_t IniKey = Ini.size();
  Ini += "authtoken = abc\n";
  SpanMap IM = lex(Language::Ini, Ini);
  ASSERT_TRUE(coversExactly(IM, Ini.size()));
  EXPECT_EQ(IM.kindAt(0), K);
  EXPECT_EQ(IM.kindAt(IniKey), K);
  EXPECT_EQ(IM.kindAt(Ini.size() - 3), V);
}

// Regression: the YAML flow lexer computed the line end again for every plain scalar
// (10 s for a 2 MiB one-line flow).
TEST(LexerRobustness, YamlFlowOnOneHugeLine) {
  std::string Y = "k: [";
  size_t Items = 0;
  while (Y.size() < (2u << 20)) {
    Y += "item" + std::to_string(Items++) + ", ";
  }
  Y += "{authtoken: abc}]\n";
  SpanMap Map = lex(Language::Yaml, Y);
  ASSERT_TRUE(coversExactly(Map, Y.size()));
  size_t Values = 0;
  for (const Span &Sp : Map.spans())
    Values += Sp.Kind == V;
  EXPECT_EQ(Values, Items + 1);
  EXPECT_EQ(Map.kindAt(Y.find("authtoken")), K);
  EXPECT_EQ(Map.kindAt(Y.size() - 5), V);
}
