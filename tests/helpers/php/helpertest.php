<?php
// Test program for the generated PHP token-refresh helper, run by run-tests.sh against the
// mock server ($ATM_MOCK_URL, admin API enabled). Prints "PASS name" / "FAIL name: why"
// and a summary line. Never prints a token.
//
// "php helpertest.php HELPER child" is the child mode of the multi-process scenarios: it
// gets a token (ZOHO_TOKEN_CACHE shared) and prints a short hash of it.

declare(strict_types=1);

use ZohoOAuth\ZohoOAuth;
use ZohoOAuth\ZohoOAuthException;
use ZohoOAuth\ConfigException;
use ZohoOAuth\TokenException;
use ZohoOAuth\InvalidGrantException;
use ZohoOAuth\InvalidClientException;
use ZohoOAuth\InvalidClientSecretException;
use ZohoOAuth\ThrottledException;
use ZohoOAuth\TransientException;
use ZohoOAuth\InvalidTokenException;

require $argv[1];

$MOCK = getenv('ATM_MOCK_URL');
$TMP = getenv('ATM_TEST_TMP');
$passed = 0;
$failed = 0;
$secrets = [getenv('ZOHO_CLIENT_SECRET') => true];

function redact(string $s): string
{
    global $secrets;
    foreach (array_keys($secrets) as $t) {
        if ($t !== '') {
            $s = str_replace((string) $t, '<token>', $s);
        }
    }
    return $s;
}

function check(string $name, bool $ok, string $why = ''): void
{
    global $passed, $failed;
    if ($ok) {
        $passed++;
        echo "PASS $name\n";
    } else {
        $failed++;
        echo 'FAIL ' . $name . ': ' . redact($why) . "\n";
    }
}

/** True when neither the message nor the stack trace carries a token or secret. */
function clean(?Throwable $e): bool
{
    global $secrets;
    if ($e === null) {
        return true;
    }
    $text = (string) $e; // message + trace (run with zend.exception_ignore_args=0)
    foreach (array_keys($secrets) as $t) {
        if ($t !== '' && strpos($text, (string) $t) !== false) {
            return false;
        }
    }
    return !preg_match('/1000\.[0-9a-f]{6}/', $text);
}

function describe(?Throwable $e): string
{
    return $e === null ? 'no exception' : get_class($e) . ': ' . $e->getMessage();
}

function http(string $method, string $url, ?array $body = null, array $headers = []): array
{
    $ch = curl_init($url);
    curl_setopt_array($ch, [CURLOPT_CUSTOMREQUEST => $method, CURLOPT_RETURNTRANSFER => true, CURLOPT_TIMEOUT => 20,
        CURLOPT_HTTPHEADER => array_merge(['Content-Type: application/json'], $headers)]);
    if ($body !== null) {
        curl_setopt($ch, CURLOPT_POSTFIELDS, json_encode($body));
    }
    $out = curl_exec($ch);
    $status = (int) curl_getinfo($ch, CURLINFO_RESPONSE_CODE);
    return [$status, is_string($out) ? $out : ''];
}

function admin(string $method, string $path, ?array $body = null): array
{
    global $MOCK;
    [$status, $out] = http($method, "$MOCK/__admin/$path", $body);
    if ($status < 200 || $status >= 300) {
        echo "admin request $path answered $status\n";
        exit(1);
    }
    return json_decode($out, true) ?: [];
}

function stat_(string $key): int
{
    return (int) (admin('GET', 'stats')[$key] ?? -1);
}

/** A reset mock, a fresh refresh token and a clock that follows the mock's clock. */
final class Scenario
{
    public $rt;
    public $offset = 0;

    public function __construct()
    {
        global $secrets;
        admin('POST', 'reset');
        $this->rt = admin('POST', 'refresh-tokens', ['client_id' => getenv('ZOHO_CLIENT_ID'), 'scope' => 'ZohoCRM.modules.ALL'])['refresh_token'];
        $secrets[$this->rt] = true;
    }

    public function advance(int $seconds): void
    {
        admin('POST', 'clock/advance', ['seconds' => $seconds]);
        $this->offset += $seconds;
    }

    public function client(array $options = []): ZohoOAuth
    {
        return new ZohoOAuth($options + ['refresh_token' => $this->rt, 'clock' => function (): int {
            return time() + $this->offset;
        }]);
    }
}

/** Returns [token|null, exception|null]; remembers tokens so output can be checked. */
function token(ZohoOAuth $z): array
{
    global $secrets;
    try {
        $t = $z->getAccessToken();
        $secrets[$t] = true;
        return [$t, null];
    } catch (ZohoOAuthException $e) {
        return [null, $e];
    }
}

/** Starts $n copies of this script in child mode at once; returns their outputs. */
function children(int $n, array $env): array
{
    global $argv;
    $procs = [];
    for ($i = 0; $i < $n; $i++) {
        $procs[] = proc_open([PHP_BINARY, '-d', 'zend.exception_ignore_args=0', __FILE__, $argv[1], 'child'],
            [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes[$i], null, $env + getenv());
    }
    $outs = [];
    foreach ($procs as $i => $p) {
        $outs[] = stream_get_contents($pipes[$i][1]) . stream_get_contents($pipes[$i][2]);
        proc_close($p);
    }
    return $outs;
}

if (($argv[2] ?? '') === 'child') {
    try {
        $t = (new ZohoOAuth())->getAccessToken();
        echo 'token ', substr(hash('sha256', $t), 0, 12), "\n";
    } catch (ZohoOAuthException $e) {
        echo 'error ', get_class($e), "\n";
        exit(1);
    }
    exit(0);
}

putenv('ZOHO_RETRY_BASE_MS=1');
$start = microtime(true);

// --- configuration
try {
    new ZohoOAuth();
    $e = null;
} catch (ConfigException $e) {
}
check('config: missing ZOHO_REFRESH_TOKEN is a ConfigException naming it', $e !== null &&
    $e->getVariables() === ['ZOHO_REFRESH_TOKEN'] && strpos($e->getMessage(), 'ZOHO_REFRESH_TOKEN is not set') !== false, describe($e));
check('config: exceptions extend ZohoOAuthException extends RuntimeException',
    $e instanceof ZohoOAuthException && $e instanceof RuntimeException);
check('config: message has no secret', clean($e));
$id = getenv('ZOHO_CLIENT_ID');
putenv('ZOHO_CLIENT_ID');
try {
    new ZohoOAuth();
    $e = null;
} catch (ConfigException $e) {
}
check('config: several missing variables are all named', $e !== null &&
    strpos($e->getMessage(), 'ZOHO_CLIENT_ID, ZOHO_REFRESH_TOKEN are not set') !== false, describe($e));
putenv("ZOHO_CLIENT_ID=$id");
$acc = getenv('ZOHO_ACCOUNTS_URL');
putenv('ZOHO_ACCOUNTS_URL');
try {
    new ZohoOAuth(['refresh_token' => 'x', 'dc' => 'xx']);
    $e = null;
} catch (ConfigException $e) {
}
check('config: unknown ZOHO_DC is a ConfigException naming ZOHO_DC', $e !== null && $e->getVariables() === ['ZOHO_DC'], describe($e));
try {
    new ZohoOAuth(['refresh_token' => 'x', 'dc' => 'EU']);
    $e = null;
} catch (ConfigException $e) {
}
check('config: ZOHO_DC eu accepted; options override the environment', $e === null, describe($e));
check('config: data centre table', count(ZohoOAuth::DATA_CENTRES) === 9 &&
    ZohoOAuth::DATA_CENTRES['ca'] === 'https://accounts.zohocloud.ca' && ZohoOAuth::DATA_CENTRES['au'] === 'https://accounts.zoho.com.au');
putenv("ZOHO_ACCOUNTS_URL=$acc");

// --- refresh, memory reuse, expiry
$s = new Scenario();
$z = $s->client();
[$t, $e] = token($z);
check('first call refreshes once', $t !== null && stat_('token_requests') === 1, describe($e));
check('api domain kept', strpos((string) $z->getApiDomain(), "$MOCK/zohoapis/") === 0, (string) $z->getApiDomain());
[$t2] = token($z);
$h = $z->getAuthorizationHeader();
check('second call and header use the in-memory token', $t2 === $t && stat_('token_requests') === 1);
check("authorization header is 'Zoho-oauthtoken <token>'", $h === "Zoho-oauthtoken $t");
$s->advance(3600 - 300 - 60);
token($z);
check('not refreshed before expiry - margin', stat_('token_requests') === 1);
$s->advance(61);
[$t3, $e] = token($z);
check('clock past expiry - margin refreshes', $t3 !== null && $t3 !== $t && stat_('token_requests') === 2, describe($e));

$s = new Scenario();
$z = $s->client(['margin' => 30]);
token($z);
$s->advance(3500);
token($z);
$ok = stat_('token_requests') === 1;
$s->advance(80);
token($z);
check('configurable margin', $ok && stat_('token_requests') === 2);

function validAboutAnHour(string $name, Scenario $s): void
{
    $z = $s->client();
    [$t, $e] = token($z);
    $s->advance(50 * 60);
    token($z);
    $ok = $t !== null && stat_('token_requests') === 1;
    $s->advance(6 * 60);
    token($z);
    check($name, $ok && stat_('token_requests') === 2, describe($e) . ' requests ' . stat_('token_requests'));
}
$s = new Scenario();
admin('POST', 'settings', ['expires_in_style' => 'milliseconds']);
validAboutAnHour('expires_in in ms (with expires_in_sec) means ~1 h', $s);
$s = new Scenario();
admin('POST', 'faults', ['missing_expires_in_next' => 1]);
validAboutAnHour('missing expires_in is taken as 3600 s', $s);

// --- typed errors
$s = new Scenario();
admin('POST', 'revoke', ['token' => $s->rt]);
[, $e] = token($s->client());
check('revoked refresh token: InvalidGrantException', $e instanceof InvalidGrantException &&
    $e->getZohoError() === 'invalid_code' && strpos($e->getMessage(), 'generate a new one') !== false, describe($e));
check('revoked refresh token: not retried', stat_('token_requests') === 1);
check('revoked refresh token: message and trace have no token', clean($e));

$s = new Scenario();
$bad = '0000000000000000000000000000000000000bad';
$secrets[$bad] = true;
[, $e] = token($s->client(['client_secret' => $bad]));
check('wrong secret: InvalidClientSecretException naming ZOHO_CLIENT_SECRET', $e instanceof InvalidClientSecretException &&
    strpos($e->getMessage(), 'ZOHO_CLIENT_SECRET') !== false && stat_('token_requests') === 1, describe($e));
check('wrong secret: message and trace have no secret', clean($e));
[, $e] = token($s->client(['client_id' => '1000.UNKNOWNCLIENT0000000000000000']));
check('unknown client: InvalidClientException', $e instanceof InvalidClientException && strpos($e->getMessage(), 'ZOHO_DC') !== false, describe($e));
[, $e] = token($s->client(['accounts_url' => "$MOCK/nowhere"]));
check('non-token answer: TokenException', $e instanceof TokenException && get_class($e) === TokenException::class && clean($e), describe($e));

// --- retries
$s = new Scenario();
admin('POST', 'faults', ['fail_next_token_requests' => 2, 'status' => 503]);
[$t, $e] = token($s->client());
$n = stat_('token_requests') + stat_('faults_injected');
check('2 x 503 retried, then success (3 requests)', $t !== null && $n === 3, describe($e) . " requests $n");
$s = new Scenario();
admin('POST', 'faults', ['fail_next_token_requests' => 10, 'status' => 500]);
[, $e] = token($s->client());
check('persistent 5xx: TransientException after 3 attempts', $e instanceof TransientException &&
    $e->getAttempts() === 3 && $e->getHttpStatus() === 500 && stat_('faults_injected') === 3, describe($e));
$s = new Scenario();
admin('POST', 'faults', ['fail_next_token_requests' => 10, 'status' => 502]);
$t0 = microtime(true);
[, $e] = token($s->client(['max_attempts' => 5, 'retry_base_ms' => 40]));
$el = microtime(true) - $t0;
check('backoff bounded by max_attempts with exponential cap', $e instanceof TransientException &&
    stat_('faults_injected') === 5 && $el < 3, describe($e) . " after $el s");
$s = new Scenario();
admin('POST', 'faults', ['drop_next_token_requests' => 1]);
[$t, $e] = token($s->client());
check('dropped connection retried', $t !== null && stat_('token_requests') === 1, describe($e));

// --- throttle
$s = new Scenario();
admin('POST', 'limits', ['token_requests_per_window' => 1]);
$z = $s->client();
[$t, $e1] = token($z);
$z->invalidate();
[, $e] = token($z);
check('throttle: ThrottledException telling to back off', $t !== null && $e instanceof ThrottledException &&
    $e->getHttpStatus() === 400 && strpos($e->getMessage(), 'back off') !== false, describe($e));
check('throttle: exactly one request, no retry', stat_('token_requests') === 2 && stat_('throttled') === 1);
for ($i = 0; $i < 5; $i++) {
    [, $e] = token($z);
}
check('throttle: calls right after throw without a request', $e instanceof ThrottledException && stat_('token_requests') === 2);
check('throttle: message has no token', clean($e));

$s = new Scenario();
admin('POST', 'limits', ['token_requests_per_window' => 1]);
@mkdir("$TMP/php-throttle", 0700, true);
$cache = ['cache_file' => "$TMP/php-throttle/token.json"];
$z = $s->client($cache);
token($z);
$z->invalidate();
[, $e1] = token($z);
[, $e2] = token($s->client($cache));
check('throttle: back-off shared through the cache file (next request/process)', $e1 instanceof ThrottledException &&
    $e2 instanceof ThrottledException && stat_('token_requests') === 2, describe($e1) . ' / ' . describe($e2));
$s->advance(ZohoOAuth::THROTTLE_BACKOFF + 1);
admin('POST', 'limits', ['token_requests_per_window' => 10]);
[$t, $e] = token($s->client($cache));
check('throttle: refreshes again after the back-off', $t !== null && stat_('token_requests') === 3, describe($e));

// --- resource call and retry wrapper
function leads(string $h): array
{
    global $MOCK;
    return http('GET', "$MOCK/crm/v2/Leads", null, ["Authorization: $h"]);
}
$s = new Scenario();
$z = $s->client();
[$status] = leads($z->getAuthorizationHeader());
check('resource call with the header: 200', $status === 200, "status $status");
[$t] = token($z);
admin('POST', 'revoke', ['token' => $t]);
$calls = 0;
$status = $z->withRetryOnInvalidToken(function (string $h) use (&$calls): int {
    $calls++;
    [$status] = leads($h);
    if ($status === 401) {
        throw new InvalidTokenException();
    }
    return $status;
});
check('withRetryOnInvalidToken recovers after the access token is revoked', $status === 200 && $calls === 2 &&
    stat_('token_requests') === 2, "status $status calls $calls");
$calls = 0;
try {
    $z->withRetryOnInvalidToken(function (string $h) use (&$calls) {
        $calls++;
        throw new RuntimeException('HTTP 401', 401);
    });
    $e = null;
} catch (RuntimeException $e) {
}
check('withRetryOnInvalidToken retries once, then rethrows', $calls === 2 && $e !== null && $e->getCode() === 401, "calls $calls");
$calls = 0;
$resp = $z->withRetryOnInvalidToken(function (string $h) use (&$calls) {
    $calls++;
    return new class ($calls === 1 ? 401 : 200) {
        private $s;
        public function __construct(int $s) { $this->s = $s; }
        public function getStatusCode(): int { return $this->s; }
    };
});
check('withRetryOnInvalidToken understands PSR-7 style responses', $calls === 2 && $resp->getStatusCode() === 200, "calls $calls");

$calls = 0;
$resp = $z->withRetryOnInvalidToken(function (string $h) use (&$calls) {
    $calls++;
    return ['response' => ['code' => $calls === 1 ? 401 : 200, 'message' => ''], 'body' => ''];
});
check('withRetryOnInvalidToken understands WordPress response arrays', $calls === 2 && $resp['response']['code'] === 200, "calls $calls");
$calls = 0;
$z->withRetryOnInvalidToken(function (string $h) use (&$calls) {
    $calls++;
    return ['response' => 401];
});
check('withRetryOnInvalidToken: other arrays are no 401 answer', $calls === 1, "calls $calls");

// file_get_contents on PHP's http wrapper: a 401 is `false` and a warning.
$s = new Scenario();
$z = $s->client();
[$t] = token($z);
admin('POST', 'revoke', ['token' => $t]);
$calls = 0;
$body = $z->withRetryOnInvalidToken(function (string $h) use (&$calls, $MOCK) {
    $calls++;
    return @file_get_contents("$MOCK/crm/v2/Leads", false, stream_context_create(['http' => ['header' => "Authorization: $h"]]));
});
check('withRetryOnInvalidToken: file_get_contents answered 401 (false + warning) is retried, then 200',
    $calls === 2 && is_string($body) && strpos($body, '"data"') !== false && stat_('token_requests') === 2, "calls $calls");
set_error_handler(function (int $no, string $msg, string $file, int $line): bool {
    throw new ErrorException($msg, 0, $no, $file, $line);
});
[$t] = token($z);
admin('POST', 'revoke', ['token' => $t]);
$calls = 0;
try {
    $body = $z->withRetryOnInvalidToken(function (string $h) use (&$calls, $MOCK) {
        $calls++;
        return file_get_contents("$MOCK/crm/v2/Leads", false, stream_context_create(['http' => ['header' => "Authorization: $h"]]));
    });
    $e = null;
} catch (ErrorException $e) {
}
restore_error_handler();
check('withRetryOnInvalidToken: the same warning as an ErrorException (an error handler) is retried', $e === null && $calls === 2 && is_string($body), describe($e));
$calls = 0;
$r = $z->withRetryOnInvalidToken(function (string $h) use (&$calls, $MOCK) {
    $calls++;
    return @file_get_contents("$MOCK/no/such/path", false, stream_context_create(['http' => ['header' => "Authorization: $h"]]));
});
check('withRetryOnInvalidToken: another failed file_get_contents (404) is not retried', $r === false && $calls === 1, "calls $calls");

// --- shared() and the curl pair (what migrated code calls)
$s = new Scenario();
putenv('ZOHO_REFRESH_TOKEN');
try {
    ZohoOAuth::shared();
    $e = null;
} catch (ConfigException $e) {
}
check('shared(): a missing variable is a ConfigException naming it', $e !== null && $e->getVariables() === ['ZOHO_REFRESH_TOKEN'], describe($e));
putenv("ZOHO_REFRESH_TOKEN={$s->rt}");
$a = ZohoOAuth::shared();
check('shared(): configured from the environment once the variables are set, then the same instance',
    $a instanceof ZohoOAuth && ZohoOAuth::shared() === $a && stat_('token_requests') === 0);
$ch = curl_init("$MOCK/crm/v2/Leads");
$lines = $a->curlHeaders($ch, ['Accept: application/json', 'authorization: Zoho-authtoken 0123', 'X-A: 1']);
$ah = $a->getAuthorizationHeader();
check('curlHeaders(): the lines without their Authorization line, then the OAuth one',
    $lines === ['Accept: application/json', 'X-A: 1', "Authorization: $ah"], json_encode(count($lines)));
curl_setopt_array($ch, [CURLOPT_RETURNTRANSFER => true, CURLOPT_HTTPHEADER => $lines, CURLINFO_HEADER_OUT => true]);
[$t] = token($a);
admin('POST', 'revoke', ['token' => $t]);
$before = stat_('token_requests');
$body = $a->curlExec($ch);
$status = (int) curl_getinfo($ch, CURLINFO_RESPONSE_CODE);
check('curlExec(): after a revoked access token, one refresh and one retry, then 200',
    is_string($body) && $status === 200 && stat_('token_requests') === $before + 1, "status $status");
$sent = (string) curl_getinfo($ch, CURLINFO_HEADER_OUT);
check('curlExec(): the retry sends the other header lines and one fresh Authorization line',
    strpos($sent, "Accept: application/json\r\n") !== false && strpos($sent, "X-A: 1\r\n") !== false &&
    substr_count(strtolower($sent), 'authorization:') === 1 && strpos($sent, 'Authorization: ' . $a->getAuthorizationHeader()) !== false &&
    strpos($sent, $ah) === false);
[$t] = token($a);
admin('POST', 'revoke', ['token' => $t]);
$plain = curl_init("$MOCK/crm/v2/Leads");
curl_setopt_array($plain, [CURLOPT_RETURNTRANSFER => true, CURLOPT_HTTPHEADER => ["Authorization: " . $a->getAuthorizationHeader()]]);
$before = stat_('token_requests');
$a->curlExec($plain);
$status = (int) curl_getinfo($plain, CURLINFO_RESPONSE_CODE);
check('curlExec(): a handle whose headers did not come from curlHeaders() is not retried',
    $status === 401 && stat_('token_requests') === $before, "status $status");
putenv('ZOHO_REFRESH_TOKEN');

// --- cache file
$s = new Scenario();
@mkdir("$TMP/php-cache", 0700, true);
$path = "$TMP/php-cache/token.json";
$cache = ['cache_file' => $path];
[$t, $e] = token($s->client($cache));
clearstatcache();
check('cache file written with mode 0600', $t !== null && is_file($path) && (fileperms($path) & 0777) === 0600, describe($e));
$data = (string) file_get_contents($path);
check('cache holds no refresh token or secret', strpos($data, $s->rt) === false && strpos($data, getenv('ZOHO_CLIENT_SECRET')) === false &&
    strpos($data, '"expires_at"') !== false && strpos($data, '"client_id"') !== false);
check('no temp files left', glob("$path.tmp-*") === []);
$z2 = $s->client($cache);
[$t2] = token($z2);
check('a new instance (next request) reuses the cached token', $t2 === $t && stat_('token_requests') === 1 && $z2->getApiDomain() !== null);
$z2->invalidate();
[$t3] = token($z2);
check('after invalidate() the cached token is not reused', $t3 !== $t && stat_('token_requests') === 2);
$other = new Scenario();
[$t4] = token($other->client($cache));
check('cache entry is bound to the refresh token', $t4 !== null && $t4 !== $t3 && stat_('token_requests') === 1);
[, $e] = token($other->client(['cache_file' => "$TMP/no-such-dir/token.json"]));
check('unusable cache location: clear ZohoOAuthException', $e instanceof ZohoOAuthException && strpos($e->getMessage(), 'ZOHO_TOKEN_CACHE') !== false, describe($e));

// --- processes sharing the cache file
foreach ([2 => 'two processes', 16 => '16 concurrent processes'] as $n => $label) {
    $s = new Scenario();
    admin('POST', 'faults', ['latency_ms' => 300, 'scope' => 'token']);
    @mkdir("$TMP/php-procs-$n", 0700, true);
    $path = "$TMP/php-procs-$n/token.json";
    $outs = children($n, ['ZOHO_REFRESH_TOKEN' => $s->rt, 'ZOHO_TOKEN_CACHE' => $path]);
    $same = count(array_unique($outs)) === 1 && strpos($outs[0], 'token ') === 0;
    check("$label sharing the cache file: one token request", $same && stat_('token_requests') === 1,
        'requests ' . stat_('token_requests') . ' outputs ' . json_encode(array_unique($outs)));
    clearstatcache();
    check("$label: cache file mode 0600", is_file($path) && (fileperms($path) & 0777) === 0600);
}

printf("php program finished in %.1fs\n", microtime(true) - $start);
echo "php program: $passed checks passed, $failed failed\n";
exit($failed > 0 ? 1 : 0);
