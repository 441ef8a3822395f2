/// \file
/// The repository-wide definition index of the fix stage (fix/ProjectIndex.h): functions,
/// methods and classes by name across the files of one extension, parsed on demand; a
/// method is found on its class or on a class that class extends; a parent class the
/// repository does not define is named as missing; tests and vendored trees are not read.

#include "fix/ProjectIndex.h"
#include "gtest/gtest.h"

#include <map>

using namespace atm::fix;

namespace {

struct Tree {
  std::map<std::string, std::string> Files; // root-relative path -> text
  ProjectIndex index() const {
    return ProjectIndex(
        [this](llvm::StringRef P) -> llvm::Expected<std::string> {
          auto It = Files.find(P.str());
          if (It == Files.end())
            return llvm::createStringError(std::errc::no_such_file_or_directory, "%s",
                                           P.str().c_str());
          return It->second;
        },
        [this](llvm::StringRef Dir) {
          std::string Prefix = Dir.empty() ? "" : Dir.str() + "/";
          std::vector<std::string> Names;
          for (const auto &[Path, Text] : Files) {
            if (Path.compare(0, Prefix.size(), Prefix) != 0)
              continue;
            std::string Rest = Path.substr(Prefix.size());
            std::string Name = Rest.substr(0, Rest.find('/'));
            if (Names.empty() || Names.back() != Name)
              Names.push_back(Name);
          }
          return Names;
        },
        nullptr);
  }
};

TEST(ProjectIndex, FindsMethodsOnTheClassAndItsParents) {
  Tree T;
  T.Files["src/Base.php"] = "<?php\nclass BaseClient extends \\Vendor\\Api\\AbstractApi\n{\n"
                            "    protected function send($url, $params)\n    {\n    }\n}\n";
  T.Files["src/Books.php"] = "<?php\nclass Books extends BaseClient\n{\n"
                             "    public function invoices() { return $this->send('x', []); }\n}\n";
  ProjectIndex Ix = T.index();
  std::string Missing;
  auto Ds = Ix.findMethod(".php", "Books", "send", Missing);
  ASSERT_EQ(Ds.size(), 1u);
  EXPECT_EQ(Ds[0].Path, "src/Base.php");
  EXPECT_EQ(Ds[0].Class, "BaseClient");
  EXPECT_EQ(Ds[0].Line, 4u);
  EXPECT_TRUE(Missing.empty());
  // Not on the chain: the first class the repository does not define is named.
  EXPECT_TRUE(Ix.findMethod(".php", "Books", "get", Missing).empty());
  EXPECT_EQ(Missing, "AbstractApi");
  auto Classes = Ix.find(".php", "BaseClient");
  ASSERT_EQ(Classes.size(), 1u);
  EXPECT_TRUE(Classes[0].IsClass);
  EXPECT_EQ(Classes[0].Parent, "AbstractApi");
}

TEST(ProjectIndex, PythonJavaRubyAndJavaScriptDefinitions) {
  Tree T;
  T.Files["books/util/http.py"] = "import requests\n\nclass ZohoHttpClient(object):\n"
                                  "    def get(self, url, details):\n        return requests.get(url)\n";
  T.Files["src/util/HttpUtil.java"] =
      "package util;\npublic class HttpUtil {\n  public static String post(String u) { return u; }\n}\n";
  T.Files["lib/zoho/connection.rb"] = "module Zoho\n  class Connection < Base\n    def call(q)\n"
                                      "    end\n  end\nend\n";
  T.Files["lib/client.js"] = "class Client extends Base {\n  request(o) { return o; }\n}\n"
                             "function send(x) { return x; }\n";
  ProjectIndex Ix = T.index();
  auto Py = Ix.find(".py", "get");
  ASSERT_EQ(Py.size(), 1u);
  EXPECT_EQ(Py[0].Class, "ZohoHttpClient");
  EXPECT_EQ(Py[0].Line, 4u);
  auto Java = Ix.find(".java", "post");
  ASSERT_EQ(Java.size(), 1u);
  EXPECT_EQ(Java[0].Class, "HttpUtil");
  std::string Missing;
  auto Rb = Ix.findMethod(".rb", "Connection", "call", Missing);
  ASSERT_EQ(Rb.size(), 1u);
  EXPECT_EQ(Rb[0].Path, "lib/zoho/connection.rb");
  auto RbClass = Ix.find(".rb", "Connection");
  ASSERT_EQ(RbClass.size(), 1u);
  EXPECT_EQ(RbClass[0].Parent, "Base");
  auto Js = Ix.find(".js", "request");
  ASSERT_EQ(Js.size(), 1u);
  EXPECT_EQ(Js[0].Class, "Client");
  auto Free = Ix.find(".js", "send");
  ASSERT_EQ(Free.size(), 1u);
  EXPECT_TRUE(Free[0].Class.empty());
  // Another extension's files are not in this one's index.
  EXPECT_TRUE(Ix.find(".py", "post").empty());
}

TEST(ProjectIndex, SkipsTestsAndVendoredTrees) {
  Tree T;
  T.Files["tests/test_client.py"] = "def send(x):\n    return x\n";
  T.Files["node_modules/lib/index.py"] = "def send(x):\n    return x\n";
  T.Files["vendor/lib/client.py"] = "def send(x):\n    return x\n";
  T.Files["app/client.py"] = "def other(x):\n    return x\n";
  ProjectIndex Ix = T.index();
  EXPECT_TRUE(Ix.find(".py", "send").empty());
  EXPECT_EQ(Ix.find(".py", "other").size(), 1u);
}

} // namespace
