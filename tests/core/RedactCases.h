#pragma once
/// \file
/// Awkward credential shapes for the redaction tests (tests/core/RedactTest.cpp runs them
/// through the scanner and the three report writers, tests/e2e/CliTest.cpp through
/// `lex` and `scan` of the built binary). Each file produces at least one finding.

#include <string>
#include <vector>

namespace atm::testing {

struct RedactCase {
  const char *Name;
  const char *File; ///< file name (decides the language)
  std::string Content;
  /// Substrings of secret values: never in any output without --show-secrets.
  std::vector<std::string> Secrets;
  /// Non-secret text next to them that must stay readable.
  std::vector<std::string> Keep;
  /// All secrets sit on a finding's line, so --show-secrets must reveal each of them.
  bool OnFindingLine = true;
};

inline const std::vector<RedactCase> &redactCases() {
  static const std::vector<RedactCase> Cases = {
      {"PasswordRunsToClosingQuote", "gen.php",
       "<?php\n$u = \"https://accounts.zoho.com/apiauthtoken/nb/create?SCOPE=ZohoCRM/crmapi"
       "&EMAIL_ID=me@example.com&PASSWORD=seriously, cool'\";\n",
       {"seriously", "cool'"},
       {"EMAIL_ID=me@example.com", "SCOPE=ZohoCRM/crmapi"}},
      {"PasswordWithAmpersandAsDictValue", "gen.py",
       "import requests\n"
       "requests.post(\"https://accounts.zoho.com/apiauthtoken/nb/create\", data={\"SCOPE\": "
       "\"ZohoCRM/crmapi\", \"EMAIL_ID\": \"me@example.com\", \"PASSWORD\": \"Tr0ub4dor&3\"})\n",
       {"Tr0ub4dor", "4dor&3", "Tr0u"},
       {"\"EMAIL_ID\": \"me@example.com\""}},
      {"PasswordWithAmpersandAsUrlParam", "gen.js",
       "fetch(\"https://accounts.zoho.com/apiauthtoken/nb/create?SCOPE=ZohoCRM/crmapi"
       "&EMAIL_ID=me@example.com&PASSWORD=Tr0ub4dor&3&DISPLAY_NAME=app\");\n",
       {"Tr0ub4dor", "4dor&3", "Tr0u"},
       {"&DISPLAY_NAME=app", "EMAIL_ID=me@example.com"}},
      {"PhpArrayValue", "gen2.php",
       "<?php\n$p = array('EMAIL_ID' => 'me@example.com', 'PASSWORD' => 'Tr0ub4dor&3'); "
       "$ch = curl_init('https://accounts.zoho.com/apiauthtoken/nb/create');\n",
       {"Tr0ub4dor", "4dor&3"},
       {"'EMAIL_ID' => 'me@example.com'"}},
      {"QuotesInsideValue", "quotes.py",
       "requests.post('https://accounts.zoho.com/apiauthtoken/nb/create', data={'EMAIL_ID': "
       "'me@example.com', 'password': 'it\\'s \"Tr0ub\" 4dor', 'SCOPE': 'ZohoCRM/crmapi'})\n",
       {"Tr0ub", "4dor"},
       {"'SCOPE': 'ZohoCRM/crmapi'"}},
      {"PercentEncoded", "gen.sh",
       "curl -d \"SCOPE=ZohoCRM%2Fcrmapi&EMAIL_ID=me%40example.com&PASSWORD=Tr0ub4dor%263x%3Dy\" "
       "https://accounts.zoho.com/apiauthtoken/nb/create\n",
       {"Tr0ub4dor", "%263x"},
       {"EMAIL_ID=me%40example.com"}},
      {"PercentEncodedSeparators", "redirect.js",
       "const u = \"https://crm.zoho.com/crm/private/json/Leads/getRecords?authtoken=\" + t + "
       "\"&next=%3Fpassword%3DS3cr%C3%A9t%2C%20x%26lang%3Den&scope=crmapi\";\n",
       {"S3cr", "%C3%A9t"},
       {"%26lang%3Den&scope=crmapi"}},
      {"NonAscii", "gen.rb",
       "conn.post(\"https://accounts.zoho.eu/apiauthtoken/nb/create\", EMAIL_ID: "
       "\"me@example.com\", PASSWORD: \"p\xC3\xA4ssw\xC3\xB6rd\xE2\x82\xAC\")\n",
       {"p\xC3\xA4ssw\xC3\xB6rd\xE2\x82\xAC", "p\xC3\xA4ss", "\xC3\xB6rd", "\xE2\x82\xAC"},
       {"EMAIL_ID: \"me@example.com\""}},
      {"PythonImplicitConcatenation", "concat.py",
       "URL = (\"https://accounts.zoho.com/apiauthtoken/nb/create?SCOPE=ZohoCRM/crmapi"
       "&EMAIL_ID=me@example.com&PASSWORD=Tr0ub4\"\n"
       "       \"dor&3&DISPLAY_NAME=app\")\n",
       {"Tr0ub4", "dor&3"},
       {"EMAIL_ID=me@example.com", "&DISPLAY_NAME=app"},
       false},
      {"JsTemplateLiteral", "tpl.js",
       "await fetch(`https://accounts.zoho.com/apiauthtoken/nb/create?EMAIL_ID=${email}"
       "&PASSWORD=Tr0ub 4dor&3`);\n",
       {"Tr0ub", "4dor&3"},
       {"EMAIL_ID=${email}"}},
      {"PhpHeredoc", "heredoc.php",
       "<?php\n$req = <<<EOT\n"
       "https://accounts.zoho.com/apiauthtoken/nb/create?EMAIL_ID=me@example.com"
       "&PASSWORD=Tr0ub4dor&3 seriously\nEOT;\n",
       {"Tr0ub4dor", "seriously"},
       {"EMAIL_ID=me@example.com"}},
      {"EnvValueWithSpaces", ".env",
       "ZOHO_CRM_URL=https://www.zohoapis.com/crm/v2\n"
       "ZOHO_AUTHTOKEN=3f2c8e7a9b1d4c6e8f0a2b4c6d8e0f1a\n"
       "ZOHO_PASSWORD=seriously cool p\xC3\xA4ss # rotate me\n"
       "ZOHO_CLIENT_SECRET=\"quoted secret, with comma\"\n",
       {"8e7a9b1d4c6e8f0a2b4c6d8e0f1a", "seriously", "cool", "quoted secret", "with comma"},
       {"# rotate me", "ZOHO_CLIENT_SECRET=", "3f2c\xE2\x80\xA6"},
       false},
      {"YamlBlockScalar", "zoho.yaml",
       "zoho:\n"
       "  authtoken: 3f2c8e7a9b1d4c6e8f0a2b4c6d8e0f1a\n"
       "  password: |\n"
       "    Tr0ub4dor&3\n"
       "    seriously cool\n"
       "  client_secret: 'it''s quoted'\n"
       "  email: me@example.com\n",
       {"8e7a9b1d4c6e8f0a2b4c6d8e0f1a", "Tr0ub4dor", "seriously", "it''s", "quoted'"},
       {"email: me@example.com", "password: |"},
       false},
      {"ZohoAuthtokenHeader", "Client.java",
       "conn.setRequestProperty(\"Authorization\", \"Zoho-authtoken "
       "1234abcd5678ef901234abcd5678ef90\"); // https://crm.zoho.com\n",
       {"1234abcd5678ef901234abcd5678ef90", "abcd5678"},
       {"\"Zoho-authtoken 1234\xE2\x80\xA6\"", "// https://crm.zoho.com"}},
      {"RefreshTokenAndClientSecretInUrl", "refresh.go",
       "u := \"https://accounts.zoho.com/oauth/v2/token?refresh_token="
       "1000.0123456789abcdef0123456789abcdef.fedcba9876543210fedcba9876543210"
       "&client_secret=5e1fc11e0000000000aa&grant_type=refresh_token&authtoken=\" + legacy\n",
       {"0123456789abcdef", "fedcba9876543210", "5e1fc11e", "0000aa"},
       {"&grant_type=refresh_token&authtoken="}},
      {"ClientSecretInFormBody", "refresh.sh",
       "curl -X POST https://accounts.zoho.com/oauth/v2/token -d \"refresh_token="
       "1000.aaaa1111bbbb2222cccc3333dddd4444.eeee5555ffff6666aaaa7777bbbb8888"
       "&client_id=1000.ABC&client_secret=S3cr3t, with space&grant_type=refresh_token"
       "&authtoken=$ZOHO_AUTHTOKEN\"\n",
       {"aaaa1111", "eeee5555", "S3cr3t", "with space"},
       {"&client_id=1000.ABC&", "&grant_type=refresh_token&authtoken=$ZOHO_AUTHTOKEN"}},
      {"BuilderCallAndVerbatimString", "Gen.cs",
       "var r = new RestRequest(\"https://accounts.zoho.com/apiauthtoken/nb/create\"); "
       "r.AddParameter(\"EMAIL_ID\", \"me@example.com\"); creds.SetPassword(@\"Tr0ub\"\"4dor\");\n",
       {"Tr0ub", "4dor"},
       {"AddParameter(\"EMAIL_ID\", \"me@example.com\")"}},
      {"JsonInsideString", "body.js",
       "post(\"https://accounts.zoho.com/apiauthtoken/nb/create\", "
       "\"{\\\"EMAIL_ID\\\":\\\"me@example.com\\\",\\\"PASSWORD\\\":\\\"Tr0ub4dor&3 x\\\"}\");\n",
       {"Tr0ub4dor", "4dor&3 x"},
       {"\\\"EMAIL_ID\\\":\\\"me@example.com\\\""}},
      {"PlaceholdersStayReadable", "refs.py",
       "requests.get(f\"https://crm.zoho.com/crm/private/json/Leads/getRecords?authtoken={token}"
       "&scope=crmapi\", params={\"password\": os.environ[\"ZOHO_PASSWORD\"], \"ticket\": "
       "self.ticket, \"apikey\": \"YOUR_API_KEY\", \"pwd\": \"%s\" % pw, \"client_secret\": \"<CLIENT_SECRET>\"})\n",
       {},
       {"authtoken={token}", "os.environ[\"ZOHO_PASSWORD\"]", "self.ticket", "YOUR_API_KEY",
        "\"%s\" % pw", "<CLIENT_SECRET>"}},
  };
  return Cases;
}

} // namespace atm::testing
