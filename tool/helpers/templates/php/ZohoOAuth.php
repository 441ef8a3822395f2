<?php
/**
 * Zoho OAuth 2.0 access-token helper (the replacement for Zoho's retired legacy API tokens).
 * PHP 7.4+ with the curl extension; no other dependencies.
 *
 *     require_once __DIR__ . '/ZohoOAuth.php';
 *     $zoho = new \@@NAMESPACE@@\ZohoOAuth();            // reads the ZOHO_* variables
 *     $header = $zoho->getAuthorizationHeader();         // "Zoho-oauthtoken 1000.…"
 *
 * Code migrated by `authtoken-migrate fix` uses the process-wide instance
 * \@@NAMESPACE@@\ZohoOAuth::shared() (created from the environment on first use), and for curl
 * curlHeaders($ch, [...]) / curlExec($ch), which retries once after a 401.
 *
 * Configuration: ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET, ZOHO_REFRESH_TOKEN, ZOHO_ACCOUNTS_URL
 * or ZOHO_DC, ZOHO_TOKEN_CACHE, ZOHO_RETRY_BASE_MS; constructor options override them.
 * Set ZOHO_TOKEN_CACHE: PHP requests are short-lived, and the cache file (0600, replaced
 * atomically, guarded by flock on "<cache>.lock") lets all of them share one token, so
 * concurrent requests cause one refresh and Zoho's 10-refreshes-per-10-minutes throttle
 * is not hit. No exception message contains a token, the refresh token or the secret.
 */

declare(strict_types=1);

namespace @@NAMESPACE@@;

/** Base class of every exception thrown here. */
class ZohoOAuthException extends \RuntimeException
{
}

/** Missing or invalid configuration; the message names the variables. */
class ConfigException extends ZohoOAuthException
{
    /** @var string[] */
    private $variables;

    /** @param string[] $variables */
    public function __construct(array $variables, string $reason)
    {
        $this->variables = $variables;
        parent::__construct(implode(', ', $variables) . ' ' . $reason);
    }

    /** @return string[] e.g. ['ZOHO_REFRESH_TOKEN'] */
    public function getVariables(): array
    {
        return $this->variables;
    }
}

/** A failed token refresh; the subclass says why. */
class TokenException extends ZohoOAuthException
{
    /** @var string|null */
    private $zohoError;
    /** @var int */
    private $httpStatus;
    /** @var int */
    private $attempts;

    public function __construct(string $message, ?string $zohoError, int $httpStatus, int $attempts, string $cause = '')
    {
        $this->zohoError = $zohoError;
        $this->httpStatus = $httpStatus;
        $this->attempts = $attempts;
        $details = [];
        if ($zohoError !== null) {
            $details[] = 'error "' . $zohoError . '"';
        }
        if ($httpStatus !== 0) {
            $details[] = 'HTTP ' . $httpStatus;
        }
        if ($attempts > 1) {
            $details[] = $attempts . ' attempts';
        }
        if ($cause !== '') {
            $details[] = $cause;
        }
        parent::__construct($details ? $message . ' (' . implode('; ', $details) . ')' : $message);
    }

    /** Zoho's "error" value, e.g. "invalid_code", or null. */
    public function getZohoError(): ?string
    {
        return $this->zohoError;
    }

    /** HTTP status of the last answer, 0 if none. */
    public function getHttpStatus(): int
    {
        return $this->httpStatus;
    }

    /** Token requests made. */
    public function getAttempts(): int
    {
        return $this->attempts;
    }
}

/** invalid_code: the refresh token is invalid or revoked. */
class InvalidGrantException extends TokenException
{
}

/** invalid_client: wrong client id or data centre. */
class InvalidClientException extends TokenException
{
}

/** invalid_client_secret. */
class InvalidClientSecretException extends TokenException
{
}

/** Zoho's "Access Denied" throttle: back off, do not retry now. */
class ThrottledException extends TokenException
{
}

/** Network errors or HTTP 5xx, still failing after the retries. */
class TransientException extends TokenException
{
}

/** Throw this (or any exception with code 401) from a withRetryOnInvalidToken() callback. */
class InvalidTokenException extends ZohoOAuthException
{
    public function __construct(string $message = 'access token rejected (HTTP 401)')
    {
        parent::__construct($message, 401);
    }
}

/** Hands out Zoho access tokens, refreshing them when needed. */
final class ZohoOAuth
{
    /** ZOHO_DC values and their accounts servers. */
    public const DATA_CENTRES = [
        'us' => 'https://accounts.zoho.com', 'eu' => 'https://accounts.zoho.eu',
        'in' => 'https://accounts.zoho.in', 'au' => 'https://accounts.zoho.com.au',
        'cn' => 'https://accounts.zoho.com.cn', 'jp' => 'https://accounts.zoho.jp',
        'ca' => 'https://accounts.zohocloud.ca', 'sa' => 'https://accounts.zoho.sa',
        'uk' => 'https://accounts.zoho.uk',
    ];
    /** Seconds after an "Access Denied" throttle during which no refresh is attempted. */
    public const THROTTLE_BACKOFF = 60;
    private const THROTTLED = 'Zoho throttled token requests (Access Denied): back off for several minutes, and reuse tokens (ZOHO_TOKEN_CACHE) instead of refreshing often';

    /** @var array<string, mixed> */
    private $config;
    /** @var string */
    private $refreshTokenHash;
    /** @var array{access_token: string, expires_at: int, api_domain?: string}|null */
    private $token = null;
    /** @var string|null */
    private $apiDomain = null;
    /** @var string|null access token given to invalidate(): never reused from the cache */
    private $rejected = null;
    /** @var int */
    private $throttledUntil = 0;
    /** @var self|null the instance shared() hands out */
    private static $shared = null;
    /** @var \WeakMap|null curl handle objects (PHP 8) => the header lines given to curlHeaders() */
    private $curlObjects = null;
    /** @var array<int, string[]> curl handle resources (PHP 7) => the same */
    private $curlResources = [];

    /**
     * Options (each defaults to its environment variable): client_id, client_secret,
     * refresh_token, accounts_url, dc (us, eu, in, au, cn, jp, ca, sa, uk; default us),
     * cache_file; and margin (seconds before expiry to refresh, default 300),
     * max_attempts (default 3), retry_base_ms (default 200), timeout (seconds, default 30),
     * clock (callable returning unix seconds, for tests).
     *
     * @param array<string, mixed> $options
     * @throws ConfigException when a setting is missing or invalid
     */
    public function __construct(array $options = [])
    {
        $get = static function (string $key, string $env) use ($options): string {
            $value = $options[$key] ?? getenv($env);
            return trim((string) ($value === false ? '' : $value));
        };
        $c = [];
        $missing = [];
        foreach (['client_id' => 'ZOHO_CLIENT_ID', 'client_secret' => 'ZOHO_CLIENT_SECRET',
                  'refresh_token' => 'ZOHO_REFRESH_TOKEN'] as $key => $env) {
            $c[$key] = $get($key, $env);
            if ($c[$key] === '') {
                $missing[] = $env;
            }
        }
        if ($missing) {
            throw new ConfigException($missing, count($missing) === 1 ? 'is not set' : 'are not set');
        }
        $c['accounts_url'] = $get('accounts_url', 'ZOHO_ACCOUNTS_URL');
        if ($c['accounts_url'] === '') {
            $dc = strtolower($get('dc', 'ZOHO_DC'));
            if (!isset(self::DATA_CENTRES[$dc === '' ? 'us' : $dc])) {
                throw new ConfigException(['ZOHO_DC'], '"' . $dc . '" is not a Zoho data centre (' . implode(', ', array_keys(self::DATA_CENTRES)) . ')');
            }
            $c['accounts_url'] = self::DATA_CENTRES[$dc === '' ? 'us' : $dc];
        }
        $c['accounts_url'] = rtrim($c['accounts_url'], '/');
        $c['cache_file'] = $get('cache_file', 'ZOHO_TOKEN_CACHE');
        $retryBase = $get('retry_base_ms', 'ZOHO_RETRY_BASE_MS');
        if ($retryBase !== '' && !preg_match('/^\d+$/', $retryBase)) {
            throw new ConfigException(['ZOHO_RETRY_BASE_MS'], 'is not a number of milliseconds');
        }
        $c['retry_base_ms'] = $retryBase === '' ? 200 : (int) $retryBase;
        $c['margin'] = (int) ($options['margin'] ?? 300);
        $c['max_attempts'] = max(1, (int) ($options['max_attempts'] ?? 3));
        $c['timeout'] = (int) ($options['timeout'] ?? 30);
        $c['clock'] = $options['clock'] ?? null;
        $this->config = $c;
        $this->refreshTokenHash = hash('sha256', $c['refresh_token']);
    }

    /**
     * The process-wide instance, configured from the environment on first use. Code migrated
     * by `authtoken-migrate fix` calls this, so loading this file never needs the configuration;
     * the first request does (a missing variable is a ConfigException naming it).
     *
     * @throws ConfigException
     */
    public static function shared(): self
    {
        if (self::$shared === null) {
            self::$shared = new self();
        }
        return self::$shared;
    }

    /**
     * A valid access token, refreshed first if absent or within the margin of expiry.
     *
     * @throws ZohoOAuthException (TokenException subclasses on refresh failures)
     */
    public function getAccessToken(): string
    {
        if ($this->token === null || !$this->usable($this->token)) {
            $this->refresh();
        }
        return $this->token['access_token'];
    }

    /** The Authorization header value: "Zoho-oauthtoken <token>". */
    public function getAuthorizationHeader(): string
    {
        return 'Zoho-oauthtoken ' . $this->getAccessToken();
    }

    /** api_domain of the latest token (e.g. "https://www.zohoapis.eu"), or null. */
    public function getApiDomain(): ?string
    {
        return $this->apiDomain;
    }

    /** Forgets the current token (after a 401 INVALID_TOKEN); it is not reused from the cache. */
    public function invalidate(): void
    {
        if ($this->token !== null) {
            $this->rejected = $this->token['access_token'];
            $this->token = null;
        }
    }

    /**
     * Calls $fn(authorizationHeader) and returns its result. If $fn reports a 401 (it throws
     * an exception with code 401, e.g. InvalidTokenException or Guzzle's ClientException, or
     * returns a PSR-7 response with status 401 or a WordPress wp_remote_*() response array
     * with code 401, or, for file_get_contents()/fopen() on PHP's http wrapper, returns false
     * with the wrapper's "HTTP request failed! HTTP/1.1 401" warning, also when an error
     * handler turned it into an ErrorException), the token is invalidated and $fn is called
     * once more with a fresh header.
     *
     * @return mixed what $fn returns
     */
    public function withRetryOnInvalidToken(callable $fn)
    {
        for ($attempt = 1;; $attempt++) {
            error_clear_last();
            try {
                $result = $fn($this->getAuthorizationHeader());
            } catch (\Throwable $e) {
                if ($attempt === 2 || ($e->getCode() !== 401 && !($e instanceof \ErrorException && self::http401($e->getMessage())))) {
                    throw $e;
                }
                $this->invalidate();
                continue;
            }
            $error = $result === false ? error_get_last() : null;
            if ($attempt === 2 || !(self::unauthorized($result) || ($error !== null && self::http401((string) $error['message'])))) {
                return $result;
            }
            $this->invalidate();
        }
    }

    /** True for the warning PHP's http stream wrapper gives on a 401 answer. */
    private static function http401(string $message): bool
    {
        return preg_match('~HTTP request failed! HTTP/[0-9.]+ 401\b~', $message) === 1;
    }

    /**
     * The CURLOPT_HTTPHEADER list for a curl handle: $headers without any Authorization line,
     * then "Authorization: Zoho-oauthtoken <token>". The lines are remembered for curlExec().
     *
     *     curl_setopt($ch, CURLOPT_HTTPHEADER, $zoho->curlHeaders($ch, ['Accept: application/json']));
     *
     * @param resource|\CurlHandle $ch
     * @param string[] $headers
     * @return string[]
     */
    public function curlHeaders($ch, array $headers = []): array
    {
        $lines = [];
        foreach ($headers as $line) {
            if (stripos(ltrim((string) $line), 'authorization:') !== 0) {
                $lines[] = (string) $line;
            }
        }
        if (is_object($ch)) {
            if ($this->curlObjects === null) {
                $this->curlObjects = new \WeakMap(); // PHP 8: CurlHandle objects
            }
            $this->curlObjects[$ch] = $lines;
        } else {
            $this->curlResources[(int) $ch] = $lines;
        }
        $lines[] = 'Authorization: ' . $this->getAuthorizationHeader();
        return $lines;
    }

    /**
     * curl_exec($ch), once more after a 401 when the handle's headers came from curlHeaders():
     * the token is invalidated and the header list set again with a fresh one. Use it with
     * CURLOPT_RETURNTRANSFER (otherwise the 401 answer's body is printed too). Returns what
     * curl_exec returns.
     *
     * @param resource|\CurlHandle $ch
     * @return string|bool
     */
    public function curlExec($ch)
    {
        $result = curl_exec($ch);
        if (is_object($ch)) {
            $lines = $this->curlObjects !== null && isset($this->curlObjects[$ch]) ? $this->curlObjects[$ch] : null;
        } else {
            $lines = $this->curlResources[(int) $ch] ?? null;
        }
        if ($result === false || $lines === null || (int) curl_getinfo($ch, CURLINFO_RESPONSE_CODE) !== 401) {
            return $result;
        }
        $this->invalidate();
        curl_setopt($ch, CURLOPT_HTTPHEADER, $this->curlHeaders($ch, $lines));
        return curl_exec($ch);
    }

    /** @param mixed $result a PSR-7 response, a WordPress response array, or anything else */
    private static function unauthorized($result): bool
    {
        if (is_object($result) && method_exists($result, 'getStatusCode')) {
            return $result->getStatusCode() === 401;
        }
        return is_array($result) && is_array($result['response'] ?? null) && (int) ($result['response']['code'] ?? 0) === 401;
    }

    private function now(): int
    {
        return (int) ($this->config['clock'] ? ($this->config['clock'])() : time());
    }

    /** @param array<string, mixed> $t */
    private function usable(array $t): bool
    {
        return ($t['access_token'] ?? '') !== '' && $t['access_token'] !== $this->rejected
            && $this->now() < (int) ($t['expires_at'] ?? 0) - $this->config['margin'];
    }

    /** Refreshes; with a cache file, under an exclusive lock shared by all processes. */
    private function refresh(): void
    {
        $lock = null;
        if ($this->config['cache_file'] !== '') {
            $lock = @fopen($this->config['cache_file'] . '.lock', 'c');
            if ($lock === false || !flock($lock, LOCK_EX)) {
                throw new ZohoOAuthException('cannot open or lock the ZOHO_TOKEN_CACHE lock file');
            }
            @chmod($this->config['cache_file'] . '.lock', 0600);
        }
        try {
            $cached = $lock ? $this->readCache() : null;
            if ($cached !== null && $this->usable($cached)) {
                $this->store($cached);
                return;
            }
            $this->throttledUntil = max($this->throttledUntil, (int) ($cached['throttled_until'] ?? 0));
            if ($this->now() < $this->throttledUntil) {
                throw new ThrottledException(self::THROTTLED, null, 0, 0); // still backing off
            }
            try {
                $entry = $this->requestToken();
            } catch (ThrottledException $e) {
                $this->throttledUntil = $this->now() + self::THROTTLE_BACKOFF;
                if ($lock) { // make other processes back off too
                    $this->writeCache(['throttled_until' => $this->throttledUntil]);
                }
                throw $e;
            }
            $this->store($entry);
            if ($lock) {
                $this->writeCache($entry);
            }
        } finally {
            if ($lock) {
                flock($lock, LOCK_UN);
                fclose($lock);
            }
        }
    }

    /** @param array<string, mixed> $entry */
    private function store(array $entry): void
    {
        $this->token = $entry;
        if (($entry['api_domain'] ?? '') !== '') {
            $this->apiDomain = $entry['api_domain'];
        }
    }

    /**
     * POSTs the refresh grant; network errors and 5xx are retried with exponential
     * backoff and full jitter. Secrets stay in $this->config (never function arguments,
     * which stack traces would show).
     *
     * @return array<string, mixed> the cache entry
     */
    private function requestToken(): array
    {
        if (!function_exists('curl_init')) {
            throw new ZohoOAuthException('the PHP curl extension is required (Debian: php-curl)');
        }
        $c = $this->config;
        for ($attempt = 1;; $attempt++) {
            $ch = curl_init($c['accounts_url'] . '/oauth/v2/token');
            curl_setopt_array($ch, [
                CURLOPT_POST => true,
                CURLOPT_POSTFIELDS => http_build_query(['grant_type' => 'refresh_token',
                    'client_id' => $c['client_id'], 'client_secret' => $c['client_secret'],
                    'refresh_token' => $c['refresh_token']]),
                CURLOPT_RETURNTRANSFER => true,
                CURLOPT_HTTPHEADER => ['Accept: application/json'],
                CURLOPT_CONNECTTIMEOUT => min(10, $c['timeout']),
                CURLOPT_TIMEOUT => $c['timeout'],
            ]);
            $body = curl_exec($ch);
            $status = (int) curl_getinfo($ch, CURLINFO_RESPONSE_CODE);
            $cause = is_string($body) ? '' : curl_error($ch);
            unset($ch);
            if (is_string($body) && $status < 500) {
                $r = json_decode($body, true);
                unset($body);
                return $this->parse(is_array($r) ? $r : [], $status, $attempt);
            }
            if ($attempt >= $c['max_attempts']) {
                throw new TransientException('token endpoint unreachable or failing (network error or HTTP 5xx); try again later', null, $status, $attempt, $cause);
            }
            usleep(random_int(0, $c['retry_base_ms'] * 1000 * (2 ** ($attempt - 1))));
        }
    }

    /**
     * @param array<string, mixed> $r decoded answer
     * @return array<string, mixed>
     */
    private function parse(array $r, int $status, int $attempts): array
    {
        if (!is_string($r['access_token'] ?? null) || $r['access_token'] === '') {
            $error = is_string($r['error'] ?? null) ? $r['error'] : '';
            // Keep the code only if it cannot be a token.
            $code = preg_match('/^[A-Za-z _]{1,40}$/', $error) ? $error : null;
            if ($error === 'invalid_code') {
                throw new InvalidGrantException('refresh token is invalid or revoked: generate a new one (self-client or consent flow)', $code, $status, $attempts);
            } elseif ($error === 'invalid_client') {
                throw new InvalidClientException('client id unknown in this data centre: check ZOHO_CLIENT_ID / ZOHO_DC', $code, $status, $attempts);
            } elseif ($error === 'invalid_client_secret') {
                throw new InvalidClientSecretException('client secret rejected: check ZOHO_CLIENT_SECRET', $code, $status, $attempts);
            } elseif ($error === 'Access Denied' || $error === '拒绝访问' || $status === 429) {
                throw new ThrottledException(self::THROTTLED, $code, $status, $attempts);
            }
            throw new TokenException('token endpoint answered without an access token', $code, $status, $attempts);
        }
        if (isset($r['expires_in_sec'])) {
            $lifetime = (float) $r['expires_in_sec']; // older answers: expires_in is in milliseconds
        } else {
            $lifetime = isset($r['expires_in']) ? (float) $r['expires_in'] : 3600.0; // sometimes omitted
        }
        return ['access_token' => $r['access_token'], 'expires_at' => $this->now() + (int) $lifetime,
            'api_domain' => is_string($r['api_domain'] ?? null) ? $r['api_domain'] : ''];
    }

    /** @return array<string, mixed>|null the cache entry if it belongs to this client id and refresh token */
    private function readCache(): ?array
    {
        $data = @file_get_contents($this->config['cache_file']);
        $e = is_string($data) ? json_decode($data, true) : null;
        if (!is_array($e) || ($e['client_id'] ?? '') !== $this->config['client_id']
            || ($e['refresh_token_hash'] ?? '') !== $this->refreshTokenHash) {
            return null;
        }
        return $e;
    }

    /**
     * Replaces the cache file atomically (temp file + rename), mode 0600. The entry never
     * holds the refresh token or secret, only a hash binding it to this configuration.
     *
     * @param array<string, mixed> $entry
     */
    private function writeCache(array $entry): void
    {
        $path = $this->config['cache_file'];
        $entry += ['access_token' => '', 'expires_at' => 0, 'api_domain' => '',
            'client_id' => $this->config['client_id'], 'refresh_token_hash' => $this->refreshTokenHash];
        $tmp = is_dir(dirname($path)) ? @tempnam(dirname($path), basename($path) . '.tmp-') : false;
        if ($tmp === false || !@chmod($tmp, 0600) || @file_put_contents($tmp, json_encode($entry, JSON_UNESCAPED_SLASHES)) === false
            || !@rename($tmp, $path)) {
            if ($tmp !== false) {
                @unlink($tmp);
            }
            throw new ZohoOAuthException('cannot write ZOHO_TOKEN_CACHE (check the directory exists and is writable)');
        }
    }
}
