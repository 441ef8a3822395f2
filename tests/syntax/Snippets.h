#pragma once
/// \file
/// One small valid program per grammar (each with a call, a string holding "authtoken"
/// and a key/value or assignment), shared by the syntax tests.

#include <map>

#include "syntax/Syntax.h"

namespace atm::syntax {

/// A small valid program per grammar, with a string and a call.
inline const std::map<Grammar, const char *> &testSnippets() {
  static const std::map<Grammar, const char *> S = {
      {Grammar::Python, "import requests\n\ndef f(t):\n    return requests.get(URL, params={'authtoken': t})\n"},
      {Grammar::JavaScript, "const r = await fetch(`${base}/x?authtoken=${t}`, {method: 'GET'});\n"},
      {Grammar::TypeScript, "export function f(t: string): Promise<Response> {\n  return fetch(base + '?authtoken=' + t);\n}\n"},
      {Grammar::Tsx, "const A = (p: {t: string}) => <a href={link('/x?authtoken=' + p.t)}>x</a>;\n"},
      {Grammar::PHP, "<html><?php\n$url = \"https://crm.zoho.com/crm?authtoken=$tok\";\n$r = file_get_contents($url);\n?></html>\n"},
      {Grammar::Java, "class A {\n  static final String P = \"authtoken\";\n  void f(String t) { params.add(new BasicNameValuePair(P, t)); }\n}\n"},
      {Grammar::CSharp, "class A {\n  void F(string t) {\n    request.AddParameter(\"authtoken\", t);\n    var s = $\"x?authtoken={t}\";\n  }\n}\n"},
      {Grammar::Ruby, "def f(t)\n  HTTParty.get(URL, query: { authtoken: t, :scope => \"crmapi\" })\nend\n"},
      {Grammar::Go, "package main\n\nfunc f(t string) {\n\tv := url.Values{}\n\tv.Set(\"authtoken\", t)\n}\n"},
      {Grammar::Bash, "#!/bin/bash\ncurl -s \"https://crm.zoho.com/crm/private/json?authtoken=${TOKEN}&scope=crmapi\"\n"},
      {Grammar::Kotlin, "fun f(t: String) {\n    val p = mapOf(\"authtoken\" to t)\n    client.get(\"$base?authtoken=$t\")\n}\n"},
      {Grammar::Scala, "object A {\n  def f(t: String) = Http(url).params(\"authtoken\" -> t).asString\n}\n"},
  };
  return S;
}

} // namespace atm::syntax
