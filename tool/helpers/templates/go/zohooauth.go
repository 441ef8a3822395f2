
// Package @@NAMESPACE@@ keeps a Zoho OAuth 2.0 access token fresh for API calls
// (the replacement for Zoho's retired legacy API tokens).
//
//	c, err := @@NAMESPACE@@.New(@@NAMESPACE@@.Config{}) // reads the ZOHO_* variables
//	if err != nil {
//		log.Fatal(err) // e.g. "@@NAMESPACE@@: ZOHO_REFRESH_TOKEN is not set"
//	}
//	h, err := c.AuthorizationHeader(ctx) // "Zoho-oauthtoken 1000.…"
//	req.Header.Set("Authorization", h)
//
// Configuration comes from ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET, ZOHO_REFRESH_TOKEN,
// ZOHO_ACCOUNTS_URL or ZOHO_DC, ZOHO_TOKEN_CACHE and ZOHO_RETRY_BASE_MS; Config fields
// override them. The token is refreshed only when absent or within Config.Margin of
// expiry; concurrent goroutines share one refresh, and with a cache file concurrent
// processes share one token (Zoho allows about 10 refreshes per 10 minutes).
//
// Errors are *ConfigError, or *TokenError wrapping one of the Err* sentinels (use
// errors.Is). No error message contains a token, the refresh token or the secret.
// The cache lock uses flock(2): Linux, macOS and other Unix systems.
package @@NAMESPACE@@

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// DataCentres maps ZOHO_DC values to Zoho accounts servers.
var DataCentres = map[string]string{
	"us": "https://accounts.zoho.com", "eu": "https://accounts.zoho.eu",
	"in": "https://accounts.zoho.in", "au": "https://accounts.zoho.com.au",
	"cn": "https://accounts.zoho.com.cn", "jp": "https://accounts.zoho.jp",
	"ca": "https://accounts.zohocloud.ca", "sa": "https://accounts.zoho.sa",
	"uk": "https://accounts.zoho.uk",
}

// ThrottleBackoff is how long, after Zoho's "Access Denied" throttle, further refreshes
// fail with ErrThrottled without a request (shared through the cache file).
var ThrottleBackoff = time.Minute

// Sentinel errors wrapped by *TokenError; test them with errors.Is.
var (
	ErrInvalidGrant        = errors.New("@@NAMESPACE@@: refresh token is invalid or revoked: generate a new one (self-client or consent flow)")
	ErrInvalidClient       = errors.New("@@NAMESPACE@@: client id unknown in this data centre: check ZOHO_CLIENT_ID / ZOHO_DC")
	ErrInvalidClientSecret = errors.New("@@NAMESPACE@@: client secret rejected: check ZOHO_CLIENT_SECRET")
	ErrThrottled           = errors.New("@@NAMESPACE@@: Zoho throttled token requests (Access Denied): back off for several minutes, and reuse tokens (ZOHO_TOKEN_CACHE) instead of refreshing often")
	ErrTransient           = errors.New("@@NAMESPACE@@: token endpoint unreachable or failing (network error or HTTP 5xx); try again later")
	ErrTokenResponse       = errors.New("@@NAMESPACE@@: token endpoint answered without an access token")
)

// ConfigError reports missing or invalid configuration, naming the variables.
type ConfigError struct {
	Vars   []string // e.g. ["ZOHO_REFRESH_TOKEN"]
	Reason string   // e.g. "is not set"
}

func (e *ConfigError) Error() string {
	return "@@NAMESPACE@@: " + strings.Join(e.Vars, ", ") + " " + e.Reason
}

// TokenError is a failed token refresh. Kind is one of the Err* sentinels.
type TokenError struct {
	Kind     error
	Code     string // Zoho's "error" value, e.g. "invalid_code"
	Status   int    // HTTP status of the last answer, 0 if none
	Attempts int    // token requests made
	Cause    error  // last network error, if any
}

func (e *TokenError) Error() string {
	var d []string
	if e.Code != "" {
		d = append(d, "error "+strconv.Quote(e.Code))
	}
	if e.Status != 0 {
		d = append(d, "HTTP "+strconv.Itoa(e.Status))
	}
	if e.Attempts > 1 {
		d = append(d, strconv.Itoa(e.Attempts)+" attempts")
	}
	if e.Cause != nil {
		d = append(d, e.Cause.Error())
	}
	if len(d) == 0 {
		return e.Kind.Error()
	}
	return e.Kind.Error() + " (" + strings.Join(d, "; ") + ")"
}

func (e *TokenError) Unwrap() error { return e.Kind }

// Config holds the settings; zero fields fall back to the environment and defaults.
type Config struct {
	ClientID     string           // ZOHO_CLIENT_ID
	ClientSecret string           // ZOHO_CLIENT_SECRET
	RefreshToken string           // ZOHO_REFRESH_TOKEN
	AccountsURL  string           // ZOHO_ACCOUNTS_URL, e.g. "https://accounts.zoho.eu"
	DC           string           // ZOHO_DC (us, eu, in, au, cn, jp, ca, sa, uk); used when AccountsURL is empty; default us
	CacheFile    string           // ZOHO_TOKEN_CACHE; empty: memory only
	Margin       time.Duration    // refresh this long before expiry; default 5 minutes
	MaxAttempts  int              // token requests per refresh on network errors and 5xx; default 3
	RetryBase    time.Duration    // first backoff (doubled, full jitter); ZOHO_RETRY_BASE_MS; default 200ms
	HTTPClient   *http.Client     // default: 30 s timeout
	Now          func() time.Time // clock; default time.Now
}

// Client hands out access tokens. It is safe for concurrent use.
type Client struct {
	cfg    Config
	rtHash string
	sem    chan struct{} // held by the one goroutine refreshing (single flight)
	rnd    *rand.Rand    // jitter; used only while holding sem
	// throttledUntil: no token request before this time; used only while holding sem.
	throttledUntil time.Time

	mu        sync.Mutex // guards the fields below
	cur       cacheEntry
	apiDomain string
	rejected  string // access token given to Invalidate: never reused from the cache
	gen       int    // completed refresh attempts
	lastErr   error
}

// cacheEntry is the token as kept in memory and in the cache file (no secrets).
type cacheEntry struct {
	AccessToken      string `json:"access_token"`
	ExpiresAt        int64  `json:"expires_at"` // unix seconds
	APIDomain        string `json:"api_domain,omitempty"`
	ClientID         string `json:"client_id"`
	RefreshTokenHash string `json:"refresh_token_hash"`        // hex SHA-256
	ThrottledUntil   int64  `json:"throttled_until,omitempty"` // unix seconds; no refresh before
}

// New returns a Client for cfg, filling empty fields from the environment.
// It makes no network request. Missing settings give a *ConfigError.
func New(cfg Config) (*Client, error) {
	env := func(v *string, name string) {
		if *v == "" {
			*v = strings.TrimSpace(os.Getenv(name))
		}
	}
	env(&cfg.ClientID, "ZOHO_CLIENT_ID")
	env(&cfg.ClientSecret, "ZOHO_CLIENT_SECRET")
	env(&cfg.RefreshToken, "ZOHO_REFRESH_TOKEN")
	env(&cfg.AccountsURL, "ZOHO_ACCOUNTS_URL")
	env(&cfg.DC, "ZOHO_DC")
	env(&cfg.CacheFile, "ZOHO_TOKEN_CACHE")
	var missing []string
	for _, f := range []struct{ v, name string }{{cfg.ClientID, "ZOHO_CLIENT_ID"},
		{cfg.ClientSecret, "ZOHO_CLIENT_SECRET"}, {cfg.RefreshToken, "ZOHO_REFRESH_TOKEN"}} {
		if f.v == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) == 1 {
		return nil, &ConfigError{missing, "is not set"}
	} else if len(missing) > 1 {
		return nil, &ConfigError{missing, "are not set"}
	}
	if cfg.AccountsURL == "" {
		dc := strings.ToLower(cfg.DC)
		if dc == "" {
			dc = "us"
		}
		if cfg.AccountsURL = DataCentres[dc]; cfg.AccountsURL == "" {
			return nil, &ConfigError{[]string{"ZOHO_DC"}, fmt.Sprintf("%q is not a Zoho data centre (us, eu, in, au, cn, jp, ca, sa, uk)", cfg.DC)}
		}
	}
	cfg.AccountsURL = strings.TrimRight(cfg.AccountsURL, "/")
	if cfg.RetryBase == 0 {
		cfg.RetryBase = 200 * time.Millisecond
		if s := os.Getenv("ZOHO_RETRY_BASE_MS"); s != "" {
			ms, err := strconv.Atoi(s)
			if err != nil || ms < 0 {
				return nil, &ConfigError{[]string{"ZOHO_RETRY_BASE_MS"}, "is not a number of milliseconds"}
			}
			cfg.RetryBase = time.Duration(ms) * time.Millisecond
		}
	}
	if cfg.Margin == 0 {
		cfg.Margin = 5 * time.Minute
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = 3
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	sum := sha256.Sum256([]byte(cfg.RefreshToken))
	return &Client{cfg: cfg, rtHash: hex.EncodeToString(sum[:]), sem: make(chan struct{}, 1),
		rnd: rand.New(rand.NewSource(time.Now().UnixNano()))}, nil
}

// AccessToken returns a valid access token, refreshing it first if it is absent or
// expires within the margin. Concurrent callers wait for a single refresh and share its
// result; ctx bounds the wait and the token request.
func (c *Client) AccessToken(ctx context.Context) (string, error) {
	c.mu.Lock()
	tok, gen := c.validLocked(), c.gen
	c.mu.Unlock()
	if tok != "" {
		return tok, nil
	}
	select {
	case c.sem <- struct{}{}:
	case <-ctx.Done():
		return "", ctx.Err()
	}
	defer func() { <-c.sem }()
	c.mu.Lock()
	tok, err := c.validLocked(), c.lastErr
	waited := c.gen != gen
	c.mu.Unlock()
	if tok != "" {
		return tok, nil
	}
	if waited && err != nil {
		return "", err // the refresh we waited for failed: do not repeat it
	}
	tok, err = c.refresh(ctx)
	c.mu.Lock()
	c.gen++
	c.lastErr = err
	if ctx.Err() != nil {
		c.lastErr = nil // our cancellation is not the waiters' failure
	}
	c.mu.Unlock()
	return tok, err
}

// AuthorizationHeader returns the Authorization header value "Zoho-oauthtoken <token>".
func (c *Client) AuthorizationHeader(ctx context.Context) (string, error) {
	tok, err := c.AccessToken(ctx)
	if err != nil {
		return "", err
	}
	return "Zoho-oauthtoken " + tok, nil
}

// Shared returns the process-wide Client configured from the environment
// (New(Config{})), created on first use; a configuration error is returned every time.
func Shared() (*Client, error) {
	sharedOnce.Do(func() { sharedClient, sharedErr = New(Config{}) })
	return sharedClient, sharedErr
}

var (
	sharedOnce   sync.Once
	sharedClient *Client
	sharedErr    error
)

// SetAuthorization sets req's Authorization header from the Shared client, bounded by
// req.Context() (what `authtoken-migrate fix` inserts after http.NewRequest).
func SetAuthorization(req *http.Request) error {
	c, err := Shared()
	if err != nil {
		return err
	}
	h, err := c.AuthorizationHeader(req.Context())
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", h)
	return nil
}

// Do sends req with client (nil: http.DefaultClient); req's Authorization header was set
// by SetAuthorization (what `authtoken-migrate fix` sends in place of http.Get, Post, …).
// After a 401 (Zoho's answer to an expired or revoked access token) it closes that
// response, forgets the token, sets a fresh header on a copy of req and sends it once
// more, when the body can be read again (no body, or req.GetBody: http.NewRequest sets it
// for bytes and strings readers); otherwise, or when no fresh header can be had, the 401
// response is returned.
func Do(client *http.Client, req *http.Request) (*http.Response, error) {
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil || resp.StatusCode != http.StatusUnauthorized {
		return resp, err
	}
	if req.Body != nil && req.Body != http.NoBody && req.GetBody == nil {
		return resp, nil // the body is consumed: the 401 is the answer
	}
	if !strings.HasPrefix(req.Header.Get("Authorization"), "Zoho-oauthtoken ") {
		return resp, nil // not a request this helper authorized: no Zoho token goes to it
	}
	c, cerr := Shared()
	if cerr != nil {
		return resp, nil
	}
	tok := strings.TrimPrefix(req.Header.Get("Authorization"), "Zoho-oauthtoken ")
	if !c.issued(tok) {
		return resp, nil // the caller's own OAuth token, not this helper's: its 401 is the answer
	}
	c.invalidate(tok)
	h, herr := c.AuthorizationHeader(req.Context())
	if herr != nil {
		return resp, nil
	}
	again := req.Clone(req.Context())
	if req.GetBody != nil {
		body, berr := req.GetBody()
		if berr != nil {
			return resp, nil
		}
		again.Body = body
	}
	again.Header.Set("Authorization", h)
	resp.Body.Close()
	return client.Do(again)
}

// APIDomain returns the api_domain of the latest token (e.g. "https://www.zohoapis.eu"),
// or "" before the first token.
func (c *Client) APIDomain() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.apiDomain
}

// Invalidate forgets the current access token (call it after a 401 INVALID_TOKEN);
// the next AccessToken refreshes and does not reuse that token from the cache file.
func (c *Client) Invalidate() { c.invalidate("") }

// issued reports whether tok is the access token this helper holds, or the one it last
// saw rejected (another request got the 401 first): a token it handed out.
func (c *Client) issued(tok string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return tok != "" && (tok == c.cur.AccessToken || tok == c.rejected)
}

func (c *Client) invalidate(tok string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cur.AccessToken != "" && (tok == "" || tok == c.cur.AccessToken) {
		c.rejected, c.cur = c.cur.AccessToken, cacheEntry{}
	}
}

// RetryOnInvalidToken calls fn with the Authorization header value. If fn's response
// is a 401 (Zoho's answer to an expired or revoked access token), it closes that
// response, invalidates the token and calls fn once more with a fresh header.
func (c *Client) RetryOnInvalidToken(ctx context.Context, fn func(authHeader string) (*http.Response, error)) (*http.Response, error) {
	for attempt := 1; ; attempt++ {
		tok, err := c.AccessToken(ctx)
		if err != nil {
			return nil, err
		}
		resp, err := fn("Zoho-oauthtoken " + tok)
		if err != nil || resp.StatusCode != http.StatusUnauthorized || attempt == 2 {
			return resp, err
		}
		resp.Body.Close()
		c.invalidate(tok)
	}
}

func (c *Client) validLocked() string {
	if c.cur.AccessToken != "" && c.cfg.Now().Add(c.cfg.Margin).Before(time.Unix(c.cur.ExpiresAt, 0)) {
		return c.cur.AccessToken
	}
	return ""
}

func (c *Client) store(e cacheEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cur = e
	if e.APIDomain != "" {
		c.apiDomain = e.APIDomain
	}
}

// refresh runs with c.sem held. With a cache file it holds an exclusive lock on
// "<cache>.lock" while re-reading the cache and refreshing, so processes share one refresh.
func (c *Client) refresh(ctx context.Context) (string, error) {
	if c.cfg.CacheFile != "" {
		unlock, err := lockFile(ctx, c.cfg.CacheFile+".lock")
		if err != nil {
			return "", err
		}
		defer unlock()
		e, ok := c.readCache()
		if ok && e.AccessToken != "" {
			c.store(e)
			return e.AccessToken, nil
		}
		if ok && e.ThrottledUntil > c.throttledUntil.Unix() {
			c.throttledUntil = time.Unix(e.ThrottledUntil, 0) // another process was throttled
		}
	}
	if c.cfg.Now().Before(c.throttledUntil) {
		return "", &TokenError{Kind: ErrThrottled} // still backing off: no request
	}
	e, err := c.requestToken(ctx)
	if err != nil {
		if errors.Is(err, ErrThrottled) {
			c.throttledUntil = c.cfg.Now().Add(ThrottleBackoff)
			if c.cfg.CacheFile != "" { // make other processes back off too
				_ = writeCache(c.cfg.CacheFile, cacheEntry{ClientID: c.cfg.ClientID,
					RefreshTokenHash: c.rtHash, ThrottledUntil: c.throttledUntil.Unix()})
			}
		}
		return "", err
	}
	c.store(e)
	if c.cfg.CacheFile != "" {
		if err := writeCache(c.cfg.CacheFile, e); err != nil {
			return "", fmt.Errorf("@@NAMESPACE@@: cannot write ZOHO_TOKEN_CACHE: %w", err)
		}
	}
	return e.AccessToken, nil
}

// requestToken POSTs the refresh grant, retrying network errors and 5xx with
// exponential backoff and full jitter.
func (c *Client) requestToken(ctx context.Context) (cacheEntry, error) {
	form := url.Values{"grant_type": {"refresh_token"}, "client_id": {c.cfg.ClientID},
		"client_secret": {c.cfg.ClientSecret}, "refresh_token": {c.cfg.RefreshToken}}.Encode()
	for attempt := 1; ; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.cfg.AccountsURL+"/oauth/v2/token", strings.NewReader(form))
		if err != nil {
			return cacheEntry{}, &ConfigError{[]string{"ZOHO_ACCOUNTS_URL"}, "is not a valid URL"}
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept", "application/json")
		status := 0
		resp, err := c.cfg.HTTPClient.Do(req)
		if err == nil {
			status = resp.StatusCode
			var body []byte
			body, err = io.ReadAll(io.LimitReader(resp.Body, 1<<20))
			resp.Body.Close()
			if err == nil && status < 500 {
				return c.parse(status, body, attempt)
			}
		}
		if ctx.Err() != nil {
			return cacheEntry{}, ctx.Err()
		}
		if attempt >= c.cfg.MaxAttempts {
			return cacheEntry{}, &TokenError{Kind: ErrTransient, Status: status, Attempts: attempt, Cause: err}
		}
		backoff := time.Duration(c.rnd.Int63n(int64(c.cfg.RetryBase<<(attempt-1)) + 1))
		select {
		case <-time.After(backoff):
		case <-ctx.Done():
			return cacheEntry{}, ctx.Err()
		}
	}
}

func (c *Client) parse(status int, body []byte, attempts int) (cacheEntry, error) {
	var r struct {
		AccessToken  string   `json:"access_token"`
		ExpiresIn    *float64 `json:"expires_in"`
		ExpiresInSec *float64 `json:"expires_in_sec"`
		APIDomain    string   `json:"api_domain"`
		Error        string   `json:"error"`
	}
	if json.Unmarshal(body, &r) != nil || r.AccessToken == "" {
		kind := ErrTokenResponse
		switch r.Error {
		case "invalid_code":
			kind = ErrInvalidGrant
		case "invalid_client":
			kind = ErrInvalidClient
		case "invalid_client_secret":
			kind = ErrInvalidClientSecret
		case "Access Denied", "拒绝访问":
			kind = ErrThrottled
		}
		if status == http.StatusTooManyRequests {
			kind = ErrThrottled
		}
		return cacheEntry{}, &TokenError{Kind: kind, Code: safeCode(r.Error), Status: status, Attempts: attempts}
	}
	lifetime := 3600.0 // Zoho sometimes omits expires_in
	if r.ExpiresInSec != nil {
		lifetime = *r.ExpiresInSec // older answers: expires_in is in milliseconds
	} else if r.ExpiresIn != nil {
		lifetime = *r.ExpiresIn
	}
	return cacheEntry{AccessToken: r.AccessToken, APIDomain: r.APIDomain, ClientID: c.cfg.ClientID,
		ExpiresAt: c.cfg.Now().Add(time.Duration(lifetime * float64(time.Second))).Unix(), RefreshTokenHash: c.rtHash}, nil
}

// safeCode keeps an error code only if it cannot be a token (letters, spaces, '_').
func safeCode(s string) string {
	if len(s) > 40 || strings.TrimLeft(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ _") != "" {
		return ""
	}
	return s
}

// readCache returns the cache entry if it belongs to this client id and refresh token;
// its AccessToken is cleared unless it is usable (not rejected, not within the margin).
func (c *Client) readCache() (cacheEntry, bool) {
	var e cacheEntry
	data, err := os.ReadFile(c.cfg.CacheFile)
	if err != nil || json.Unmarshal(data, &e) != nil {
		return e, false
	}
	c.mu.Lock()
	rejected := c.rejected
	c.mu.Unlock()
	if e.AccessToken == rejected || !c.cfg.Now().Add(c.cfg.Margin).Before(time.Unix(e.ExpiresAt, 0)) {
		e.AccessToken = ""
	}
	return e, e.ClientID == c.cfg.ClientID && e.RefreshTokenHash == c.rtHash
}

// writeCache replaces path atomically (temp file + rename) with mode 0600.
func writeCache(path string, e cacheEntry) error {
	data, err := json.Marshal(e)
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // no-op after a successful rename
	if err = f.Chmod(0o600); err == nil {
		_, err = f.Write(data)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// lockFile takes an exclusive flock on path, polling so that ctx can cancel the wait.
func lockFile(ctx context.Context, path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("@@NAMESPACE@@: cannot open ZOHO_TOKEN_CACHE lock file: %w", err)
	}
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() { syscall.Flock(int(f.Fd()), syscall.LOCK_UN); f.Close() }, nil
		}
		if err != syscall.EWOULDBLOCK && err != syscall.EINTR {
			f.Close()
			return nil, fmt.Errorf("@@NAMESPACE@@: cannot lock ZOHO_TOKEN_CACHE: %w", err)
		}
		select {
		case <-time.After(20 * time.Millisecond):
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		}
	}
}
