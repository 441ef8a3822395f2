package @@NAMESPACE@@;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * Zoho OAuth 2.0 access tokens from a refresh token, refreshed before they expire.
 *
 * <p>Configuration comes from the environment ({@code ZOHO_CLIENT_ID}, {@code ZOHO_CLIENT_SECRET},
 * {@code ZOHO_REFRESH_TOKEN}, {@code ZOHO_ACCOUNTS_URL} or {@code ZOHO_DC}, optional
 * {@code ZOHO_TOKEN_CACHE}); anything set on the {@link Builder} wins. Thread-safe: concurrent
 * callers during a refresh share one token request. With a cache file, processes share the token
 * too (Zoho allows only about 10 refreshes per refresh token per 10 minutes).
 *
 * <pre>{@code
 * ZohoOAuth zoho = ZohoOAuth.fromEnv();
 * HttpRequest req = HttpRequest.newBuilder(URI.create(zoho.apiDomain() + "/crm/v2/Leads"))
 *     .header("Authorization", zoho.authorizationHeader()).build();
 * }</pre>
 *
 * <p>Token values, the client secret and the refresh token never appear in exception messages.
 */
public final class ZohoOAuth {
  private static final Map<String, String> DATA_CENTRES = Map.of(
      "us", "https://accounts.zoho.com", "eu", "https://accounts.zoho.eu",
      "in", "https://accounts.zoho.in", "au", "https://accounts.zoho.com.au",
      "cn", "https://accounts.zoho.com.cn", "jp", "https://accounts.zoho.jp",
      "ca", "https://accounts.zohocloud.ca", "sa", "https://accounts.zoho.sa",
      "uk", "https://accounts.zoho.uk");
  /** Created on first use only: one client (and its selector thread) for all instances. */
  private static final class SharedHttp {
    static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }
  /** One monitor per cache file: FileChannel.lock is per JVM, not per thread. */
  private static final Map<Path, Object> FILE_MONITORS = new ConcurrentHashMap<>();

  private final String clientId, clientSecret, refreshToken, accountsUrl;
  private final Path cacheFile;
  private final Duration margin, retryBase;
  private final int maxAttempts;
  private final Clock clock;
  private final HttpClient http;
  private final ReentrantLock refreshLock = new ReentrantLock();
  private volatile Token token;

  private static final class Token {
    final String accessToken, apiDomain;
    final long expiresAtMillis;
    Token(String accessToken, String apiDomain, long expiresAtMillis) {
      this.accessToken = accessToken;
      this.apiDomain = apiDomain;
      this.expiresAtMillis = expiresAtMillis;
    }
  }

  private ZohoOAuth(Builder b) {
    Map<String, String> env = System.getenv();
    clientId = pick(b.clientId, env.get("ZOHO_CLIENT_ID"));
    clientSecret = pick(b.clientSecret, env.get("ZOHO_CLIENT_SECRET"));
    refreshToken = pick(b.refreshToken, env.get("ZOHO_REFRESH_TOKEN"));
    List<String> missing = new ArrayList<>();
    if (clientId == null) missing.add("ZOHO_CLIENT_ID");
    if (clientSecret == null) missing.add("ZOHO_CLIENT_SECRET");
    if (refreshToken == null) missing.add("ZOHO_REFRESH_TOKEN");
    if (!missing.isEmpty())
      throw new ConfigurationException(String.join(", ", missing)
          + (missing.size() == 1 ? " is" : " are") + " not set (environment or ZohoOAuth.builder())");
    String url = b.accountsUrl, dc = b.dc;
    if (url == null && dc == null) {
      url = pick(null, env.get("ZOHO_ACCOUNTS_URL"));
      dc = pick(null, env.get("ZOHO_DC"));
    }
    if (url == null) {
      url = DATA_CENTRES.get(dc == null ? "us" : dc.toLowerCase(Locale.ROOT));
      if (url == null)
        throw new ConfigurationException("ZOHO_DC '" + dc + "' is unknown; use one of " + DATA_CENTRES.keySet());
    }
    accountsUrl = url.replaceAll("/+$", "");
    String cache = b.cacheFile != null ? b.cacheFile.toString() : pick(null, env.get("ZOHO_TOKEN_CACHE"));
    cacheFile = cache == null ? null : Path.of(cache).toAbsolutePath();
    margin = b.refreshMargin;
    String baseMs = pick(null, env.get("ZOHO_RETRY_BASE_MS"));
    if (b.retryBase != null) retryBase = b.retryBase;
    else if (baseMs == null) retryBase = Duration.ofMillis(200);
    else if (baseMs.trim().matches("[0-9]{1,9}")) retryBase = Duration.ofMillis(Long.parseLong(baseMs.trim()));
    else throw new ConfigurationException("ZOHO_RETRY_BASE_MS must be a whole number of milliseconds");
    maxAttempts = Math.max(1, b.maxAttempts);
    clock = b.clock;
    http = b.httpClient != null ? b.httpClient : SharedHttp.CLIENT;
  }

  /** A helper configured from the environment only. */
  public static ZohoOAuth fromEnv() { return new Builder().build(); }

  private static volatile ZohoOAuth shared;

  /**
   * The process-wide helper, configured from the environment on first use (what
   * {@code authtoken-migrate fix} calls: {@code ZohoOAuth.shared().authorizationHeader()}).
   *
   * @throws ConfigurationException naming any missing variable (the next call tries again)
   */
  public static ZohoOAuth shared() {
    ZohoOAuth s = shared;
    if (s != null) return s;
    synchronized (ZohoOAuth.class) {
      if (shared == null) shared = fromEnv();
      return shared;
    }
  }

  /** Settings given here override the environment. */
  public static Builder builder() { return new Builder(); }

  /** Options for {@link ZohoOAuth}; unset values come from the environment or defaults. */
  public static final class Builder {
    private String clientId, clientSecret, refreshToken, accountsUrl, dc;
    private Path cacheFile;
    private Duration refreshMargin = Duration.ofMinutes(5), retryBase;
    private int maxAttempts = 3;
    private Clock clock = Clock.systemUTC();
    private HttpClient httpClient;

    private Builder() {}
    public Builder clientId(String v) { clientId = v; return this; }
    public Builder clientSecret(String v) { clientSecret = v; return this; }
    public Builder refreshToken(String v) { refreshToken = v; return this; }
    /** Accounts server, e.g. {@code https://accounts.zoho.eu}; wins over {@link #dc}. */
    public Builder accountsUrl(String v) { accountsUrl = v; return this; }
    /** Data centre: us, eu, in, au, cn, jp, ca, sa or uk. */
    public Builder dc(String v) { dc = v; return this; }
    /** Shared token cache file (like {@code ZOHO_TOKEN_CACHE}). */
    public Builder cacheFile(Path v) { cacheFile = v; return this; }
    /** Refresh this long before expiry (default 5 minutes). */
    public Builder refreshMargin(Duration v) { refreshMargin = v; return this; }
    /** First retry delay for network errors and 5xx (default 200 ms, or ZOHO_RETRY_BASE_MS). */
    public Builder retryBase(Duration v) { retryBase = v; return this; }
    /** Attempts per refresh, including the first (default 3). */
    public Builder maxAttempts(int v) { maxAttempts = v; return this; }
    public Builder clock(Clock v) { clock = v; return this; }
    public Builder httpClient(HttpClient v) { httpClient = v; return this; }
    /** @throws ConfigurationException naming any missing variable */
    public ZohoOAuth build() { return new ZohoOAuth(this); }
  }

  /** The accounts server used for token requests. */
  public String accountsUrl() { return accountsUrl; }

  /** A valid access token, refreshed if absent or within the margin of expiry. */
  public String accessToken() { return currentToken().accessToken; }

  /** The {@code Authorization} header value: {@code Zoho-oauthtoken <token>}. */
  public String authorizationHeader() { return "Zoho-oauthtoken " + accessToken(); }

  /** The API domain from the token response (e.g. {@code https://www.zohoapis.eu}), or null. */
  public String apiDomain() { return currentToken().apiDomain; }

  /** Forgets the token (also in the cache file); call after a 401 {@code INVALID_TOKEN}. */
  public void invalidate() {
    refreshLock.lock();
    try {
      Token bad = token;
      token = null;
      if (cacheFile != null) withFileLock(() -> {
        Token cached = readCache();
        if (cached != null && (bad == null || cached.accessToken.equals(bad.accessToken)))
          Files.deleteIfExists(cacheFile);
        return null;
      });
    } finally {
      refreshLock.unlock();
    }
  }

  /** A call that receives the authorization header value. */
  @FunctionalInterface
  public interface AuthorizedCall<T> {
    T call(String authorizationHeader) throws IOException, InterruptedException;
  }

  /**
   * Calls {@code call}; if {@code unauthorized} says its result is a 401, invalidates the token
   * and calls once more with a fresh one.
   */
  public <T> T withRetryOnInvalidToken(AuthorizedCall<T> call, Predicate<? super T> unauthorized)
      throws IOException, InterruptedException {
    T result = call.call(authorizationHeader());
    if (!unauthorized.test(result)) return result;
    invalidate();
    return call.call(authorizationHeader());
  }

  /** {@link #withRetryOnInvalidToken(AuthorizedCall, Predicate)} for java.net.http: retries on HTTP 401. */
  public <T> HttpResponse<T> withRetryOnInvalidToken(AuthorizedCall<HttpResponse<T>> call)
      throws IOException, InterruptedException {
    return withRetryOnInvalidToken(call, r -> r.statusCode() == 401);
  }

  /**
   * Sends {@code request} with {@code client}; after an HTTP 401 invalidates the token and sends
   * the same request once more with a fresh {@code Authorization} header (what
   * {@code authtoken-migrate fix} puts in place of {@code client.send(request, handler)}).
   */
  public <T> HttpResponse<T> send(HttpClient client, HttpRequest request,
      HttpResponse.BodyHandler<T> handler) throws IOException, InterruptedException {
    HttpResponse<T> response = client.send(request, handler);
    if (response.statusCode() != 401) return response;
    invalidate();
    HttpRequest.Builder again = HttpRequest.newBuilder(request.uri())
        .method(request.method(), request.bodyPublisher().orElse(HttpRequest.BodyPublishers.noBody()))
        .expectContinue(request.expectContinue());
    request.timeout().ifPresent(again::timeout);
    request.version().ifPresent(again::version);
    request.headers().map().forEach((name, values) -> {
      if (!name.equalsIgnoreCase("Authorization")) for (String v : values) again.header(name, v);
    });
    return client.send(again.header("Authorization", authorizationHeader()).build(), handler);
  }

  private boolean fresh(Token t) {
    return t != null && clock.millis() < t.expiresAtMillis - margin.toMillis();
  }

  private Token currentToken() {
    Token t = token;
    if (fresh(t)) return t;
    refreshLock.lock();
    try {
      if (fresh(token)) return token;
      if (cacheFile == null) return token = requestToken();
      Token cached = readCache();
      if (fresh(cached)) return token = cached;
      return token = withFileLock(() -> {
        Token again = readCache(); // another process may have refreshed while we waited
        if (fresh(again)) return again;
        Token fetched = requestToken();
        writeCache(fetched);
        return fetched;
      });
    } finally {
      refreshLock.unlock();
    }
  }

  // ---- token endpoint -------------------------------------------------------------------------

  private Token requestToken() {
    String form = "grant_type=refresh_token&client_id=" + enc(clientId) + "&client_secret="
        + enc(clientSecret) + "&refresh_token=" + enc(refreshToken);
    HttpRequest req = HttpRequest.newBuilder(URI.create(accountsUrl + "/oauth/v2/token"))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build();
    String lastProblem = "";
    for (int attempt = 1; ; attempt++) {
      try {
        HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() < 500) return parseTokenResponse(resp.statusCode(), resp.body());
        lastProblem = "HTTP " + resp.statusCode();
      } catch (IOException e) {
        lastProblem = e.getClass().getSimpleName();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TransientException("interrupted while refreshing the Zoho access token");
      }
      if (attempt >= maxAttempts)
        throw new TransientException("Zoho token endpoint failed after " + attempt
            + " attempts (last: " + lastProblem + "); try again later");
      long cap = retryBase.toMillis() << (attempt - 1); // full jitter: 0..base*2^(n-1)
      try {
        Thread.sleep(ThreadLocalRandom.current().nextLong(cap + 1));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TransientException("interrupted while refreshing the Zoho access token");
      }
    }
  }

  private Token parseTokenResponse(int status, String body) {
    Map<String, String> json;
    try {
      json = parseFlatJson(body);
    } catch (IllegalArgumentException e) {
      throw new TokenException("Zoho token endpoint answered HTTP " + status + " without JSON");
    }
    String error = json.get("error");
    if ("Access Denied".equalsIgnoreCase(error) || "\u62d2\u7edd\u8bbf\u95ee".equals(error))
      throw new ThrottledException("Zoho throttled token requests (Access Denied: about 10 per refresh"
          + " token per 10 minutes); back off for several minutes and reuse tokens (ZOHO_TOKEN_CACHE)");
    if ("invalid_code".equals(error))
      throw new InvalidRefreshTokenException("invalid_code: refresh token is invalid or revoked:"
          + " generate a new one (self-client or consent flow) and set ZOHO_REFRESH_TOKEN");
    if ("invalid_client".equals(error))
      throw new InvalidClientException(
          "invalid_client: client id unknown in this data centre: check ZOHO_CLIENT_ID / ZOHO_DC");
    if ("invalid_client_secret".equals(error))
      throw new InvalidClientSecretException("invalid_client_secret: check ZOHO_CLIENT_SECRET");
    if (error != null)
      throw new TokenException("Zoho token request failed (HTTP " + status + "): "
          + (error.matches("[A-Za-z0-9_ .-]{1,64}") ? error : "unrecognised error"));
    String access = json.get("access_token");
    if (access == null || access.isEmpty())
      throw new TokenException("Zoho token response (HTTP " + status + ") has no access_token");
    long seconds = 3600;
    try {
      if (json.containsKey("expires_in_sec") && json.containsKey("expires_in"))
        seconds = (long) Double.parseDouble(json.get("expires_in")) / 1000; // older Zoho: ms
      else if (json.containsKey("expires_in"))
        seconds = (long) Double.parseDouble(json.get("expires_in"));
      else if (json.containsKey("expires_in_sec"))
        seconds = (long) Double.parseDouble(json.get("expires_in_sec"));
    } catch (NumberFormatException e) {
      seconds = 3600;
    }
    return new Token(access, json.get("api_domain"), clock.millis() + seconds * 1000);
  }

  // ---- cache file ---------------------------------------------------------------------------

  private interface IoAction<T> { T run() throws IOException; }

  /** Runs {@code action} holding this JVM's monitor and an exclusive lock on {@code <cache>.lock}. */
  private <T> T withFileLock(IoAction<T> action) {
    Path lockPath = cacheFile.resolveSibling(cacheFile.getFileName() + ".lock");
    synchronized (FILE_MONITORS.computeIfAbsent(lockPath, p -> new Object())) {
      try (FileChannel ch = FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
        ch.lock(); // released when the channel closes
        restrictPermissions(lockPath);
        return action.run();
      } catch (IOException e) {
        throw new ZohoOAuthException("token cache " + cacheFile + ": " + e.getClass().getSimpleName());
      }
    }
  }

  private Token readCache() {
    try {
      Map<String, String> c = parseFlatJson(Files.readString(cacheFile));
      if (!clientId.equals(c.get("client_id")) || !refreshTokenHash().equals(c.get("refresh_token_hash"))
          || c.get("access_token") == null)
        return null; // written for another configuration
      return new Token(c.get("access_token"), c.get("api_domain"),
          (long) (Double.parseDouble(c.get("expires_at")) * 1000));
    } catch (IOException | RuntimeException e) {
      return null; // missing or unreadable: refresh
    }
  }

  private void writeCache(Token t) throws IOException {
    String json = "{\"access_token\":" + quote(t.accessToken) + ",\"expires_at\":" + t.expiresAtMillis / 1000
        + ",\"api_domain\":" + (t.apiDomain == null ? "null" : quote(t.apiDomain))
        + ",\"client_id\":" + quote(clientId) + ",\"refresh_token_hash\":" + quote(refreshTokenHash()) + "}\n";
    Path tmp = Files.createTempFile(cacheFile.getParent(), "." + cacheFile.getFileName(), ".tmp");
    try {
      restrictPermissions(tmp);
      Files.writeString(tmp, json);
      Files.move(tmp, cacheFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void restrictPermissions(Path p) throws IOException {
    try {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system (Windows): the user profile's ACLs apply
    }
  }

  private String refreshTokenHash() {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(refreshToken.getBytes(StandardCharsets.UTF_8));
      StringBuilder sb = new StringBuilder();
      for (byte x : d) sb.append(String.format("%02x", x));
      return sb.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- tiny JSON ------------------------------------------------------------------------------

  /** Top-level members of a JSON object as strings (numbers as written); nested values are skipped. */
  static Map<String, String> parseFlatJson(String s) {
    int[] i = {0};
    Map<String, String> out = new HashMap<>();
    expect(s, i, '{');
    if (peek(s, i) == '}') return out;
    while (true) {
      String key = readString(s, i);
      expect(s, i, ':');
      String value = readValue(s, i);
      if (value != null) out.put(key, value);
      char c = peek(s, i);
      i[0]++;
      if (c == '}') return out;
      if (c != ',') throw new IllegalArgumentException("bad JSON");
    }
  }

  private static char peek(String s, int[] i) {
    while (i[0] < s.length() && Character.isWhitespace(s.charAt(i[0]))) i[0]++;
    if (i[0] >= s.length()) throw new IllegalArgumentException("truncated JSON");
    return s.charAt(i[0]);
  }

  private static void expect(String s, int[] i, char c) {
    if (peek(s, i) != c) throw new IllegalArgumentException("bad JSON");
    i[0]++;
  }

  private static String readString(String s, int[] i) {
    expect(s, i, '"');
    StringBuilder sb = new StringBuilder();
    while (true) {
      if (i[0] >= s.length()) throw new IllegalArgumentException("truncated JSON");
      char c = s.charAt(i[0]++);
      if (c == '"') return sb.toString();
      if (c != '\\') { sb.append(c); continue; }
      char e = s.charAt(i[0]++);
      switch (e) {
        case 'n': sb.append('\n'); break;
        case 't': sb.append('\t'); break;
        case 'r': sb.append('\r'); break;
        case 'b': sb.append('\b'); break;
        case 'f': sb.append('\f'); break;
        case 'u': sb.append((char) Integer.parseInt(s.substring(i[0], i[0] + 4), 16)); i[0] += 4; break;
        default: sb.append(e); // \" \\ \/
      }
    }
  }

  /** Returns a string or number as text, null for null/true/false/objects/arrays (skipped). */
  private static String readValue(String s, int[] i) {
    char c = peek(s, i);
    if (c == '"') return readString(s, i);
    if (c == '{' || c == '[') {
      int depth = 0;
      do {
        char d = peek(s, i);
        if (d == '"') { readString(s, i); continue; }
        if (d == '{' || d == '[') depth++;
        if (d == '}' || d == ']') depth--;
        i[0]++;
      } while (depth > 0);
      return null;
    }
    int start = i[0];
    while (i[0] < s.length() && ",}] \t\r\n".indexOf(s.charAt(i[0])) < 0) i[0]++;
    String word = s.substring(start, i[0]);
    if (word.matches("-?[0-9][0-9.eE+-]*")) return word;
    if (word.equals("true") || word.equals("false") || word.equals("null")) return null;
    throw new IllegalArgumentException("bad JSON");
  }

  private static String quote(String v) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : v.toCharArray()) {
      if (c == '"' || c == '\\') sb.append('\\').append(c);
      else if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
      else sb.append(c);
    }
    return sb.append('"').toString();
  }

  private static String enc(String v) { return URLEncoder.encode(v, StandardCharsets.UTF_8); }

  private static String pick(String code, String env) {
    if (code != null && !code.isEmpty()) return code;
    return env == null || env.isEmpty() ? null : env;
  }

  // ---- errors ---------------------------------------------------------------------------------

  /** Base of every error from this helper. Messages never contain tokens or secrets. */
  public static class ZohoOAuthException extends RuntimeException {
    public ZohoOAuthException(String message) { super(message); }
  }

  /** A required setting is missing or invalid; the message names the variable. */
  public static class ConfigurationException extends ZohoOAuthException {
    public ConfigurationException(String message) { super(message); }
  }

  /** The token endpoint answered something unusable (not retried). */
  public static class TokenException extends ZohoOAuthException {
    public TokenException(String message) { super(message); }
  }

  /** {@code invalid_code}: the refresh token is invalid or revoked; a new one is needed. */
  public static class InvalidRefreshTokenException extends TokenException {
    public InvalidRefreshTokenException(String message) { super(message); }
  }

  /** {@code invalid_client}: the client id is unknown in this data centre. */
  public static class InvalidClientException extends TokenException {
    public InvalidClientException(String message) { super(message); }
  }

  /** {@code invalid_client_secret}: the client secret is wrong. */
  public static class InvalidClientSecretException extends TokenException {
    public InvalidClientSecretException(String message) { super(message); }
  }

  /** Zoho's {@code Access Denied} throttle: back off for minutes, do not retry now. */
  public static class ThrottledException extends TokenException {
    public ThrottledException(String message) { super(message); }
  }

  /** Network errors or 5xx answers persisted through every retry; try again later. */
  public static class TransientException extends ZohoOAuthException {
    public TransientException(String message) { super(message); }
  }
}
