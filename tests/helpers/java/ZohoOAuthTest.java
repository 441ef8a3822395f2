import com.example.zoho.ZohoOAuth;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tests the generated Java helper against the mock Zoho server (run-helper-test.sh env).
 * Never prints a token: failures describe counts and exception types only.
 */
public class ZohoOAuthTest {
  static final String MOCK = System.getenv("ATM_MOCK_URL");
  static final String CLIENT_ID = System.getenv("ZOHO_CLIENT_ID");
  static final String SECRET = System.getenv("ZOHO_CLIENT_SECRET");
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();
  static final List<String> MESSAGES = new ArrayList<>();
  static int passed, failed;

  /** A clock the test moves forward together with the mock's clock. */
  static final class TestClock extends Clock {
    volatile long offsetMs;
    @Override public ZoneId getZone() { return ZoneOffset.UTC; }
    @Override public Clock withZone(ZoneId z) { return this; }
    @Override public Instant instant() { return Instant.ofEpochMilli(millis()); }
    @Override public long millis() { return System.currentTimeMillis() + offsetMs; }
  }

  interface Body { void run() throws Exception; }

  static void check(String name, Body body) {
    try {
      body.run();
      passed++;
      System.out.println("ok - " + name);
    } catch (Throwable e) {
      failed++;
      String why = e instanceof AssertionError ? e.getMessage() : "unexpected " + e.getClass().getName();
      System.out.println("FAIL - " + name + ": " + redact(why));
    }
  }

  static String redact(String s) {
    if (s == null) return "";
    for (String t : SECRETS) s = s.replace(t, "<redacted>");
    return s;
  }

  static void assertTrue(boolean cond, String what) { if (!cond) throw new AssertionError(what); }

  static void assertEq(long want, long got, String what) {
    if (want != got) throw new AssertionError(what + ": want " + want + ", got " + got);
  }

  /** Runs fn expecting exception type T; records its message for the no-secrets check. */
  static <T extends Throwable> T expect(Class<T> type, Body fn) throws Exception {
    try {
      fn.run();
    } catch (Throwable e) {
      synchronized (MESSAGES) { MESSAGES.add(String.valueOf(e.getMessage())); MESSAGES.add(e.toString()); }
      if (type.isInstance(e)) return type.cast(e);
      throw new AssertionError("want " + type.getSimpleName() + ", got " + e.getClass().getName());
    }
    throw new AssertionError("want " + type.getSimpleName() + ", got no exception");
  }

  // ---- mock admin API ---------------------------------------------------------------------

  static String admin(String method, String path, String json) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(MOCK + "/__admin/" + path))
        .header("Content-Type", "application/json");
    b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) throw new AssertionError("admin " + path + " answered HTTP " + r.statusCode());
    return r.body();
  }

  static String field(String json, String key) {
    Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:\\s*\"?([^\",}]*)").matcher(json);
    if (!m.find()) throw new AssertionError("no " + key + " in admin answer");
    return m.group(1);
  }

  static long stat(String key) throws Exception { return Long.parseLong(field(admin("GET", "stats", null), key)); }

  /** Resets the mock and mints a fresh refresh token for the built-in self-client. */
  static String freshRefreshToken() throws Exception {
    admin("POST", "reset", null);
    String rt = field(admin("POST", "refresh-tokens",
        "{\"client_id\":\"" + CLIENT_ID + "\",\"scope\":\"ZohoCRM.modules.ALL\"}"), "refresh_token");
    SECRETS.add(rt);
    return rt;
  }

  static void advance(TestClock clock, long seconds) throws Exception {
    admin("POST", "clock/advance", "{\"seconds\":" + seconds + "}");
    clock.offsetMs += seconds * 1000;
  }

  static ZohoOAuth.Builder builder(String rt, TestClock clock) {
    return ZohoOAuth.builder().refreshToken(rt).clock(clock).retryBase(Duration.ofMillis(1));
  }

  static String token(ZohoOAuth h) {
    String t = h.accessToken();
    SECRETS.add(t);
    return t;
  }

  static int getLeads(String url, String header) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create(url + "/crm/v2/Leads")).header("Authorization", header).build();
    return HTTP.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /** Checks a token's lifetime is about an hour: kept at +3000 s, refreshed at +3400 s (margin 300). */
  static void assertHourLifetime(ZohoOAuth h, TestClock clock) throws Exception {
    token(h);
    assertEq(1, stat("token_requests"), "token requests after first call");
    clock.offsetMs += 3000_000;
    token(h);
    assertEq(1, stat("token_requests"), "token requests 3000 s later (should still be valid)");
    clock.offsetMs += 400_000;
    token(h);
    assertEq(2, stat("token_requests"), "token requests 3400 s later (within the margin)");
  }

  // ---- child process mode: one refresh through the shared cache ---------------------------

  static void child(long startAtMs) throws Exception {
    ZohoOAuth h = ZohoOAuth.fromEnv();
    while (System.currentTimeMillis() < startAtMs) Thread.sleep(5);
    String header = h.authorizationHeader();
    System.out.println(header.startsWith("Zoho-oauthtoken ") ? "child ok" : "child bad header");
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 2 && args[0].equals("child")) { child(Long.parseLong(args[1])); return; }
    if (MOCK == null || CLIENT_ID == null) { System.out.println("ATM_MOCK_URL / ZOHO_CLIENT_ID not set"); System.exit(2); }
    SECRETS.add(SECRET);
    Path tmp = Path.of(System.getenv().getOrDefault("ATM_TEST_TMP", System.getProperty("java.io.tmpdir")));

    check("first call refreshes, second uses the in-memory token, header and api_domain", () -> {
      TestClock clock = new TestClock();
      ZohoOAuth h = builder(freshRefreshToken(), clock).build();
      String t1 = token(h);
      assertEq(1, stat("token_requests"), "token requests after first call");
      String t2 = token(h);
      assertEq(1, stat("token_requests"), "token requests after second call");
      assertTrue(t1.equals(t2), "second call returned a different token");
      assertTrue(h.authorizationHeader().equals("Zoho-oauthtoken " + t1), "header is not 'Zoho-oauthtoken <token>'");
      assertTrue(h.apiDomain() != null && h.apiDomain().startsWith(MOCK), "api_domain not kept");
      assertEq(200, getLeads(h.apiDomain(), h.authorizationHeader()), "GET /crm/v2/Leads status");
    });

    check("mock clock past expiry refreshes", () -> {
      TestClock clock = new TestClock();
      ZohoOAuth h = builder(freshRefreshToken(), clock).build();
      String t1 = token(h);
      advance(clock, 3601);
      assertEq(401, getLeads(MOCK, "Zoho-oauthtoken " + t1), "old token after expiry");
      String t2 = token(h);
      assertEq(2, stat("token_requests"), "token requests after expiry");
      assertTrue(!t1.equals(t2), "token did not change");
      assertEq(200, getLeads(MOCK, h.authorizationHeader()), "new token works");
    });

    check("refresh within the default 5 min margin; configurable margin", () -> {
      TestClock clock = new TestClock();
      ZohoOAuth h = builder(freshRefreshToken(), clock).build();
      assertHourLifetime(h, clock);
      ZohoOAuth m = builder(freshRefreshToken(), clock = new TestClock()).refreshMargin(Duration.ZERO).build();
      token(m);
      clock.offsetMs += 3590_000;
      token(m);
      assertEq(1, stat("token_requests"), "margin 0: token requests at +3590 s");
    });

    check("expires_in in milliseconds (expires_in_sec present) means ~1 hour", () -> {
      String rt = freshRefreshToken();
      admin("POST", "settings", "{\"expires_in_style\":\"milliseconds\"}");
      TestClock clock = new TestClock();
      assertHourLifetime(builder(rt, clock).build(), clock);
    });

    check("response without expires_in is assumed to last 3600 s", () -> {
      String rt = freshRefreshToken();
      admin("POST", "faults", "{\"missing_expires_in_next\":1}");
      TestClock clock = new TestClock();
      assertHourLifetime(builder(rt, clock).build(), clock);
    });

    check("revoked refresh token -> InvalidRefreshTokenException, not retried", () -> {
      String rt = freshRefreshToken();
      admin("POST", "revoke", "{\"token\":\"" + rt + "\"}");
      ZohoOAuth h = builder(rt, new TestClock()).build();
      ZohoOAuth.InvalidRefreshTokenException e = expect(ZohoOAuth.InvalidRefreshTokenException.class, h::accessToken);
      assertTrue(e.getMessage().contains("invalid or revoked"), "message does not say what to fix");
      assertEq(1, stat("token_requests"), "token requests");
    });

    check("wrong client secret -> InvalidClientSecretException", () -> {
      String bad = "0123456789abcdef0123456789abcdef0badc0de";
      SECRETS.add(bad);
      ZohoOAuth h = builder(freshRefreshToken(), new TestClock()).clientSecret(bad).build();
      ZohoOAuth.InvalidClientSecretException e = expect(ZohoOAuth.InvalidClientSecretException.class, h::accessToken);
      assertTrue(e.getMessage().contains("ZOHO_CLIENT_SECRET"), "message does not name ZOHO_CLIENT_SECRET");
      assertEq(1, stat("token_requests"), "token requests");
    });

    check("unknown client id -> InvalidClientException", () -> {
      ZohoOAuth h = builder(freshRefreshToken(), new TestClock()).clientId("1000.NOSUCHCLIENT000000000000000000").build();
      ZohoOAuth.InvalidClientException e = expect(ZohoOAuth.InvalidClientException.class, h::accessToken);
      assertTrue(e.getMessage().contains("ZOHO_CLIENT_ID"), "message does not name ZOHO_CLIENT_ID");
    });

    check("two injected 503s are retried, then success (3 requests)", () -> {
      String rt = freshRefreshToken();
      admin("POST", "faults", "{\"fail_next_token_requests\":2,\"status\":503}");
      token(builder(rt, new TestClock()).build());
      assertEq(2, stat("faults_injected"), "faulted requests");
      assertEq(1, stat("token_requests"), "successful token requests");
    });

    check("dropped connection is retried", () -> {
      String rt = freshRefreshToken();
      admin("POST", "faults", "{\"drop_next_token_requests\":1}");
      token(builder(rt, new TestClock()).build());
      assertEq(1, stat("token_requests"), "token requests");
    });

    check("persistent 5xx -> TransientException after 3 attempts", () -> {
      String rt = freshRefreshToken();
      admin("POST", "faults", "{\"fail_next_token_requests\":10,\"status\":502}");
      ZohoOAuth h = builder(rt, new TestClock()).build();
      ZohoOAuth.TransientException e = expect(ZohoOAuth.TransientException.class, h::accessToken);
      assertTrue(e.getMessage().contains("HTTP 502"), "message does not give the last status");
      assertEq(3, stat("faults_injected"), "attempts");
      assertEq(0, stat("token_requests"), "token requests");
    });

    check("throttle -> ThrottledException with exactly one request, no retry", () -> {
      String rt = freshRefreshToken();
      admin("POST", "limits", "{\"token_requests_per_window\":1}");
      ZohoOAuth h = builder(rt, new TestClock()).build();
      token(h);
      h.invalidate();
      ZohoOAuth.ThrottledException e = expect(ZohoOAuth.ThrottledException.class, h::accessToken);
      assertTrue(e.getMessage().contains("back off"), "message does not say to back off");
      assertEq(2, stat("token_requests"), "token requests (1 ok + 1 throttled)");
      assertEq(1, stat("throttled"), "throttled answers");
    });

    check("16 concurrent threads cause exactly one token request", () -> {
      String rt = freshRefreshToken();
      admin("POST", "faults", "{\"latency_ms\":300,\"scope\":\"token\"}");
      ZohoOAuth h = builder(rt, new TestClock()).build();
      CountDownLatch go = new CountDownLatch(1);
      Set<String> seen = ConcurrentHashMap.newKeySet();
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        Thread t = new Thread(() -> {
          try { go.await(); seen.add(token(h)); } catch (Exception e) { seen.add("error " + e.getClass().getName()); }
        });
        t.start();
        threads.add(t);
      }
      go.countDown();
      for (Thread t : threads) t.join(30_000);
      assertEq(1, seen.size(), "distinct results across threads");
      assertEq(1, stat("token_requests"), "token requests");
    });

    check("withRetryOnInvalidToken recovers after the access token is revoked", () -> {
      ZohoOAuth h = builder(freshRefreshToken(), new TestClock()).build();
      String t1 = token(h);
      admin("POST", "revoke", "{\"token\":\"" + t1 + "\"}");
      int[] calls = {0};
      HttpResponse<Void> r = h.withRetryOnInvalidToken(header -> {
        calls[0]++;
        return HTTP.send(HttpRequest.newBuilder(URI.create(MOCK + "/crm/v2/Leads"))
            .header("Authorization", header).build(), HttpResponse.BodyHandlers.discarding());
      });
      SECRETS.add(h.accessToken());
      assertEq(200, r.statusCode(), "status after retry");
      assertEq(2, calls[0], "calls");
      assertEq(2, stat("token_requests"), "token requests");
    });

    check("send() retries a built request once after a 401, with its other headers and a fresh token", () -> {
      ZohoOAuth h = builder(freshRefreshToken(), new TestClock()).build();
      String t1 = token(h);
      admin("POST", "revoke", "{\"token\":\"" + t1 + "\"}");
      HttpRequest req = HttpRequest.newBuilder(URI.create(MOCK + "/crm/v2/Leads"))
          .header("Accept", "application/json").header("Authorization", "Zoho-oauthtoken " + t1).build();
      HttpResponse<String> r = h.send(HTTP, req, HttpResponse.BodyHandlers.ofString());
      SECRETS.add(h.accessToken());
      assertEq(200, r.statusCode(), "status after retry");
      assertTrue(!r.request().headers().firstValue("Authorization").orElse("").contains(t1), "the retry has a new header");
      assertTrue(r.request().headers().firstValue("Accept").orElse("").equals("application/json"), "other headers kept");
      assertEq(2, stat("token_requests"), "token requests");
    });

    check("missing ZOHO_REFRESH_TOKEN -> ConfigurationException naming it", () -> {
      ZohoOAuth.ConfigurationException e = expect(ZohoOAuth.ConfigurationException.class, ZohoOAuth::fromEnv);
      assertTrue(e.getMessage().contains("ZOHO_REFRESH_TOKEN is not set"), "message: " + e.getMessage());
      assertTrue(!e.getMessage().contains("ZOHO_CLIENT_ID"), "names a variable that is set");
    });

    check("accounts URL: ZOHO_ACCOUNTS_URL, data centres, unknown DC", () -> {
      assertTrue(ZohoOAuth.builder().refreshToken("x").build().accountsUrl().equals(MOCK), "env ZOHO_ACCOUNTS_URL");
      assertTrue(ZohoOAuth.builder().refreshToken("x").dc("eu").build().accountsUrl().equals("https://accounts.zoho.eu"), "eu");
      assertTrue(ZohoOAuth.builder().refreshToken("x").dc("ca").build().accountsUrl().equals("https://accounts.zohocloud.ca"), "ca");
      assertTrue(ZohoOAuth.builder().refreshToken("x").dc("au").build().accountsUrl().equals("https://accounts.zoho.com.au"), "au");
      ZohoOAuth.ConfigurationException e = expect(ZohoOAuth.ConfigurationException.class,
          () -> ZohoOAuth.builder().refreshToken("x").dc("xx").build());
      assertTrue(e.getMessage().contains("ZOHO_DC"), "unknown DC message does not name ZOHO_DC");
    });

    check("cache file: shared by instances, 0600, no secrets, bound to the refresh token, invalidate", () -> {
      String rt = freshRefreshToken();
      Path cache = tmp.resolve("java-cache.json");
      Files.deleteIfExists(cache);
      TestClock clock = new TestClock();
      String t1 = token(builder(rt, clock).cacheFile(cache).build());
      ZohoOAuth second = builder(rt, clock).cacheFile(cache).build();
      assertTrue(token(second).equals(t1), "second instance did not use the cached token");
      assertEq(1, stat("token_requests"), "token requests for two instances");
      assertTrue(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache)).equals("rw-------"), "cache mode is not 0600");
      String text = Files.readString(cache);
      assertTrue(text.contains(t1) && !text.contains(rt) && !text.contains(SECRET), "cache holds the refresh token or secret");
      String other = field(admin("POST", "refresh-tokens",
          "{\"client_id\":\"" + CLIENT_ID + "\",\"scope\":\"ZohoCRM.modules.ALL\"}"), "refresh_token");
      SECRETS.add(other);
      token(builder(other, clock).cacheFile(cache).build());
      assertEq(2, stat("token_requests"), "another refresh token must not use the cached entry");
      ZohoOAuth third = builder(other, clock).cacheFile(cache).build();
      token(third);
      assertEq(2, stat("token_requests"), "third instance uses the cache");
      third.invalidate();
      token(builder(other, clock).cacheFile(cache).build());
      assertEq(3, stat("token_requests"), "after invalidate() a new instance refreshes");
    });

    check("two JVMs sharing ZOHO_TOKEN_CACHE cause one token request", () -> {
      String rt = freshRefreshToken();
      admin("POST", "faults", "{\"latency_ms\":300,\"scope\":\"token\"}");
      Path cache = tmp.resolve("java-shared-cache.json");
      Files.deleteIfExists(cache);
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      long startAt = System.currentTimeMillis() + 1500;
      List<Process> procs = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
            "ZohoOAuthTest", "child", Long.toString(startAt)).redirectErrorStream(true);
        pb.environment().put("ZOHO_REFRESH_TOKEN", rt);
        pb.environment().put("ZOHO_TOKEN_CACHE", cache.toString());
        pb.environment().put("ZOHO_RETRY_BASE_MS", "1");
        procs.add(pb.start());
      }
      for (Process p : procs) {
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "child timed out");
        String out = new String(p.getInputStream().readAllBytes());
        synchronized (MESSAGES) { MESSAGES.add(out); }
        assertTrue(p.exitValue() == 0 && out.contains("child ok"), "child failed: " + redact(out.trim()));
      }
      assertEq(1, stat("token_requests"), "token requests from two processes");
      assertTrue(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache)).equals("rw-------"), "cache mode is not 0600");
    });

    check("no token, refresh token or secret in any error message or child output", () -> {
      assertTrue(MESSAGES.size() >= 10, "too few messages collected: " + MESSAGES.size());
      for (String m : MESSAGES)
        for (String s : SECRETS)
          assertTrue(!m.contains(s), "a secret value appears in a message: " + redact(m));
    });

    System.out.println(passed + " passed, " + failed + " failed");
    System.exit(failed == 0 ? 0 : 1);
  }
}
