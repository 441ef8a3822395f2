// Tests the generated C# helper against the mock Zoho server (run-helper-test.sh env).
// Never prints a token: failures describe counts and exception types only.
using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Zoho.OAuth;

class TestClock
{
    public long OffsetMs;
    public DateTimeOffset Now() { return DateTimeOffset.UtcNow.AddMilliseconds(Interlocked.Read(ref OffsetMs)); }
    public void Add(long seconds) { Interlocked.Add(ref OffsetMs, seconds * 1000); }
}

class AssertFailed : Exception
{
    public AssertFailed(string m) : base(m) { }
}

static class ZohoOAuthTest
{
    static readonly string Mock = Environment.GetEnvironmentVariable("ATM_MOCK_URL");
    static readonly string ClientId = Environment.GetEnvironmentVariable("ZOHO_CLIENT_ID");
    static readonly string Secret = Environment.GetEnvironmentVariable("ZOHO_CLIENT_SECRET");
    static readonly HttpClient Http = new HttpClient();
    static readonly ConcurrentDictionary<string, bool> Secrets = new ConcurrentDictionary<string, bool>();
    static readonly ConcurrentBag<string> Messages = new ConcurrentBag<string>();
    static int passed, failed;

    static async Task Check(string name, Func<Task> body)
    {
        try
        {
            await body();
            passed++;
            Console.WriteLine("ok - " + name);
        }
        catch (Exception e)
        {
            failed++;
            var why = e is AssertFailed ? e.Message : "unexpected " + e.GetType().FullName;
            Console.WriteLine("FAIL - " + name + ": " + Redact(why));
        }
    }

    static string Redact(string s)
    {
        foreach (var t in Secrets.Keys) s = s.Replace(t, "<redacted>");
        return s;
    }

    static void True(bool cond, string what) { if (!cond) throw new AssertFailed(what); }

    static void Eq(long want, long got, string what)
    {
        if (want != got) throw new AssertFailed(what + ": want " + want + ", got " + got);
    }

    /// <summary>Runs fn expecting exception T; records its message for the no-secrets check.</summary>
    static async Task<T> Expect<T>(Func<Task> fn) where T : Exception
    {
        try { await fn(); }
        catch (Exception e)
        {
            Messages.Add(e.Message);
            Messages.Add(e.ToString());
            if (e is T) return (T)e;
            throw new AssertFailed("want " + typeof(T).Name + ", got " + e.GetType().FullName);
        }
        throw new AssertFailed("want " + typeof(T).Name + ", got no exception");
    }

    // ---- mock admin API -------------------------------------------------------------------

    static async Task<string> Admin(string method, string path, string json = null)
    {
        var req = new HttpRequestMessage(new HttpMethod(method), Mock + "/__admin/" + path);
        if (json != null) req.Content = new StringContent(json, Encoding.UTF8, "application/json");
        using (var r = await Http.SendAsync(req))
        {
            if ((int)r.StatusCode != 200) throw new AssertFailed("admin " + path + " answered HTTP " + (int)r.StatusCode);
            return await r.Content.ReadAsStringAsync();
        }
    }

    static string Field(string json, string key)
    {
        var m = Regex.Match(json, "\"" + Regex.Escape(key) + "\"\\s*:\\s*\"?([^\",}]*)");
        if (!m.Success) throw new AssertFailed("no " + key + " in admin answer");
        return m.Groups[1].Value;
    }

    static async Task<long> Stat(string key) { return long.Parse(Field(await Admin("GET", "stats"), key)); }

    static async Task<string> MintRefreshToken()
    {
        var rt = Field(await Admin("POST", "refresh-tokens",
            "{\"client_id\":\"" + ClientId + "\",\"scope\":\"ZohoCRM.modules.ALL\"}"), "refresh_token");
        Secrets[rt] = true;
        return rt;
    }

    /// <summary>Resets the mock and mints a fresh refresh token for the built-in self-client.</summary>
    static async Task<string> FreshRefreshToken()
    {
        await Admin("POST", "reset");
        return await MintRefreshToken();
    }

    static async Task Advance(TestClock clock, long seconds)
    {
        await Admin("POST", "clock/advance", "{\"seconds\":" + seconds + "}");
        clock.Add(seconds);
    }

    static ZohoOAuthOptions Options(string rt, TestClock clock)
    {
        return new ZohoOAuthOptions { RefreshToken = rt, Clock = clock.Now, RetryBaseDelay = TimeSpan.FromMilliseconds(1) };
    }

    static async Task<string> Token(ZohoOAuth h)
    {
        var t = await h.GetAccessTokenAsync();
        Secrets[t] = true;
        return t;
    }

    static async Task<int> GetLeads(string url, string header)
    {
        var req = new HttpRequestMessage(HttpMethod.Get, url + "/crm/v2/Leads");
        req.Headers.TryAddWithoutValidation("Authorization", header);
        using (var r = await Http.SendAsync(req)) return (int)r.StatusCode;
    }

    static string Mode(string path)
    {
        var p = Process.Start(new ProcessStartInfo("stat", "-c %a \"" + path + "\"")
            { UseShellExecute = false, RedirectStandardOutput = true });
        var s = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        return s;
    }

    /// <summary>Lifetime about an hour: kept at +3000 s, refreshed at +3400 s (margin 300).</summary>
    static async Task AssertHourLifetime(ZohoOAuth h, TestClock clock)
    {
        await Token(h);
        Eq(1, await Stat("token_requests"), "token requests after first call");
        clock.Add(3000);
        await Token(h);
        Eq(1, await Stat("token_requests"), "token requests 3000 s later (should still be valid)");
        clock.Add(400);
        await Token(h);
        Eq(2, await Stat("token_requests"), "token requests 3400 s later (within the margin)");
    }

    // ---- child process mode: one refresh through the shared cache -------------------------

    static async Task<int> Child(long startAtMs)
    {
        var h = new ZohoOAuth();
        while (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() < startAtMs) await Task.Delay(5);
        var header = await h.GetAuthorizationHeaderAsync();
        Console.WriteLine(header.StartsWith("Zoho-oauthtoken ") ? "child ok" : "child bad header");
        return 0;
    }

    static int Main(string[] args)
    {
        if (args.Length == 2 && args[0] == "child") return Child(long.Parse(args[1])).GetAwaiter().GetResult();
        if (Mock == null || ClientId == null) { Console.WriteLine("ATM_MOCK_URL / ZOHO_CLIENT_ID not set"); return 2; }
        Secrets[Secret] = true;
        Run().GetAwaiter().GetResult();
        Console.WriteLine(passed + " passed, " + failed + " failed");
        return failed == 0 ? 0 : 1;
    }

    static async Task Run()
    {
        var tmp = Environment.GetEnvironmentVariable("ATM_TEST_TMP") ?? Path.GetTempPath();

        await Check("first call refreshes, second uses the in-memory token, header and api_domain", async () =>
        {
            var h = new ZohoOAuth(Options(await FreshRefreshToken(), new TestClock()));
            var t1 = await Token(h);
            Eq(1, await Stat("token_requests"), "token requests after first call");
            var t2 = await Token(h);
            Eq(1, await Stat("token_requests"), "token requests after second call");
            True(t1 == t2, "second call returned a different token");
            True(await h.GetAuthorizationHeaderAsync() == "Zoho-oauthtoken " + t1, "header is not 'Zoho-oauthtoken <token>'");
            var domain = await h.GetApiDomainAsync();
            True(domain != null && domain.StartsWith(Mock), "api_domain not kept");
            Eq(200, await GetLeads(domain, await h.GetAuthorizationHeaderAsync()), "GET /crm/v2/Leads status");
        });

        await Check("mock clock past expiry refreshes", async () =>
        {
            var clock = new TestClock();
            var h = new ZohoOAuth(Options(await FreshRefreshToken(), clock));
            var t1 = await Token(h);
            await Advance(clock, 3601);
            Eq(401, await GetLeads(Mock, "Zoho-oauthtoken " + t1), "old token after expiry");
            var t2 = await Token(h);
            Eq(2, await Stat("token_requests"), "token requests after expiry");
            True(t1 != t2, "token did not change");
            Eq(200, await GetLeads(Mock, await h.GetAuthorizationHeaderAsync()), "new token works");
        });

        await Check("refresh within the default 5 min margin; configurable margin", async () =>
        {
            var clock = new TestClock();
            await AssertHourLifetime(new ZohoOAuth(Options(await FreshRefreshToken(), clock)), clock);
            clock = new TestClock();
            var o = Options(await FreshRefreshToken(), clock);
            o.RefreshMargin = TimeSpan.Zero;
            var m = new ZohoOAuth(o);
            await Token(m);
            clock.Add(3590);
            await Token(m);
            Eq(1, await Stat("token_requests"), "margin 0: token requests at +3590 s");
        });

        await Check("expires_in in milliseconds (expires_in_sec present) means ~1 hour", async () =>
        {
            var rt = await FreshRefreshToken();
            await Admin("POST", "settings", "{\"expires_in_style\":\"milliseconds\"}");
            var clock = new TestClock();
            await AssertHourLifetime(new ZohoOAuth(Options(rt, clock)), clock);
        });

        await Check("response without expires_in is assumed to last 3600 s", async () =>
        {
            var rt = await FreshRefreshToken();
            await Admin("POST", "faults", "{\"missing_expires_in_next\":1}");
            var clock = new TestClock();
            await AssertHourLifetime(new ZohoOAuth(Options(rt, clock)), clock);
        });

        await Check("revoked refresh token -> ZohoInvalidRefreshTokenException, not retried", async () =>
        {
            var rt = await FreshRefreshToken();
            await Admin("POST", "revoke", "{\"token\":\"" + rt + "\"}");
            var h = new ZohoOAuth(Options(rt, new TestClock()));
            var e = await Expect<ZohoInvalidRefreshTokenException>(() => h.GetAccessTokenAsync());
            True(e.Message.Contains("invalid or revoked"), "message does not say what to fix");
            Eq(1, await Stat("token_requests"), "token requests");
        });

        await Check("wrong client secret -> ZohoInvalidClientSecretException", async () =>
        {
            const string bad = "0123456789abcdef0123456789abcdef0badc0de";
            Secrets[bad] = true;
            var o = Options(await FreshRefreshToken(), new TestClock());
            o.ClientSecret = bad;
            var h = new ZohoOAuth(o);
            var e = await Expect<ZohoInvalidClientSecretException>(() => h.GetAccessTokenAsync());
            True(e.Message.Contains("ZOHO_CLIENT_SECRET"), "message does not name ZOHO_CLIENT_SECRET");
            Eq(1, await Stat("token_requests"), "token requests");
        });

        await Check("unknown client id -> ZohoInvalidClientException", async () =>
        {
            var o = Options(await FreshRefreshToken(), new TestClock());
            o.ClientId = "1000.NOSUCHCLIENT000000000000000000";
            var h = new ZohoOAuth(o);
            var e = await Expect<ZohoInvalidClientException>(() => h.GetAccessTokenAsync());
            True(e.Message.Contains("ZOHO_CLIENT_ID"), "message does not name ZOHO_CLIENT_ID");
        });

        await Check("two injected 503s are retried, then success (3 requests)", async () =>
        {
            var rt = await FreshRefreshToken();
            await Admin("POST", "faults", "{\"fail_next_token_requests\":2,\"status\":503}");
            await Token(new ZohoOAuth(Options(rt, new TestClock())));
            Eq(2, await Stat("faults_injected"), "faulted requests");
            Eq(1, await Stat("token_requests"), "successful token requests");
        });

        await Check("dropped connection is retried", async () =>
        {
            var rt = await FreshRefreshToken();
            await Admin("POST", "faults", "{\"drop_next_token_requests\":1}");
            await Token(new ZohoOAuth(Options(rt, new TestClock())));
            Eq(1, await Stat("dropped_connections"), "dropped connections");
            Eq(1, await Stat("token_requests"), "token requests");
        });

        // The drop fault sends "200 OK" headers announcing a 64-byte body, then closes: the
        // truncated content must count as a network error, never as an answer without JSON.
        await Check("persistent dropped connections -> ZohoTransientException after 3 attempts", async () =>
        {
            var rt = await FreshRefreshToken();
            await Admin("POST", "faults", "{\"drop_next_token_requests\":10}");
            var h = new ZohoOAuth(Options(rt, new TestClock()));
            var e = await Expect<ZohoTransientException>(() => h.GetAccessTokenAsync());
            True(e.Message.Contains("3 attempts (last: HttpRequestException") || e.Message.Contains("3 attempts (last: IOException"),
                "want 3 attempts ending in a network error: " + e.Message);
            Eq(3, await Stat("dropped_connections"), "attempts");
            Eq(0, await Stat("token_requests"), "token requests");
        });

        await Check("persistent 5xx -> ZohoTransientException after 3 attempts", async () =>
        {
            var rt = await FreshRefreshToken();
            await Admin("POST", "faults", "{\"fail_next_token_requests\":10,\"status\":502}");
            var h = new ZohoOAuth(Options(rt, new TestClock()));
            var e = await Expect<ZohoTransientException>(() => h.GetAccessTokenAsync());
            True(e.Message.Contains("HTTP 502"), "message does not give the last status");
            Eq(3, await Stat("faults_injected"), "attempts");
            Eq(0, await Stat("token_requests"), "token requests");
        });

        await Check("throttle -> ZohoThrottledException with exactly one request, no retry", async () =>
        {
            var rt = await FreshRefreshToken();
            await Admin("POST", "limits", "{\"token_requests_per_window\":1}");
            var h = new ZohoOAuth(Options(rt, new TestClock()));
            await Token(h);
            await h.InvalidateAsync();
            var e = await Expect<ZohoThrottledException>(() => h.GetAccessTokenAsync());
            True(e.Message.Contains("back off"), "message does not say to back off");
            Eq(2, await Stat("token_requests"), "token requests (1 ok + 1 throttled)");
            Eq(1, await Stat("throttled"), "throttled answers");
        });

        await Check("16 concurrent callers on 16 threads cause exactly one token request", async () =>
        {
            var rt = await FreshRefreshToken();
            await Admin("POST", "faults", "{\"latency_ms\":300,\"scope\":\"token\"}");
            var h = new ZohoOAuth(Options(rt, new TestClock()));
            var go = new ManualResetEventSlim(false);
            var seen = new ConcurrentDictionary<string, bool>();
            var threads = new List<Thread>();
            for (int i = 0; i < 16; i++)
            {
                var t = new Thread(() =>
                {
                    go.Wait();
                    try { seen[Token(h).GetAwaiter().GetResult()] = true; }
                    catch (Exception e) { seen["error " + e.GetType().FullName] = true; }
                });
                t.Start();
                threads.Add(t);
            }
            go.Set();
            foreach (var t in threads) t.Join(30000);
            Eq(1, seen.Count, "distinct results across threads");
            Eq(1, await Stat("token_requests"), "token requests");
        });

        await Check("16 concurrent tasks cause exactly one token request", async () =>
        {
            var rt = await FreshRefreshToken();
            await Admin("POST", "faults", "{\"latency_ms\":300,\"scope\":\"token\"}");
            var h = new ZohoOAuth(Options(rt, new TestClock()));
            var tokens = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => Token(h))));
            Eq(1, tokens.Distinct().Count(), "distinct tokens");
            Eq(1, await Stat("token_requests"), "token requests");
        });

        await Check("WithRetryOnInvalidTokenAsync recovers after the access token is revoked", async () =>
        {
            var h = new ZohoOAuth(Options(await FreshRefreshToken(), new TestClock()));
            var t1 = await Token(h);
            await Admin("POST", "revoke", "{\"token\":\"" + t1 + "\"}");
            int calls = 0;
            using (var r = await h.WithRetryOnInvalidTokenAsync(header =>
            {
                calls++;
                var req = new HttpRequestMessage(HttpMethod.Get, Mock + "/crm/v2/Leads");
                req.Headers.TryAddWithoutValidation("Authorization", header);
                return Http.SendAsync(req);
            }))
            {
                await Token(h);
                Eq(200, (int)r.StatusCode, "status after retry");
            }
            Eq(2, calls, "calls");
            Eq(2, await Stat("token_requests"), "token requests");
        });

        await Check("fix's HttpClient wrappers: header per request, one refresh and retry after a 401 (GET), none with content", async () =>
        {
            var h = new ZohoOAuth(Options(await FreshRefreshToken(), new TestClock()));
            using (var client = new HttpClient { BaseAddress = new Uri(Mock + "/") })
            {
                using (var r = await h.GetAsync(client, "crm/v2/Leads")) Eq(200, (int)r.StatusCode, "GetAsync, relative to BaseAddress");
                True((await h.GetStringAsync(client, Mock + "/crm/v2/Leads")).Contains("data"), "GetStringAsync body");
                Eq(1, await Stat("token_requests"), "token requests before the revoke");
                await Admin("POST", "revoke", "{\"token\":\"" + await Token(h) + "\"}");
                using (var r = await h.GetAsync(client, new Uri(Mock + "/crm/v2/Leads"))) Eq(200, (int)r.StatusCode, "GetAsync after a revoke");
                Eq(2, await Stat("token_requests"), "one refresh for the retry");
                await Admin("POST", "revoke", "{\"token\":\"" + await Token(h) + "\"}");
                True((await h.GetStringAsync(client, "crm/v2/Leads")).Contains("data"), "GetStringAsync after a revoke");
                Eq(3, await Stat("token_requests"), "one more refresh");
                await Admin("POST", "revoke", "{\"token\":\"" + await Token(h) + "\"}");
                using (var r = await h.PostAsync(client, "crm/v2/Leads", new StringContent("{\"data\":[{\"Last_Name\":\"X\"}]}", Encoding.UTF8, "application/json")))
                    Eq(401, (int)r.StatusCode, "PostAsync after a revoke: the 401 is returned");
                Eq(3, await Stat("token_requests"), "no refresh for the content request");
                using (var r = await h.GetAsync(client, "crm/v2/Leads")) Eq(200, (int)r.StatusCode, "the next request gets a fresh token");
                Eq(4, await Stat("token_requests"), "refreshed after the forgotten token");
            }
            using (var wc = new System.Net.WebClient())
            {
                True(ReferenceEquals(wc, h.Authorize(wc)), "Authorize returns its client");
                True(wc.Headers["Authorization"] == await h.GetAuthorizationHeaderAsync(), "WebClient header");
                True(wc.Headers["Authorization"] == h.GetAuthorizationHeader(), "synchronous header value");
            }
        });

        await Check("ZohoOAuth.Shared: configured from the environment; a configuration error is not kept", async () =>
        {
            await Expect<ZohoConfigurationException>(() => { var x = ZohoOAuth.Shared; return Task.FromResult(x); });
            Environment.SetEnvironmentVariable("ZOHO_REFRESH_TOKEN", await FreshRefreshToken());
            try
            {
                var a = ZohoOAuth.Shared;
                True(ReferenceEquals(a, ZohoOAuth.Shared), "one instance");
                Eq(200, await GetLeads(Mock, a.GetAuthorizationHeader()), "Shared's header works");
            }
            finally { Environment.SetEnvironmentVariable("ZOHO_REFRESH_TOKEN", null); }
        });

        await Check("missing ZOHO_REFRESH_TOKEN -> ZohoConfigurationException naming it", async () =>
        {
            var e = await Expect<ZohoConfigurationException>(() => { new ZohoOAuth(); return Task.FromResult(0); });
            True(e.Message.Contains("ZOHO_REFRESH_TOKEN is not set"), "message: " + e.Message);
            True(!e.Message.Contains("ZOHO_CLIENT_ID"), "names a variable that is set");
        });

        await Check("accounts URL: ZOHO_ACCOUNTS_URL, data centres, unknown DC", async () =>
        {
            True(new ZohoOAuth(new ZohoOAuthOptions { RefreshToken = "x" }).AccountsUrl == Mock, "env ZOHO_ACCOUNTS_URL");
            True(new ZohoOAuth(new ZohoOAuthOptions { RefreshToken = "x", DataCenter = "eu" }).AccountsUrl == "https://accounts.zoho.eu", "eu");
            True(new ZohoOAuth(new ZohoOAuthOptions { RefreshToken = "x", DataCenter = "ca" }).AccountsUrl == "https://accounts.zohocloud.ca", "ca");
            True(new ZohoOAuth(new ZohoOAuthOptions { RefreshToken = "x", DataCenter = "au" }).AccountsUrl == "https://accounts.zoho.com.au", "au");
            var e = await Expect<ZohoConfigurationException>(() =>
            {
                new ZohoOAuth(new ZohoOAuthOptions { RefreshToken = "x", DataCenter = "xx" });
                return Task.FromResult(0);
            });
            True(e.Message.Contains("ZOHO_DC"), "unknown DC message does not name ZOHO_DC");
        });

        await Check("cache file: shared by instances, 0600, no secrets, bound to the refresh token, invalidate", async () =>
        {
            var rt = await FreshRefreshToken();
            var cache = Path.Combine(tmp, "csharp-cache.json");
            File.Delete(cache);
            var clock = new TestClock();
            Func<string, ZohoOAuth> make = r => { var o = Options(r, clock); o.TokenCachePath = cache; return new ZohoOAuth(o); };
            var t1 = await Token(make(rt));
            True(await Token(make(rt)) == t1, "second instance did not use the cached token");
            Eq(1, await Stat("token_requests"), "token requests for two instances");
            True(Mode(cache) == "600", "cache mode is not 0600");
            var text = File.ReadAllText(cache);
            True(text.Contains(t1) && !text.Contains(rt) && !text.Contains(Secret), "cache holds the refresh token or secret");
            var other = await MintRefreshToken();
            await Token(make(other));
            Eq(2, await Stat("token_requests"), "another refresh token must not use the cached entry");
            var third = make(other);
            await Token(third);
            Eq(2, await Stat("token_requests"), "third instance uses the cache");
            await third.InvalidateAsync();
            await Token(make(other));
            Eq(3, await Stat("token_requests"), "after InvalidateAsync() a new instance refreshes");
        });

        await Check("two mono processes sharing ZOHO_TOKEN_CACHE cause one token request", async () =>
        {
            var rt = await FreshRefreshToken();
            await Admin("POST", "faults", "{\"latency_ms\":300,\"scope\":\"token\"}");
            var cache = Path.Combine(tmp, "csharp-shared-cache.json");
            File.Delete(cache);
            var runtime = Environment.GetEnvironmentVariable("ATM_CSHARP_RUNTIME") ?? "mono";
            var exe = typeof(ZohoOAuthTest).Assembly.Location;
            var startAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 1500;
            var procs = new List<Process>();
            for (int i = 0; i < 2; i++)
            {
                var psi = new ProcessStartInfo(runtime, "\"" + exe + "\" child " + startAt)
                    { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
                psi.EnvironmentVariables["ZOHO_REFRESH_TOKEN"] = rt;
                psi.EnvironmentVariables["ZOHO_TOKEN_CACHE"] = cache;
                psi.EnvironmentVariables["ZOHO_RETRY_BASE_MS"] = "1";
                procs.Add(Process.Start(psi));
            }
            foreach (var p in procs)
            {
                var errTask = p.StandardError.ReadToEndAsync();
                var output = await p.StandardOutput.ReadToEndAsync() + await errTask;
                True(p.WaitForExit(30000), "child timed out");
                Messages.Add(output);
                True(p.ExitCode == 0 && output.Contains("child ok"), "child failed: " + Redact(output.Trim()));
            }
            Eq(1, await Stat("token_requests"), "token requests from two processes");
            True(Mode(cache) == "600", "cache mode is not 0600");
        });

        await Check("no token, refresh token or secret in any error message or child output", () =>
        {
            True(Messages.Count >= 10, "too few messages collected: " + Messages.Count);
            foreach (var m in Messages)
                foreach (var s in Secrets.Keys)
                    True(!m.Contains(s), "a secret value appears in a message: " + Redact(m));
            return Task.FromResult(0);
        });
    }
}
