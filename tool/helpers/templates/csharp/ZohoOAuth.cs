using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace @@NAMESPACE@@
{
    /// <summary>Settings for <see cref="ZohoOAuth"/>. Anything left null comes from the environment.</summary>
    public sealed class ZohoOAuthOptions
    {
        /// <summary>ZOHO_CLIENT_ID.</summary>
        public string ClientId { get; set; }
        /// <summary>ZOHO_CLIENT_SECRET.</summary>
        public string ClientSecret { get; set; }
        /// <summary>ZOHO_REFRESH_TOKEN.</summary>
        public string RefreshToken { get; set; }
        /// <summary>ZOHO_ACCOUNTS_URL, e.g. https://accounts.zoho.eu; wins over <see cref="DataCenter"/>.</summary>
        public string AccountsUrl { get; set; }
        /// <summary>ZOHO_DC: us, eu, in, au, cn, jp, ca, sa or uk (default us).</summary>
        public string DataCenter { get; set; }
        /// <summary>ZOHO_TOKEN_CACHE: a token cache file shared by processes.</summary>
        public string TokenCachePath { get; set; }
        /// <summary>Refresh this long before expiry (default 5 minutes).</summary>
        public TimeSpan RefreshMargin { get; set; } = TimeSpan.FromMinutes(5);
        /// <summary>First retry delay for network errors and 5xx (default 200 ms, or ZOHO_RETRY_BASE_MS).</summary>
        public TimeSpan? RetryBaseDelay { get; set; }
        /// <summary>Attempts per refresh, including the first (default 3).</summary>
        public int MaxAttempts { get; set; } = 3;
        /// <summary>The current time (tests move it forward).</summary>
        public Func<DateTimeOffset> Clock { get; set; }
        /// <summary>HTTP client for token requests (default: one shared instance).</summary>
        public HttpClient HttpClient { get; set; }
    }

    /// <summary>
    /// Zoho OAuth 2.0 access tokens from a refresh token, refreshed before they expire. Thread-safe:
    /// concurrent callers during a refresh share one token request; with a cache file, processes share
    /// the token too (Zoho allows only about 10 refreshes per refresh token per 10 minutes).
    /// Token values, the client secret and the refresh token never appear in exception messages.
    /// </summary>
    /// <example><code>
    /// var zoho = new ZohoOAuth();
    /// var req = new HttpRequestMessage(HttpMethod.Get, await zoho.GetApiDomainAsync() + "/crm/v2/Leads");
    /// req.Headers.TryAddWithoutValidation("Authorization", await zoho.GetAuthorizationHeaderAsync());
    /// </code></example>
    public sealed class ZohoOAuth
    {
        static readonly Dictionary<string, string> DataCenters = new Dictionary<string, string>
        {
            { "us", "https://accounts.zoho.com" }, { "eu", "https://accounts.zoho.eu" },
            { "in", "https://accounts.zoho.in" }, { "au", "https://accounts.zoho.com.au" },
            { "cn", "https://accounts.zoho.com.cn" }, { "jp", "https://accounts.zoho.jp" },
            { "ca", "https://accounts.zohocloud.ca" }, { "sa", "https://accounts.zoho.sa" },
            { "uk", "https://accounts.zoho.uk" },
        };
        static readonly HttpClient SharedHttp = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        static readonly ConcurrentDictionary<string, SemaphoreSlim> FileGates = new ConcurrentDictionary<string, SemaphoreSlim>();
        static readonly Random Jitter = new Random();

        readonly string clientId, clientSecret, refreshToken, cachePath;
        readonly TimeSpan margin, retryBase;
        readonly int maxAttempts;
        readonly Func<DateTimeOffset> clock;
        readonly HttpClient http;
        readonly SemaphoreSlim gate = new SemaphoreSlim(1, 1);
        volatile Token token;

        sealed class Token
        {
            public string AccessToken, ApiDomain;
            public DateTimeOffset ExpiresAt;
        }

        /// <summary>Reads unset options from the environment.</summary>
        /// <exception cref="ZohoConfigurationException">naming any missing variable</exception>
        public ZohoOAuth(ZohoOAuthOptions options = null)
        {
            var o = options ?? new ZohoOAuthOptions();
            clientId = Pick(o.ClientId, "ZOHO_CLIENT_ID");
            clientSecret = Pick(o.ClientSecret, "ZOHO_CLIENT_SECRET");
            refreshToken = Pick(o.RefreshToken, "ZOHO_REFRESH_TOKEN");
            var missing = new List<string>();
            if (clientId == null) missing.Add("ZOHO_CLIENT_ID");
            if (clientSecret == null) missing.Add("ZOHO_CLIENT_SECRET");
            if (refreshToken == null) missing.Add("ZOHO_REFRESH_TOKEN");
            if (missing.Count > 0)
                throw new ZohoConfigurationException(string.Join(", ", missing) + (missing.Count == 1 ? " is" : " are")
                    + " not set (environment or ZohoOAuthOptions)");
            string url = o.AccountsUrl, dc = o.DataCenter;
            if (string.IsNullOrEmpty(url) && string.IsNullOrEmpty(dc))
            {
                url = Pick(null, "ZOHO_ACCOUNTS_URL");
                dc = Pick(null, "ZOHO_DC");
            }
            if (string.IsNullOrEmpty(url) && !DataCenters.TryGetValue((dc ?? "us").ToLowerInvariant(), out url))
                throw new ZohoConfigurationException("ZOHO_DC '" + dc + "' is unknown; use one of "
                    + string.Join(", ", DataCenters.Keys));
            AccountsUrl = url.TrimEnd('/');
            var cache = Pick(o.TokenCachePath, "ZOHO_TOKEN_CACHE");
            cachePath = cache == null ? null : Path.GetFullPath(cache);
            margin = o.RefreshMargin;
            var baseMs = Pick(null, "ZOHO_RETRY_BASE_MS");
            int ms = 200;
            if (baseMs != null && !int.TryParse(baseMs.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out ms))
                throw new ZohoConfigurationException("ZOHO_RETRY_BASE_MS must be a whole number of milliseconds");
            retryBase = o.RetryBaseDelay ?? TimeSpan.FromMilliseconds(ms);
            maxAttempts = Math.Max(1, o.MaxAttempts);
            clock = o.Clock ?? (() => DateTimeOffset.UtcNow);
            http = o.HttpClient ?? SharedHttp;
        }

        /// <summary>The accounts server used for token requests.</summary>
        public string AccountsUrl { get; private set; }

        /// <summary>A valid access token, refreshed if absent or within the margin of expiry.</summary>
        public async Task<string> GetAccessTokenAsync(CancellationToken cancellationToken = default(CancellationToken))
        {
            return (await CurrentTokenAsync(cancellationToken).ConfigureAwait(false)).AccessToken;
        }

        /// <summary>The Authorization header value: <c>Zoho-oauthtoken &lt;token&gt;</c>.</summary>
        public async Task<string> GetAuthorizationHeaderAsync(CancellationToken cancellationToken = default(CancellationToken))
        {
            return "Zoho-oauthtoken " + await GetAccessTokenAsync(cancellationToken).ConfigureAwait(false);
        }

        /// <summary>The API domain from the token response (e.g. https://www.zohoapis.eu), or null.</summary>
        public async Task<string> GetApiDomainAsync(CancellationToken cancellationToken = default(CancellationToken))
        {
            return (await CurrentTokenAsync(cancellationToken).ConfigureAwait(false)).ApiDomain;
        }

        /// <summary>Forgets the token (also in the cache file); call after a 401 INVALID_TOKEN.</summary>
        public async Task InvalidateAsync()
        {
            await gate.WaitAsync().ConfigureAwait(false);
            try
            {
                var bad = token;
                token = null;
                if (cachePath != null)
                    await WithFileLockAsync(() =>
                    {
                        var cached = ReadCache();
                        if (cached != null && (bad == null || cached.AccessToken == bad.AccessToken))
                            File.Delete(cachePath);
                        return Task.FromResult(cached);
                    }, CancellationToken.None).ConfigureAwait(false);
            }
            finally { gate.Release(); }
        }

        /// <summary>Calls <paramref name="call"/> with the header value; if <paramref name="isUnauthorized"/>
        /// says the result is a 401, invalidates the token and calls once more with a fresh one.</summary>
        public async Task<T> WithRetryOnInvalidTokenAsync<T>(Func<string, Task<T>> call, Func<T, bool> isUnauthorized)
        {
            var result = await call(await GetAuthorizationHeaderAsync().ConfigureAwait(false)).ConfigureAwait(false);
            if (!isUnauthorized(result)) return result;
            await InvalidateAsync().ConfigureAwait(false);
            return await call(await GetAuthorizationHeaderAsync().ConfigureAwait(false)).ConfigureAwait(false);
        }

        /// <summary>As above for HttpClient: retries once on HTTP 401.</summary>
        public Task<HttpResponseMessage> WithRetryOnInvalidTokenAsync(Func<string, Task<HttpResponseMessage>> send)
        {
            return WithRetryOnInvalidTokenAsync(send, r =>
            {
                if (r.StatusCode != HttpStatusCode.Unauthorized) return false;
                r.Dispose();
                return true;
            });
        }

        // ---- what `authtoken-migrate fix` rewrites code to ---------------------------------------

        static readonly Lazy<ZohoOAuth> SharedInstance =
            new Lazy<ZohoOAuth>(() => new ZohoOAuth(), LazyThreadSafetyMode.PublicationOnly);

        /// <summary>One instance per process, configured from the environment on first use (a
        /// configuration error is thrown at every use until it is fixed).</summary>
        public static ZohoOAuth Shared { get { return SharedInstance.Value; } }

        /// <summary>The Authorization header value for synchronous code (blocks during a refresh;
        /// the helper's own awaits do not need the caller's context).</summary>
        public string GetAuthorizationHeader()
        {
            return GetAuthorizationHeaderAsync().ConfigureAwait(false).GetAwaiter().GetResult();
        }

        /// <summary>Sets the WebClient's Authorization header to a fresh value and returns it:
        /// <c>ZohoOAuth.Shared.Authorize(wc).DownloadString(url)</c>.</summary>
        public T Authorize<T>(T client) where T : WebClient
        {
            if (client == null) throw new ArgumentNullException("client");
            client.Headers[HttpRequestHeader.Authorization] = GetAuthorizationHeader();
            return client;
        }

        /// <summary>client.GetAsync(…) with the header on a request of its own (the client's
        /// BaseAddress and DefaultRequestHeaders apply as before); sent once more after a 401.</summary>
        public Task<HttpResponseMessage> GetAsync(HttpClient client, string requestUri) { return SendAsync(client, HttpMethod.Get, ToUri(requestUri), null, HttpCompletionOption.ResponseContentRead, CancellationToken.None); }
        public Task<HttpResponseMessage> GetAsync(HttpClient client, Uri requestUri) { return SendAsync(client, HttpMethod.Get, requestUri, null, HttpCompletionOption.ResponseContentRead, CancellationToken.None); }
        public Task<HttpResponseMessage> GetAsync(HttpClient client, string requestUri, CancellationToken cancellationToken) { return SendAsync(client, HttpMethod.Get, ToUri(requestUri), null, HttpCompletionOption.ResponseContentRead, cancellationToken); }
        public Task<HttpResponseMessage> GetAsync(HttpClient client, Uri requestUri, CancellationToken cancellationToken) { return SendAsync(client, HttpMethod.Get, requestUri, null, HttpCompletionOption.ResponseContentRead, cancellationToken); }
        public Task<HttpResponseMessage> GetAsync(HttpClient client, string requestUri, HttpCompletionOption completionOption) { return SendAsync(client, HttpMethod.Get, ToUri(requestUri), null, completionOption, CancellationToken.None); }
        public Task<HttpResponseMessage> GetAsync(HttpClient client, Uri requestUri, HttpCompletionOption completionOption) { return SendAsync(client, HttpMethod.Get, requestUri, null, completionOption, CancellationToken.None); }
        public Task<HttpResponseMessage> GetAsync(HttpClient client, string requestUri, HttpCompletionOption completionOption, CancellationToken cancellationToken) { return SendAsync(client, HttpMethod.Get, ToUri(requestUri), null, completionOption, cancellationToken); }
        public Task<HttpResponseMessage> GetAsync(HttpClient client, Uri requestUri, HttpCompletionOption completionOption, CancellationToken cancellationToken) { return SendAsync(client, HttpMethod.Get, requestUri, null, completionOption, cancellationToken); }

        /// <summary>client.DeleteAsync(…) with the header; sent once more after a 401.</summary>
        public Task<HttpResponseMessage> DeleteAsync(HttpClient client, string requestUri) { return SendAsync(client, HttpMethod.Delete, ToUri(requestUri), null, HttpCompletionOption.ResponseContentRead, CancellationToken.None); }
        public Task<HttpResponseMessage> DeleteAsync(HttpClient client, Uri requestUri) { return SendAsync(client, HttpMethod.Delete, requestUri, null, HttpCompletionOption.ResponseContentRead, CancellationToken.None); }
        public Task<HttpResponseMessage> DeleteAsync(HttpClient client, string requestUri, CancellationToken cancellationToken) { return SendAsync(client, HttpMethod.Delete, ToUri(requestUri), null, HttpCompletionOption.ResponseContentRead, cancellationToken); }
        public Task<HttpResponseMessage> DeleteAsync(HttpClient client, Uri requestUri, CancellationToken cancellationToken) { return SendAsync(client, HttpMethod.Delete, requestUri, null, HttpCompletionOption.ResponseContentRead, cancellationToken); }

        /// <summary>client.PostAsync(…) with the header. Not repeated after a 401 (the content
        /// may be consumed); the token is forgotten, so the next request gets a fresh one.</summary>
        public Task<HttpResponseMessage> PostAsync(HttpClient client, string requestUri, HttpContent content) { return SendAsync(client, HttpMethod.Post, ToUri(requestUri), content, HttpCompletionOption.ResponseContentRead, CancellationToken.None); }
        public Task<HttpResponseMessage> PostAsync(HttpClient client, Uri requestUri, HttpContent content) { return SendAsync(client, HttpMethod.Post, requestUri, content, HttpCompletionOption.ResponseContentRead, CancellationToken.None); }
        public Task<HttpResponseMessage> PostAsync(HttpClient client, string requestUri, HttpContent content, CancellationToken cancellationToken) { return SendAsync(client, HttpMethod.Post, ToUri(requestUri), content, HttpCompletionOption.ResponseContentRead, cancellationToken); }
        public Task<HttpResponseMessage> PostAsync(HttpClient client, Uri requestUri, HttpContent content, CancellationToken cancellationToken) { return SendAsync(client, HttpMethod.Post, requestUri, content, HttpCompletionOption.ResponseContentRead, cancellationToken); }

        /// <summary>client.PutAsync(…) with the header; as PostAsync after a 401.</summary>
        public Task<HttpResponseMessage> PutAsync(HttpClient client, string requestUri, HttpContent content) { return SendAsync(client, HttpMethod.Put, ToUri(requestUri), content, HttpCompletionOption.ResponseContentRead, CancellationToken.None); }
        public Task<HttpResponseMessage> PutAsync(HttpClient client, Uri requestUri, HttpContent content) { return SendAsync(client, HttpMethod.Put, requestUri, content, HttpCompletionOption.ResponseContentRead, CancellationToken.None); }
        public Task<HttpResponseMessage> PutAsync(HttpClient client, string requestUri, HttpContent content, CancellationToken cancellationToken) { return SendAsync(client, HttpMethod.Put, ToUri(requestUri), content, HttpCompletionOption.ResponseContentRead, cancellationToken); }
        public Task<HttpResponseMessage> PutAsync(HttpClient client, Uri requestUri, HttpContent content, CancellationToken cancellationToken) { return SendAsync(client, HttpMethod.Put, requestUri, content, HttpCompletionOption.ResponseContentRead, cancellationToken); }

        /// <summary>client.GetStringAsync(…) with the header (HttpRequestException on an error
        /// status, as HttpClient's); sent once more after a 401.</summary>
        public Task<string> GetStringAsync(HttpClient client, string requestUri) { return GetStringAsync(client, ToUri(requestUri)); }
        public async Task<string> GetStringAsync(HttpClient client, Uri requestUri)
        {
            using (var response = await SendAsync(client, HttpMethod.Get, requestUri, null, HttpCompletionOption.ResponseContentRead, CancellationToken.None).ConfigureAwait(false))
            {
                response.EnsureSuccessStatusCode();
                return await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            }
        }

        /// <summary>client.GetByteArrayAsync(…) with the header; as GetStringAsync.</summary>
        public Task<byte[]> GetByteArrayAsync(HttpClient client, string requestUri) { return GetByteArrayAsync(client, ToUri(requestUri)); }
        public async Task<byte[]> GetByteArrayAsync(HttpClient client, Uri requestUri)
        {
            using (var response = await SendAsync(client, HttpMethod.Get, requestUri, null, HttpCompletionOption.ResponseContentRead, CancellationToken.None).ConfigureAwait(false))
            {
                response.EnsureSuccessStatusCode();
                return await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
            }
        }

        /// <summary>client.GetStreamAsync(…) with the header; as GetStringAsync.</summary>
        public Task<Stream> GetStreamAsync(HttpClient client, string requestUri) { return GetStreamAsync(client, ToUri(requestUri)); }
        public async Task<Stream> GetStreamAsync(HttpClient client, Uri requestUri)
        {
            var response = await SendAsync(client, HttpMethod.Get, requestUri, null, HttpCompletionOption.ResponseHeadersRead, CancellationToken.None).ConfigureAwait(false);
            try { response.EnsureSuccessStatusCode(); }
            catch { response.Dispose(); throw; }
            return await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
        }

        static Uri ToUri(string requestUri)
        {
            return string.IsNullOrEmpty(requestUri) ? null : new Uri(requestUri, UriKind.RelativeOrAbsolute);
        }

        async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, Uri requestUri, HttpContent content,
            HttpCompletionOption completionOption, CancellationToken cancellationToken)
        {
            if (client == null) throw new ArgumentNullException("client");
            for (int attempt = 1; ; attempt++)
            {
                var request = new HttpRequestMessage(method, requestUri) { Content = content };
                request.Headers.TryAddWithoutValidation("Authorization",
                    await GetAuthorizationHeaderAsync(cancellationToken).ConfigureAwait(false));
                var response = await client.SendAsync(request, completionOption, cancellationToken).ConfigureAwait(false);
                if (response.StatusCode != HttpStatusCode.Unauthorized) return response;
                await InvalidateAsync().ConfigureAwait(false);
                if (content != null || attempt == 2) return response;
                response.Dispose();
            }
        }

        bool Fresh(Token t) { return t != null && clock() < t.ExpiresAt - margin; }

        async Task<Token> CurrentTokenAsync(CancellationToken ct)
        {
            var t = token;
            if (Fresh(t)) return t;
            await gate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                if (Fresh(token)) return token;
                if (cachePath == null) return token = await RequestTokenAsync(ct).ConfigureAwait(false);
                var cached = ReadCache();
                if (Fresh(cached)) return token = cached;
                return token = await WithFileLockAsync(async () =>
                {
                    var again = ReadCache(); // another process may have refreshed while we waited
                    if (Fresh(again)) return again;
                    var fetched = await RequestTokenAsync(ct).ConfigureAwait(false);
                    WriteCache(fetched);
                    return fetched;
                }, ct).ConfigureAwait(false);
            }
            finally { gate.Release(); }
        }

        // ---- token endpoint ---------------------------------------------------------------------

        async Task<Token> RequestTokenAsync(CancellationToken ct)
        {
            string lastProblem = "";
            for (int attempt = 1; ; attempt++)
            {
                try
                {
                    using (var form = new FormUrlEncodedContent(new Dictionary<string, string>
                    {
                        { "grant_type", "refresh_token" }, { "client_id", clientId },
                        { "client_secret", clientSecret }, { "refresh_token", refreshToken },
                    }))
                    using (var resp = await http.PostAsync(AccountsUrl + "/oauth/v2/token", form, ct).ConfigureAwait(false))
                    {
                        var body = await resp.Content.ReadAsStringAsync().ConfigureAwait(false);
                        if ((int)resp.StatusCode < 500) return ParseTokenResponse((int)resp.StatusCode, body);
                        lastProblem = "HTTP " + (int)resp.StatusCode;
                    }
                }
                catch (Exception e) when (e is HttpRequestException || e is IOException
                                          || (e is TaskCanceledException && !ct.IsCancellationRequested))
                {
                    lastProblem = e.GetType().Name;
                }
                if (attempt >= maxAttempts)
                    throw new ZohoTransientException("Zoho token endpoint failed after " + attempt
                        + " attempts (last: " + lastProblem + "); try again later");
                double cap = retryBase.TotalMilliseconds * (1 << (attempt - 1)); // full jitter
                double delay;
                lock (Jitter) delay = Jitter.NextDouble() * cap;
                await Task.Delay(TimeSpan.FromMilliseconds(delay), ct).ConfigureAwait(false);
            }
        }

        Token ParseTokenResponse(int status, string body)
        {
            Dictionary<string, string> json;
            try { json = ParseFlatJson(body); }
            catch (FormatException) { throw new ZohoTokenException("Zoho token endpoint answered HTTP " + status + " without JSON"); }
            string error, access, value;
            json.TryGetValue("error", out error);
            if (string.Equals(error, "Access Denied", StringComparison.OrdinalIgnoreCase) || error == "\u62d2\u7edd\u8bbf\u95ee")
                throw new ZohoThrottledException("Zoho throttled token requests (Access Denied: about 10 per refresh"
                    + " token per 10 minutes); back off for several minutes and reuse tokens (ZOHO_TOKEN_CACHE)");
            if (error == "invalid_code")
                throw new ZohoInvalidRefreshTokenException("invalid_code: refresh token is invalid or revoked:"
                    + " generate a new one (self-client or consent flow) and set ZOHO_REFRESH_TOKEN");
            if (error == "invalid_client")
                throw new ZohoInvalidClientException(
                    "invalid_client: client id unknown in this data centre: check ZOHO_CLIENT_ID / ZOHO_DC");
            if (error == "invalid_client_secret")
                throw new ZohoInvalidClientSecretException("invalid_client_secret: check ZOHO_CLIENT_SECRET");
            if (error != null)
                throw new ZohoTokenException("Zoho token request failed (HTTP " + status + "): "
                    + (Regex.IsMatch(error, "^[A-Za-z0-9_ .-]{1,64}$") ? error : "unrecognised error"));
            if (!json.TryGetValue("access_token", out access) || access.Length == 0)
                throw new ZohoTokenException("Zoho token response (HTTP " + status + ") has no access_token");
            double seconds = 3600, n;
            if (json.TryGetValue("expires_in", out value) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out n))
                seconds = json.ContainsKey("expires_in_sec") ? n / 1000 : n; // older Zoho: milliseconds
            else if (json.TryGetValue("expires_in_sec", out value) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out n))
                seconds = n;
            string apiDomain;
            json.TryGetValue("api_domain", out apiDomain);
            return new Token { AccessToken = access, ApiDomain = apiDomain, ExpiresAt = clock().AddSeconds(seconds) };
        }

        // ---- cache file -------------------------------------------------------------------------

        /// <summary>Runs <paramref name="action"/> holding this process's gate for the file and an
        /// exclusive lock on the sibling "&lt;cache&gt;.lock" (FileShare.None plus a byte-range lock).</summary>
        async Task<T> WithFileLockAsync<T>(Func<Task<T>> action, CancellationToken ct)
        {
            var lockPath = cachePath + ".lock";
            var fileGate = FileGates.GetOrAdd(lockPath, _ => new SemaphoreSlim(1, 1));
            await fileGate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                if (!Directory.Exists(Path.GetDirectoryName(lockPath)))
                    throw new ZohoOAuthException("token cache " + cachePath + ": directory does not exist");
                var deadline = DateTime.UtcNow.AddSeconds(60);
                while (true)
                {
                    FileStream fs = null;
                    try
                    {
                        // FileShare.None is a cross-process flock on .NET (Core); Mono needs the byte-range lock.
                        fs = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                        try { fs.Lock(0, 1); } catch (PlatformNotSupportedException) { } // macOS: flock only
                    }
                    catch (IOException)
                    {
                        if (fs != null) fs.Dispose();
                        fs = null;
                        if (DateTime.UtcNow > deadline)
                            throw new ZohoOAuthException("token cache " + cachePath + ": could not lock " + lockPath);
                    }
                    if (fs != null)
                        using (fs)
                        {
                            try
                            {
                                RestrictPermissions(lockPath);
                                return await action().ConfigureAwait(false);
                            }
                            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                            {
                                throw new ZohoOAuthException("token cache " + cachePath + ": " + e.GetType().Name);
                            }
                        }
                    await Task.Delay(20, ct).ConfigureAwait(false);
                }
            }
            finally { fileGate.Release(); }
        }

        Token ReadCache()
        {
            try
            {
                var c = ParseFlatJson(File.ReadAllText(cachePath));
                string id, hash, access, expires, domain;
                if (!c.TryGetValue("client_id", out id) || id != clientId || !c.TryGetValue("refresh_token_hash", out hash)
                    || hash != RefreshTokenHash() || !c.TryGetValue("access_token", out access) || !c.TryGetValue("expires_at", out expires))
                    return null; // written for another configuration
                c.TryGetValue("api_domain", out domain);
                return new Token { AccessToken = access, ApiDomain = domain,
                    ExpiresAt = DateTimeOffset.FromUnixTimeSeconds((long)double.Parse(expires, CultureInfo.InvariantCulture)) };
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is FormatException || e is OverflowException)
            {
                return null; // missing or unreadable: refresh
            }
        }

        void WriteCache(Token t)
        {
            var json = "{\"access_token\":" + Quote(t.AccessToken) + ",\"expires_at\":" + t.ExpiresAt.ToUnixTimeSeconds()
                + ",\"api_domain\":" + (t.ApiDomain == null ? "null" : Quote(t.ApiDomain)) + ",\"client_id\":" + Quote(clientId)
                + ",\"refresh_token_hash\":" + Quote(RefreshTokenHash()) + "}\n";
            var tmp = cachePath + "." + Guid.NewGuid().ToString("N") + ".tmp";
            try
            {
                using (File.Create(tmp)) { }
                RestrictPermissions(tmp); // before the token is written
                File.WriteAllText(tmp, json);
                if (File.Exists(cachePath)) File.Replace(tmp, cachePath, null); else File.Move(tmp, cachePath);
            }
            finally { if (File.Exists(tmp)) File.Delete(tmp); }
        }

        [DllImport("libc", EntryPoint = "chmod", SetLastError = true)]
        static extern int Chmod(string path, int mode);

        static void RestrictPermissions(string path)
        {
            // On Windows the user profile's ACLs apply.
            if (Path.DirectorySeparatorChar != '/') return;
            try
            {
                if (Chmod(path, Convert.ToInt32("600", 8)) == 0) return;
            }
            catch (Exception e) when (e is DllNotFoundException || e is EntryPointNotFoundException) { }
            throw new IOException("cannot chmod 0600 " + path);
        }

        string RefreshTokenHash()
        {
            using (var sha = SHA256.Create())
                return string.Concat(sha.ComputeHash(Encoding.UTF8.GetBytes(refreshToken)).Select(b => b.ToString("x2")));
        }

        // ---- tiny JSON --------------------------------------------------------------------------

        /// <summary>Top-level members of a JSON object as strings (numbers as written); nested values, true,
        /// false and null are skipped.</summary>
        /// <exception cref="FormatException">not a JSON object</exception>
        internal static Dictionary<string, string> ParseFlatJson(string s)
        {
            int i = 0;
            var result = new Dictionary<string, string>();
            Expect(s, ref i, '{');
            if (Peek(s, ref i) == '}') return result;
            while (true)
            {
                var key = ReadString(s, ref i);
                Expect(s, ref i, ':');
                var value = ReadValue(s, ref i);
                if (value != null) result[key] = value;
                char c = Peek(s, ref i);
                i++;
                if (c == '}') return result;
                if (c != ',') throw new FormatException("bad JSON");
            }
        }

        static char Peek(string s, ref int i)
        {
            while (i < s.Length && char.IsWhiteSpace(s[i])) i++;
            if (i >= s.Length) throw new FormatException("truncated JSON");
            return s[i];
        }

        static void Expect(string s, ref int i, char c)
        {
            if (Peek(s, ref i) != c) throw new FormatException("bad JSON");
            i++;
        }

        static string ReadString(string s, ref int i)
        {
            Expect(s, ref i, '"');
            var sb = new StringBuilder();
            while (true)
            {
                if (i >= s.Length) throw new FormatException("truncated JSON");
                char c = s[i++];
                if (c == '"') return sb.ToString();
                if (c != '\\') { sb.Append(c); continue; }
                if (i >= s.Length) throw new FormatException("truncated JSON");
                char e = s[i++];
                switch (e)
                {
                    case 'n': sb.Append('\n'); break;
                    case 't': sb.Append('\t'); break;
                    case 'r': sb.Append('\r'); break;
                    case 'b': sb.Append('\b'); break;
                    case 'f': sb.Append('\f'); break;
                    case 'u':
                        if (i + 4 > s.Length) throw new FormatException("truncated JSON");
                        sb.Append((char)int.Parse(s.Substring(i, 4), NumberStyles.HexNumber)); i += 4; break;
                    default: sb.Append(e); break; // \" \\ \/
                }
            }
        }

        static string ReadValue(string s, ref int i)
        {
            char c = Peek(s, ref i);
            if (c == '"') return ReadString(s, ref i);
            if (c == '{' || c == '[')
            {
                int depth = 0;
                do
                {
                    char d = Peek(s, ref i);
                    if (d == '"') { ReadString(s, ref i); continue; }
                    if (d == '{' || d == '[') depth++;
                    if (d == '}' || d == ']') depth--;
                    i++;
                } while (depth > 0);
                return null;
            }
            int start = i;
            while (i < s.Length && ",}] \t\r\n".IndexOf(s[i]) < 0) i++;
            var word = s.Substring(start, i - start);
            if (Regex.IsMatch(word, "^-?[0-9][0-9.eE+-]*$")) return word;
            if (word == "true" || word == "false" || word == "null") return null;
            throw new FormatException("bad JSON");
        }

        static string Quote(string v)
        {
            var sb = new StringBuilder("\"");
            foreach (char c in v)
            {
                if (c == '"' || c == '\\') sb.Append('\\').Append(c);
                else if (c < 0x20) sb.Append("\\u").Append(((int)c).ToString("x4"));
                else sb.Append(c);
            }
            return sb.Append('"').ToString();
        }

        static string Pick(string code, string envName)
        {
            if (!string.IsNullOrEmpty(code)) return code;
            var env = Environment.GetEnvironmentVariable(envName);
            return string.IsNullOrEmpty(env) ? null : env;
        }
    }

    /// <summary>Base of every error from <see cref="ZohoOAuth"/>. Messages never contain tokens or secrets.</summary>
    public class ZohoOAuthException : Exception
    {
        public ZohoOAuthException(string message) : base(message) { }
    }

    /// <summary>A required setting is missing or invalid; the message names the variable.</summary>
    public class ZohoConfigurationException : ZohoOAuthException
    {
        public ZohoConfigurationException(string message) : base(message) { }
    }

    /// <summary>The token endpoint answered something unusable (not retried).</summary>
    public class ZohoTokenException : ZohoOAuthException
    {
        public ZohoTokenException(string message) : base(message) { }
    }

    /// <summary>invalid_code: the refresh token is invalid or revoked; a new one is needed.</summary>
    public class ZohoInvalidRefreshTokenException : ZohoTokenException
    {
        public ZohoInvalidRefreshTokenException(string message) : base(message) { }
    }

    /// <summary>invalid_client: the client id is unknown in this data centre.</summary>
    public class ZohoInvalidClientException : ZohoTokenException
    {
        public ZohoInvalidClientException(string message) : base(message) { }
    }

    /// <summary>invalid_client_secret: the client secret is wrong.</summary>
    public class ZohoInvalidClientSecretException : ZohoTokenException
    {
        public ZohoInvalidClientSecretException(string message) : base(message) { }
    }

    /// <summary>Zoho's "Access Denied" throttle: back off for minutes, do not retry now.</summary>
    public class ZohoThrottledException : ZohoTokenException
    {
        public ZohoThrottledException(string message) : base(message) { }
    }

    /// <summary>Network errors or 5xx answers persisted through every retry; try again later.</summary>
    public class ZohoTransientException : ZohoOAuthException
    {
        public ZohoTransientException(string message) : base(message) { }
    }
}
