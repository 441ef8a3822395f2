/**
 * @module @@NAMESPACE@@
 * Types for zoho-oauth.cjs: Zoho OAuth 2.0 access tokens from a refresh token.
 */

/** The subset of a fetch Response the helper reads. */
export interface TokenFetchResponse {
  readonly status: number;
  text(): Promise<string>;
}

/** A fetch-compatible function (the global `fetch` by default). */
export type TokenFetch = (
  url: string,
  init: { method: string; body: string; headers: Record<string, string>; signal?: unknown },
) => Promise<TokenFetchResponse>;

/** Every option defaults to its environment variable; see each field. */
export interface ZohoOAuthOptions {
  /** ZOHO_CLIENT_ID */
  clientId?: string;
  /** ZOHO_CLIENT_SECRET */
  clientSecret?: string;
  /** ZOHO_REFRESH_TOKEN */
  refreshToken?: string;
  /** ZOHO_DC: us (default), eu, in, au, cn, jp, ca, sa, uk, ae */
  dc?: string;
  /** ZOHO_ACCOUNTS_URL, e.g. https://accounts.zoho.eu; wins over `dc` */
  accountsUrl?: string;
  /** ZOHO_TOKEN_CACHE: JSON file shared by processes (mode 0600); `null` disables it */
  cacheFile?: string | null;
  /** Refresh this many seconds before expiry (default 300). */
  marginSeconds?: number;
  /** Attempts on network errors and 5xx answers (default 3). */
  maxAttempts?: number;
  /** ZOHO_RETRY_BASE_MS: backoff base, doubled per attempt, full jitter (default 200). */
  retryBaseMs?: number;
  /** Timeout of one token request in ms (default 30000). */
  timeoutMs?: number;
  /** A cache lock older than this (ms) or whose process is gone is broken (default 60000). */
  lockStaleMs?: number;
  /** Clock in epoch milliseconds (default Date.now). */
  now?: () => number;
  /** fetch implementation (default the global fetch). */
  fetch?: TokenFetch;
  /** Environment to read (default process.env). */
  env?: Record<string, string | undefined>;
}

/** Accounts server of each data centre (ZOHO_DC). */
export declare const DATA_CENTRES: Readonly<Record<string, string>>;

/** Refreshes and caches one Zoho access token; concurrent callers share one refresh. */
export declare class ZohoOAuth {
  /** @throws {ConfigurationError} when a required setting is missing */
  constructor(options?: ZohoOAuthOptions);
  /**
   * The process-wide instance, created from the environment on first use (what code migrated
   * by `authtoken-migrate fix` calls).
   * @throws {ConfigurationError} when a required environment variable is missing
   */
  static shared(): ZohoOAuth;
  readonly clientId: string;
  readonly accountsUrl: string;
  readonly cacheFile: string | undefined;
  readonly marginMs: number;
  readonly maxAttempts: number;
  readonly retryBaseMs: number;
  readonly timeoutMs: number;
  readonly lockStaleMs: number;
  /** `api_domain` from the last token response, e.g. https://www.zohoapis.eu. */
  readonly apiDomain: string | undefined;
  /** A valid access token, refreshed if absent or within the margin of expiry. */
  getAccessToken(): Promise<string>;
  /** `Zoho-oauthtoken <access token>`, for the Authorization header. */
  getAuthorizationHeader(): Promise<string>;
  /** Forgets the token (after a 401 INVALID_TOKEN); pass the rejected token or header to keep a newer one. */
  invalidate(tokenOrHeader?: string): void;
  /**
   * Calls `fn(authorizationHeader)`; when it returns or throws something with status 401
   * (a fetch Response, an HTTP client error), invalidates the token and calls `fn` once more.
   */
  withRetryOnInvalidToken<T>(fn: (authorizationHeader: string) => T | PromiseLike<T>): Promise<T>;
}

/** Base class of every error the helper throws. Messages never contain a token or secret. */
export declare class ZohoOAuthError extends Error {
  /** e.g. "missing_configuration", "invalid_code", "throttled", "transient" */
  readonly code: string;
}
/** A required setting is missing or invalid; the message names the variable. */
export declare class ConfigurationError extends ZohoOAuthError {}
/** `invalid_code`: the refresh token is invalid or revoked. */
export declare class InvalidGrantError extends ZohoOAuthError {}
/** `invalid_client`: client id unknown in this data centre. */
export declare class InvalidClientError extends ZohoOAuthError {}
/** `invalid_client_secret`: wrong client secret. */
export declare class InvalidClientSecretError extends ZohoOAuthError {}
/** Zoho's `Access Denied` throttle: back off, do not retry now. */
export declare class ThrottledError extends ZohoOAuthError {}
/** Network errors or 5xx persisted through every attempt. */
export declare class TransientError extends ZohoOAuthError {}
/** Any other answer without an access token. */
export declare class TokenError extends ZohoOAuthError {}
