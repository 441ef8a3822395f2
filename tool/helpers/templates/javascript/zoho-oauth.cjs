'use strict';
/**
 * @module @@NAMESPACE@@
 * Zoho OAuth 2.0 access tokens from a refresh token (Node 18+, no dependencies).
 *
 *   const { ZohoOAuth } = require('./zoho-oauth.cjs');   // or: import { ZohoOAuth } from './zoho-oauth.cjs'
 *   const auth = new ZohoOAuth();                         // ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET, ZOHO_REFRESH_TOKEN, ZOHO_DC
 *   const res = await auth.withRetryOnInvalidToken((authorization) =>
 *     fetch(`${auth.apiDomain ?? 'https://www.zohoapis.com'}/crm/v2/Leads`, { headers: { Authorization: authorization } }));
 *   ZohoOAuth.shared()                                    // the process-wide instance (code migrated by `authtoken-migrate fix`)
 *
 * Tokens are refreshed when absent or within `marginSeconds` (default 300) of expiry; concurrent
 * callers share one refresh. With ZOHO_TOKEN_CACHE (or `cacheFile`) the token is also kept in a
 * 0600 JSON file shared by processes, so short-lived scripts do not hit Zoho's refresh throttle.
 * No token, client secret or refresh token ever appears in an error message.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

/** Accounts server of each Zoho data centre (ZOHO_DC). */
const DATA_CENTRES = Object.freeze({
  us: 'https://accounts.zoho.com', eu: 'https://accounts.zoho.eu', in: 'https://accounts.zoho.in',
  au: 'https://accounts.zoho.com.au', cn: 'https://accounts.zoho.com.cn', jp: 'https://accounts.zoho.jp',
  ca: 'https://accounts.zohocloud.ca', sa: 'https://accounts.zoho.sa', uk: 'https://accounts.zoho.uk',
  ae: 'https://accounts.zoho.ae',
});

/** Base class of every error this module throws; `code` is a stable machine-readable name. */
class ZohoOAuthError extends Error {
  constructor(message, code, options) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}
/** Missing or invalid configuration (names the variable, never its value). */
class ConfigurationError extends ZohoOAuthError {}
/** `invalid_code`: the refresh token is invalid or revoked. Not retried. */
class InvalidGrantError extends ZohoOAuthError {}
/** `invalid_client`: unknown client id in this data centre. Not retried. */
class InvalidClientError extends ZohoOAuthError {}
/** `invalid_client_secret`: wrong client secret. Not retried. */
class InvalidClientSecretError extends ZohoOAuthError {}
/** Zoho's `Access Denied` throttle (too many refreshes). Not retried: back off. */
class ThrottledError extends ZohoOAuthError {}
/** Network errors or 5xx answers that persisted through every attempt. */
class TransientError extends ZohoOAuthError {}
/** Any other answer without an access token. */
class TokenError extends ZohoOAuthError {}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const sha256 = (text) => crypto.createHash('sha256').update(text).digest('hex');

function setting(value, envName, env) {
  if (value !== undefined && value !== null && value !== '') return String(value);
  const fromEnv = env[envName];
  return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
}

/** True when `value` (a fetch Response, an HTTP error, …) reports HTTP 401. */
function isUnauthorized(value) {
  if (!value || typeof value !== 'object') return false;
  return value.status === 401 || value.statusCode === 401 ||
    (value.response != null && (value.response.status === 401 || value.response.statusCode === 401));
}

/** Refreshes and caches one Zoho access token. */
class ZohoOAuth {
  static #shared; // the process-wide instance of shared()
  // Private fields: console.log(auth) shows neither the secrets nor the token.
  #secret; #refreshToken; #refreshTokenHash; #now; #fetch;
  #token; // { accessToken, expiresAt (epoch ms), apiDomain }
  #rejected; // access token reported invalid by invalidate()
  #inFlight; // the refresh every concurrent caller awaits
  /**
   * @param {object} [options] every option defaults to its environment variable
   * @param {string} [options.clientId]      ZOHO_CLIENT_ID
   * @param {string} [options.clientSecret]  ZOHO_CLIENT_SECRET
   * @param {string} [options.refreshToken]  ZOHO_REFRESH_TOKEN
   * @param {string} [options.dc]            ZOHO_DC: us (default), eu, in, au, cn, jp, ca, sa, uk, ae
   * @param {string} [options.accountsUrl]   ZOHO_ACCOUNTS_URL, wins over dc
   * @param {string|null} [options.cacheFile] ZOHO_TOKEN_CACHE; null disables the cache
   * @param {number} [options.marginSeconds=300] refresh this long before expiry
   * @param {number} [options.maxAttempts=3]  attempts on network errors and 5xx
   * @param {number} [options.retryBaseMs=200] ZOHO_RETRY_BASE_MS: backoff base (doubles, full jitter)
   * @param {number} [options.timeoutMs=30000] per token request
   * @param {() => number} [options.now]     clock in epoch milliseconds (tests)
   * @param {typeof fetch} [options.fetch]   fetch implementation
   * @param {NodeJS.ProcessEnv} [options.env] environment to read (default process.env)
   */
  constructor(options = {}) {
    const env = options.env || process.env;
    this.clientId = setting(options.clientId, 'ZOHO_CLIENT_ID', env);
    const secret = setting(options.clientSecret, 'ZOHO_CLIENT_SECRET', env);
    const refreshToken = setting(options.refreshToken, 'ZOHO_REFRESH_TOKEN', env);
    for (const [name, value] of [['ZOHO_CLIENT_ID', this.clientId], ['ZOHO_CLIENT_SECRET', secret],
      ['ZOHO_REFRESH_TOKEN', refreshToken]]) {
      if (!value) throw new ConfigurationError(`${name} is not set`, 'missing_configuration');
    }
    let accountsUrl = setting(options.accountsUrl, 'ZOHO_ACCOUNTS_URL', env);
    if (!accountsUrl) {
      const dc = (setting(options.dc, 'ZOHO_DC', env) || 'us').toLowerCase();
      accountsUrl = DATA_CENTRES[dc];
      if (!accountsUrl) {
        throw new ConfigurationError(`ZOHO_DC must be one of ${Object.keys(DATA_CENTRES).join(', ')}`, 'invalid_configuration');
      }
    }
    /** Accounts server in use, e.g. https://accounts.zoho.eu. */
    this.accountsUrl = accountsUrl.replace(/\/+$/, '');
    this.cacheFile = options.cacheFile === null ? undefined : setting(options.cacheFile, 'ZOHO_TOKEN_CACHE', env);
    this.marginMs = (options.marginSeconds ?? 300) * 1000;
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 3);
    const base = Number(options.retryBaseMs ?? setting(undefined, 'ZOHO_RETRY_BASE_MS', env) ?? 200);
    this.retryBaseMs = Number.isFinite(base) && base >= 0 ? base : 200;
    this.timeoutMs = options.timeoutMs ?? 30000;
    this.lockStaleMs = options.lockStaleMs ?? 60000;
    this.#now = options.now || Date.now;
    this.#fetch = options.fetch || ((url, init) => globalThis.fetch(url, init));
    this.#secret = secret;
    this.#refreshToken = refreshToken;
    this.#refreshTokenHash = sha256(refreshToken);
  }

  /**
   * The process-wide instance, configured from the environment on first use (so loading this
   * module never needs the configuration; the first request does). Code migrated by
   * `authtoken-migrate fix` calls this. A ConfigurationError is not remembered: once the
   * environment is set, the next call succeeds.
   */
  static shared() {
    ZohoOAuth.#shared ??= new ZohoOAuth();
    return ZohoOAuth.#shared;
  }

  /** `api_domain` from the last token response (e.g. https://www.zohoapis.eu), or undefined. */
  get apiDomain() { return this.#token && this.#token.apiDomain; }

  /** A valid access token, refreshed if absent or about to expire. */
  async getAccessToken() {
    if (this.#isFresh(this.#token)) return this.#token.accessToken;
    // Single flight: every concurrent caller awaits the same refresh.
    this.#inFlight ??= this.#refresh().finally(() => { this.#inFlight = undefined; });
    return (await this.#inFlight).accessToken;
  }

  /** The `Authorization` header value: `Zoho-oauthtoken <token>`. */
  async getAuthorizationHeader() {
    return `Zoho-oauthtoken ${await this.getAccessToken()}`;
  }

  /**
   * Forgets the current token (call after a 401 `INVALID_TOKEN`), also ignoring it in the cache
   * file. Pass the rejected token or header so a newer token refreshed meanwhile is kept.
   */
  invalidate(token) {
    const current = this.#token && this.#token.accessToken;
    const rejected = token ? String(token).replace(/^Zoho-oauthtoken /, '') : current;
    if (rejected) this.#rejected = rejected;
    if (current && current === rejected) this.#token = undefined;
  }

  /**
   * Calls `fn(authorizationHeader)`; if it returns or throws something with status 401 (a fetch
   * Response, an HTTP client error), invalidates the token and calls `fn` once more.
   */
  async withRetryOnInvalidToken(fn) {
    const header = await this.getAuthorizationHeader();
    try {
      const result = await fn(header);
      if (!isUnauthorized(result)) return result;
      if (result.body && typeof result.body.cancel === 'function') result.body.cancel().catch(() => {});
    } catch (err) {
      if (!isUnauthorized(err)) throw err;
    }
    this.invalidate(header);
    return fn(await this.getAuthorizationHeader());
  }

  #isFresh(token) {
    return Boolean(token && token.accessToken !== this.#rejected && this.#now() < token.expiresAt - this.marginMs);
  }

  /** Resolves to a fresh token: from the cache file if another process refreshed, else from Zoho. */
  async #refresh() {
    let token = this.cacheFile && this.#readCache();
    if (!token && this.cacheFile) {
      const release = await this.#lock();
      if (release) {
        try {
          token = this.#readCache() || this.#writeCache(await this.#requestToken());
        } finally {
          release();
        }
      } else {
        token = this.#readCache(); // another process refreshed while we waited for the lock
      }
    }
    this.#token = token || await this.#requestToken();
    return this.#token;
  }

  /** POSTs the refresh grant, retrying network errors and 5xx with backoff. */
  async #requestToken() {
    const body = new URLSearchParams({
      grant_type: 'refresh_token', client_id: this.clientId,
      client_secret: this.#secret, refresh_token: this.#refreshToken,
    });
    let last = '';
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      if (attempt > 1) await sleep(Math.random() * this.retryBaseMs * 2 ** (attempt - 2));
      let status, text;
      try {
        const res = await this.#fetch(`${this.accountsUrl}/oauth/v2/token`, {
          method: 'POST', body: body.toString(),
          headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        status = res.status;
        text = await res.text();
      } catch (err) {
        const cause = err && (err.cause || err);
        last = `network error${cause && cause.code ? ` ${cause.code}` : ''}`;
        continue;
      }
      if (status >= 500) { last = `HTTP ${status}`; continue; }
      return this.#parseTokenResponse(status, text);
    }
    throw new TransientError(`Zoho token request failed after ${this.maxAttempts} attempts (last: ${last}); try again later`, 'transient');
  }

  #parseTokenResponse(status, text) {
    let json;
    try { json = JSON.parse(text); } catch { json = undefined; }
    if (!json || typeof json !== 'object') {
      throw new TokenError(`Zoho token endpoint answered HTTP ${status} without JSON`, 'unexpected_response');
    }
    if (typeof json.access_token === 'string' && json.access_token) {
      const raw = Number(json.expires_in);
      const seconds = json.expires_in == null || !Number.isFinite(raw) ? 3600
        : json.expires_in_sec != null ? raw / 1000 : raw;
      return { accessToken: json.access_token, expiresAt: this.#now() + seconds * 1000,
        apiDomain: typeof json.api_domain === 'string' ? json.api_domain : undefined };
    }
    const error = typeof json.error === 'string' ? json.error : '';
    switch (error) {
      case 'invalid_code':
        throw new InvalidGrantError('Zoho: refresh token is invalid or revoked: generate a new one (self-client or consent flow) and set ZOHO_REFRESH_TOKEN', error);
      case 'invalid_client':
        throw new InvalidClientError('Zoho: client id unknown in this data centre: check ZOHO_CLIENT_ID / ZOHO_DC', error);
      case 'invalid_client_secret':
        throw new InvalidClientSecretError('Zoho: client secret rejected: check ZOHO_CLIENT_SECRET', error);
    }
    if (error === 'Access Denied' || (status === 400 && json.status === 'failure')) {
      throw new ThrottledError('Zoho is throttling token requests (Access Denied: more than 10 refreshes in 10 minutes): back off for several minutes, reuse access tokens and set ZOHO_TOKEN_CACHE for short-lived processes', 'throttled');
    }
    const name = /^[\w .-]{1,64}$/.test(error) ? ` "${error}"` : '';
    throw new TokenError(`Zoho token endpoint answered HTTP ${status} with error${name} and no access token`, error || 'no_access_token');
  }

  /** The cache file's token if it belongs to this configuration and is fresh, else undefined. */
  #readCache() {
    let entry;
    try { entry = JSON.parse(fs.readFileSync(this.cacheFile, 'utf8')); } catch { return undefined; }
    if (!entry || entry.client_id !== this.clientId || entry.refresh_token_hash !== this.#refreshTokenHash ||
      typeof entry.access_token !== 'string') return undefined;
    const token = { accessToken: entry.access_token, expiresAt: Number(entry.expires_at) * 1000,
      apiDomain: entry.api_domain || undefined };
    return this.#isFresh(token) ? token : undefined;
  }

  /** Writes the cache atomically (temp file + rename), mode 0600; returns `token`. */
  #writeCache(token) {
    const entry = { access_token: token.accessToken, expires_at: Math.floor(token.expiresAt / 1000),
      api_domain: token.apiDomain, client_id: this.clientId, refresh_token_hash: this.#refreshTokenHash };
    const tmp = `${this.cacheFile}.tmp.${process.pid}.${crypto.randomBytes(4).toString('hex')}`;
    try {
      fs.mkdirSync(path.dirname(this.cacheFile), { recursive: true, mode: 0o700 });
      fs.writeFileSync(tmp, JSON.stringify(entry), { mode: 0o600 });
      fs.chmodSync(tmp, 0o600);
      fs.renameSync(tmp, this.cacheFile);
      return token;
    } catch (err) {
      try { fs.unlinkSync(tmp); } catch { /* already gone */ }
      throw new ZohoOAuthError(`cannot write ZOHO_TOKEN_CACHE file: ${err.code || 'error'}`, 'cache_write_failed');
    }
  }

  /**
   * Takes the sibling `.lock` file (exclusive create). Resolves to a release function, or to null
   * when another process wrote a fresh token to the cache while we waited. A lock whose owner
   * process is gone, or older than `lockStaleMs`, is broken.
   */
  async #lock() {
    const lockFile = `${this.cacheFile}.lock`;
    const deadline = Date.now() + this.lockStaleMs + this.timeoutMs;
    fs.mkdirSync(path.dirname(lockFile), { recursive: true, mode: 0o700 });
    for (;;) {
      try {
        const fd = fs.openSync(lockFile, 'wx', 0o600);
        fs.writeSync(fd, `${process.pid}\n`);
        fs.closeSync(fd);
        return () => { try { fs.unlinkSync(lockFile); } catch { /* broken as stale */ } };
      } catch (err) {
        if (err.code !== 'EEXIST') throw new ZohoOAuthError(`cannot create ZOHO_TOKEN_CACHE lock file: ${err.code || 'error'}`, 'cache_lock_failed');
      }
      if (this.#readCache()) return null;
      if (this.#lockIsStale(lockFile) || Date.now() > deadline) {
        try { fs.unlinkSync(lockFile); } catch { /* someone else broke it */ }
        continue;
      }
      await sleep(20 + Math.random() * 30);
    }
  }

  #lockIsStale(lockFile) {
    try {
      const stat = fs.statSync(lockFile);
      if (Date.now() - stat.mtimeMs > this.lockStaleMs) return true;
      const pid = parseInt(fs.readFileSync(lockFile, 'utf8'), 10);
      if (!pid || pid === process.pid) return false; // being written, or ours (another instance)
      process.kill(pid, 0);
      return false;
    } catch (err) {
      return err.code === 'ESRCH'; // owner process gone
    }
  }
}

module.exports = {
  ZohoOAuth, DATA_CENTRES, ZohoOAuthError, ConfigurationError, InvalidGrantError, InvalidClientError,
  InvalidClientSecretError, ThrottledError, TransientError, TokenError,
};
