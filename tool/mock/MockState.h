#pragma once
/// \file
/// The mock's OAuth state machine, independent of HTTP: clients, users, grant codes,
/// refresh and access tokens, limits, the controllable clock, fault counters and
/// statistics. All public methods are thread-safe (one mutex, short critical
/// sections: the token path is a handful of hash-map operations).

#include "mock/MockConfig.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <queue>
#include <tuple>
#include <random>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace atm::mock {

using SysClock = std::chrono::system_clock;
using TimePoint = SysClock::time_point;

/// Largest clock offset (100 years): real time + offset + any lifetime stays far
/// inside the range of TimePoint.
constexpr int64_t MaxClockOffsetSec = 100LL * 366 * 24 * 3600;

/// \p T + \p Secs, saturating at the ends of TimePoint's range.
TimePoint addSeconds(TimePoint T, int64_t Secs);

/// Parameters of POST /oauth/v2/token (query and form merged; absent = not present).
struct TokenParams {
  const std::string *GrantType = nullptr;
  const std::string *ClientId = nullptr;
  const std::string *ClientSecret = nullptr;
  const std::string *Code = nullptr;
  const std::string *RefreshToken = nullptr;
  const std::string *RedirectUri = nullptr;
  const std::string *Scope = nullptr;
  const std::string *CodeVerifier = nullptr;
};

/// Parameters of GET /oauth/v2/auth.
struct AuthParams {
  std::string ClientId, ResponseType, RedirectUri, Scope, AccessType, Prompt, State,
      CodeChallenge, CodeChallengeMethod;
  bool HasClientId = false, HasRedirectUri = false, HasScope = false;
};

/// An HTTP-level answer produced by the state machine.
struct Answer {
  int Status = 200;
  std::string Body;
  std::string ContentType = "application/json;charset=UTF-8";
  std::string Location; ///< for redirects
  /// Short, token-free description for the request log, e.g. "refresh_token:ok".
  std::string Outcome;
};

/// Result of checking a resource request's credentials.
enum class AccessOutcome {
  Ok,
  NoCredentials,
  LegacyAuthtoken, ///< ?authtoken= or Authorization: Zoho-authtoken
  InvalidToken,    ///< unknown or revoked
  ExpiredToken,
  WrongDc,
  ScopeMismatch,
};
llvm::StringRef accessOutcomeName(AccessOutcome O);

/// What a resource endpoint needs: `Service.Resource.Op` (e.g. ZohoCRM, modules.leads,
/// READ). A token scope grants it when the service matches, its resource equals the
/// needed one, is a dotted prefix of it or is `fullaccess`, and its operation is
/// ALL, the same, or WRITE for CREATE/UPDATE/DELETE (case-insensitive).
struct ScopeNeed {
  std::string Service, Resource, Op;
};
bool scopeGrants(const std::vector<std::string> &Have, const ScopeNeed &Need);

/// Fault decisions for one request.
struct FaultDecision {
  int64_t LatencyMs = 0;
  int ErrorStatus = 0; ///< non-zero: answer this 5xx instead
  bool Drop = false;   ///< close the connection without a complete answer
  bool OmitExpiresIn = false;
};

/// Identity behind an access token (for /oauth/user/info and resource bodies).
struct AccessInfo {
  AccessOutcome Outcome = AccessOutcome::InvalidToken;
  std::string UserId, Email, FirstName, LastName, ClientId;
};

class MockState {
public:
  explicit MockState(MockConfig Config);

  /// The mock clock: real time plus an offset that only grows via advanceClock().
  TimePoint now() const;
  /// Moves the clock forward by \p By (at most MaxDurationSec per step; the offset
  /// stays within MaxClockOffsetSec). Errors name the bound that was exceeded.
  llvm::Error tryAdvanceClock(std::chrono::milliseconds By);
  /// tryAdvanceClock(), clamping instead of failing.
  void advanceClock(std::chrono::milliseconds By);
  int64_t clockOffsetMs() const;

  /// Base URL of the running server (used for PublicUrls::Local).
  void setLocalBase(std::string Base);

  /// GET /oauth/v2/auth served by accounts server \p Dc.
  Answer authorize(const AuthParams &P, llvm::StringRef Dc);
  /// POST /oauth/v2/token served by accounts server \p Dc.
  Answer token(const TokenParams &P, llvm::StringRef Dc, bool OmitExpiresIn);
  /// POST /oauth/v2/token/revoke.
  Answer revoke(const std::string *Token);
  /// GET /oauth/user/info with the token from the Authorization header.
  Answer userInfo(llvm::StringRef AccessToken, bool LegacyHeader, llvm::StringRef Dc);

  /// Checks an access token for a resource call on data centre \p Dc.
  AccessInfo checkAccess(llvm::StringRef AccessToken, llvm::StringRef Dc,
                         const ScopeNeed &Need);
  /// Counts a resource request that never reached checkAccess (legacy/no creds).
  void countResource(AccessOutcome O);

  /// Decides the injected faults for one request (consumes "next" counters).
  FaultDecision decideFaults(bool IsTokenRequest, bool IsResource);

  /// Whether \p OrgId is an accepted organization id.
  bool orgAccepted(llvm::StringRef OrgId) const;

  // Admin API -----------------------------------------------------------------
  llvm::Expected<llvm::json::Object> adminMintCode(const llvm::json::Object &Req);
  llvm::Expected<llvm::json::Object> adminMintRefreshToken(const llvm::json::Object &Req);
  llvm::Expected<llvm::json::Object> adminMintAccessToken(const llvm::json::Object &Req);
  /// Revokes any token or code; returns its kind, or "" if unknown.
  std::string adminRevoke(llvm::StringRef Token);
  llvm::json::Object adminTokens() const;
  llvm::json::Object adminStats() const;
  void resetStats();
  llvm::json::Object adminClock() const;
  llvm::json::Object adminSettings() const;
  llvm::Error adminApplySettings(const llvm::json::Object &Req);
  llvm::Error adminApplyLimits(const llvm::json::Object &Req);
  llvm::Error adminApplyFaults(const llvm::json::Object &Req);
  /// Back to the configured state: seeded tokens only, clock offset 0, stats 0.
  void reset();

  // Persistence ---------------------------------------------------------------
  llvm::json::Value saveJson() const;
  llvm::Error loadJson(const llvm::json::Value &V);
  /// Writes a fresh FILE.tmp-XXXXXX (mode 0600) and renames it over FILE. Concurrent
  /// calls are serialised, so FILE always holds a complete, latest-written state.
  llvm::Error saveTo(llvm::StringRef Path) const;
  /// Loads FILE if it exists (a missing file is not an error).
  llvm::Error loadFrom(llvm::StringRef Path);
  /// True if state changed since the last saveTo().
  bool dirty() const { return Dirty.load(std::memory_order_relaxed); }

private:
  struct Grant {
    std::string ClientId, UserId, Dc;
    std::vector<std::string> Scopes;
  };
  /// Eviction order of one record map: insertion order (oldest first) and expiry
  /// order (a min-heap). Entries of records removed or changed otherwise are skipped
  /// (and compacted) lazily; Seq tells a record from a later one under the same key.
  struct Fifo {
    using Entry = std::pair<std::string, uint64_t>;
    using Timed = std::tuple<int64_t, uint64_t, std::string>; ///< expiry (ns), seq, key
    std::deque<Entry> Q;
    std::priority_queue<Timed, std::vector<Timed>, std::greater<Timed>> ByExpiry;
    void clear() { *this = Fifo(); }
  };
  struct CodeRec : Grant {
    uint64_t Seq = 0;
    TimePoint Expires;
    std::string RedirectUri, Challenge, ChallengeMethod;
    bool Offline = true;
    bool ForceRefresh = false; ///< prompt=consent or a console (self-client) code
  };
  struct RefreshRec : Grant {
    uint64_t Seq = 0;
    TimePoint Created;
    std::deque<std::string> AccessTokens; ///< oldest first
    std::deque<TimePoint> Requests;        ///< successful refreshes in the window
  };
  struct AccessRec : Grant {
    uint64_t Seq = 0;
    TimePoint Expires;
    std::string RefreshToken; ///< empty for online / client_credentials tokens
  };
  struct Stats {
    uint64_t TokenRequests = 0, AuthorizationCodeGrants = 0, RefreshGrants = 0,
             ClientCredentialsGrants = 0, OtherGrants = 0, TokenSuccesses = 0,
             TokenErrors = 0, Throttled = 0, RevokeRequests = 0, AuthRequests = 0,
             UserInfoRequests = 0, ResourceRequests = 0, ResourceOk = 0,
             ResourceDenied = 0, LegacyAuthtokenRequests = 0, FaultsInjected = 0,
             DroppedConnections = 0;
  };

  void initFromConfig();
  const MockClient *findClient(llvm::StringRef Id) const;
  const MockUser *findUser(llvm::StringRef IdOrEmail) const;
  std::string newToken();
  std::string accountsServer(llvm::StringRef Dc) const;
  std::string apiDomain(llvm::StringRef Dc) const;
  bool scopesAllowed(const MockClient &C, const std::vector<std::string> &S) const;
  std::string issueRefreshToken(const Grant &G, TimePoint Now,
                                const std::string &Fixed = std::string());
  std::string issueAccessToken(const Grant &G, const std::string &Refresh,
                               TimePoint Now);
  void dropRefreshToken(const std::string &Token);
  void dropAccessToken(const std::string &Token);
  void storeCode(const std::string &Code, CodeRec R, TimePoint Now);
  void storeAccess(const std::string &Token, AccessRec R, TimePoint Now);
  template <class Rec, class EraseFn>
  void makeRoom(std::unordered_map<std::string, Rec> &Map, Fifo &Order, int64_t Cap,
                TimePoint Now, EraseFn Erase);
  void sweep(TimePoint Now);
  std::string successBody(const std::string &Access, const std::string *Refresh,
                          const std::vector<std::string> &Scopes,
                          llvm::StringRef Dc, bool OmitExpiresIn) const;
  std::string kindOfLocked(llvm::StringRef Token) const;

  mutable std::mutex Mu;
  mutable std::mutex SaveMu; ///< serialises saveTo()
  MockConfig Initial; ///< as configured, for reset()
  MockConfig Cfg;     ///< live settings (limits, faults, style) may change at run time
  std::chrono::milliseconds Offset{0};
  std::string LocalBase;
  std::mt19937_64 Rng;
  std::unordered_map<std::string, CodeRec> Codes;
  std::unordered_map<std::string, RefreshRec> Refresh;
  std::unordered_map<std::string, AccessRec> Access;
  /// Refresh tokens per (user, client), oldest first.
  std::map<std::pair<std::string, std::string>, std::deque<std::string>> RefreshByUser;
  /// (user, client) pairs that already consented with offline access.
  std::set<std::pair<std::string, std::string>> Consented;
  Fifo CodeOrder, AccessOrder, RefreshOrder;
  uint64_t NextSeq = 1;
  Stats St;
  uint64_t IssueCount = 0;
  mutable std::atomic<bool> Dirty{false};
};

} // namespace atm::mock
