#!/usr/bin/env python3
"""Generate the C/C++ benchmark tree for `scripts/bench --cpp`, deterministically.

The tree holds --tus translation units (.cpp, .cc, .c) in nested directories, each
directory with headers of its own (a C++ and a C header), and a project-wide include/
directory. The code includes real system headers (libstdc++ and <curl/curl.h>) so that
parsing costs what it costs on real code.

About 4% of the translation units carry a planted legacy Zoho authtoken usage, in one of
several idioms (URL concatenation, printf-style format strings, the Zoho-authtoken header
in curl_slist_append, form bodies for CURLOPT_POSTFIELDS, a #define'd token next to a Zoho
host, a URL built in a project header that the translation unit includes). A template
line ending in "<<P:RULE>>" is a planted finding: the scan must report RULE on it.
Decoys must produce no finding: Zoho OAuth code ("Zoho-oauthtoken", Zoho hosts; these
translation units do pass the literal prefilter, so they are parsed) and Twilio/ngrok
"authtoken" code without Zoho (these do not pass it, so they are never parsed).

The manifest (JSON) lists every planted/decoy file with its expected findings, and the
translation units expected to pass the scanner's literal prefilter (read from the rule
files' `prefilter:` lists), which are exactly the ones the scanner must parse.
With --verify, a sample of the generated translation units (every candidate and decoy,
plus fillers of each kind) is compiled with the real compiler, with the scanner's
fallback command line.
"""
import argparse
import glob
import json
import os
import random
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

MARK = re.compile(r"<<P:([a-z-]+)>>$")

# ------------------------------------------------------------------ names
AREAS = ["billing", "catalog", "ingest", "net", "report", "sched", "storage", "search",
         "media", "replica", "admin", "audit", "geo", "mail", "queue", "render"]
MODULES = ["cache", "codec", "config", "exporter", "importer", "index", "ledger", "metrics",
           "pipeline", "router", "session", "shard", "stream", "table", "tasks",
           "transport", "worker", "pricing", "orders", "accounts", "batch", "digest",
           "events", "filter", "graph", "history", "journal", "loader", "mapper", "notify"]
VERBS = ["load", "merge", "scan", "build", "flush", "parse", "emit", "apply", "split",
         "collect", "resolve", "encode", "decode", "rank", "prune", "sync", "check", "fold"]
NOUNS = ["items", "rows", "entries", "records", "batches", "pages", "events", "keys",
         "chunks", "frames", "jobs", "units", "blocks", "nodes", "slots", "deltas"]
DCS = ["com", "eu", "in", "com.au", "jp"]
STD_EXTRA = ["<algorithm>", "<map>", "<memory>", "<sstream>", "<unordered_map>",
             "<functional>", "<utility>", "<cstdio>", "<set>", "<iterator>"]

# ------------------------------------------------------------------ headers
COMMON_LOG_H = r"""/* Project-wide logging macros (C and C++). */
#ifndef COMMON_LOG_H
#define COMMON_LOG_H
#include <stdio.h>

#define LOG_INFO(...)                 \
  do {                                \
    fprintf(stderr, "[info] ");       \
    fprintf(stderr, __VA_ARGS__);     \
    fputc('\n', stderr);              \
  } while (0)
#define LOG_WARN(...)                 \
  do {                                \
    fprintf(stderr, "[warn] ");       \
    fprintf(stderr, __VA_ARGS__);     \
    fputc('\n', stderr);              \
  } while (0)
#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

#endif
"""

COMMON_STRUTIL_H = r"""// Project-wide string helpers (C++ only).
#pragma once
#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

namespace common {

inline std::string trim(const std::string &s) {
  auto b = std::find_if_not(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c); });
  auto e = std::find_if_not(s.rbegin(), s.rend(), [](unsigned char c) { return std::isspace(c); }).base();
  return b < e ? std::string(b, e) : std::string();
}

inline bool starts_with(const std::string &s, const std::string &p) {
  return s.size() >= p.size() && std::equal(p.begin(), p.end(), s.begin());
}

inline std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

inline std::vector<std::string> split(const std::string &s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == sep) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

}  // namespace common
"""

COMMON_STATUS_H = r"""// Result type shared by the services (C++ only).
#pragma once
#include <string>
#include <utility>

namespace common {

enum class Code { Ok, NotFound, Invalid, Unavailable };

class Status {
 public:
  Status() = default;
  Status(Code c, std::string msg) : code_(c), msg_(std::move(msg)) {}
  static Status ok() { return Status(); }
  bool is_ok() const { return code_ == Code::Ok; }
  Code code() const { return code_; }
  const std::string &message() const { return msg_; }

 private:
  Code code_ = Code::Ok;
  std::string msg_;
};

}  // namespace common
"""

MODULE_HPP = r"""// @area@/@module@: public interface of the @module@ service.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"

namespace @area@ {
namespace @module@ {

struct Record {
  std::string key;
  std::int64_t value = 0;
  double weight = 1.0;
};

class Service {
 public:
  explicit Service(std::string name) : name_(std::move(name)) {}
  const std::string &name() const { return name_; }
  common::Status open(const std::string &location);
  std::vector<Record> snapshot() const { return records_; }
  void add(Record r) { records_.push_back(std::move(r)); }

 private:
  std::string name_;
  std::vector<Record> records_;
};

std::vector<Record> sample_records(int n);

}  // namespace @module@
}  // namespace @area@
"""

MODULE_H = r"""/* @area@/@module@: C interface of the @module@ service. */
#ifndef @GUARD@
#define @GUARD@
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

struct @module@_item {
  char key[64];
  long value;
  unsigned flags;
};

int @module@_parse_line(const char *line, struct @module@_item *out);
size_t @module@_format(const struct @module@_item *it, char *buf, size_t n);

#ifdef __cplusplus
}
#endif
#endif
"""

# ------------------------------------------------------------------ filler snippets
# (needs, text). needs: system headers; "curl" adds <curl/curl.h>. @f@ = unique name.
CPP_SNIPPETS = [
    ({"<map>", "<string>", "<vector>"}, r"""
std::map<std::string, std::int64_t> @f@(const std::vector<Record> &records) {
  std::map<std::string, std::int64_t> totals;
  for (const auto &r : records) {
    totals[r.key] += r.value;
  }
  return totals;
}
"""),
    ({"<sstream>", "<string>", "<vector>"}, r"""
std::string @f@(const std::vector<std::string> &parts, const std::string &sep) {
  std::ostringstream out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i) out << sep;
    out << parts[i];
  }
  return out.str();
}
"""),
    ({"<algorithm>", "<vector>"}, r"""
std::vector<Record> @f@(std::vector<Record> records, std::size_t n) {
  std::sort(records.begin(), records.end(), [](const Record &a, const Record &b) {
    return a.value * a.weight > b.value * b.weight;
  });
  if (records.size() > n) records.resize(n);
  return records;
}
"""),
    ({"<memory>", "<string>"}, r"""
std::unique_ptr<Service> @f@(const std::string &name, int seed) {
  auto svc = std::make_unique<Service>(name + "-" + std::to_string(seed));
  for (int i = 0; i < seed % 7; ++i) {
    svc->add(Record{"k" + std::to_string(i), i * seed, 1.0 / (i + 1)});
  }
  return svc;
}
"""),
    ({"<sstream>", "<string>", "<vector>"}, r"""
std::vector<std::string> @f@(const std::string &line, char delim) {
  std::vector<std::string> fields;
  std::istringstream in(line);
  std::string field;
  while (std::getline(in, field, delim)) {
    fields.push_back(common::trim(field));
  }
  return fields;
}
"""),
    ({"<algorithm>", "<string>", "<vector>"}, r"""
std::vector<std::string> @f@(std::vector<std::string> keys) {
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}
"""),
    ({"<functional>", "<string>", "<unordered_map>"}, r"""
class @F@Cache {
 public:
  using Loader = std::function<std::string(const std::string &)>;
  explicit @F@Cache(Loader loader) : loader_(std::move(loader)) {}
  const std::string &get(const std::string &key) {
    auto it = entries_.find(key);
    if (it == entries_.end()) {
      it = entries_.emplace(key, loader_(key)).first;
      ++misses_;
    }
    return it->second;
  }
  std::size_t misses() const { return misses_; }

 private:
  Loader loader_;
  std::unordered_map<std::string, std::string> entries_;
  std::size_t misses_ = 0;
};
"""),
    ({"curl", "<string>"}, r"""
size_t @f@_write(char *data, size_t size, size_t nmemb, void *user) {
  static_cast<std::string *>(user)->append(data, size * nmemb);
  return size * nmemb;
}

common::Status @f@(const std::string &url, std::string &body) {
  CURL *curl = curl_easy_init();
  if (!curl) return common::Status(common::Code::Unavailable, "curl_easy_init");
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, @f@_write);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
  CURLcode rc = curl_easy_perform(curl);
  curl_easy_cleanup(curl);
  if (rc != CURLE_OK) return common::Status(common::Code::Unavailable, curl_easy_strerror(rc));
  return common::Status::ok();
}
"""),
    ({"<numeric>", "<algorithm>", "<vector>"}, r"""
double @f@(const std::vector<Record> &records) {
  if (records.empty()) return 0.0;
  double sum = std::accumulate(records.begin(), records.end(), 0.0,
                               [](double acc, const Record &r) { return acc + r.value * r.weight; });
  auto mm = std::minmax_element(records.begin(), records.end(),
                                [](const Record &a, const Record &b) { return a.value < b.value; });
  return sum / records.size() + static_cast<double>(mm.second->value - mm.first->value);
}
"""),
    ({"<optional>", "<map>", "<string>"}, r"""
std::optional<std::int64_t> @f@(const std::map<std::string, std::int64_t> &index, const std::string &key) {
  auto it = index.find(common::lower(key));
  if (it == index.end()) return std::nullopt;
  return it->second;
}
"""),
    ({"<set>", "<string>", "<vector>"}, r"""
std::size_t @f@(const std::vector<Record> &a, const std::vector<Record> &b) {
  std::set<std::string> seen;
  for (const auto &r : a) seen.insert(r.key);
  std::size_t common_keys = 0;
  for (const auto &r : b) common_keys += seen.count(r.key);
  return common_keys;
}
"""),
    ({"<memory>", "<string>", "<vector>"}, r"""
struct @F@Node {
  std::string name;
  std::vector<std::shared_ptr<@F@Node>> children;
  std::size_t depth() const {
    std::size_t d = 0;
    for (const auto &c : children) d = std::max(d, c->depth());
    return d + 1;
  }
};

std::shared_ptr<@F@Node> @f@(int width, int depth) {
  auto root = std::make_shared<@F@Node>();
  root->name = "n" + std::to_string(depth);
  if (depth > 0)
    for (int i = 0; i < width; ++i) root->children.push_back(@f@(width, depth - 1));
  return root;
}
"""),
]

C_SNIPPETS = [
    ({"<stdlib.h>", "<string.h>"}, r"""
struct @f@_buf {
  char *data;
  size_t len, cap;
};

static int @f@(struct @f@_buf *b, const char *s, size_t n) {
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 256;
    while (cap < b->len + n + 1) cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p) return -1;
    b->data = p;
    b->cap = cap;
  }
  memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
  return 0;
}
"""),
    ({"<string.h>", "<stdlib.h>"}, r"""
int @module@_parse_line_@n@(const char *line, struct @module@_item *out) {
  const char *eq = strchr(line, '=');
  size_t klen;
  if (!eq) return -1;
  klen = (size_t)(eq - line);
  if (klen >= sizeof out->key) klen = sizeof out->key - 1;
  memcpy(out->key, line, klen);
  out->key[klen] = '\0';
  out->value = strtol(eq + 1, NULL, 10);
  out->flags = 0;
  return 0;
}
"""),
    ({"curl", "<string.h>", "<stdlib.h>"}, r"""
struct @f@_sink {
  char *data;
  size_t len;
};

static size_t @f@_write(char *ptr, size_t size, size_t nmemb, void *user) {
  struct @f@_sink *s = user;
  size_t n = size * nmemb;
  char *p = realloc(s->data, s->len + n + 1);
  if (!p) return 0;
  memcpy(p + s->len, ptr, n);
  s->data = p;
  s->len += n;
  s->data[s->len] = '\0';
  return n;
}

static int @f@(const char *url, struct @f@_sink *out) {
  CURL *curl = curl_easy_init();
  CURLcode rc;
  if (!curl) return -1;
  curl_easy_setopt(curl, CURLOPT_URL, url);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, @f@_write);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, out);
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
  rc = curl_easy_perform(curl);
  curl_easy_cleanup(curl);
  if (rc != CURLE_OK) {
    LOG_WARN("fetch %s: %s", url, curl_easy_strerror(rc));
    return -1;
  }
  return 0;
}
"""),
    (set(), r"""
static unsigned long @f@(const unsigned char *p, size_t n) {
  unsigned long h = 5381;
  size_t i;
  for (i = 0; i < n; ++i) h = ((h << 5) + h) ^ p[i];
  return h;
}
"""),
    ({"<stdlib.h>", "<string.h>"}, r"""
static int @f@_cmp(const void *a, const void *b) {
  const struct @module@_item *x = a, *y = b;
  if (x->value != y->value) return x->value < y->value ? -1 : 1;
  return strcmp(x->key, y->key);
}

static void @f@(struct @module@_item *items, size_t n) {
  qsort(items, n, sizeof *items, @f@_cmp);
}
"""),
    ({"<stdio.h>"}, r"""
size_t @module@_format_@n@(const struct @module@_item *it, char *buf, size_t n) {
  int w = snprintf(buf, n, "%s=%ld (flags %#x)", it->key, it->value, it->flags);
  return w < 0 ? 0 : (size_t)w;
}
"""),
]

# ------------------------------------------------------------------ planted idioms
# Each: (lang "cpp"|"c", needs, top, body). top goes after the includes (macros), body
# into the code. "<<P:rule>>" marks a planted finding. @host@ = Zoho host for the
# product, @tok@ = a 32-hex token, @PFX@ = upper-case product prefix.
POS = {
    "url-concat": ("cpp", {"<string>"}, "", r"""
std::string @f@(const std::string &module_name, const std::string &token) {
  return "https://crm.zoho.@dc@/crm/private/json/" + module_name + "/getRecords?authtoken=" + token + "&scope=crmapi";<<P:cpp-authtoken-url>>
}
"""),
    "url-base-var": ("cpp", {"<string>"}, "", r"""
const std::string k@F@Base = "https://@prod@.zoho.@dc@/api/v3";

std::string @f@(const std::string &org, const std::string &token) {
  std::string url = k@F@Base + "/invoices?organization_id=" + org;
  url += "&authtoken=" + token;<<P:cpp-authtoken-url>>
  return url;
}
"""),
    "snprintf-url": ("c", {"<stdio.h>"}, "", r"""
static void @f@(char *out, size_t n, const char *module_name, const char *token) {
  snprintf(out, n, "https://crm.zoho.@dc@/crm/private/json/%s/getRecords?authtoken=%s&scope=crmapi", module_name, token);<<P:cpp-authtoken-url>>
}
"""),
    "snprintf-url-cpp": ("cpp", {"<cstdio>", "<string>"}, "", r"""
std::string @f@(const std::string &ticket_id, const std::string &token) {
  char url[512];
  std::snprintf(url, sizeof url, "https://desk.zoho.@dc@/api/v1/tickets/%s?authtoken=%s",<<P:cpp-authtoken-url>>
                ticket_id.c_str(), token.c_str());
  return url;
}
"""),
    "header-curl": ("cpp", {"curl", "<string>"}, "", r"""
void @f@(CURL *curl, const std::string &token) {
  struct curl_slist *headers = nullptr;
  headers = curl_slist_append(headers, "Accept: application/json");
  headers = curl_slist_append(headers, ("Authorization: Zoho-authtoken " + token).c_str());<<P:cpp-authtoken-header>>
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_URL, "https://desk.zoho.@dc@/api/v1/tickets?limit=50");
  curl_easy_perform(curl);
  curl_slist_free_all(headers);
}
"""),
    "header-curl-c": ("c", {"curl", "<stdio.h>"}, "", r"""
static void @f@(CURL *curl, const char *token) {
  char line[256];
  struct curl_slist *headers = NULL;
  snprintf(line, sizeof line, "Authorization: Zoho-authtoken %s", token);<<P:cpp-authtoken-header>>
  headers = curl_slist_append(headers, line);
  curl_easy_setopt(curl, CURLOPT_URL, "https://www.zohoapis.@dc@/crm/v2/Leads");
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_perform(curl);
  curl_slist_free_all(headers);
}
"""),
    "postfields": ("cpp", {"curl", "<string>"}, "", r"""
CURLcode @f@(CURL *curl, const std::string &token, const std::string &xml) {
  std::string body = "authtoken=" + token + "&scope=crmapi&xmlData=" + xml;<<P:cpp-authtoken-param>>
  curl_easy_setopt(curl, CURLOPT_URL, "https://crm.zoho.@dc@/crm/private/xml/Leads/insertRecords");
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
  return curl_easy_perform(curl);
}
"""),
    "postfields-c": ("c", {"curl", "<stdio.h>"}, "", r"""
static CURLcode @f@(CURL *curl, const char *token, const char *xml) {
  char body[4096];
  snprintf(body, sizeof body, "authtoken=%s&scope=crmapi&xmlData=%s", token, xml);<<P:cpp-authtoken-param>>
  curl_easy_setopt(curl, CURLOPT_URL, "https://crm.zoho.@dc@/crm/private/xml/Potentials/insertRecords");
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
  return curl_easy_perform(curl);
}
"""),
    "define-token": ("c", {"curl", "<stdlib.h>"}, r"""
#define @PFX@_AUTHTOKEN "@tok@"<<P:cpp-authtoken-hardcoded>>
#define @PFX@_HOST "https://@prod@.zoho.@dc@"
""", r"""
static const char *@f@_token(void) {
  const char *t = getenv("@PFX@_TOKEN");
  return t ? t : @PFX@_AUTHTOKEN;
}

static void @f@(CURL *curl) {
  curl_easy_setopt(curl, CURLOPT_URL, @PFX@_HOST "/api/v1/status");
  curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  curl_easy_perform(curl);
}
"""),
    "define-token-cpp": ("cpp", {"<string>", "<cstdlib>"}, r"""
#define @PFX@_AUTHTOKEN "@tok@"<<P:cpp-authtoken-hardcoded>>
""", r"""
const std::string k@F@Host = "https://@prod@.zoho.@dc@";

std::string @f@_token() {
  const char *t = std::getenv("@PFX@_TOKEN");
  return t ? std::string(t) : std::string(@PFX@_AUTHTOKEN);
}

std::string @f@_status_url() { return k@F@Host + "/api/v1/status"; }
"""),
    # The URL is built in a project header (zoho_<prod>_api.h in the same directory);
    # the translation unit only includes it and calls it.
    "header-url": ("cpp", {"<string>"}, "", r"""
std::string @f@(const std::string &org, const std::string &token) {
  return zoho_api::@prod@_records_url(org, token) + "&page=1";
}
"""),
}
ZOHO_API_H = r"""// Shared Zoho @Prod@ endpoints for @area@/@module@.
#pragma once
#include <string>

namespace zoho_api {

inline std::string @prod@_records_url(const std::string &org, const std::string &token) {
  return "https://@prod@.zoho.@dc@/api/v3/invoices?organization_id=" + org + "&authtoken=" + token;<<P:cpp-authtoken-url>>
}

}  // namespace zoho_api
"""

DECOY = {
    "zoho-oauth": ("cpp", {"curl", "<string>"}, "", r"""
// The OAuth 2.0 way: an access token from the refresh-token grant.
CURLcode @f@_refresh(CURL *curl, const std::string &client_id, const std::string &secret,
                     const std::string &refresh_token) {
  std::string body = "refresh_token=" + refresh_token + "&client_id=" + client_id +
                     "&client_secret=" + secret + "&grant_type=refresh_token";
  curl_easy_setopt(curl, CURLOPT_URL, "https://accounts.zoho.@dc@/oauth/v2/token");
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
  return curl_easy_perform(curl);
}

void @f@(CURL *curl, const std::string &access_token) {
  struct curl_slist *headers = nullptr;
  headers = curl_slist_append(headers, ("Authorization: Zoho-oauthtoken " + access_token).c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_URL, "https://www.zohoapis.@dc@/crm/v2/Leads?page=1");
  curl_easy_perform(curl);
  curl_slist_free_all(headers);
}
"""),
    "zoho-oauth-c": ("c", {"curl", "<stdio.h>", "<stdlib.h>"}, "", r"""
static void @f@(CURL *curl, const char *access_token) {
  char line[512];
  struct curl_slist *headers = NULL;
  snprintf(line, sizeof line, "Authorization: Zoho-oauthtoken %s", access_token);
  headers = curl_slist_append(headers, line);
  curl_easy_setopt(curl, CURLOPT_URL, "https://books.zoho.@dc@/api/v3/invoices?organization_id=10234695");
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_perform(curl);
  curl_slist_free_all(headers);
}

static const char *@f@_access_token(void) {
  const char *t = getenv("BOOKS_ACCESS_TOKEN");
  return t ? t : "";
}
"""),
    "twilio": ("cpp", {"curl", "<string>", "<cstdlib>"}, "", r"""
// SMS notifications through Twilio: its Auth Token is a basic-auth password.
CURLcode @f@(CURL *curl, const std::string &account_sid, const std::string &to, const std::string &text) {
  const char *authtoken = std::getenv("TWILIO_AUTH_TOKEN");
  std::string url = "https://api.twilio.com/2010-04-01/Accounts/" + account_sid + "/Messages.json";
  std::string body = "To=" + to + "&From=%2B15005550006&Body=" + text;
  std::string userpwd = account_sid + ":" + (authtoken ? authtoken : "");
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_USERPWD, userpwd.c_str());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
  return curl_easy_perform(curl);
}

std::string @f@_sms_url(const std::string &token) {
  return "https://api.example-sms.com/v1/send?authtoken=" + token;
}
"""),
    "ngrok-c": ("c", {"<stdio.h>", "<stdlib.h>"}, "", r"""
/* Local tunnel for the webhook receiver: writes ngrok's config with its authtoken. */
static int @f@(const char *path) {
  const char *authtoken = getenv("NGROK_AUTHTOKEN");
  FILE *f;
  if (!authtoken) return -1;
  f = fopen(path, "w");
  if (!f) return -1;
  fprintf(f, "version: \"2\"\nauthtoken: %s\ntunnels:\n  hook:\n    proto: http\n    addr: 8080\n", authtoken);
  fclose(f);
  return 0;
}
"""),
}

PRODUCTS = [("books", "BOOKS"), ("invoice", "INVOICE"), ("desk", "DESK"), ("crm", "CRM"),
            ("inventory", "INVENTORY"), ("projects", "PROJECTS"), ("people", "PEOPLE")]


def subst(text, env):
    return re.sub(r"@([A-Za-z]+)@", lambda m: env[m.group(1)] if m.group(1) in env else m.group(0), text)


def strip_marks(text):
    """Remove <<P:rule>> markers; return (text, [(line, rule)])."""
    out, marks = [], []
    for i, line in enumerate(text.split("\n"), 1):
        m = MARK.search(line)
        if m:
            marks.append({"line": i, "rule": m.group(1)})
            line = line[: m.start()]
        out.append(line)
    return "\n".join(out), marks


def prefilter_literals(rules_dir):
    """Prefilter literals of the rules that apply to C/C++ (read from the rule files)."""
    lits = set()
    for path in sorted(glob.glob(os.path.join(rules_dir, "**", "*.yaml"), recursive=True)):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        lang = re.search(r"^languages:\s*\[([^\]]*)\]", text, re.M)
        pre = re.search(r"^prefilter:\s*\[([^\]]*)\]", text, re.M)
        if not lang or not pre:
            continue
        langs = [x.strip().strip("'\"") for x in lang.group(1).split(",")]
        if not any(x in ("all", "code", "c", "cpp") for x in langs):
            continue
        if any(x in ("!c", "!cpp") for x in langs):
            continue
        for x in pre.group(1).split(","):
            x = x.strip().strip("'\"").lower()
            if x:
                lits.add(x)
    return sorted(lits)


class Gen:
    def __init__(self, a):
        self.a = a
        self.rnd = random.Random(a.seed)
        self.tree = a.tree
        self.files = {}  # rel path -> text
        self.tus = []    # dicts: path, lang, kind, idiom
        self.planted = {}  # rel path -> {"kind", "findings", "tu"}
        self.counter = 0

    def name(self):
        self.counter += 1
        return "%s_%s_%d" % (self.rnd.choice(VERBS), self.rnd.choice(NOUNS), self.counter)

    def write(self, rel, text):
        self.files[rel] = text

    def layout(self):
        n_dirs = max(1, (self.a.tus + 19) // 20)
        combos = [(ar, mo) for ar in AREAS for mo in MODULES]
        self.rnd.shuffle(combos)
        dirs = []
        for i in range(n_dirs):
            ar, mo = combos[i % len(combos)]
            base = "src/%s/%s" % (ar, mo) if i < len(combos) else "src/%s/%s%d" % (ar, mo, i // len(combos))
            mod = os.path.basename(base)
            self.write(base + "/" + mod + ".h", subst(MODULE_HPP, {"area": ar, "module": mod}))
            self.write(base + "/" + mod + "_c.h", subst(MODULE_H, {
                "area": ar, "module": mod, "GUARD": ("%s_%s_C_H" % (ar, mod)).upper()}))
            dirs.append({"base": base, "area": ar, "module": mod, "deep": i % 3 == 0, "api_h": None})
        return dirs

    def tu(self, d, lang, ext, planted=None, kind="filler"):
        """One translation unit; planted = (idiom name, (lang, needs, top, body))."""
        rnd = self.rnd
        fname = self.name()
        sub = d["base"] + ("/detail" if d["deep"] and rnd.random() < 0.4 else "")
        rel = "%s/%s.%s" % (sub, fname, ext)
        up = "../" if sub != d["base"] else ""
        env = {"area": d["area"], "module": d["module"], "n": str(self.counter), "dc": rnd.choice(DCS)}
        prod, pfx = rnd.choice(PRODUCTS)
        env.update(prod=prod, Prod=prod.capitalize(), PFX=pfx, tok=self.token())
        snippets = CPP_SNIPPETS if lang == "cpp" else C_SNIPPETS
        chosen = rnd.sample(range(len(snippets)), rnd.randint(3, 5))
        needs = set()
        bodies = []
        for k, idx in enumerate(chosen):
            nd, body = snippets[idx]
            needs |= nd
            f = "%s_%s%d" % (rnd.choice(VERBS), rnd.choice(NOUNS), k)
            bodies.append(subst(body, dict(env, f=f, F=f.title().replace("_", ""))))
        top = ""
        extra_inc = []
        if planted:
            idiom, (_pl, nd, ptop, pbody) = planted
            needs |= nd
            f = "%s_%s_%s" % (rnd.choice(VERBS), prod, self.counter)
            penv = dict(env, f=f, F=f.title().replace("_", ""))
            top = subst(ptop, penv)
            bodies.insert(rnd.randint(0, len(bodies)), subst(pbody, penv))
            if idiom == "header-url":
                hname = "zoho_%s_api.h" % prod
                if d["api_h"] is None or d["api_h"][0] != prod:
                    hrel = "%s/%s" % (d["base"], hname)
                    if hrel not in self.files:
                        htext, hmarks = strip_marks(subst(ZOHO_API_H, penv))
                        self.write(hrel, htext)
                        self.planted[hrel] = {"path": hrel, "kind": "pos", "tu": False,
                                              "idiom": "header-url", "findings": hmarks}
                    d["api_h"] = (prod, hrel)
                extra_inc.append('#include "%s%s"' % (up, os.path.basename(d["api_h"][1])))
        if lang == "cpp":
            for h in rnd.sample(STD_EXTRA, rnd.randint(1, 4)):
                needs.add(h)
            sys_inc = sorted(x for x in needs if x.startswith("<"))
            lines = ["// %s: %s %s for the %s service." % (
                os.path.basename(rel), rnd.choice(VERBS), rnd.choice(NOUNS), d["module"]),
                '#include "%s%s.h"' % (up, d["module"])]
            lines += extra_inc
            lines.append("")
            lines += ["#include %s" % h for h in sys_inc]
            if "curl" in needs:
                lines.append("#include <curl/curl.h>")
            lines += ["", '#include "common/log.h"', '#include "common/strutil.h"']
            if rnd.random() < 0.3:
                lines.append('#include "%s%s_c.h"' % (up, d["module"]))
            text = "\n".join(lines) + "\n" + top + "\nnamespace %s {\nnamespace %s {\n" % (
                d["area"], d["module"]) + "".join(bodies) + "\n}  // namespace %s\n}  // namespace %s\n" % (
                d["module"], d["area"])
        else:
            needs |= {"<stdio.h>"}
            sys_inc = sorted(x for x in needs if x.startswith("<"))
            lines = ["/* %s: %s %s for the %s service. */" % (
                os.path.basename(rel), rnd.choice(VERBS), rnd.choice(NOUNS), d["module"]),
                '#include "%s%s_c.h"' % (up, d["module"]), ""]
            lines += ["#include %s" % h for h in sys_inc]
            if "curl" in needs:
                lines.append("#include <curl/curl.h>")
            lines += ["", '#include "common/log.h"']
            text = "\n".join(lines) + "\n" + top + "".join(bodies)
        text, marks = strip_marks(text)
        self.write(rel, text)
        t = {"path": rel, "lang": lang, "kind": kind}
        self.tus.append(t)
        if planted:
            self.planted[rel] = {"path": rel, "kind": "pos" if kind == "pos" else "decoy", "tu": True,
                                 "idiom": planted[0], "findings": marks}
        return t

    def token(self):
        while True:
            tok = "%032x" % self.rnd.getrandbits(128)
            if re.search(r"[a-f]", tok) and re.search(r"[0-9]", tok):
                return tok

    def run(self):
        a, rnd = self.a, self.rnd
        self.write("include/common/log.h", COMMON_LOG_H)
        self.write("include/common/strutil.h", COMMON_STRUTIL_H)
        self.write("include/common/status.h", COMMON_STATUS_H)
        dirs = self.layout()
        n = a.tus
        n_pos = max(len(POS), round(n * a.pos_pct / 100.0))
        n_zoho_decoy = max(2, round(n * 0.01))
        n_other_decoy = max(2, round(n * 0.01))
        roles = (["pos"] * n_pos + ["zoho-decoy"] * n_zoho_decoy + ["other-decoy"] * n_other_decoy)
        roles += ["filler"] * max(0, n - len(roles))
        roles = roles[:n]
        rnd.shuffle(roles)
        pos_idioms = sorted(POS)
        pi = 0
        zoho_decoys = ["zoho-oauth", "zoho-oauth-c"]
        other_decoys = ["twilio", "ngrok-c"]
        zi = oi = 0
        for role in roles:
            d = dirs[rnd.randrange(len(dirs))]
            if role == "pos":
                idiom = pos_idioms[pi % len(pos_idioms)]
                pi += 1
                spec = POS[idiom]
                kind = "pos"
            elif role == "zoho-decoy":
                idiom = zoho_decoys[zi % 2]
                zi += 1
                spec = DECOY[idiom]
                kind = "decoy"
            elif role == "other-decoy":
                idiom = other_decoys[oi % 2]
                oi += 1
                spec = DECOY[idiom]
                kind = "decoy"
            else:
                idiom, spec, kind = None, None, "filler"
            if spec:
                lang = spec[0]
            else:
                r = rnd.random()
                lang = "c" if r < 0.25 else "cpp"
            ext = "c" if lang == "c" else ("cc" if rnd.random() < 0.33 else "cpp")
            self.tu(d, lang, ext, (idiom, spec) if spec else None, kind)

    def emit(self):
        if os.path.exists(self.tree):
            shutil.rmtree(self.tree)
        for rel, text in sorted(self.files.items()):
            p = os.path.join(self.tree, rel)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "w", encoding="utf-8") as f:
                f.write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tree", required=True, help="directory to (re)create")
    ap.add_argument("--manifest", required=True)
    ap.add_argument("--tus", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=20240611)
    ap.add_argument("--pos-pct", type=float, default=4.0, help="percent of TUs with a planted usage")
    ap.add_argument("--rules", required=True, help="rules/ directory (for the prefilter literals)")
    ap.add_argument("--verify", action="store_true", help="compile a sample with the real compiler")
    ap.add_argument("--clang", default="/usr/lib/llvm-14/bin/clang")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    a = ap.parse_args()
    if a.tus < 20:
        sys.exit("gen_cpp.py: --tus must be at least 20")

    g = Gen(a)
    g.run()
    lits = prefilter_literals(a.rules)
    if not lits:
        sys.exit("gen_cpp.py: no prefilter literals found under " + a.rules)

    def passes(text):
        low = text.lower()
        return any(l in low for l in lits)

    # Which files pass the scanner's literal prefilter; fillers must not.
    candidates_tu, candidate_files = [], []
    for rel, text in sorted(g.files.items()):
        if passes(text):
            candidate_files.append(rel)
            if rel in g.planted:
                continue
            sys.exit("gen_cpp.py: generated filler %s holds a prefilter literal" % rel)
    for t in g.tus:
        t["parsed"] = passes(g.files[t["path"]])
        if t["parsed"]:
            candidates_tu.append(t["path"])
        pl = g.planted.get(t["path"])
        if pl and pl["kind"] == "pos" and not t["parsed"]:
            sys.exit("gen_cpp.py: planted TU %s does not pass the prefilter" % t["path"])
    g.emit()

    exts = {}
    for t in g.tus:
        e = t["path"].rsplit(".", 1)[1]
        exts[e] = exts.get(e, 0) + 1
    planted = sorted(g.planted.values(), key=lambda x: x["path"])
    man = {
        "seed": a.seed, "tus": len(g.tus), "tu_extensions": exts,
        "headers": sum(1 for r in g.files if r.endswith(".h")),
        "prefilter_literals": lits,
        "candidate_tus": candidates_tu,
        "candidate_files": len(candidate_files),
        "pos_tus": sum(1 for p in planted if p["tu"] and p["kind"] == "pos"),
        "decoy_tus": sum(1 for p in planted if p["kind"] == "decoy"),
        "sites": sum(len(p["findings"]) for p in planted if p["kind"] == "pos"),
        "files": planted,
    }
    with open(a.manifest, "w", encoding="utf-8") as f:
        json.dump(man, f, indent=1)
    print("gen_cpp.py: %d TUs (%s), %d headers; %d candidate TUs (%d with a planted usage), "
          "%d decoy files, %d planted findings" % (
              man["tus"], ", ".join("%d .%s" % (v, k) for k, v in sorted(exts.items())),
              man["headers"], len(candidates_tu), man["pos_tus"], man["decoy_tus"], man["sites"]))

    if a.verify:
        # Every planted/decoy TU, plus a few fillers of each language and extension.
        rnd = random.Random(a.seed + 1)
        sample = [t for t in g.tus if t["path"] in g.planted]
        for e in ("cpp", "cc", "c"):
            fill = [t for t in g.tus if t["kind"] == "filler" and t["path"].endswith("." + e)]
            sample += rnd.sample(fill, min(len(fill), 12))
        tree = os.path.realpath(a.tree)
        res_dir = subprocess.run([a.clang, "-print-resource-dir"], capture_output=True,
                                 text=True, check=True).stdout.strip()

        def compile_one(t):
            p = os.path.join(tree, t["path"])
            cmd = fallback_command(a.clang, p, tree, res_dir)
            r = subprocess.run(cmd, capture_output=True, text=True)
            return t["path"], r.returncode, r.stderr

        bad = []
        with ThreadPoolExecutor(max_workers=max(1, a.jobs)) as ex:
            for path, rc, err in ex.map(compile_one, sample):
                if rc != 0:
                    bad.append((path, err))
        if bad:
            for path, err in bad[:10]:
                print("gen_cpp.py: does not compile: %s\n%s" % (path, err), file=sys.stderr)
            sys.exit("gen_cpp.py: %d of %d sampled TUs do not compile" % (len(bad), len(sample)))
        print("gen_cpp.py: verified %d TUs with %s -fsyntax-only" % (len(sample), a.clang))


def fallback_command(clang_c, path, root, res_dir):
    """The scanner's fallback command line (tool/clang/ClangFrontend.cpp, jobFor())."""
    if path.endswith(".c"):
        cmd = [clang_c, "-fsyntax-only", "-x", "c", "-std=gnu11"]
    else:
        cmd = [clang_c + "++", "-fsyntax-only", "-x", "c++", "-std=c++17"]
    cmd.append("-I" + os.path.dirname(path))
    if os.path.isdir(os.path.join(root, "include")):
        cmd.append("-I" + os.path.join(root, "include"))
    cmd += ["-resource-dir=" + res_dir, "-fno-caret-diagnostics", "-Wno-everything", path]
    return cmd


if __name__ == "__main__":
    main()
