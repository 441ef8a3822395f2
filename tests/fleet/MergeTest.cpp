/// \file
/// report/Merge.h and report/Fleet.h: merging per-repository reports (paths
/// prefixed, sorted as a scan sorts, counters summed, per-repository totals,
/// notes for mixed dates and versions, errors naming files), and the `scan
/// --repos-from` list (columns, names, comments, errors with FILE:LINE, shards,
/// URL detection).

#include "report/Merge.h"
#include "report/Fleet.h"
#include "report/ReadJson.h"
#include "report/Report.h"

#include "llvm/Support/raw_ostream.h"
#include "gtest/gtest.h"

using namespace atm;

namespace {

Finding finding(const std::string &Path, unsigned Line, unsigned Col,
                const std::string &Rule) {
  Finding F;
  F.RuleId = Rule;
  F.Path = Path;
  F.Begin = {Line, Col};
  F.End = {Line, Col + 5};
  F.Sev = Severity::Error;
  F.Fingerprint = Rule + Path;
  return F;
}

MergeInput input(const std::string &Source, const std::string &RepoName,
                 std::vector<Finding> Fs, unsigned Scanned,
                 const std::string &AsOf = "2026-11-24",
                 const std::string &Version = "1.2.0") {
  MergeInput In;
  In.Source = Source;
  In.Report.Header.AsOf = AsOf;
  In.Report.Header.ToolVersion = Version;
  if (!RepoName.empty()) {
    RepoInfo R;
    R.Name = RepoName;
    R.Commit = "c0ffee";
    In.Report.Header.Repository = R;
  }
  In.Report.Result.Findings = std::move(Fs);
  In.Report.Result.Stats.FilesScanned = Scanned;
  In.Report.Result.Stats.PrefilterRejected = 1;
  In.Report.Result.Stats.FilesByLanguage["python"] = Scanned;
  In.Report.Result.Stats.Bytes = 100;
  return In;
}

TEST(Merge, PrefixesSortsSumsAndKeepsTotals) {
  std::vector<MergeInput> In;
  // "b" before "a" in the input: the merged findings are sorted by the prefixed
  // path.
  In.push_back(input("out/b.json", "b", {finding("z.py", 1, 1, "r1")}, 2));
  In.push_back(input("out/a.json", "a",
                     {finding("x.py", 9, 1, "r2"), finding("x.py", 2, 4, "r1"),
                      finding("x.py", 2, 4, "r0")},
                     3));
  auto M = mergeReports(std::move(In));
  ASSERT_TRUE(static_cast<bool>(M)) << llvm::toString(M.takeError());
  ASSERT_EQ(M->Result.Findings.size(), 4u);
  EXPECT_EQ(M->Result.Findings[0].Path, "a/x.py");
  EXPECT_EQ(M->Result.Findings[0].RuleId, "r0");
  EXPECT_EQ(M->Result.Findings[1].RuleId, "r1");
  EXPECT_EQ(M->Result.Findings[2].Begin.Line, 9u);
  EXPECT_EQ(M->Result.Findings[3].Path, "b/z.py");
  // Fingerprints are each repository's own (repository-relative, README "Fleet
  // scans").
  EXPECT_EQ(M->Result.Findings[3].Fingerprint, "r1z.py");
  EXPECT_EQ(M->Result.Stats.FilesScanned, 5u);
  EXPECT_EQ(M->Result.Stats.PrefilterRejected, 2u);
  EXPECT_EQ(M->Result.Stats.Bytes, 200u);
  EXPECT_EQ(M->Result.Stats.FilesByLanguage["python"], 5u);
  ASSERT_EQ(M->Repos.size(), 2u);
  EXPECT_EQ(M->Repos[0].Name, "b");
  EXPECT_EQ(M->Repos[0].Findings, 1u);
  EXPECT_EQ(M->Repos[0].FilesScanned, 2u);
  EXPECT_EQ(M->Repos[1].Name, "a");
  EXPECT_EQ(M->Repos[1].Findings, 3u);
  EXPECT_EQ(M->Repos[1].Commit, "c0ffee");
  EXPECT_TRUE(M->Notes.empty());
  EXPECT_EQ(M->AsOf, "2026-11-24");
}

TEST(Merge, NameFromRepositoryElseRootElseFile) {
  MergeInput A = input("r/one.json", "named", {}, 0);
  EXPECT_EQ(mergeName(A), "named");
  MergeInput B = input("r/two.json", "", {}, 0);
  B.Report.Header.Root = "/srv/checkout/billing/";
  EXPECT_EQ(mergeName(B), "billing");
  MergeInput C = input("r/three.json", "", {}, 0);
  EXPECT_EQ(mergeName(C), "three");
}

TEST(Merge, DifferentDatesAndVersionsAreNotes) {
  std::vector<MergeInput> In;
  In.push_back(input("a.json", "a", {}, 1, "2026-11-01", "1.9.0"));
  In.push_back(input("b.json", "b", {}, 1, "2026-11-24", "1.10.0"));
  auto M = mergeReports(std::move(In));
  ASSERT_TRUE(static_cast<bool>(M)) << llvm::toString(M.takeError());
  ASSERT_EQ(M->Notes.size(), 2u);
  EXPECT_NE(M->Notes[0].find("2026-11-01 in a.json"), std::string::npos)
      << M->Notes[0];
  EXPECT_NE(M->Notes[1].find("1.9.0 in a.json"), std::string::npos)
      << M->Notes[1];
  EXPECT_EQ(M->AsOf, "2026-11-24");
  EXPECT_EQ(M->ToolVersion, "1.10.0"); // numeric, not text, comparison
  EXPECT_EQ(M->Result.Stats.Notes.size(), 2u);
}

TEST(Merge, SameRepositoryTwiceAndMergedInputsAreErrors) {
  std::vector<MergeInput> In;
  In.push_back(input("x/api.json", "api", {}, 1));
  In.push_back(input("y/api.json", "api", {}, 1));
  auto M = mergeReports(std::move(In));
  ASSERT_FALSE(static_cast<bool>(M));
  std::string E = llvm::toString(M.takeError());
  EXPECT_NE(E.find("y/api.json"), std::string::npos) << E;
  EXPECT_NE(E.find("x/api.json"), std::string::npos) << E;

  std::vector<MergeInput> In2;
  In2.push_back(input("merged.json", "", {}, 1));
  In2.back().Report.Header.Repos.push_back(RepoTotals{"a", 1, 1, "", "", ""});
  auto M2 = mergeReports(std::move(In2));
  ASSERT_FALSE(static_cast<bool>(M2));
  EXPECT_NE(
      llvm::toString(M2.takeError()).find("merged.json: is a merged report"),
      std::string::npos);
}

TEST(Merge, RepositoryKeysRoundTripThroughJson) {
  ScanResult R;
  R.Stats.Unreadable = 1;
  R.Stats.Problems = {"git clone failed"};
  ReportContext Ctx;
  Ctx.ToolVersion = "1.2.0";
  Ctx.AsOf = *Date::parse("2026-11-24");
  Ctx.Repository = RepoInfo{"api", "https://example.com/org/api.git", "abc123",
                            "git clone failed"};
  std::string S;
  llvm::raw_string_ostream OS(S);
  writeJson(OS, R, Ctx);
  OS.flush();
  auto J = parseScanJson(S, "api.json");
  ASSERT_TRUE(static_cast<bool>(J)) << llvm::toString(J.takeError());
  ASSERT_TRUE(J->Header.Repository.has_value());
  EXPECT_EQ(J->Header.Repository->Name, "api");
  EXPECT_EQ(J->Header.Repository->Url, "https://example.com/org/api.git");
  EXPECT_EQ(J->Header.Repository->Commit, "abc123");
  EXPECT_EQ(J->Header.Repository->Error, "git clone failed");

  // The merged report's "repositories" array, read back.
  std::vector<MergeInput> In;
  In.push_back({"api.json", std::move(*J)});
  auto M = mergeReports(std::move(In));
  ASSERT_TRUE(static_cast<bool>(M));
  EXPECT_EQ(M->Result.Stats.Problems,
            std::vector<std::string>{"api: git clone failed"});
  ReportContext MC;
  MC.Repos = M->Repos;
  std::string MS;
  llvm::raw_string_ostream MOS(MS);
  writeJson(MOS, M->Result, MC);
  MOS.flush();
  auto MJ = parseScanJson(MS, "merged.json");
  ASSERT_TRUE(static_cast<bool>(MJ));
  ASSERT_EQ(MJ->Header.Repos.size(), 1u);
  EXPECT_EQ(MJ->Header.Repos[0].Name, "api");
  EXPECT_EQ(MJ->Header.Repos[0].Error, "git clone failed");
  EXPECT_EQ(MJ->Result.Stats.Unreadable, 1u);
}

TEST(RepoList, EntriesNamesAndComments) {
  auto L = parseRepoList("# the fleet\n"
                         "\n"
                         "  ../checkouts/billing/  \n"
                         "https://git.example.com/org/api.git\n"
                         "git@github.com:org/api.git\tapi-mirror\n"
                         "ssh://git@host/srv/api\n"
                         "file:///srv/repos/.hidden\n"
                         "/srv/a b\n",
                         "list.txt");
  ASSERT_TRUE(static_cast<bool>(L)) << llvm::toString(L.takeError());
  ASSERT_EQ(L->size(), 6u);
  const auto &E = *L;
  EXPECT_EQ(E[0].Source, "../checkouts/billing/");
  EXPECT_FALSE(E[0].IsUrl);
  EXPECT_EQ(E[0].Name, "billing");
  EXPECT_EQ(E[0].Line, 3u);
  EXPECT_TRUE(E[1].IsUrl);
  EXPECT_EQ(E[1].Name, "api");
  EXPECT_TRUE(E[2].IsUrl);
  EXPECT_EQ(E[2].Name, "api-mirror");
  EXPECT_TRUE(E[3].IsUrl);
  EXPECT_EQ(E[3].Name, "api-2");   // unique
  EXPECT_EQ(E[4].Name, "_hidden"); // filesystem-safe, not a dot file
  EXPECT_FALSE(E[5].IsUrl);
  EXPECT_EQ(E[5].Name, "b"); // "/srv/a" named "b"
  EXPECT_EQ(E[5].Source, "/srv/a");
}

TEST(RepoList, DerivedNamesAvoidGivenNames) {
  auto L = parseRepoList("/srv/api\n/srv/other api\n", "l");
  ASSERT_TRUE(static_cast<bool>(L));
  EXPECT_EQ((*L)[0].Name, "api-2");
  EXPECT_EQ((*L)[1].Name, "api");
}

TEST(RepoList, ErrorsNameFileAndLine) {
  auto Three = parseRepoList("# c\n/a x y\n", "fleet.txt");
  ASSERT_FALSE(static_cast<bool>(Three));
  EXPECT_NE(llvm::toString(Three.takeError()).find("fleet.txt:2: "),
            std::string::npos);
  auto Twice = parseRepoList("/a n\n/b n\n", "fleet.txt");
  ASSERT_FALSE(static_cast<bool>(Twice));
  std::string E = llvm::toString(Twice.takeError());
  EXPECT_NE(E.find("fleet.txt:2: "), std::string::npos) << E;
  EXPECT_NE(E.find("line 1"), std::string::npos) << E;
  for (const char *Bad : {"/a ../x\n", "/a a/b\n", "/a .git\n", "/a ..\n"}) {
    auto B = parseRepoList(Bad, "fleet.txt");
    EXPECT_FALSE(static_cast<bool>(B)) << Bad;
    if (!B) {
      EXPECT_NE(llvm::toString(B.takeError()).find("fleet.txt:1: "),
                std::string::npos);
    }
  }
}

TEST(RepoList, GitUrls) {
  for (const char *U :
       {"https://h/o/r.git", "http://h/r", "ssh://git@h/r", "git://h/r",
        "file:///srv/r", "git@github.com:org/r.git", "me@host:r"})
    EXPECT_TRUE(isGitUrl(U)) << U;
  for (const char *P : {"/srv/r", "r", "./r:x", "dir/a@b:c", "https://", "c:"})
    EXPECT_FALSE(isGitUrl(P)) << P;
  EXPECT_EQ(repoBaseName("git@github.com:org/r.git"), "r");
  EXPECT_EQ(repoBaseName("me@host:r.git"), "r");
  EXPECT_EQ(repoBaseName("https://h/o/we%20ird.git/"), "we_20ird");
  EXPECT_EQ(urlWithoutCredentials("https://user:tok@h/o/r.git"),
            "https://h/o/r.git");
  EXPECT_EQ(urlWithoutCredentials("git@h:o/r.git"), "git@h:o/r.git");
}

TEST(RepoList, Shards) {
  auto L = parseRepoList("/r0\n/r1\n/r2\n/r3\n/r4\n", "l");
  ASSERT_TRUE(static_cast<bool>(L));
  std::vector<std::string> Seen;
  for (unsigned I = 0; I < 3; ++I)
    for (const RepoEntry &E : selectShard(*L, I, 3))
      Seen.push_back(E.Name);
  EXPECT_EQ(Seen, (std::vector<std::string>{"r0", "r3", "r1", "r4", "r2"}));
  auto S = parseShard("2/3");
  ASSERT_TRUE(static_cast<bool>(S));
  EXPECT_EQ(S->first, 2u);
  EXPECT_EQ(S->second, 3u);
  for (const char *Bad : {"3/3", "0/0", "1", "a/2", "-1/2", "/2"}) {
    auto B = parseShard(Bad);
    EXPECT_FALSE(static_cast<bool>(B)) << Bad;
    if (!B) {
      llvm::consumeError(B.takeError());
    }
  }
}

} // namespace
