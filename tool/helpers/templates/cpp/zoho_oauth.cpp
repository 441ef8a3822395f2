// Zoho OAuth 2.0 token refresh for C++17: the implementation of zoho_oauth.h (usage there).
// Depends on libcurl and POSIX (flock, mkstemp) only.
#include "zoho_oauth.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <locale>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <system_error>
#include <thread>

namespace @@NAMESPACE@@ {
namespace {

std::string trim(const std::string &s) {
  size_t b = s.find_first_not_of(" \t\r\n"), e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

std::string env(const char *name) {
  const char *v = std::getenv(name);
  return v ? trim(v) : std::string();
}

std::string join(const std::vector<std::string> &items) {
  std::string out;
  for (const std::string &s : items)
    out += (out.empty() ? "" : ", ") + s;
  return out;
}

// ---- JSON: the top-level members of one object (the token answer and the cache file) ----

struct JsonValue {
  enum Kind { String, Number, Other } kind = Other; // Other: true, false, null, object, array
  std::string text;                                   // String: decoded UTF-8
  double number = 0;                                  // Number
};
using JsonObject = std::map<std::string, JsonValue>;

/// A strict reader for one JSON object; nested objects and arrays are validated and skipped.
class JsonReader {
public:
  explicit JsonReader(const std::string &text) : s_(text) {}

  /// False if the text is not exactly one well-formed JSON object.
  bool object(JsonObject &out) {
    if (!take('{'))
      return false;
    if (!take('}')) {
      do {
        std::string key;
        JsonValue v;
        if (!read_string(key) || !take(':') || !read_value(v, 0))
          return false;
        out[key] = std::move(v);
      } while (take(','));
      if (!take('}'))
        return false;
    }
    skip_space();
    return i_ == s_.size();
  }

private:
  void skip_space() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\r' || s_[i_] == '\n'))
      ++i_;
  }
  bool take(char c) {
    skip_space();
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  bool read_value(JsonValue &v, int depth) {
    skip_space();
    if (i_ >= s_.size() || depth > 64)
      return false;
    const char c = s_[i_];
    if (c == '"') {
      v.kind = JsonValue::String;
      return read_string(v.text);
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      v.kind = JsonValue::Number;
      return read_number(v.number);
    }
    if (c == '{' || c == '[')
      return skip_container(depth);
    for (const char *word : {"true", "false", "null"})
      if (s_.compare(i_, std::strlen(word), word) == 0) {
        i_ += std::strlen(word);
        return true;
      }
    return false;
  }
  bool skip_container(int depth) {
    const char close = s_[i_++] == '{' ? '}' : ']';
    if (take(close))
      return true;
    do {
      std::string key;
      JsonValue ignored;
      if (close == '}' && (!read_string(key) || !take(':')))
        return false;
      if (!read_value(ignored, depth + 1))
        return false;
    } while (take(','));
    return take(close);
  }
  bool read_number(double &out) {
    const size_t start = i_;
    auto digits = [&] {
      const size_t from = i_;
      while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9')
        ++i_;
      return i_ > from;
    };
    if (s_[i_] == '-')
      ++i_;
    if (i_ < s_.size() && s_[i_] == '0')
      ++i_; // no leading zeros: "0", "0.5", never "01"
    else if (!digits())
      return false;
    if (i_ < s_.size() && s_[i_] == '.' && (++i_, !digits()))
      return false;
    if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
      ++i_;
      if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-'))
        ++i_;
      if (!digits())
        return false;
    }
    std::istringstream in(s_.substr(start, i_ - start));
    in.imbue(std::locale::classic()); // '.' decimals whatever the program's locale
    if (!(in >> out))
      out = HUGE_VAL; // out of range (the syntax is valid): callers ignore non-finite values
    return true;
  }
  bool hex4(unsigned &out) {
    if (s_.size() - i_ < 4)
      return false;
    out = 0;
    for (int k = 0; k < 4; ++k) {
      const char c = s_[i_++];
      const int d = c >= '0' && c <= '9'   ? c - '0'
                    : c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                           : -1;
      if (d < 0)
        return false;
      out = out * 16 + static_cast<unsigned>(d);
    }
    return true;
  }
  bool read_string(std::string &out) {
    if (!take('"'))
      return false;
    out.clear();
    while (i_ < s_.size()) {
      const unsigned char c = static_cast<unsigned char>(s_[i_++]);
      if (c == '"')
        return true;
      if (c < 0x20)
        return false;
      if (c != '\\') {
        out += static_cast<char>(c);
        continue;
      }
      if (i_ >= s_.size())
        return false;
      switch (const char e = s_[i_++]) {
      case '"': case '\\': case '/': out += e; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'u': {
        unsigned cp = 0, low = 0;
        if (!hex4(cp) || (cp >= 0xDC00 && cp <= 0xDFFF))
          return false;
        if (cp >= 0xD800 && cp <= 0xDBFF) { // a surrogate pair
          if (s_.compare(i_, 2, "\\u") != 0 || (i_ += 2, !hex4(low)) || low < 0xDC00 || low > 0xDFFF)
            return false;
          cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        }
        append_utf8(cp, out);
        break;
      }
      default:
        return false;
      }
    }
    return false; // unterminated
  }
  static void append_utf8(unsigned cp, std::string &out) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  const std::string &s_;
  size_t i_ = 0;
};

std::string get_string(const JsonObject &o, const char *key) {
  auto it = o.find(key);
  return it != o.end() && it->second.kind == JsonValue::String ? it->second.text : std::string();
}

/// False if the member is absent, not a number or not finite.
bool get_number(const JsonObject &o, const char *key, double &out) {
  auto it = o.find(key);
  if (it == o.end() || it->second.kind != JsonValue::Number || !std::isfinite(it->second.number))
    return false;
  out = it->second.number;
  return true;
}

std::string json_quote(const std::string &s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

// ---- small utilities ---------------------------------------------------------------------

/// Hex SHA-256: the cache file names the refresh token by its hash, as the other helpers do.
std::string sha256_hex(const std::string &data) {
  static const uint32_t k[64] = {
      0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
      0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
      0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
      0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
      0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
      0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
      0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
      0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};
  uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  std::string m = data + '\x80';
  while (m.size() % 64 != 56)
    m += '\0';
  for (int i = 7; i >= 0; --i)
    m += static_cast<char>((static_cast<uint64_t>(data.size()) * 8) >> (i * 8));
  auto rotr = [](uint32_t x, int n) { return (x >> n) | (x << (32 - n)); };
  for (size_t block = 0; block < m.size(); block += 64) {
    uint32_t w[64];
    for (int i = 0; i < 16; ++i) {
      w[i] = 0;
      for (int j = 0; j < 4; ++j)
        w[i] = (w[i] << 8) | static_cast<unsigned char>(m[block + 4 * i + j]);
    }
    for (int i = 16; i < 64; ++i)
      w[i] = w[i - 16] + (rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3)) + w[i - 7] +
             (rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10));
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int i = 0; i < 64; ++i) {
      uint32_t t1 = hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + k[i] + w[i];
      uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
      hh = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
    }
    h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += hh;
  }
  std::string hex;
  char buf[9];
  for (uint32_t x : h) {
    std::snprintf(buf, sizeof buf, "%08x", static_cast<unsigned>(x));
    hex += buf;
  }
  return hex;
}

std::string form_encode(const std::string &s) {
  static const char digits[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    const bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                            c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += digits[c >> 4];
      out += digits[c & 15];
    }
  }
  return out;
}

/// Keeps Zoho's error code for a message only if it cannot be anything secret.
std::string safe_code(const std::string &code) {
  bool ok = !code.empty() && code.size() <= 64 &&
            std::all_of(code.begin(), code.end(), [](char c) {
              return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ' ';
            });
  return ok ? code : "unrecognised";
}

std::string whole_seconds(double t) { return std::to_string(static_cast<long long>(std::floor(t))); }

/// Exclusive flock(2) on a lock file next to the cache: one refresh across processes.
class FileLock {
public:
  explicit FileLock(const std::string &path) : fd_(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600)) {
    if (int err = errno; fd_ < 0)
      fail("cannot create " + path, err);
    while (::flock(fd_, LOCK_EX) != 0)
      if (int err = errno; err != EINTR) {
        ::close(fd_);
        fail("cannot lock " + path, err);
      }
  }
  ~FileLock() {
    ::flock(fd_, LOCK_UN);
    ::close(fd_);
  }
  FileLock(const FileLock &) = delete;
  FileLock &operator=(const FileLock &) = delete;

private:
  [[noreturn]] static void fail(const std::string &what, int err) {
    throw ConfigError({"ZOHO_TOKEN_CACHE"},
                      "cannot be used: " + what + " (" + std::generic_category().message(err) + ")");
  }
  int fd_;
};

size_t collect(char *data, size_t size, size_t count, void *user) {
  auto *body = static_cast<std::string *>(user);
  if (body->size() + size * count > (1u << 20))
    return 0; // a token answer is tiny: more than 1 MiB is not one
  body->append(data, size * count);
  return size * count;
}

/// One POST of a form; the HTTP status is 0 if no answer arrived.
CURLcode post(const std::string &url, const std::string &form, long timeout_seconds, long &status,
              std::string &body) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  std::unique_ptr<CURL, void (*)(CURL *)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl)
    return CURLE_FAILED_INIT;
  std::unique_ptr<curl_slist, void (*)(curl_slist *)> headers(
      curl_slist_append(nullptr, "Accept: application/json"), curl_slist_free_all);
  CURL *c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, form.c_str()); // sent as application/x-www-form-urlencoded
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(form.size()));
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout_seconds);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, std::min(timeout_seconds, 10L));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L); // required in multi-threaded programs
  CURLcode rc = curl_easy_perform(c);
  status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  return rc;
}

} // namespace

// ---- errors ------------------------------------------------------------------------------

ConfigError::ConfigError(std::vector<std::string> variables, const std::string &reason)
    : Error(join(variables) + " " + reason), variables_(std::move(variables)) {}

ThrottledError::ThrottledError(double retry_after_seconds)
    : Error("Zoho throttled token requests (Access Denied: about 10 refreshes per refresh token per "
            "10 minutes); back off for at least " +
            std::to_string(static_cast<long>(std::ceil(std::max(retry_after_seconds, 1.0)))) +
            " s and reuse access tokens (ZOHO_TOKEN_CACHE) instead of refreshing often"),
      retry_after_(retry_after_seconds) {}

const std::vector<std::pair<std::string, std::string>> &data_centres() {
  static const std::vector<std::pair<std::string, std::string>> table = {
      {"us", "https://accounts.zoho.com"},    {"eu", "https://accounts.zoho.eu"},
      {"in", "https://accounts.zoho.in"},     {"au", "https://accounts.zoho.com.au"},
      {"cn", "https://accounts.zoho.com.cn"}, {"jp", "https://accounts.zoho.jp"},
      {"ca", "https://accounts.zohocloud.ca"}, {"sa", "https://accounts.zoho.sa"},
      {"uk", "https://accounts.zoho.uk"}};
  return table;
}

// ---- TokenManager ------------------------------------------------------------------------

TokenManager::TokenManager(Config config) : config_(std::move(config)), random_(std::random_device{}()) {
  std::vector<std::string> missing;
  for (auto [field, name] : {std::pair{&config_.client_id, "ZOHO_CLIENT_ID"},
                             std::pair{&config_.client_secret, "ZOHO_CLIENT_SECRET"},
                             std::pair{&config_.refresh_token, "ZOHO_REFRESH_TOKEN"}}) {
    if (field->empty())
      *field = env(name);
    if (field->empty())
      missing.push_back(name);
  }
  if (missing.size() == 1)
    throw ConfigError(missing, "is not set (set the environment variable or the Config field)");
  if (!missing.empty())
    throw ConfigError(missing, "are not set (set the environment variables or the Config fields)");

  // A data centre given in code wins over ZOHO_ACCOUNTS_URL from the environment.
  accounts_url_ = config_.accounts_url;
  if (accounts_url_.empty() && config_.dc.empty())
    accounts_url_ = env("ZOHO_ACCOUNTS_URL");
  if (accounts_url_.empty()) {
    std::string dc = config_.dc.empty() ? env("ZOHO_DC") : config_.dc;
    for (char &c : dc)
      c = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    if (dc.empty())
      dc = "us";
    for (const auto &[code, url] : data_centres())
      if (code == dc)
        accounts_url_ = url;
    if (accounts_url_.empty())
      throw ConfigError({"ZOHO_DC"}, "\"" + dc.substr(0, 16) +
                                         "\" is not a Zoho data centre (us, eu, in, au, cn, jp, ca, sa, uk)");
  }
  while (!accounts_url_.empty() && accounts_url_.back() == '/')
    accounts_url_.pop_back();

  if (config_.cache_file.empty())
    config_.cache_file = env("ZOHO_TOKEN_CACHE");
  if (config_.retry_base_ms < 0) {
    std::string ms = env("ZOHO_RETRY_BASE_MS");
    if (ms.empty() || ms.size() > 9 || ms.find_first_not_of("0123456789") != std::string::npos) {
      if (!ms.empty())
        throw ConfigError({"ZOHO_RETRY_BASE_MS"}, "is not a whole number of milliseconds");
      ms = "200";
    }
    config_.retry_base_ms = std::stol(ms);
  }
  config_.max_attempts = std::max(1, config_.max_attempts);
  refresh_token_hash_ = sha256_hex(config_.refresh_token);
}

double TokenManager::now() const {
  if (config_.clock)
    return config_.clock();
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

bool TokenManager::usable(const Token &t) const {
  return !t.access_token.empty() && now() < t.expires_at - config_.margin_seconds;
}

std::string TokenManager::access_token() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    if (usable(current_))
      return current_.access_token;
    if (!refreshing_)
      break;
    // Another thread is refreshing: wait for it and share its result, good or bad.
    unsigned long seen = generation_;
    refreshed_.wait(lock, [&] { return generation_ != seen; });
    if (last_error_)
      std::rethrow_exception(last_error_);
    if (!current_.access_token.empty())
      return current_.access_token;
  }
  refreshing_ = true;
  std::string rejected = rejected_;
  lock.unlock();
  Token fresh;
  std::exception_ptr error;
  try {
    fresh = refresh(rejected);
  } catch (...) {
    error = std::current_exception();
  }
  lock.lock();
  refreshing_ = false;
  ++generation_;
  last_error_ = error;
  if (!error)
    current_ = fresh;
  refreshed_.notify_all();
  if (error)
    std::rethrow_exception(error);
  return fresh.access_token;
}

std::string TokenManager::authorization_header() { return "Zoho-oauthtoken " + access_token(); }

std::string TokenManager::api_domain() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!current_.access_token.empty())
      return current_.api_domain;
  }
  access_token();
  std::lock_guard<std::mutex> lock(mutex_);
  return current_.api_domain;
}

double TokenManager::expires_at() {
  std::lock_guard<std::mutex> lock(mutex_);
  return current_.expires_at;
}

void TokenManager::invalidate() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!current_.access_token.empty())
    rejected_ = current_.access_token;
  current_ = Token();
}

void TokenManager::invalidate_token(const std::string &token) {
  std::lock_guard<std::mutex> lock(mutex_);
  rejected_ = token;
  if (current_.access_token == token) // not if another caller has refreshed already
    current_ = Token();
}

// Runs in the one thread refreshing. With a cache file, holds "<cache>.lock" while it re-reads
// the cache and refreshes, so that concurrent processes make one token request.
TokenManager::Token TokenManager::refresh(const std::string &rejected) {
  if (fatal_)
    std::rethrow_exception(fatal_); // the same credentials cannot succeed later
  std::optional<FileLock> lock;
  if (!config_.cache_file.empty()) {
    lock.emplace(config_.cache_file + ".lock");
    Token cached;
    double until = 0;
    if (read_cache(cached, until)) {
      if (cached.access_token != rejected && usable(cached))
        return cached;
      throttled_until_ = std::max(throttled_until_, until); // another process was throttled
    }
  }
  if (double t = now(); t < throttled_until_)
    throw ThrottledError(throttled_until_ - t); // still backing off: no request
  try {
    Token fresh = request_token();
    if (lock)
      write_cache(fresh, 0);
    return fresh;
  } catch (const ThrottledError &) {
    if (lock)
      write_cache(Token(), throttled_until_); // other processes back off too
    throw;
  }
}

// POSTs the refresh grant; network errors and 5xx are retried with exponential backoff and
// full jitter, everything else is decided by accept().
TokenManager::Token TokenManager::request_token() {
  const std::string url = accounts_url_ + "/oauth/v2/token";
  const std::string form = "grant_type=refresh_token&client_id=" + form_encode(config_.client_id) +
                           "&client_secret=" + form_encode(config_.client_secret) +
                           "&refresh_token=" + form_encode(config_.refresh_token);
  for (int attempt = 1;; ++attempt) {
    double started = now();
    long status = 0;
    std::string body;
    CURLcode rc = post(url, form, config_.timeout_seconds, status, body);
    if (rc == CURLE_OK && status < 500)
      return accept(status, body, started);
    std::string problem = rc != CURLE_OK ? std::string("network error: ") + curl_easy_strerror(rc)
                                         : "HTTP " + std::to_string(status);
    if (attempt >= config_.max_attempts)
      throw TransientError("Zoho token endpoint " + url + " failed " + std::to_string(attempt) +
                           (attempt == 1 ? " time" : " times") + " (last: " + problem +
                           "); try again later");
    double cap_ms = std::min(30000.0, config_.retry_base_ms * std::pow(2.0, attempt - 1));
    std::uniform_real_distribution<double> jitter(0, cap_ms);
    std::this_thread::sleep_for(std::chrono::duration<double, std::milli>(jitter(random_)));
  }
}

TokenManager::Token TokenManager::accept(long status, const std::string &body, double started) {
  JsonObject r;
  const bool is_json = JsonReader(body).object(r);
  if (!is_json)
    r.clear(); // nothing from a malformed or truncated answer is trusted
  const std::string error = get_string(r, "error");
  if (status == 429 || error == "Access Denied" ||
      error == "\xe6\x8b\x92\xe7\xbb\x9d\xe8\xae\xbf\xe9\x97\xae") { // the CN data centre localises it
    throttled_until_ = now() + config_.throttle_backoff_seconds;
    throw ThrottledError(config_.throttle_backoff_seconds);
  }
  if (error == "invalid_code")
    fatal_ = std::make_exception_ptr(InvalidGrantError(
        "invalid_code: the refresh token is invalid or revoked: generate a new one (self-client or "
        "consent flow) and set ZOHO_REFRESH_TOKEN"));
  else if (error == "invalid_client")
    fatal_ = std::make_exception_ptr(InvalidClientError(
        "invalid_client: the client id is unknown in this data centre: check ZOHO_CLIENT_ID and "
        "ZOHO_DC / ZOHO_ACCOUNTS_URL"));
  else if (error == "invalid_client_secret")
    fatal_ = std::make_exception_ptr(InvalidClientSecretError(
        "invalid_client_secret: the client secret was rejected: check ZOHO_CLIENT_SECRET"));
  if (fatal_)
    std::rethrow_exception(fatal_);
  if (!is_json)
    throw TokenError("Zoho token endpoint answered HTTP " + std::to_string(status) +
                     " without a JSON object");
  Token t;
  t.access_token = get_string(r, "access_token");
  if (r.count("error") || status != 200 || t.access_token.empty())
    throw TokenError("Zoho token endpoint answered HTTP " + std::to_string(status) +
                     " without an access token (error: " +
                     (r.count("error") ? safe_code(error) : "none") + ")");
  double lifetime = 3600, value = 0; // Zoho sometimes omits expires_in; tokens live one hour
  if (r.count("expires_in_sec")) {   // older answers: expires_in is in milliseconds
    if (get_number(r, "expires_in_sec", value))
      lifetime = value;
    else if (get_number(r, "expires_in", value))
      lifetime = value / 1000;
  } else if (get_number(r, "expires_in", value)) {
    lifetime = value;
  }
  if (!(lifetime > 0))
    lifetime = 3600;
  t.api_domain = get_string(r, "api_domain");
  t.expires_at = started + lifetime;
  return t;
}

// The cache file is the JSON object all the generated helpers share: access_token, expires_at
// (unix seconds), api_domain, client_id, refresh_token_hash (hex SHA-256; never the token
// itself), accounts_url and, after a throttle, throttled_until.
bool TokenManager::read_cache(Token &t, double &throttled_until) const {
  std::ifstream in(config_.cache_file, std::ios::binary);
  if (!in)
    return false;
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  JsonObject c;
  if (text.size() > (1u << 16) || !JsonReader(text).object(c) ||
      get_string(c, "client_id") != config_.client_id ||
      get_string(c, "refresh_token_hash") != refresh_token_hash_ ||
      (c.count("accounts_url") && get_string(c, "accounts_url") != accounts_url_))
    return false; // missing, unreadable or written for another configuration
  t.access_token = get_string(c, "access_token");
  t.api_domain = get_string(c, "api_domain");
  if (!get_number(c, "expires_at", t.expires_at))
    t.access_token.clear();
  if (!get_number(c, "throttled_until", throttled_until))
    throttled_until = 0;
  return true;
}

// Replaces the cache atomically: a 0600 temporary file in the same directory, then rename(2).
// Best effort: if it cannot be written the token is still used from memory.
void TokenManager::write_cache(const Token &t, double throttled_until) const {
  std::string json = "{\"access_token\":" + json_quote(t.access_token) +
                     ",\"expires_at\":" + whole_seconds(t.expires_at) +
                     ",\"api_domain\":" + json_quote(t.api_domain) +
                     ",\"client_id\":" + json_quote(config_.client_id) +
                     ",\"refresh_token_hash\":" + json_quote(refresh_token_hash_) +
                     ",\"accounts_url\":" + json_quote(accounts_url_);
  if (throttled_until > 0)
    json += ",\"throttled_until\":" + whole_seconds(std::ceil(throttled_until));
  json += "}\n";
  std::string tmp = config_.cache_file + ".tmp-XXXXXX";
  int fd = ::mkstemp(&tmp[0]); // mode 0600
  if (fd < 0)
    return;
  bool ok = ::fchmod(fd, 0600) == 0;
  for (size_t done = 0; ok && done < json.size();) {
    ssize_t n = ::write(fd, json.data() + done, json.size() - done);
    if (n < 0 && errno != EINTR)
      ok = false;
    else if (n > 0)
      done += static_cast<size_t>(n);
  }
  ok = ok && ::fsync(fd) == 0;
  ok = ::close(fd) == 0 && ok;
  if (!ok || std::rename(tmp.c_str(), config_.cache_file.c_str()) != 0)
    ::unlink(tmp.c_str());
}

TokenManager &default_manager() {
  static TokenManager manager; // C++11 guarantees one thread-safe initialisation
  return manager;
}

std::string authorization_header_line() {
  return "Authorization: " + default_manager().authorization_header();
}

} // namespace @@NAMESPACE@@

namespace {
thread_local std::string c_header_line;
thread_local std::string c_last_error;
} // namespace

extern "C" const char *zoho_oauth_authorization_header_line(void) {
  try {
    c_header_line = @@NAMESPACE@@::authorization_header_line();
    c_last_error.clear();
    return c_header_line.c_str();
  } catch (const std::exception &e) {
    c_last_error = e.what();
  } catch (...) {
    c_last_error = "unknown error";
  }
  return nullptr;
}

extern "C" const char *zoho_oauth_authorization_header(void) {
  try {
    c_header_line = @@NAMESPACE@@::default_manager().authorization_header();
    c_last_error.clear();
    return c_header_line.c_str();
  } catch (const std::exception &e) {
    c_last_error = e.what();
  } catch (...) {
    c_last_error = "unknown error";
  }
  return nullptr;
}

extern "C" const char *zoho_oauth_last_error(void) { return c_last_error.c_str(); }
