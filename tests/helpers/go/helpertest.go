// Test program for the generated Go token-refresh helper, run by run-tests.sh against the
// mock server ($ATM_MOCK_URL, admin API enabled). Prints "PASS name" / "FAIL name: why"
// and a final "N passed, M failed". Never prints a token.
//
// "helpertest child" is the child mode of the two-process scenario: it gets a token
// (ZOHO_TOKEN_CACHE shared) and prints a short hash of it.
package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"atmhelpertest/zohooauth"
)

var (
	mock    = os.Getenv("ATM_MOCK_URL")
	tmp     = os.Getenv("ATM_TEST_TMP")
	secret  = os.Getenv("ZOHO_CLIENT_SECRET")
	passed  int
	failed  int
	secrets = map[string]bool{} // every token/secret seen: must not appear in messages
	ctx     = context.Background()
)

func check(name string, ok bool, why string, args ...interface{}) {
	if ok {
		passed++
		fmt.Println("PASS", name)
		return
	}
	failed++
	fmt.Printf("FAIL %s: %s\n", name, redact(fmt.Sprintf(why, args...)))
}

// redact keeps test output token-free even when a helper bug leaks one.
func redact(s string) string {
	for t := range secrets {
		if t != "" {
			s = strings.ReplaceAll(s, t, "<token>")
		}
	}
	return s
}

// clean reports whether an error message carries no token or secret.
func clean(err error) bool {
	if err == nil {
		return true
	}
	for t := range secrets {
		if t != "" && strings.Contains(err.Error(), t) {
			return false
		}
	}
	return !strings.Contains(err.Error(), "1000.") || strings.Contains(err.Error(), "1000.SELFCLIENT")
}

func admin(method, path string, body interface{}) map[string]interface{} {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, mock+"/__admin/"+path, rd)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Println("admin request failed:", path, err)
		os.Exit(1)
	}
	defer resp.Body.Close()
	out := map[string]interface{}{}
	json.NewDecoder(resp.Body).Decode(&out)
	if resp.StatusCode >= 300 {
		fmt.Println("admin request", path, "answered", resp.StatusCode)
		os.Exit(1)
	}
	return out
}

// stat returns a mock counter.
func stat(key string) int {
	v, _ := admin("GET", "stats", nil)[key].(float64)
	return int(v)
}

// scenario resets the mock and mints a fresh refresh token; the returned clock follows
// the mock's clock (advance moves both).
type scenario struct {
	rt  string
	off time.Duration
}

func newScenario() *scenario {
	admin("POST", "reset", nil)
	rt, _ := admin("POST", "refresh-tokens", map[string]interface{}{
		"client_id": os.Getenv("ZOHO_CLIENT_ID"), "scope": "ZohoCRM.modules.ALL"})["refresh_token"].(string)
	secrets[rt] = true
	return &scenario{rt: rt}
}

func (s *scenario) now() time.Time { return time.Now().Add(s.off) }

func (s *scenario) advance(d time.Duration) {
	admin("POST", "clock/advance", map[string]interface{}{"seconds": int(d / time.Second)})
	s.off += d
}

func (s *scenario) client(mod func(*zohooauth.Config)) *zohooauth.Client {
	cfg := zohooauth.Config{RefreshToken: s.rt, Now: s.now}
	if mod != nil {
		mod(&cfg)
	}
	c, err := zohooauth.New(cfg)
	if err != nil {
		fmt.Println("New failed:", err)
		os.Exit(1)
	}
	return c
}

func token(c *zohooauth.Client) (string, error) {
	t, err := c.AccessToken(ctx)
	secrets[t] = true
	return t, err
}

func short(t string) string {
	h := sha256.Sum256([]byte(t))
	return hex.EncodeToString(h[:6])
}

func main() {
	secrets[secret] = true
	if len(os.Args) > 1 && os.Args[1] == "child" {
		c, err := zohooauth.New(zohooauth.Config{})
		if err == nil {
			var t string
			t, err = c.AccessToken(ctx)
			if err == nil {
				fmt.Println("token", short(t))
				return
			}
		}
		fmt.Println("error", redact(err.Error()))
		os.Exit(1)
	}
	os.Setenv("ZOHO_RETRY_BASE_MS", "1")
	start := time.Now()
	testConfig()
	testShared()
	testBasics()
	testExpiryStyles()
	testErrors()
	testRetries()
	testThrottle()
	testConcurrency()
	testResourceAndRetry()
	testCache()
	testProcesses()
	fmt.Printf("go program finished in %.1fs\n", time.Since(start).Seconds())
	fmt.Printf("go program: %d checks passed, %d failed\n", passed, failed)
	if failed > 0 {
		os.Exit(1)
	}
}

func testConfig() {
	rt := os.Getenv("ZOHO_REFRESH_TOKEN")
	os.Unsetenv("ZOHO_REFRESH_TOKEN")
	_, err := zohooauth.New(zohooauth.Config{})
	var ce *zohooauth.ConfigError
	check("config: missing ZOHO_REFRESH_TOKEN is a *ConfigError naming it",
		errors.As(err, &ce) && len(ce.Vars) == 1 && ce.Vars[0] == "ZOHO_REFRESH_TOKEN" &&
			strings.Contains(err.Error(), "ZOHO_REFRESH_TOKEN is not set"), "got %v", err)
	check("config: message has no secret", clean(err), "leaked")
	id := os.Getenv("ZOHO_CLIENT_ID")
	os.Unsetenv("ZOHO_CLIENT_ID")
	_, err = zohooauth.New(zohooauth.Config{})
	check("config: several missing variables are all named",
		err != nil && strings.Contains(err.Error(), "ZOHO_CLIENT_ID, ZOHO_REFRESH_TOKEN are not set"), "got %v", err)
	_, err = zohooauth.New(zohooauth.Config{ClientID: id, RefreshToken: "x"})
	check("config: values given in code override the environment", err == nil, "got %v", err)
	os.Setenv("ZOHO_CLIENT_ID", id)
	_, err = zohooauth.New(zohooauth.Config{RefreshToken: "x", AccountsURL: "", DC: "xx"})
	check("config: ZOHO_DC only used without ZOHO_ACCOUNTS_URL", err == nil, "got %v", err)
	acc := os.Getenv("ZOHO_ACCOUNTS_URL")
	os.Unsetenv("ZOHO_ACCOUNTS_URL")
	_, err = zohooauth.New(zohooauth.Config{RefreshToken: "x", DC: "xx"})
	check("config: unknown ZOHO_DC is a *ConfigError naming ZOHO_DC",
		errors.As(err, &ce) && ce.Vars[0] == "ZOHO_DC", "got %v", err)
	_, err = zohooauth.New(zohooauth.Config{RefreshToken: "x", DC: "EU"})
	check("config: ZOHO_DC eu accepted", err == nil, "got %v", err)
	check("config: data centre table", zohooauth.DataCentres["ca"] == "https://accounts.zohocloud.ca" &&
		zohooauth.DataCentres["au"] == "https://accounts.zoho.com.au" && len(zohooauth.DataCentres) == 9, "wrong table")
	os.Setenv("ZOHO_ACCOUNTS_URL", acc)
	if rt != "" {
		os.Setenv("ZOHO_REFRESH_TOKEN", rt)
	}
}

// testShared: Shared() / SetAuthorization(req), what `authtoken-migrate fix` inserts.
func testShared() {
	s := newScenario()
	rt := os.Getenv("ZOHO_REFRESH_TOKEN")
	os.Setenv("ZOHO_REFRESH_TOKEN", s.rt)
	req, _ := http.NewRequestWithContext(ctx, "GET", mock+"/crm/v2/Leads", nil)
	err := zohooauth.SetAuthorization(req)
	h := req.Header.Get("Authorization")
	secrets[strings.TrimPrefix(h, "Zoho-oauthtoken ")] = true
	check("SetAuthorization sets 'Zoho-oauthtoken <token>' from the environment",
		err == nil && strings.HasPrefix(h, "Zoho-oauthtoken 1000.") && stat("token_requests") == 1,
		"err %v, requests %d", err, stat("token_requests"))
	req2, _ := http.NewRequest("GET", mock+"/crm/v2/Leads", nil)
	err = zohooauth.SetAuthorization(req2)
	c1, _ := zohooauth.Shared()
	c2, _ := zohooauth.Shared()
	check("SetAuthorization reuses the Shared client's token", err == nil && req2.Header.Get("Authorization") == h &&
		stat("token_requests") == 1 && c1 != nil && c1 == c2, "err %v, requests %d", err, stat("token_requests"))
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	c1.Invalidate()
	req3, _ := http.NewRequestWithContext(cctx, "GET", mock+"/crm/v2/Leads", nil)
	err = zohooauth.SetAuthorization(req3)
	check("SetAuthorization is bounded by the request's context and leaves no header on error",
		errors.Is(err, context.Canceled) && req3.Header.Get("Authorization") == "", "err %v", err)
	testDo()
	os.Setenv("ZOHO_REFRESH_TOKEN", rt)
}

// testDo: Do(client, req), what `authtoken-migrate fix` sends in place of http.Get,
// PostForm, …: once more with a fresh token after a 401, when the body can be re-read.
func testDo() {
	revoke := func(req *http.Request) {
		t := strings.TrimPrefix(req.Header.Get("Authorization"), "Zoho-oauthtoken ")
		secrets[t] = true
		admin("POST", "revoke", map[string]interface{}{"token": t})
	}
	send := func(method string, body io.Reader) (*http.Response, int, error) {
		req, _ := http.NewRequest(method, mock+"/crm/v2/Leads", body)
		if body != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		if err := zohooauth.SetAuthorization(req); err != nil {
			return nil, 0, err
		}
		revoke(req)
		t0 := stat("token_requests")
		resp, err := zohooauth.Do(nil, req)
		if resp != nil {
			secrets[strings.TrimPrefix(resp.Request.Header.Get("Authorization"), "Zoho-oauthtoken ")] = true
			resp.Body.Close()
		}
		return resp, stat("token_requests") - t0, err
	}
	resp, refreshes, err := send("GET", nil)
	check("Do: a GET whose token was revoked gets a 401, one refresh and one retry (200)",
		err == nil && resp.StatusCode == 200 && refreshes == 1, "err %v, refreshes %d", err, refreshes)
	resp, refreshes, err = send("POST", strings.NewReader("Last_Name=Smith"))
	check("Do: a POST with a strings.Reader body is sent again after a 401 (201)",
		err == nil && resp.StatusCode == 201 && refreshes == 1, "err %v, refreshes %d", err, refreshes)
	resp, refreshes, err = send("POST", io.MultiReader(strings.NewReader("Last_Name=Smith")))
	check("Do: a body that cannot be read again is not re-sent: the 401 is returned",
		err == nil && resp.StatusCode == 401 && refreshes == 0, "err %v, refreshes %d", err, refreshes)
	other, _ := http.NewRequest("GET", mock+"/crm/v2/Leads", nil)
	other.Header.Set("Authorization", "Bearer not-zoho")
	t0 := stat("token_requests")
	resp, err = zohooauth.Do(nil, other)
	if resp != nil {
		resp.Body.Close()
	}
	check("Do: a 401 of a request the helper did not authorize gets no Zoho token (no retry)",
		err == nil && resp.StatusCode == 401 && resp.Request.Header.Get("Authorization") == "Bearer not-zoho" &&
			stat("token_requests") == t0, "err %v", err)
	own, _ := http.NewRequest("GET", mock+"/crm/v2/Leads", nil)
	own.Header.Set("Authorization", "Zoho-oauthtoken 1000.the-callers-own-token") // not the helper's
	t0 = stat("token_requests")
	resp, err = zohooauth.Do(nil, own)
	if resp != nil {
		resp.Body.Close()
	}
	check("Do: a 401 of a request with the caller's own Zoho-oauthtoken (not the helper's) is returned, no retry",
		err == nil && resp.StatusCode == 401 &&
			resp.Request.Header.Get("Authorization") == "Zoho-oauthtoken 1000.the-callers-own-token" &&
			stat("token_requests") == t0, "err %v", err)
	ok := httpOK()
	check("Do: a 200 is returned as it is, without a refresh", ok, "")
}

func httpOK() bool {
	if c, err := zohooauth.Shared(); err == nil {
		c.Invalidate() // the last token was revoked: a fresh one before t0
	}
	req, _ := http.NewRequest("GET", mock+"/crm/v2/Leads", nil)
	if zohooauth.SetAuthorization(req) != nil {
		return false
	}
	t0 := stat("token_requests")
	resp, err := zohooauth.Do(http.DefaultClient, req)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == 200 && stat("token_requests") == t0
}

func testBasics() {
	s := newScenario()
	c := s.client(nil)
	t, err := token(c)
	check("first call refreshes once", err == nil && t != "" && stat("token_requests") == 1, "err %v, requests %d", err, stat("token_requests"))
	check("api domain kept", strings.HasPrefix(c.APIDomain(), mock+"/zohoapis/"), "api domain %q", c.APIDomain())
	t2, _ := token(c)
	h, err := c.AuthorizationHeader(ctx)
	check("second call and header use the in-memory token", t2 == t && stat("token_requests") == 1, "requests %d", stat("token_requests"))
	check("authorization header is 'Zoho-oauthtoken <token>'", err == nil && h == "Zoho-oauthtoken "+t, "bad header")
	s.advance(3600*time.Second - 5*time.Minute - 60*time.Second)
	token(c)
	check("not refreshed before expiry - margin", stat("token_requests") == 1, "requests %d", stat("token_requests"))
	s.advance(61 * time.Second)
	t3, err := token(c)
	check("clock past expiry - margin refreshes", err == nil && t3 != t && stat("token_requests") == 2, "err %v, requests %d", err, stat("token_requests"))

	s = newScenario()
	c = s.client(func(cfg *zohooauth.Config) { cfg.Margin = 30 * time.Second })
	token(c)
	s.advance(3500 * time.Second)
	token(c)
	check("configurable margin", stat("token_requests") == 1, "requests %d", stat("token_requests"))
	s.advance(80 * time.Second)
	token(c)
	check("configurable margin: refresh within it", stat("token_requests") == 2, "requests %d", stat("token_requests"))

	ctx2, cancel := context.WithCancel(ctx)
	cancel()
	_, err = s.client(nil).AccessToken(ctx2)
	check("cancelled context is honoured", errors.Is(err, context.Canceled), "got %v", err)
}

// validAboutAnHour checks a token is kept at 50 minutes and refreshed at 56.
func validAboutAnHour(name string, s *scenario) {
	c := s.client(nil)
	_, err := token(c)
	s.advance(50 * time.Minute)
	token(c)
	ok1 := err == nil && stat("token_requests") == 1
	s.advance(6 * time.Minute)
	token(c)
	check(name, ok1 && stat("token_requests") == 2, "err %v, requests %d", err, stat("token_requests"))
}

func testExpiryStyles() {
	s := newScenario()
	admin("POST", "settings", map[string]interface{}{"expires_in_style": "milliseconds"})
	validAboutAnHour("expires_in in ms (with expires_in_sec) means ~1 h", s)
	s = newScenario()
	admin("POST", "faults", map[string]interface{}{"missing_expires_in_next": 1})
	validAboutAnHour("missing expires_in is taken as 3600 s", s)
}

func testErrors() {
	s := newScenario()
	admin("POST", "revoke", map[string]interface{}{"token": s.rt})
	_, err := token(s.client(nil))
	var te *zohooauth.TokenError
	check("revoked refresh token: ErrInvalidGrant", errors.Is(err, zohooauth.ErrInvalidGrant) &&
		errors.As(err, &te) && te.Code == "invalid_code" && strings.Contains(err.Error(), "generate a new one"), "got %v", err)
	check("revoked refresh token: not retried", stat("token_requests") == 1, "requests %d", stat("token_requests"))
	check("revoked refresh token: message has no token", clean(err), "leaked")

	s = newScenario()
	bad := "0000000000000000000000000000000000000bad"
	secrets[bad] = true
	_, err = token(s.client(func(c *zohooauth.Config) { c.ClientSecret = bad }))
	check("wrong secret: ErrInvalidClientSecret naming ZOHO_CLIENT_SECRET", errors.Is(err, zohooauth.ErrInvalidClientSecret) &&
		strings.Contains(err.Error(), "ZOHO_CLIENT_SECRET") && stat("token_requests") == 1, "got %v", err)
	check("wrong secret: message has no secret", clean(err), "leaked")

	_, err = token(s.client(func(c *zohooauth.Config) { c.ClientID = "1000.UNKNOWNCLIENT0000000000000000" }))
	check("unknown client: ErrInvalidClient", errors.Is(err, zohooauth.ErrInvalidClient) &&
		strings.Contains(err.Error(), "ZOHO_DC"), "got %v", err)

	_, err = token(s.client(func(c *zohooauth.Config) { c.AccountsURL = mock + "/nowhere" }))
	check("non-token answer: ErrTokenResponse", errors.Is(err, zohooauth.ErrTokenResponse) && clean(err), "got %v", err)
}

func testRetries() {
	s := newScenario()
	admin("POST", "faults", map[string]interface{}{"fail_next_token_requests": 2, "status": 503})
	_, err := token(s.client(nil))
	n := stat("token_requests") + stat("faults_injected")
	check("2 x 503 retried, then success (3 requests)", err == nil && n == 3, "err %v, requests %d", err, n)

	s = newScenario()
	admin("POST", "faults", map[string]interface{}{"fail_next_token_requests": 10, "status": 500})
	_, err = token(s.client(nil))
	var te *zohooauth.TokenError
	check("persistent 5xx: ErrTransient after 3 attempts", errors.Is(err, zohooauth.ErrTransient) &&
		errors.As(err, &te) && te.Attempts == 3 && te.Status == 500 && stat("faults_injected") == 3, "got %v, faults %d", err, stat("faults_injected"))

	s = newScenario()
	c := s.client(func(c *zohooauth.Config) { c.MaxAttempts = 5; c.RetryBase = 40 * time.Millisecond })
	admin("POST", "faults", map[string]interface{}{"fail_next_token_requests": 10, "status": 502})
	t0 := time.Now()
	_, err = token(c)
	el := time.Since(t0)
	// full jitter: up to 40+80+160+320 ms of sleeps; far less than a hot loop would take to reach 5
	check("backoff bounded by MaxAttempts with exponential cap", errors.Is(err, zohooauth.ErrTransient) &&
		stat("faults_injected") == 5 && el < 3*time.Second, "got %v after %v", err, el)

	s = newScenario()
	admin("POST", "faults", map[string]interface{}{"drop_next_token_requests": 1})
	_, err = token(s.client(nil))
	check("dropped connection retried", err == nil && stat("token_requests") == 1, "got %v", err)
}

func testThrottle() {
	s := newScenario()
	admin("POST", "limits", map[string]interface{}{"token_requests_per_window": 1})
	c := s.client(nil)
	_, err := token(c)
	c.Invalidate()
	_, err2 := token(c)
	var te *zohooauth.TokenError
	check("throttle: ErrThrottled telling to back off", err == nil && errors.Is(err2, zohooauth.ErrThrottled) &&
		errors.As(err2, &te) && te.Status == 400 && strings.Contains(err2.Error(), "back off"), "got %v / %v", err, err2)
	check("throttle: exactly one request, no retry", stat("token_requests") == 2 && stat("throttled") == 1, "requests %d", stat("token_requests"))
	for i := 0; i < 5; i++ {
		_, err2 = token(c)
	}
	check("throttle: callers right after get ErrThrottled without a request", errors.Is(err2, zohooauth.ErrThrottled) &&
		stat("token_requests") == 2, "requests %d", stat("token_requests"))
	check("throttle: message has no token", clean(err2), "leaked")

	s = newScenario()
	admin("POST", "limits", map[string]interface{}{"token_requests_per_window": 1})
	path := filepath.Join(tmp, "go-throttle", "token.json")
	os.MkdirAll(filepath.Dir(path), 0o700)
	withCache := func(cfg *zohooauth.Config) { cfg.CacheFile = path }
	c = s.client(withCache)
	token(c)
	c.Invalidate()
	_, err = token(c)
	_, err2 = token(s.client(withCache))
	check("throttle: back-off shared through the cache file", errors.Is(err, zohooauth.ErrThrottled) &&
		errors.Is(err2, zohooauth.ErrThrottled) && stat("token_requests") == 2, "got %v / %v, requests %d", err, err2, stat("token_requests"))
	s.advance(zohooauth.ThrottleBackoff + time.Second)
	admin("POST", "limits", map[string]interface{}{"token_requests_per_window": 10})
	_, err = token(s.client(withCache))
	check("throttle: refreshes again after the back-off", err == nil && stat("token_requests") == 3, "got %v", err)
}

func concurrent(c *zohooauth.Client, n int) ([]string, []error) {
	toks, errs := make([]string, n), make([]error, n)
	var wg sync.WaitGroup
	gate := make(chan struct{})
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-gate
			toks[i], errs[i] = c.AccessToken(ctx)
		}(i)
	}
	close(gate)
	wg.Wait()
	return toks, errs
}

func testConcurrency() {
	s := newScenario()
	admin("POST", "faults", map[string]interface{}{"latency_ms": 300, "scope": "token"})
	toks, errs := concurrent(s.client(nil), 16)
	same := true
	for i := range toks {
		secrets[toks[i]] = true
		same = same && errs[i] == nil && toks[i] == toks[0]
	}
	check("16 concurrent goroutines: one token request, one token", same && stat("token_requests") == 1, "requests %d", stat("token_requests"))

	s = newScenario()
	admin("POST", "faults", map[string]interface{}{"latency_ms": 200, "scope": "token"})
	admin("POST", "revoke", map[string]interface{}{"token": s.rt})
	_, errs = concurrent(s.client(nil), 16)
	all := true
	for _, e := range errs {
		all = all && errors.Is(e, zohooauth.ErrInvalidGrant)
	}
	check("16 concurrent goroutines, failing refresh: one request, error shared", all && stat("token_requests") == 1, "requests %d", stat("token_requests"))
}

func leads(h string) (*http.Response, error) {
	req, _ := http.NewRequest("GET", mock+"/crm/v2/Leads", nil)
	req.Header.Set("Authorization", h)
	return http.DefaultClient.Do(req)
}

func testResourceAndRetry() {
	s := newScenario()
	c := s.client(nil)
	h, _ := c.AuthorizationHeader(ctx)
	resp, err := leads(h)
	check("resource call with the header: 200", err == nil && resp.StatusCode == 200, "got %v", err)
	if resp != nil {
		resp.Body.Close()
	}
	t, _ := token(c)
	admin("POST", "revoke", map[string]interface{}{"token": t})
	calls := 0
	resp, err = c.RetryOnInvalidToken(ctx, func(h string) (*http.Response, error) { calls++; return leads(h) })
	check("RetryOnInvalidToken recovers after the access token is revoked", err == nil && resp.StatusCode == 200 &&
		calls == 2 && stat("token_requests") == 2, "err %v calls %d requests %d", err, calls, stat("token_requests"))
	if resp != nil {
		resp.Body.Close()
	}
	calls = 0
	resp, _ = c.RetryOnInvalidToken(ctx, func(h string) (*http.Response, error) { calls++; return leads("Zoho-oauthtoken nope") })
	check("RetryOnInvalidToken retries only once", calls == 2 && resp.StatusCode == 401, "calls %d", calls)
	resp.Body.Close()
}

func testCache() {
	s := newScenario()
	path := filepath.Join(tmp, "go-cache", "token.json")
	os.MkdirAll(filepath.Dir(path), 0o700)
	withCache := func(cfg *zohooauth.Config) { cfg.CacheFile = path }
	t, err := token(s.client(withCache))
	fi, ferr := os.Stat(path)
	check("cache file written with mode 0600", err == nil && ferr == nil && fi.Mode().Perm() == 0o600, "err %v %v", err, ferr)
	data, _ := os.ReadFile(path)
	check("cache holds no refresh token or secret", !bytes.Contains(data, []byte(s.rt)) && !bytes.Contains(data, []byte(secret)) &&
		bytes.Contains(data, []byte(`"expires_at"`)) && bytes.Contains(data, []byte(`"client_id"`)), "bad cache content")
	left, _ := filepath.Glob(path + ".tmp-*")
	check("no temp files left", len(left) == 0, "left %v", left)
	c2 := s.client(withCache)
	t2, _ := token(c2)
	check("a new client reuses the cached token", t2 == t && stat("token_requests") == 1 && c2.APIDomain() != "", "requests %d", stat("token_requests"))
	c2.Invalidate()
	t3, _ := token(c2)
	check("after Invalidate the cached token is not reused", t3 != t && stat("token_requests") == 2, "requests %d", stat("token_requests"))
	other := newScenario()
	t4, _ := token(other.client(withCache))
	check("cache entry is bound to the refresh token", t4 != t3 && stat("token_requests") == 1, "requests %d", stat("token_requests"))
}

func testProcesses() {
	s := newScenario()
	admin("POST", "faults", map[string]interface{}{"latency_ms": 300, "scope": "token"})
	path := filepath.Join(tmp, "go-procs", "token.json")
	os.MkdirAll(filepath.Dir(path), 0o700)
	self, _ := os.Executable()
	var outs [2]bytes.Buffer
	var cmds [2]*exec.Cmd
	for i := range cmds {
		cmds[i] = exec.Command(self, "child")
		cmds[i].Env = append(os.Environ(), "ZOHO_REFRESH_TOKEN="+s.rt, "ZOHO_TOKEN_CACHE="+path)
		cmds[i].Stdout, cmds[i].Stderr = &outs[i], &outs[i]
	}
	for _, c := range cmds {
		c.Start()
	}
	e0, e1 := cmds[0].Wait(), cmds[1].Wait()
	o0, o1 := outs[0].String(), outs[1].String()
	check("two processes sharing the cache file: one token request", e0 == nil && e1 == nil &&
		strings.HasPrefix(o0, "token ") && o0 == o1 && stat("token_requests") == 1,
		"requests %d, outputs %q %q", stat("token_requests"), o0, o1)
	fi, err := os.Stat(path)
	check("shared cache file mode 0600", err == nil && fi.Mode().Perm() == 0o600, "err %v", err)
}
