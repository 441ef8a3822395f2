// Test program for the generated C++ token-refresh helper (zoho_oauth.h / zoho_oauth.cpp), run
// by run-tests.sh against the mock server ($ATM_MOCK_URL, admin API enabled) and against a tiny
// canned-answer HTTP server of its own (for answers the mock never gives: odd JSON, 429, …).
// Prints "PASS name" / "FAIL name: why" and a final "N passed, M failed". Never prints a token.
//
// "helper_test child" is the child mode of the two-process scenario: it gets a token
// (ZOHO_TOKEN_CACHE shared) and prints a short hash of it.
#include "zoho_oauth.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <future>
#include <iostream>
#include <iterator>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace zo = zoho_oauth;

namespace {

std::string g_mock, g_tmp, g_client_id, g_secret;
int g_passed = 0, g_failed = 0;
std::set<std::string> g_secrets; // every token and secret seen: never printed
std::mutex g_secrets_mutex;
std::atomic<double> g_offset{0}; // the mock clock's offset, mirrored by test_clock

/// Position of the first Zoho-shaped token ("1000." 32 hex "." 32 hex) in s, or npos.
size_t token_shape(const std::string &s) {
  auto hex32 = [&](size_t at) {
    if (s.size() < at + 32)
      return false;
    for (size_t i = at; i < at + 32; ++i)
      if (!std::isxdigit(static_cast<unsigned char>(s[i])) || std::isupper(static_cast<unsigned char>(s[i])))
        return false;
    return true;
  };
  for (size_t p = s.find("1000."); p != std::string::npos; p = s.find("1000.", p + 1))
    if (hex32(p + 5) && s.size() > p + 37 && s[p + 37] == '.' && hex32(p + 38))
      return p;
  return std::string::npos;
}

void remember(const std::string &secret) {
  std::lock_guard<std::mutex> lock(g_secrets_mutex);
  if (!secret.empty())
    g_secrets.insert(secret);
}

std::string redact(std::string s) {
  std::lock_guard<std::mutex> lock(g_secrets_mutex);
  for (const std::string &t : g_secrets)
    for (size_t p; (p = s.find(t)) != std::string::npos;)
      s.replace(p, t.size(), "<token>");
  for (size_t p; (p = token_shape(s)) != std::string::npos;)
    s.replace(p, 70, "<token>");
  return s;
}

/// True if a message holds no token, refresh token or secret.
bool clean(const std::string &message) {
  std::lock_guard<std::mutex> lock(g_secrets_mutex);
  for (const std::string &t : g_secrets)
    if (message.find(t) != std::string::npos)
      return false;
  return token_shape(message) == std::string::npos;
}

void check(const std::string &name, bool ok, const std::string &why = "") {
  if (ok) {
    ++g_passed;
    std::cout << "PASS " << name << std::endl;
  } else {
    ++g_failed;
    std::cout << "FAIL " << name << ": " << redact(why) << std::endl;
  }
}

std::string fingerprint(const std::string &token) { // FNV-1a: comparable, not reversible to the token
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : token)
    h = (h ^ c) * 1099511628211ull;
  char buf[20];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

double real_now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}
double test_clock() { return real_now() + g_offset.load(); }

// ---- HTTP to the mock ------------------------------------------------------------------------

struct Response {
  long status = 0;
  std::string body;
};

size_t append(char *data, size_t size, size_t n, void *out) {
  static_cast<std::string *>(out)->append(data, size * n);
  return size * n;
}

Response http(const std::string &method, const std::string &url, const std::string &json = "",
              const std::string &authorization = "") {
  Response r;
  CURL *c = curl_easy_init();
  curl_slist *headers = curl_slist_append(nullptr, "Content-Type: application/json");
  if (!authorization.empty())
    headers = curl_slist_append(headers, ("Authorization: " + authorization).c_str());
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method.c_str());
  if (method == "POST")
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, json.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, append);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &r.body);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  if (curl_easy_perform(c) == CURLE_OK)
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(c);
  return r;
}

std::string admin(const std::string &path, const std::string &json = "{}", const std::string &method = "POST") {
  Response r = http(method, g_mock + "/__admin/" + path, json);
  if (r.status < 200 || r.status >= 300) {
    std::cout << "admin request " << path << " answered " << r.status << std::endl;
    std::exit(1);
  }
  return r.body;
}

/// A top-level string or integer member of an admin answer (good enough for the mock's JSON).
std::string json_member(const std::string &body, const std::string &key) {
  size_t p = body.find("\"" + key + "\":");
  if (p == std::string::npos)
    return "";
  p += key.size() + 3;
  if (body[p] == '"') {
    size_t e = body.find('"', p + 1);
    return body.substr(p + 1, e - p - 1);
  }
  size_t e = body.find_first_of(",}", p);
  return body.substr(p, e - p);
}

long stat(const std::string &key) { return std::atol(json_member(admin("stats", "", "GET"), key).c_str()); }

// ---- scenarios -------------------------------------------------------------------------------

/// Resets the mock and mints a fresh refresh token.
std::string new_refresh_token() {
  admin("reset");
  g_offset = 0;
  std::string rt = json_member(
      admin("refresh-tokens", "{\"client_id\":\"" + g_client_id + "\",\"scope\":\"ZohoCRM.modules.ALL\"}"),
      "refresh_token");
  remember(rt);
  return rt;
}

void advance(long seconds) {
  admin("clock/advance", "{\"seconds\":" + std::to_string(seconds) + "}");
  g_offset = g_offset.load() + seconds;
}

zo::Config config_for(const std::string &rt) {
  zo::Config c;
  c.refresh_token = rt;
  c.retry_base_ms = 1;
  c.clock = test_clock;
  return c;
}

std::string token(zo::TokenManager &m) {
  std::string t = m.access_token();
  remember(t);
  return t;
}

/// The exception a call threw, if any.
struct Caught {
  std::exception_ptr error;
  std::string what;
  template <class E> bool is() const {
    if (!error)
      return false;
    try {
      std::rethrow_exception(error);
    } catch (const E &) {
      return true;
    } catch (...) {
      return false;
    }
  }
  bool contains(const std::string &s) const { return what.find(s) != std::string::npos; }
};

template <class F> Caught attempt(F f) {
  try {
    f();
  } catch (const std::exception &e) {
    return {std::current_exception(), e.what()};
  }
  return {};
}

std::string describe(const Caught &c) { return c.error ? "threw: " + c.what : std::string("no exception"); }

std::string requests_note() { return "token requests " + std::to_string(stat("token_requests")); }

std::string make_dir(const std::string &name) {
  std::string dir = g_tmp + "/" + name;
  ::mkdir(dir.c_str(), 0700);
  return dir;
}

std::string read_file(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// ---- a canned-answer HTTP server -------------------------------------------------------------

/// Answers every request with the status and body set by answer(); counts requests.
class CannedServer {
public:
  CannedServer() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (::bind(fd_, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0 || ::listen(fd_, 16) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr *>(&a), &len) != 0) {
      std::cout << "canned server: cannot listen" << std::endl;
      std::exit(1);
    }
    url_ = "http://127.0.0.1:" + std::to_string(ntohs(a.sin_port));
    thread_ = std::thread([this] { serve(); });
  }
  ~CannedServer() {
    stop_ = true;
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
  }
  const std::string &url() const { return url_; }
  void answer(int status, const std::string &body) {
    std::lock_guard<std::mutex> lock(mutex_);
    status_ = status;
    body_ = body;
    requests_ = 0;
  }
  int requests() {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
  }

private:
  void serve() {
    while (!stop_) {
      int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0)
        continue;
      std::string req;
      char buf[4096];
      size_t need = std::string::npos;
      while (need == std::string::npos || req.size() < need) {
        ssize_t n = ::read(c, buf, sizeof buf);
        if (n <= 0)
          break;
        req.append(buf, static_cast<size_t>(n));
        size_t end = req.find("\r\n\r\n");
        if (need == std::string::npos && end != std::string::npos) {
          size_t cl = req.find("Content-Length: ");
          need = end + 4 + (cl == std::string::npos ? 0 : std::strtoul(req.c_str() + cl + 16, nullptr, 10));
        }
      }
      std::string out;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        ++requests_;
        out = "HTTP/1.1 " + std::to_string(status_) + " Canned\r\nContent-Type: application/json\r\n" +
              "Content-Length: " + std::to_string(body_.size()) + "\r\nConnection: close\r\n\r\n" + body_;
      }
      for (size_t done = 0; done < out.size();) {
        ssize_t n = ::write(c, out.data() + done, out.size() - done);
        if (n <= 0)
          break;
        done += static_cast<size_t>(n);
      }
      ::close(c);
    }
  }

  int fd_ = -1;
  std::string url_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  int status_ = 200;
  std::string body_;
  int requests_ = 0;
};

// ---- tests -----------------------------------------------------------------------------------

void test_config() {
  unsetenv("ZOHO_REFRESH_TOKEN");
  Caught c = attempt([] { zo::TokenManager m; });
  bool typed = false;
  try {
    if (c.error)
      std::rethrow_exception(c.error);
  } catch (const zo::ConfigError &e) {
    typed = e.variables() == std::vector<std::string>{"ZOHO_REFRESH_TOKEN"};
  } catch (...) {
  }
  check("config: missing ZOHO_REFRESH_TOKEN is a ConfigError naming it",
        typed && c.contains("ZOHO_REFRESH_TOKEN is not set"), describe(c));
  check("config: the message holds no secret", clean(c.what), "leaked");

  unsetenv("ZOHO_CLIENT_ID");
  c = attempt([] { zo::TokenManager m; });
  check("config: several missing variables are all named",
        c.is<zo::ConfigError>() && c.contains("ZOHO_CLIENT_ID, ZOHO_REFRESH_TOKEN are not set"), describe(c));
  c = attempt([] {
    zo::Config cfg;
    cfg.client_id = g_client_id;
    cfg.refresh_token = "x";
    zo::TokenManager m(cfg);
  });
  check("config: values given in code override the environment", !c.error, describe(c));
  setenv("ZOHO_CLIENT_ID", g_client_id.c_str(), 1);

  setenv("ZOHO_REFRESH_TOKEN", "from-env", 1);
  c = attempt([] { zo::TokenManager m; });
  check("config: everything from the environment", !c.error, describe(c));
  unsetenv("ZOHO_REFRESH_TOKEN");

  zo::Config eu;
  eu.refresh_token = "x";
  eu.dc = "EU";
  std::string url;
  c = attempt([&] { url = zo::TokenManager(eu).accounts_url(); });
  check("config: dc in code (case-insensitive) wins over ZOHO_ACCOUNTS_URL",
        !c.error && url == "https://accounts.zoho.eu", describe(c) + " url " + url);
  c = attempt([&] { url = zo::TokenManager(config_for("x")).accounts_url(); });
  check("config: ZOHO_ACCOUNTS_URL used", !c.error && url == g_mock, describe(c) + " url " + url);
  zo::Config slash = config_for("x");
  slash.accounts_url = "https://accounts.zoho.in//";
  c = attempt([&] { url = zo::TokenManager(slash).accounts_url(); });
  check("config: trailing slashes trimmed", url == "https://accounts.zoho.in", url);

  std::string saved_url = g_mock;
  unsetenv("ZOHO_ACCOUNTS_URL");
  setenv("ZOHO_DC", "xx", 1);
  c = attempt([] { zo::TokenManager m(config_for("x")); });
  bool names_dc = false;
  try {
    if (c.error)
      std::rethrow_exception(c.error);
  } catch (const zo::ConfigError &e) {
    names_dc = e.variables() == std::vector<std::string>{"ZOHO_DC"};
  } catch (...) {
  }
  check("config: unknown ZOHO_DC is a ConfigError naming ZOHO_DC", names_dc && c.contains("ZOHO_DC"), describe(c));
  setenv("ZOHO_DC", "au", 1);
  c = attempt([&] { url = zo::TokenManager(config_for("x")).accounts_url(); });
  check("config: ZOHO_DC au", url == "https://accounts.zoho.com.au", describe(c) + " url " + url);
  unsetenv("ZOHO_DC");
  c = attempt([&] { url = zo::TokenManager(config_for("x")).accounts_url(); });
  check("config: default data centre us", url == "https://accounts.zoho.com", describe(c) + " url " + url);
  setenv("ZOHO_ACCOUNTS_URL", saved_url.c_str(), 1);

  setenv("ZOHO_RETRY_BASE_MS", "soon", 1);
  zo::Config env_retry = config_for("x");
  env_retry.retry_base_ms = -1;
  c = attempt([&] { zo::TokenManager m(env_retry); });
  check("config: bad ZOHO_RETRY_BASE_MS is a ConfigError naming it",
        c.is<zo::ConfigError>() && c.contains("ZOHO_RETRY_BASE_MS"), describe(c));
  unsetenv("ZOHO_RETRY_BASE_MS");

  const auto &dcs = zo::data_centres();
  bool ca = false;
  for (const auto &[code, u] : dcs)
    ca = ca || (code == "ca" && u == "https://accounts.zohocloud.ca");
  check("config: data centre table", dcs.size() == 9 && ca, std::to_string(dcs.size()) + " entries");
}

void test_basics() {
  std::string rt = new_refresh_token();
  zo::TokenManager m(config_for(rt));
  std::string t;
  Caught c = attempt([&] { t = token(m); });
  check("first call refreshes once", !c.error && !t.empty() && stat("token_requests") == 1 && stat("refresh_grants") == 1,
        describe(c) + ", " + requests_note());
  check("api_domain kept", m.api_domain().rfind(g_mock + "/zohoapis/", 0) == 0, "api domain " + m.api_domain());
  check("expires_at about an hour ahead", std::fabs(m.expires_at() - test_clock() - 3600) < 30,
        std::to_string(m.expires_at() - test_clock()));
  std::string t2 = token(m), h = m.authorization_header();
  check("second call and header use the in-memory token", t2 == t && stat("token_requests") == 1, requests_note());
  check("authorization header is 'Zoho-oauthtoken <token>'", h == "Zoho-oauthtoken " + t, "bad header");
  advance(3600 - 300 - 60);
  token(m);
  check("not refreshed before expiry - margin", stat("token_requests") == 1, requests_note());
  advance(61);
  std::string t3;
  c = attempt([&] { t3 = token(m); });
  check("mock clock past expiry - margin refreshes", !c.error && t3 != t && stat("token_requests") == 2,
        describe(c) + ", " + requests_note());
  m.invalidate();
  std::string t4 = token(m);
  check("invalidate() forces a refresh", t4 != t3 && stat("token_requests") == 3, requests_note());

  rt = new_refresh_token();
  zo::Config cfg = config_for(rt);
  cfg.margin_seconds = 30;
  zo::TokenManager m2(cfg);
  token(m2);
  advance(3500);
  token(m2);
  check("configurable margin: kept outside it", stat("token_requests") == 1, requests_note());
  advance(80);
  token(m2);
  check("configurable margin: refreshed within it", stat("token_requests") == 2, requests_note());
}

/// A token is kept at 50 minutes and refreshed at 56 (margin 5 minutes).
void valid_about_an_hour(const std::string &name, const std::string &rt) {
  zo::TokenManager m(config_for(rt));
  Caught c = attempt([&] { token(m); });
  double left = m.expires_at() - test_clock();
  advance(50 * 60);
  token(m);
  bool kept = !c.error && stat("token_requests") == 1;
  advance(6 * 60);
  token(m);
  check(name, kept && std::fabs(left - 3600) < 30 && stat("token_requests") == 2,
        describe(c) + ", lifetime " + std::to_string(left) + ", " + requests_note());
}

void test_expiry_styles() {
  std::string rt = new_refresh_token();
  admin("settings", "{\"expires_in_style\":\"milliseconds\"}");
  valid_about_an_hour("expires_in in ms (with expires_in_sec) means ~1 h", rt);
  rt = new_refresh_token();
  admin("faults", "{\"missing_expires_in_next\":1}");
  valid_about_an_hour("missing expires_in is taken as 3600 s", rt);
}

void test_errors() {
  std::string rt = new_refresh_token();
  admin("revoke", "{\"token\":\"" + rt + "\"}");
  zo::TokenManager m(config_for(rt));
  Caught c = attempt([&] { token(m); });
  check("revoked refresh token: InvalidGrantError saying what to do",
        c.is<zo::InvalidGrantError>() && c.contains("invalid_code") && c.contains("revoked") &&
            c.contains("ZOHO_REFRESH_TOKEN"),
        describe(c));
  check("revoked refresh token: not retried", stat("token_requests") == 1, requests_note());
  check("revoked refresh token: message has no token", clean(c.what), "leaked");
  c = attempt([&] { token(m); });
  check("revoked refresh token: later calls fail without a request",
        c.is<zo::InvalidGrantError>() && stat("token_requests") == 1, requests_note());

  rt = new_refresh_token();
  zo::Config bad_secret = config_for(rt);
  bad_secret.client_secret = "0000000000000000000000000000000000000bad";
  remember(bad_secret.client_secret);
  zo::TokenManager m2(bad_secret);
  c = attempt([&] { token(m2); });
  check("wrong secret: InvalidClientSecretError naming ZOHO_CLIENT_SECRET, one request",
        c.is<zo::InvalidClientSecretError>() && c.contains("ZOHO_CLIENT_SECRET") && stat("token_requests") == 1,
        describe(c));
  check("wrong secret: message has no secret", clean(c.what), "leaked");

  zo::Config bad_client = config_for(rt);
  bad_client.client_id = "1000.UNKNOWNCLIENT0000000000000000";
  zo::TokenManager m3(bad_client);
  c = attempt([&] { token(m3); });
  check("unknown client: InvalidClientError naming ZOHO_CLIENT_ID",
        c.is<zo::InvalidClientError>() && c.contains("ZOHO_CLIENT_ID"), describe(c));

  zo::Config nowhere = config_for(rt);
  nowhere.accounts_url = g_mock + "/nowhere";
  zo::TokenManager m4(nowhere);
  c = attempt([&] { token(m4); });
  check("non-token answer (404): TokenError", c.is<zo::TokenError>() && c.contains("HTTP 404") && clean(c.what),
        describe(c));

  zo::Config refused = config_for(rt);
  refused.accounts_url = "http://127.0.0.1:1";
  zo::TokenManager m5(refused);
  c = attempt([&] { token(m5); });
  check("connection refused: TransientError after 3 attempts",
        c.is<zo::TransientError>() && c.contains("3 times") && c.contains("network error"), describe(c));
  check("every error derives from Error", c.is<zo::Error>() && c.is<std::runtime_error>(), describe(c));
}

void test_retries() {
  std::string rt = new_refresh_token();
  admin("faults", "{\"fail_next_token_requests\":2,\"status\":503}");
  zo::TokenManager m(config_for(rt));
  Caught c = attempt([&] { token(m); });
  long n = stat("token_requests") + stat("faults_injected");
  check("2 x 503 retried, then success (3 requests)", !c.error && n == 3,
        describe(c) + ", requests " + std::to_string(n));

  rt = new_refresh_token();
  admin("faults", "{\"fail_next_token_requests\":10,\"status\":500}");
  zo::TokenManager m2(config_for(rt));
  c = attempt([&] { token(m2); });
  check("persistent 5xx: TransientError after 3 attempts",
        c.is<zo::TransientError>() && c.contains("HTTP 500") && c.contains("3 times") && stat("faults_injected") == 3,
        describe(c) + ", faults " + std::to_string(stat("faults_injected")));

  rt = new_refresh_token();
  zo::Config five = config_for(rt);
  five.max_attempts = 5;
  five.retry_base_ms = 40;
  zo::TokenManager m3(five);
  admin("faults", "{\"fail_next_token_requests\":10,\"status\":502}");
  auto start = std::chrono::steady_clock::now();
  c = attempt([&] { token(m3); });
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // full jitter: at most 40 + 80 + 160 + 320 ms of sleeps
  check("backoff bounded by max_attempts, exponential cap",
        c.is<zo::TransientError>() && stat("faults_injected") == 5 && elapsed < 3,
        describe(c) + ", elapsed " + std::to_string(elapsed));

  rt = new_refresh_token();
  admin("faults", "{\"drop_next_token_requests\":1}");
  zo::TokenManager m4(config_for(rt));
  c = attempt([&] { token(m4); });
  check("dropped connection retried", !c.error && stat("token_requests") == 1 && stat("faults_injected") == 1,
        describe(c) + ", " + requests_note() + ", faults " + std::to_string(stat("faults_injected")));

  // The drop fault answers "200 OK" headers announcing 64 body bytes and closes before any:
  // libcurl's CURLE_PARTIAL_FILE, a network error, never a 200 without JSON.
  rt = new_refresh_token();
  admin("faults", "{\"drop_next_token_requests\":10}");
  zo::TokenManager m5(config_for(rt));
  c = attempt([&] { token(m5); });
  check("persistent dropped connections: TransientError after 3 attempts",
        c.is<zo::TransientError>() && c.contains("3 times") && c.contains(curl_easy_strerror(CURLE_PARTIAL_FILE)) &&
            stat("dropped_connections") == 3 && stat("token_requests") == 0,
        describe(c) + ", " + requests_note() + ", dropped " + std::to_string(stat("dropped_connections")));
}

void test_throttle() {
  std::string rt = new_refresh_token();
  admin("limits", "{\"token_requests_per_window\":1}");
  zo::TokenManager m(config_for(rt));
  Caught first = attempt([&] { token(m); });
  m.invalidate();
  Caught c = attempt([&] { token(m); });
  double retry_after = 0;
  try {
    if (c.error)
      std::rethrow_exception(c.error);
  } catch (const zo::ThrottledError &e) {
    retry_after = e.retry_after_seconds();
  } catch (...) {
  }
  check("throttle: ThrottledError telling to back off",
        !first.error && c.is<zo::ThrottledError>() && c.contains("back off") && retry_after >= 59,
        describe(c));
  check("throttle: exactly one request, no retry", stat("token_requests") == 2 && stat("throttled") == 1,
        requests_note());
  for (int i = 0; i < 20; ++i)
    c = attempt([&] { token(m); });
  check("throttle: 20 callers right after get ThrottledError without a request",
        c.is<zo::ThrottledError>() && stat("token_requests") == 2, requests_note());
  check("throttle: message has no token", clean(c.what), "leaked");

  rt = new_refresh_token();
  admin("limits", "{\"token_requests_per_window\":1}");
  std::string path = make_dir("cpp-throttle") + "/token.json";
  zo::Config cached = config_for(rt);
  cached.cache_file = path;
  zo::TokenManager a(cached);
  token(a);
  a.invalidate();
  Caught ca = attempt([&] { token(a); });
  zo::TokenManager b(cached);
  Caught cb = attempt([&] { token(b); });
  check("throttle: back-off shared through the cache file",
        ca.is<zo::ThrottledError>() && cb.is<zo::ThrottledError>() && stat("token_requests") == 2,
        describe(ca) + " / " + describe(cb) + ", " + requests_note());
  advance(61);
  admin("limits", "{\"token_requests_per_window\":10}");
  zo::TokenManager later(cached);
  c = attempt([&] { token(later); });
  check("throttle: refreshes again after the back-off", !c.error && stat("token_requests") == 3,
        describe(c) + ", " + requests_note());
}

/// n threads released together call access_token().
void concurrent(zo::TokenManager &m, int n, std::vector<std::string> &tokens, std::vector<Caught> &errors) {
  tokens.assign(n, "");
  errors.assign(n, Caught());
  std::promise<void> gate;
  std::shared_future<void> go = gate.get_future().share();
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i)
    threads.emplace_back([&, i] {
      go.wait();
      errors[i] = attempt([&] { tokens[i] = token(m); });
    });
  gate.set_value();
  for (std::thread &t : threads)
    t.join();
}

void test_concurrency() {
  for (int n : {8, 16, 32}) {
    std::string rt = new_refresh_token();
    admin("faults", "{\"latency_ms\":300,\"scope\":\"token\"}");
    zo::TokenManager m(config_for(rt));
    std::vector<std::string> tokens;
    std::vector<Caught> errors;
    concurrent(m, n, tokens, errors);
    bool same = true;
    for (int i = 0; i < n; ++i)
      same = same && !errors[i].error && tokens[i] == tokens[0] && !tokens[0].empty();
    check(std::to_string(n) + " concurrent threads: one token request, one token",
          same && stat("token_requests") == 1, requests_note());
  }

  std::string rt = new_refresh_token();
  admin("faults", "{\"latency_ms\":200,\"scope\":\"token\"}");
  admin("revoke", "{\"token\":\"" + rt + "\"}");
  zo::TokenManager m(config_for(rt));
  std::vector<std::string> tokens;
  std::vector<Caught> errors;
  concurrent(m, 16, tokens, errors);
  bool all = true;
  for (const Caught &c : errors)
    all = all && c.is<zo::InvalidGrantError>();
  check("16 concurrent threads, failing refresh: one request, error shared", all && stat("token_requests") == 1,
        requests_note());
}

struct Result {
  long status;
  std::string body;
};

void test_resource_and_retry() {
  std::string rt = new_refresh_token();
  zo::TokenManager m(config_for(rt));
  const std::string leads = g_mock + "/crm/v2/Leads";
  Response r = http("GET", leads, "", m.authorization_header());
  check("resource call with the header: 200", r.status == 200, "status " + std::to_string(r.status));

  std::string t = token(m);
  admin("revoke", "{\"token\":\"" + t + "\"}");
  int calls = 0;
  long status = m.with_retry_on_invalid_token([&](const std::string &h) {
    ++calls;
    return http("GET", leads, "", h).status;
  });
  check("with_retry_on_invalid_token recovers after the access token is revoked",
        status == 200 && calls == 2 && stat("token_requests") == 2,
        "status " + std::to_string(status) + ", calls " + std::to_string(calls) + ", " + requests_note());

  calls = 0;
  Result res = m.with_retry_on_invalid_token([&](const std::string &) {
    ++calls;
    Response x = http("GET", leads, "", "Zoho-oauthtoken nope");
    return Result{x.status, x.body};
  });
  check("with_retry_on_invalid_token retries only once (struct with .status)", calls == 2 && res.status == 401,
        "calls " + std::to_string(calls));

  // Threads that all see a 401 for the same token cause one refresh, not one each.
  t = token(m);
  admin("stats/reset");
  admin("revoke", "{\"token\":\"" + t + "\"}");
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&] {
      long s = m.with_retry_on_invalid_token([&](const std::string &h) { return http("GET", leads, "", h).status; });
      ok += s == 200;
    });
  for (std::thread &th : threads)
    th.join();
  check("8 threads hitting 401 with the same token: one refresh", ok == 8 && stat("token_requests") == 1,
        std::to_string(ok.load()) + " ok, " + requests_note());
}

std::string sha256_of(const std::string &s) {
  std::string path = g_tmp + "/cpp-sha-input";
  std::ofstream(path, std::ios::binary) << s;
  FILE *p = ::popen(("sha256sum '" + path + "'").c_str(), "r");
  char buf[65] = {0};
  if (!p || std::fread(buf, 1, 64, p) != 64)
    buf[0] = 0;
  if (p)
    ::pclose(p);
  std::remove(path.c_str());
  return buf;
}

void test_cache() {
  std::string rt = new_refresh_token();
  std::string dir = make_dir("cpp-cache"), path = dir + "/token.json";
  zo::Config cached = config_for(rt);
  cached.cache_file = path;
  zo::TokenManager m(cached);
  std::string t;
  Caught c = attempt([&] { t = token(m); });
  struct stat st {};
  bool exists = ::stat(path.c_str(), &st) == 0;
  check("cache file written with mode 0600", !c.error && exists && (st.st_mode & 0777) == 0600,
        describe(c) + ", mode " + std::to_string(st.st_mode & 0777));
  std::string data = read_file(path);
  check("cache holds no refresh token or secret", data.find(rt) == std::string::npos &&
                                                       data.find(g_secret) == std::string::npos &&
                                                       data.find("\"expires_at\":") != std::string::npos,
        "bad cache content");
  std::string hash = sha256_of(rt);
  check("cache names the refresh token by its SHA-256 (the format every helper shares)",
        hash.size() == 64 && data.find("\"refresh_token_hash\":\"" + hash + "\"") != std::string::npos &&
            data.find("\"client_id\":\"" + g_client_id + "\"") != std::string::npos,
        "hash or client id missing");
  bool temp_left = false;
  FILE *ls = ::popen(("ls -a '" + dir + "'").c_str(), "r");
  for (char line[512]; ls && std::fgets(line, sizeof line, ls);)
    temp_left = temp_left || std::strstr(line, ".tmp") != nullptr;
  if (ls)
    ::pclose(ls);
  check("no temporary files left", !temp_left, "a .tmp file is left");

  zo::TokenManager m2(cached);
  std::string t2 = token(m2);
  check("a new manager reuses the cached token", t2 == t && stat("token_requests") == 1 && !m2.api_domain().empty(),
        requests_note());
  m2.invalidate();
  std::string t3 = token(m2);
  check("after invalidate() the cached token is not reused", t3 != t && stat("token_requests") == 2, requests_note());

  std::string other = new_refresh_token();
  zo::Config other_cfg = config_for(other);
  other_cfg.cache_file = path;
  zo::TokenManager m3(other_cfg);
  std::string t4 = token(m3);
  check("the cache entry is bound to the refresh token", t4 != t3 && stat("token_requests") == 1, requests_note());

  // A cache written by another helper (same format) is used without a request.
  rt = new_refresh_token();
  std::string minted = admin("access-tokens", "{\"refresh_token\":\"" + rt + "\"}");
  std::string access = json_member(minted, "access_token");
  remember(access);
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      << "{\"access_token\": \"" << access << "\", \"expires_at\": " << static_cast<long long>(test_clock() + 3000)
      << ", \"api_domain\": \"https:\\/\\/www.zohoapis.com\", \"client_id\": \"" << g_client_id
      << "\", \"refresh_token_hash\": \"" << sha256_of(rt) << "\"}\n";
  zo::Config shared = config_for(rt);
  shared.cache_file = path;
  zo::TokenManager m5(shared);
  std::string t5;
  c = attempt([&] { t5 = token(m5); });
  check("a cache entry written by another helper is used", !c.error && t5 == access &&
                                                               m5.api_domain() == "https://www.zohoapis.com" &&
                                                               stat("token_requests") == 0,
        describe(c) + ", " + requests_note());

  std::ofstream(path, std::ios::binary | std::ios::trunc) << "{\"access_token\": \"trunc";
  zo::TokenManager m6(shared);
  c = attempt([&] { token(m6); });
  check("a corrupt cache file is replaced after one refresh",
        !c.error && stat("token_requests") == 1 && read_file(path).find("\"expires_at\":") != std::string::npos,
        describe(c) + ", " + requests_note());

  zo::Config unusable = config_for(rt);
  unusable.cache_file = g_tmp + "/no/such/dir/token.json";
  zo::TokenManager m7(unusable);
  c = attempt([&] { token(m7); });
  check("an unusable cache path is a ConfigError naming ZOHO_TOKEN_CACHE",
        c.is<zo::ConfigError>() && c.contains("ZOHO_TOKEN_CACHE"), describe(c));
}

std::string self_exe() {
  char buf[4096];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
}

void test_processes() {
  std::string rt = new_refresh_token();
  admin("faults", "{\"latency_ms\":300,\"scope\":\"token\"}");
  std::string path = make_dir("cpp-procs") + "/token.json";
  setenv("ZOHO_REFRESH_TOKEN", rt.c_str(), 1);
  setenv("ZOHO_TOKEN_CACHE", path.c_str(), 1);
  std::string cmd = "'" + self_exe() + "' child 2>&1";
  FILE *p1 = ::popen(cmd.c_str(), "r");
  FILE *p2 = ::popen(cmd.c_str(), "r");
  unsetenv("ZOHO_REFRESH_TOKEN");
  unsetenv("ZOHO_TOKEN_CACHE");
  auto output = [](FILE *p, int &status) {
    std::string out;
    for (char buf[256]; p && std::fgets(buf, sizeof buf, p);)
      out += buf;
    status = p ? ::pclose(p) : -1;
    return out;
  };
  int s1 = 0, s2 = 0;
  std::string o1 = output(p1, s1), o2 = output(p2, s2);
  check("two processes sharing the cache file: one token request",
        s1 == 0 && s2 == 0 && o1.rfind("token ", 0) == 0 && o1 == o2 && stat("token_requests") == 1,
        requests_note() + ", outputs '" + o1 + "' '" + o2 + "'");
  struct stat st {};
  check("shared cache file mode 0600", ::stat(path.c_str(), &st) == 0 && (st.st_mode & 0777) == 0600, "mode");
}

/// Answers the mock never gives, from the canned server.
void test_token_answers() {
  CannedServer server;
  auto manager_config = [&] {
    zo::Config c = config_for("1000.canned");
    c.accounts_url = server.url();
    return c;
  };
  auto run = [&](int status, const std::string &body, std::string &tok, double &lifetime, std::string &domain) {
    server.answer(status, body);
    zo::TokenManager m(manager_config());
    Caught c = attempt([&] { tok = m.access_token(); });
    lifetime = m.expires_at() - test_clock();
    if (!c.error)
      domain = m.api_domain();
    return c;
  };
  std::string tok, domain;
  double life = 0;

  Caught c = run(200,
                 "\r\n { \"token_type\" : \"Bearer\",\n \"nested\": {\"a\": [1, -2.5e-3, {\"b\": \"}]\\\"\"}], "
                 "\"c\": null},\n \"flag\": true,\n \"access_token\" : \"tok\\\"en\\\\with\\/escapes\\u00e9"
                 "\\ud83d\\ude00\\n\", \"api_domain\": \"https:\\/\\/www.zohoapis.eu\", \"expires_in\": 3.6e3 }\n",
                 tok, life, domain);
  check("JSON: escapes, nesting, whitespace and exponents",
        !c.error && tok == "tok\"en\\with/escapes\xc3\xa9\xf0\x9f\x98\x80\n" && domain == "https://www.zohoapis.eu" &&
            std::fabs(life - 3600) < 30 && server.requests() == 1,
        describe(c) + ", lifetime " + std::to_string(life) + ", domain " + domain);
  c = run(200, "{\"access_token\":\"a\",\"expires_in_sec\":120,\"expires_in\":120000}", tok, life, domain);
  check("JSON: expires_in_sec wins (milliseconds style)", !c.error && std::fabs(life - 120) < 5,
        describe(c) + ", lifetime " + std::to_string(life));
  c = run(200, "{\"access_token\":\"a\",\"expires_in\":600}", tok, life, domain);
  check("JSON: expires_in in seconds", !c.error && std::fabs(life - 600) < 5, std::to_string(life));
  c = run(200, "{\"access_token\":\"a\",\"expires_in\":1e999}", tok, life, domain);
  check("JSON: out-of-range expires_in falls back to 3600 s", !c.error && std::fabs(life - 3600) < 30,
        describe(c) + ", lifetime " + std::to_string(life));
  c = run(200, "{\"access_token\":\"a\",\"expires_in\":\"soon\",\"api_domain\":null}", tok, life, domain);
  check("JSON: non-numeric expires_in falls back to 3600 s, null api_domain is empty",
        !c.error && std::fabs(life - 3600) < 30 && domain.empty(), describe(c));

  const std::vector<std::pair<std::string, std::string>> malformed = {
      {"truncated", "{\"access_token\":\"abc\""},
      {"trailing garbage", "{\"access_token\":\"abc\"} x"},
      {"empty body", ""},
      {"HTML", "<html><body>Bad gateway</body></html>"},
      {"an array", "[{\"access_token\":\"abc\"}]"},
      {"a bad \\u escape", "{\"access_token\":\"\\uZZZZ\"}"},
      {"a lone surrogate", "{\"access_token\":\"\\ud800x\"}"},
      {"a raw control character", "{\"access_token\":\"a\tb\"}"},
      {"a number as the token", "{\"access_token\":123}"},
      {"a bad number", "{\"access_token\":\"a\",\"expires_in\":01}"},
      {"deep nesting", "{\"x\":" + std::string(200, '[') + std::string(200, ']') + ",\"access_token\":\"a\"}"},
      {"a truncated error", "{\"error\":\"invalid_code\""},
  };
  for (const auto &[name, body] : malformed) {
    c = run(200, body, tok, life, domain);
    check("JSON: " + name + " is a TokenError, not retried", c.is<zo::TokenError>() && server.requests() == 1,
          describe(c));
  }

  std::string fake = "1000.0123456789abcdef0123456789abcdef.0123456789abcdef0123456789abcdef";
  remember(fake);
  c = run(200, "{\"error\":\"" + fake + "\"}", tok, life, domain);
  check("an odd error code is not echoed", c.is<zo::TokenError>() && c.contains("unrecognised") && clean(c.what),
        describe(c));
  c = run(400, "{\"error\":\"invalid_request\",\"error_description\":\"missing parameter\"}", tok, life, domain);
  check("invalid_request: TokenError naming the code", c.is<zo::TokenError>() && c.contains("invalid_request"),
        describe(c));
  c = run(400, "{\"error_description\":\"\\u8bf7\\u7a0d\\u540e\\u91cd\\u8bd5\",\"error\":\"\\u62d2\\u7edd\\u8bbf\\u95ee\","
               "\"status\":\"failure\"}",
          tok, life, domain);
  check("the CN data centre's localised throttle (\\u escapes) is a ThrottledError",
        c.is<zo::ThrottledError>() && server.requests() == 1, describe(c));
  c = run(429, "Too Many Requests", tok, life, domain);
  check("HTTP 429 is a ThrottledError, not retried", c.is<zo::ThrottledError>() && server.requests() == 1,
        describe(c));
  c = run(200, "{\"error\":\"invalid_client_secret\"}", tok, life, domain);
  check("invalid_client_secret (HTTP 200): typed, not retried",
        c.is<zo::InvalidClientSecretError>() && server.requests() == 1, describe(c));
  c = run(503, "<html>unavailable</html>", tok, life, domain);
  check("HTTP 503: 3 attempts, TransientError", c.is<zo::TransientError>() && server.requests() == 3, describe(c));
  c = run(200, "{\"access_token\":\"" + std::string(2 << 20, 'a') + "\"}", tok, life, domain);
  check("an answer over 1 MiB is refused", c.is<zo::TransientError>() && c.contains("network error"), describe(c));
}

int child() {
  try {
    zo::TokenManager m;
    std::cout << "token " << fingerprint(m.access_token()) << std::endl;
    return 0;
  } catch (const std::exception &e) {
    std::cout << "error " << redact(e.what()) << std::endl;
    return 1;
  }
}

} // namespace

int main(int argc, char **argv) {
  std::signal(SIGPIPE, SIG_IGN); // the canned server writes to clients that gave up
  curl_global_init(CURL_GLOBAL_DEFAULT);
  g_secret = std::getenv("ZOHO_CLIENT_SECRET") ? std::getenv("ZOHO_CLIENT_SECRET") : "";
  remember(g_secret);
  if (argc > 1 && std::string(argv[1]) == "child")
    return child();
  const char *mock = std::getenv("ATM_MOCK_URL"), *tmp = std::getenv("ATM_TEST_TMP"),
             *id = std::getenv("ZOHO_CLIENT_ID");
  if (!mock || !tmp || !id) {
    std::cout << "run me from tests/helpers/run-helper-test.sh (ATM_MOCK_URL, ATM_TEST_TMP, ZOHO_CLIENT_ID)\n";
    return 1;
  }
  g_mock = mock;
  g_tmp = tmp;
  g_client_id = id;
  auto start = std::chrono::steady_clock::now();
  test_config();
  test_basics();
  test_expiry_styles();
  test_errors();
  test_retries();
  test_throttle();
  test_concurrency();
  test_resource_and_retry();
  test_cache();
  test_processes();
  test_token_answers();
  std::cout << "c++ program finished in "
            << std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() << " s\n"
            << "c++ program: " << g_passed << " checks passed, " << g_failed << " failed" << std::endl;
  curl_global_cleanup();
  return g_failed == 0 ? 0 : 1;
}
