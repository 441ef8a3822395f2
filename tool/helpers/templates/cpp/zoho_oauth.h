// Zoho OAuth 2.0 access tokens for C++17 programs, kept fresh from a refresh token (OAuth
// replaces Zoho's retired legacy API tokens). Needs libcurl only: build with
//   g++ -std=c++17 -pthread ... zoho_oauth.cpp -lcurl
//
//   @@NAMESPACE@@::TokenManager tokens;   // configuration from the environment
//   std::string header = tokens.authorization_header();   // "Zoho-oauthtoken 1000.…"
//   // curl_slist_append(list, ("Authorization: " + header).c_str());
//
//   // Or let it retry once with a fresh token after a 401 (an expired or revoked token):
//   long status = tokens.with_retry_on_invalid_token([&](const std::string &auth) {
//     return my_get(tokens.api_domain() + "/crm/v2/Leads", auth); // returns the HTTP status
//   });
//
// Environment: ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET, ZOHO_REFRESH_TOKEN, and ZOHO_ACCOUNTS_URL or
// ZOHO_DC (us, eu, in, au, cn, jp, ca, sa, uk; default us). Optional: ZOHO_TOKEN_CACHE (a file
// shared by processes so that short-lived ones do not refresh every time; Zoho allows about 10
// refreshes per 10 minutes) and ZOHO_RETRY_BASE_MS (backoff base, default 200). Config fields
// override the environment.
//
//   // One process-wide manager configured from the environment (what authtoken-migrate's
//   // C/C++ fixes call):
//   curl_slist_append(list, @@NAMESPACE@@::authorization_header_line().c_str());
//   /* from C: link zoho_oauth.cpp (and -lstdc++) and call */
//   curl_slist_append(list, zoho_oauth_authorization_header_line());
//
// Errors are exceptions derived from @@NAMESPACE@@::Error (a std::runtime_error). No message
// holds a token, the refresh token or the client secret. The cache lock uses flock(2) (POSIX).
#pragma once

#ifdef __cplusplus
extern "C" {
#endif
/* "Authorization: Zoho-oauthtoken <token>" from the process-wide manager, for C code. The
   string stays valid in the calling thread until its next call. NULL on error; then
   zoho_oauth_last_error() says what went wrong (never with a secret in it). */
const char *zoho_oauth_authorization_header_line(void);
/* The header value alone, "Zoho-oauthtoken <token>" (Objective-C: [req setValue:[NSString
   stringWithUTF8String:zoho_oauth_authorization_header()] forHTTPHeaderField:@"Authorization"]
   in a .m file linked with zoho_oauth.cpp and -lc++ / -lstdc++). Same lifetime and errors. */
const char *zoho_oauth_authorization_header(void);
const char *zoho_oauth_last_error(void);
#ifdef __cplusplus
}
#endif

#ifdef __cplusplus

#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <random>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace @@NAMESPACE@@ {

/// Base class of every exception thrown by this helper.
class Error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// A setting is missing or invalid; variables() names the environment variables concerned.
class ConfigError : public Error {
public:
  ConfigError(std::vector<std::string> variables, const std::string &reason);
  const std::vector<std::string> &variables() const noexcept { return variables_; }

private:
  std::vector<std::string> variables_;
};

/// `invalid_code`: the refresh token is invalid or revoked. Retrying cannot help.
class InvalidGrantError : public Error {
public:
  using Error::Error;
};

/// `invalid_client`: the client id is unknown in this data centre.
class InvalidClientError : public Error {
public:
  using Error::Error;
};

/// `invalid_client_secret`: the client secret was rejected.
class InvalidClientSecretError : public Error {
public:
  using Error::Error;
};

/// Zoho's "Access Denied" throttle: back off for retry_after_seconds(), do not retry now.
class ThrottledError : public Error {
public:
  explicit ThrottledError(double retry_after_seconds);
  double retry_after_seconds() const noexcept { return retry_after_; }

private:
  double retry_after_;
};

/// Network errors or HTTP 5xx answers persisted through every attempt.
class TransientError : public Error {
public:
  using Error::Error;
};

/// Any other unusable answer from the token endpoint.
class TokenError : public Error {
public:
  using Error::Error;
};

/// Settings; empty fields fall back to the environment, then to the defaults.
struct Config {
  std::string client_id;      ///< ZOHO_CLIENT_ID
  std::string client_secret;  ///< ZOHO_CLIENT_SECRET
  std::string refresh_token;  ///< ZOHO_REFRESH_TOKEN
  std::string accounts_url;   ///< ZOHO_ACCOUNTS_URL, e.g. "https://accounts.zoho.eu"
  std::string dc;             ///< ZOHO_DC; used when no accounts URL is given; default "us"
  std::string cache_file;     ///< ZOHO_TOKEN_CACHE; empty: memory only
  double margin_seconds = 300;          ///< refresh this long before expiry
  int max_attempts = 3;                 ///< token requests per refresh (network errors, 5xx)
  long retry_base_ms = -1;              ///< first backoff, doubled, full jitter; -1: ZOHO_RETRY_BASE_MS or 200
  double throttle_backoff_seconds = 60; ///< after "Access Denied", no request for this long
  long timeout_seconds = 30;            ///< per token request
  std::function<double()> clock;        ///< current unix time in seconds; default the system clock
};

/// Zoho data centre codes and their accounts servers.
const std::vector<std::pair<std::string, std::string>> &data_centres();

namespace detail {
template <class T, class = void> struct has_status : std::false_type {};
template <class T>
struct has_status<T, std::void_t<decltype(std::declval<const T &>().status)>> : std::true_type {};

template <class T> long status_of(const T &result) {
  if constexpr (has_status<T>::value) {
    return static_cast<long>(result.status);
  } else {
    static_assert(std::is_integral<T>::value,
                  "the function must return an HTTP status (integer) or an object with a .status member");
    return static_cast<long>(result);
  }
}
} // namespace detail

/// Thread-safe access-token source for one client id + refresh token. Tokens are refreshed
/// when absent or within margin_seconds of expiry; concurrent callers share one refresh, and
/// with a cache file concurrent processes share one token (exclusive flock on "<cache>.lock").
/// After invalid_code / invalid_client / invalid_client_secret the manager makes no further
/// request: fix the configuration and create a new one.
class TokenManager {
public:
  /// Reads the configuration; makes no request. Throws ConfigError naming what is missing.
  explicit TokenManager(Config config = Config());
  TokenManager(const TokenManager &) = delete;
  TokenManager &operator=(const TokenManager &) = delete;

  /// A valid access token, refreshed first if needed.
  std::string access_token();
  /// The Authorization header value: "Zoho-oauthtoken <token>".
  std::string authorization_header();
  /// api_domain of the current token (e.g. "https://www.zohoapis.eu"); gets a token first if
  /// there is none yet. Empty if Zoho did not send one.
  std::string api_domain();
  /// Unix time (seconds) at which the current token expires; 0 when there is none.
  double expires_at();
  /// Forgets the current token (call it after a 401 INVALID_TOKEN): the next call refreshes
  /// and does not take that token from the cache file again.
  void invalidate();
  /// The accounts server in use (no trailing slash).
  const std::string &accounts_url() const noexcept { return accounts_url_; }

  /// Calls fn(authorization_header) and, if it reports HTTP 401, invalidates the token and
  /// calls fn once more with a fresh header. fn returns the HTTP status as an integer, or an
  /// object with a `status` member (e.g. struct { long status; std::string body; }).
  template <class F> auto with_retry_on_invalid_token(F &&fn) {
    std::string token = access_token();
    auto result = fn("Zoho-oauthtoken " + token);
    if (detail::status_of(result) != 401)
      return result;
    invalidate_token(token);
    return decltype(result)(fn(authorization_header()));
  }

private:
  struct Token {
    std::string access_token, api_domain;
    double expires_at = 0;
  };
  double now() const;
  bool usable(const Token &t) const;
  void invalidate_token(const std::string &token);
  Token refresh(const std::string &rejected);
  Token request_token();
  Token accept(long status, const std::string &body, double started);
  bool read_cache(Token &t, double &throttled_until) const;
  void write_cache(const Token &t, double throttled_until) const;

  Config config_;
  std::string accounts_url_, refresh_token_hash_;
  std::mutex mutex_; // guards the fields below
  std::condition_variable refreshed_;
  Token current_;
  std::string rejected_; // given to invalidate(): never reused from the cache
  bool refreshing_ = false;
  unsigned long generation_ = 0; // completed refreshes
  std::exception_ptr last_error_;
  // Used only by the one thread refreshing:
  std::exception_ptr fatal_; // invalid credentials: the same request cannot succeed later
  double throttled_until_ = 0;
  std::mt19937 random_;
};

/// The process-wide manager, configured from the environment on first use (thread-safe).
/// Throws ConfigError on that first use when the configuration is incomplete.
TokenManager &default_manager();
/// "Authorization: Zoho-oauthtoken <token>" (a whole header line, as curl_slist_append and
/// raw header lists want it) from default_manager().
std::string authorization_header_line();

} // namespace @@NAMESPACE@@
#endif // __cplusplus
