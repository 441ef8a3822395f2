// Scenario tests for the generated JavaScript helper against the mock Zoho server.
// Env: ATM_MOCK_URL, ATM_HELPER_DIR, ATM_TEST_TMP, ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET (see
// tests/helpers/run-helper-test.sh). Prints one line per scenario and "N passed, M failed".
// Token values are never printed: assertions use messages of their own.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import fs from 'node:fs';
import path from 'node:path';
import util from 'node:util';

const MOCK = process.env.ATM_MOCK_URL;
const HELPER = path.join(process.env.ATM_HELPER_DIR, 'zoho-oauth.cjs');
const TMP = process.env.ATM_TEST_TMP;
const CLIENT_ID = process.env.ZOHO_CLIENT_ID;
const SECRET = process.env.ZOHO_CLIENT_SECRET;
const HERE = path.dirname(new URL(import.meta.url).pathname);

const cjs = createRequire(import.meta.url)(HELPER);
const esm = await import(pathToFileURL(HELPER).href);
const { ZohoOAuth, ZohoOAuthError, ConfigurationError, InvalidGrantError, InvalidClientError,
  InvalidClientSecretError, ThrottledError, TransientError } = esm;

// Every secret value the tests saw; no error text may contain any of them.
const secrets = new Set([SECRET]);
const errorTexts = [];
function remember(err) {
  errorTexts.push(String(err), err.stack || '', util.inspect(err), JSON.stringify(err));
  return err;
}

function check(cond, message) { if (!cond) throw new Error(message); }

async function admin(method, p, body) {
  const res = await fetch(`${MOCK}/__admin/${p}`, {
    method, headers: body ? { 'Content-Type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await res.json();
  if (res.status !== 200) throw new Error(`admin ${method} ${p}: HTTP ${res.status} ${json.error || ''}`);
  return json;
}
const stats = () => admin('GET', 'stats');

// The helper's clock follows the mock's: advancing one advances the other.
let clockOffsetMs = 0;
const now = () => Date.now() + clockOffsetMs;
async function advance(seconds) {
  await admin('POST', 'clock/advance', { seconds });
  clockOffsetMs += seconds * 1000;
}

/** Fresh mock state and refresh token for each scenario. */
async function fresh() {
  await admin('POST', 'reset');
  clockOffsetMs = 0;
  const { refresh_token: rt } = await admin('POST', 'refresh-tokens', { client_id: CLIENT_ID, scope: 'ZohoCRM.modules.ALL' });
  secrets.add(rt);
  return rt;
}
function client(refreshToken, extra = {}) {
  return new ZohoOAuth({ refreshToken, now, retryBaseMs: 1, cacheFile: null, ...extra });
}
async function token(auth) {
  const t = await auth.getAccessToken();
  secrets.add(t);
  return t;
}
async function rejects(promise, Type) {
  try {
    await promise;
  } catch (err) {
    remember(err);
    check(err instanceof Type, `expected ${Type.name}, got ${err && err.name}: ${err && err.message}`);
    check(err instanceof ZohoOAuthError && err instanceof Error, 'error extends ZohoOAuthError');
    return err;
  }
  throw new Error(`expected ${Type.name}, got success`);
}
function runChild(env) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(HERE, 'child.cjs')], { env: { ...process.env, ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    child.on('close', (code) => resolve({ code, out: out.trim(), err: err.trim() }));
  });
}

const scenarios = [];
const scenario = (name, fn) => scenarios.push({ name, fn });

scenario('CommonJS require and ESM import expose the same classes', async () => {
  check(cjs.ZohoOAuth === ZohoOAuth && cjs.ThrottledError === ThrottledError, 'same exports');
  check(typeof cjs.DATA_CENTRES.eu === 'string', 'DATA_CENTRES exported');
});

scenario('first call refreshes; header, api_domain', async () => {
  const rt = await fresh();
  const auth = client(rt);
  await token(auth);
  check((await stats()).token_requests === 1, 'one token request');
  const header = await auth.getAuthorizationHeader();
  check(header.startsWith('Zoho-oauthtoken ') && header.length > 30, 'header starts with "Zoho-oauthtoken "');
  check(auth.apiDomain === `${MOCK}/zohoapis/us`, `api_domain kept (${auth.apiDomain})`);
});

scenario('second call uses the in-memory token', async () => {
  const rt = await fresh();
  const auth = client(rt);
  const a = await token(auth);
  const b = await token(auth);
  check(a === b, 'same token');
  check((await stats()).token_requests === 1, 'still one token request');
});

scenario('refresh once within the margin of expiry (seconds style)', async () => {
  const rt = await fresh();
  const auth = client(rt);
  const a = await token(auth);
  await advance(3000); // 600 s left > 300 s margin
  check((await token(auth)) === a, 'token kept 600 s before expiry');
  check((await stats()).token_requests === 1, 'no refresh before margin');
  await advance(301); // 299 s left
  check((await token(auth)) !== a, 'new token inside the margin');
  check((await stats()).token_requests === 2, 'refreshed inside margin');
});

scenario('configurable margin', async () => {
  const rt = await fresh();
  const auth = client(rt, { marginSeconds: 10 });
  await token(auth);
  await advance(3580);
  await token(auth);
  check((await stats()).token_requests === 1, 'no refresh with 20 s left and a 10 s margin');
  await advance(15);
  await token(auth);
  check((await stats()).token_requests === 2, 'refresh with 5 s left');
});

scenario('milliseconds style with expires_in_sec: valid ~1 h', async () => {
  const rt = await fresh();
  await admin('POST', 'settings', { expires_in_style: 'milliseconds' });
  const auth = client(rt);
  await token(auth);
  await advance(3000);
  await token(auth);
  check((await stats()).token_requests === 1, 'not treated as 3.6 s');
  await advance(301);
  await token(auth);
  check((await stats()).token_requests === 2, 'not treated as 1000 h');
});

scenario('response without expires_in: assume 3600 s', async () => {
  const rt = await fresh();
  await admin('POST', 'faults', { missing_expires_in_next: 1 });
  const auth = client(rt);
  await token(auth);
  await advance(3000);
  await token(auth);
  check((await stats()).token_requests === 1, 'token kept for 3000 s');
  await advance(301);
  await token(auth);
  check((await stats()).token_requests === 2, 'refreshed near 3600 s');
});

scenario('revoked refresh token: InvalidGrantError, not retried', async () => {
  const rt = await fresh();
  await admin('POST', 'revoke', { token: rt });
  const err = await rejects(client(rt).getAccessToken(), InvalidGrantError);
  check(err.code === 'invalid_code' && /revoked/.test(err.message), 'says the refresh token is revoked');
  check((await stats()).token_requests === 1, 'exactly one request');
});

scenario('invalid client secret: InvalidClientSecretError', async () => {
  const rt = await fresh();
  const err = await rejects(client(rt, { clientSecret: '0123456789abcdef0123456789abcdef01234567' }).getAccessToken(), InvalidClientSecretError);
  check(err.message.includes('ZOHO_CLIENT_SECRET'), 'names ZOHO_CLIENT_SECRET');
  check((await stats()).token_requests === 1, 'not retried');
});

scenario('unknown client id: InvalidClientError', async () => {
  const rt = await fresh();
  const err = await rejects(client(rt, { clientId: '1000.UNKNOWNCLIENT000000000000000000' }).getAccessToken(), InvalidClientError);
  check(err.message.includes('ZOHO_CLIENT_ID') && err.message.includes('ZOHO_DC'), 'names ZOHO_CLIENT_ID / ZOHO_DC');
});

scenario('2 x 503 injected: retried, then succeeds (3 requests)', async () => {
  const rt = await fresh();
  await admin('POST', 'faults', { fail_next_token_requests: 2, status: 503 });
  await token(client(rt));
  const s = await stats();
  check(s.faults_injected === 2 && s.token_requests === 1, `3 requests (faulted ${s.faults_injected}, served ${s.token_requests})`);
});

scenario('dropped connection: retried as a network error', async () => {
  const rt = await fresh();
  await admin('POST', 'faults', { drop_next_token_requests: 1 });
  await token(client(rt));
  const s = await stats();
  check(s.dropped_connections === 1 && s.token_requests === 1, 'one drop, then success');
});

scenario('persistent 5xx: TransientError after 3 attempts', async () => {
  const rt = await fresh();
  await admin('POST', 'faults', { fail_next_token_requests: 10, status: 500 });
  const err = await rejects(client(rt).getAccessToken(), TransientError);
  check(/3 attempts/.test(err.message) && /HTTP 500/.test(err.message), `message: ${err.message}`);
  check((await stats()).faults_injected === 3, 'exactly 3 attempts');
});

scenario('retry base from ZOHO_RETRY_BASE_MS; backoff is bounded', async () => {
  const rt = await fresh();
  const env = { ...process.env, ZOHO_REFRESH_TOKEN: rt, ZOHO_RETRY_BASE_MS: '5' };
  const auth = new ZohoOAuth({ env, cacheFile: null });
  check(auth.retryBaseMs === 5, 'read ZOHO_RETRY_BASE_MS');
  await admin('POST', 'faults', { fail_next_token_requests: 3, status: 502 });
  const started = Date.now();
  await rejects(auth.getAccessToken(), TransientError);
  check(Date.now() - started < 2000, 'no long sleeps with a 5 ms base');
});

scenario('network error (nothing listening): TransientError', async () => {
  const rt = await fresh();
  const err = await rejects(client(rt, { accountsUrl: 'http://127.0.0.1:9' }).getAccessToken(), TransientError);
  check(/network error/.test(err.message), `message: ${err.message}`);
});

scenario('throttle: ThrottledError with exactly one request', async () => {
  const rt = await fresh();
  await admin('POST', 'limits', { token_requests_per_window: 1 });
  const auth = client(rt);
  await token(auth);
  auth.invalidate();
  await admin('POST', 'stats/reset');
  const err = await rejects(auth.getAccessToken(), ThrottledError);
  check(/back off/.test(err.message), 'says to back off');
  const s = await stats();
  check(s.token_requests === 1 && s.throttled === 1, `one throttled request (made ${s.token_requests})`);
});

scenario('16 concurrent callers: exactly one token request', async () => {
  const rt = await fresh();
  await admin('POST', 'faults', { latency_ms: 150, scope: 'token' });
  const auth = client(rt);
  const tokens = await Promise.all(Array.from({ length: 16 }, () => token(auth)));
  check(new Set(tokens).size === 1, 'all callers got the same token');
  check((await stats()).token_requests === 1, 'one token request');
});

scenario('32 concurrent callers over 4 instances sharing a cache file: one request', async () => {
  const rt = await fresh();
  await admin('POST', 'faults', { latency_ms: 150, scope: 'token' });
  const cacheFile = path.join(TMP, 'shared-instances.json');
  const instances = Array.from({ length: 4 }, () => client(rt, { cacheFile }));
  const tokens = await Promise.all(Array.from({ length: 32 }, (_, i) => token(instances[i % 4])));
  check(new Set(tokens).size === 1, 'same token everywhere');
  check((await stats()).token_requests === 1, 'one token request');
});

scenario('two processes sharing ZOHO_TOKEN_CACHE: one refresh, mode 0600', async () => {
  const rt = await fresh();
  await admin('POST', 'faults', { latency_ms: 200, scope: 'token' });
  const cache = path.join(TMP, 'procs', 'token-cache.json');
  const env = { ZOHO_REFRESH_TOKEN: rt, ZOHO_TOKEN_CACHE: cache, HELPER, START_AT: String(Date.now() + 400) };
  const [a, b] = await Promise.all([runChild(env), runChild(env)]);
  check(a.code === 0 && b.code === 0, `children succeeded (${a.err} ${b.err})`);
  check(a.out === b.out && a.out.length === 16, 'both processes got the same token');
  check((await stats()).token_requests === 1, `one refresh in total (made ${(await stats()).token_requests})`);
  check((fs.statSync(cache).mode & 0o777) === 0o600, 'cache file mode 0600');
  check(!fs.existsSync(`${cache}.lock`), 'lock file removed');
  const text = fs.readFileSync(cache, 'utf8');
  check(!text.includes(rt) && !text.includes(SECRET), 'cache holds neither refresh token nor secret');
  const entry = JSON.parse(text);
  check(entry.client_id === CLIENT_ID && typeof entry.expires_at === 'number' && entry.refresh_token_hash, 'cache fields');
  secrets.add(entry.access_token);
  // A third process (and this one) reuse the cached token.
  const c = await runChild({ ...env, START_AT: '0' });
  check(c.code === 0 && c.out === a.out, 'third process reused the cache');
  check((await token(client(rt, { cacheFile: cache }))) === entry.access_token, 'in-process reuse');
  check((await stats()).token_requests === 1, 'still one refresh');
});

scenario('cache entry of another refresh token is ignored', async () => {
  const rt = await fresh();
  const cacheFile = path.join(TMP, 'bound.json');
  await token(client(rt, { cacheFile }));
  const { refresh_token: other } = await admin('POST', 'refresh-tokens', { client_id: CLIENT_ID, scope: 'ZohoCRM.modules.ALL' });
  secrets.add(other);
  await token(client(other, { cacheFile }));
  check((await stats()).token_requests === 2, 'second refresh token refreshed on its own');
});

scenario('stale lock (owner process gone) is broken', async () => {
  const rt = await fresh();
  const cacheFile = path.join(TMP, 'stale.json');
  const dead = await runChild({ HELPER, PRINT_PID: '1' });
  fs.writeFileSync(`${cacheFile}.lock`, `${dead.out}\n`);
  const started = Date.now();
  await token(client(rt, { cacheFile }));
  check(Date.now() - started < 3000, 'did not wait for the stale lock');
  check(!fs.existsSync(`${cacheFile}.lock`), 'lock released');
});

scenario('old lock (older than lockStaleMs) is broken', async () => {
  const rt = await fresh();
  const cacheFile = path.join(TMP, 'old.json');
  fs.writeFileSync(`${cacheFile}.lock`, `${process.ppid}\n`); // a live process
  const old = new Date(Date.now() - 5000);
  fs.utimesSync(`${cacheFile}.lock`, old, old);
  await token(client(rt, { cacheFile, lockStaleMs: 1000 }));
  check((await stats()).token_requests === 1, 'refreshed after breaking the lock');
});

scenario('resource call with the header returns 200', async () => {
  const rt = await fresh();
  const auth = client(rt);
  const res = await fetch(`${MOCK}/crm/v2/Leads`, { headers: { Authorization: await auth.getAuthorizationHeader() } });
  check(res.status === 200, `GET /crm/v2/Leads: HTTP ${res.status}`);
  const viaApiDomain = await fetch(`${auth.apiDomain}/crm/v2/Leads`, { headers: { Authorization: await auth.getAuthorizationHeader() } });
  check(viaApiDomain.status === 200, 'api_domain URL works');
});

scenario('withRetryOnInvalidToken recovers from a revoked access token (Response 401)', async () => {
  const rt = await fresh();
  const auth = client(rt);
  const first = await token(auth);
  await admin('POST', 'revoke', { token: first });
  const statuses = [];
  const res = await auth.withRetryOnInvalidToken(async (authorization) => {
    const r = await fetch(`${MOCK}/crm/v2/Leads`, { headers: { Authorization: authorization } });
    statuses.push(r.status);
    return r;
  });
  check(res.status === 200 && statuses.join() === '401,200', `statuses ${statuses.join()}`);
  check((await res.json()).data, 'body readable');
  check((await token(auth)) !== first, 'new token');
  check((await stats()).token_requests === 2, 'one extra refresh');
});

scenario('withRetryOnInvalidToken: thrown 401 error, and cache entry of the bad token ignored', async () => {
  const rt = await fresh();
  const cacheFile = path.join(TMP, 'invalidate.json');
  const auth = client(rt, { cacheFile });
  const first = await token(auth);
  await admin('POST', 'revoke', { token: first });
  let calls = 0;
  const out = await auth.withRetryOnInvalidToken(async (authorization) => {
    calls += 1;
    const r = await fetch(`${MOCK}/crm/v2/Leads`, { headers: { Authorization: authorization } });
    if (r.status === 401) throw Object.assign(new Error('HTTP 401'), { status: 401 });
    return r.status;
  });
  check(out === 200 && calls === 2, `recovered (${out}, ${calls} calls)`);
  check(JSON.parse(fs.readFileSync(cacheFile, 'utf8')).access_token !== first, 'cache rewritten');
  // Other errors pass through untouched, without a retry.
  let n = 0;
  await rejects(auth.withRetryOnInvalidToken(() => { n += 1; throw new TransientError('boom', 'x'); }), TransientError);
  check(n === 1, 'non-401 errors are not retried');
});

scenario('invalidate(token) keeps a newer token', async () => {
  const rt = await fresh();
  const auth = client(rt);
  const first = await token(auth);
  auth.invalidate(first);
  const second = await token(auth);
  auth.invalidate(`Zoho-oauthtoken ${first}`); // stale report: keep the new token
  check((await token(auth)) === second, 'newer token kept');
  check((await stats()).token_requests === 2, 'two refreshes');
});

scenario('missing configuration names the variable', async () => {
  const base = { ZOHO_CLIENT_ID: 'id', ZOHO_CLIENT_SECRET: 's', ZOHO_REFRESH_TOKEN: 'r' };
  for (const name of Object.keys(base)) {
    const env = { ...base, [name]: '' };
    let err;
    try { new ZohoOAuth({ env }); } catch (e) { err = remember(e); }
    check(err instanceof ConfigurationError && err.message === `${name} is not set`, `${name}: ${err && err.message}`);
  }
  let err;
  try { new ZohoOAuth({ env: { ...base, ZOHO_DC: 'mars' } }); } catch (e) { err = remember(e); }
  check(err instanceof ConfigurationError && /ZOHO_DC/.test(err.message), 'unknown ZOHO_DC');
  // Code options win over the environment.
  check(new ZohoOAuth({ env: {}, clientId: 'a', clientSecret: 'b', refreshToken: 'c' }).clientId === 'a', 'options');
});

scenario('accounts URL: ZOHO_DC, default us, ZOHO_ACCOUNTS_URL wins', async () => {
  const base = { ZOHO_CLIENT_ID: 'id', ZOHO_CLIENT_SECRET: 's', ZOHO_REFRESH_TOKEN: 'r' };
  const url = (env) => new ZohoOAuth({ env: { ...base, ...env } }).accountsUrl;
  check(url({}) === 'https://accounts.zoho.com', 'default us');
  check(url({ ZOHO_DC: 'eu' }) === 'https://accounts.zoho.eu', 'eu');
  check(url({ ZOHO_DC: 'AU' }) === 'https://accounts.zoho.com.au', 'au');
  check(url({ ZOHO_DC: 'ca' }) === 'https://accounts.zohocloud.ca', 'ca');
  check(url({ ZOHO_DC: 'eu', ZOHO_ACCOUNTS_URL: 'http://127.0.0.1:1/accounts/eu/' }) === 'http://127.0.0.1:1/accounts/eu', 'ZOHO_ACCOUNTS_URL wins');
  check(new ZohoOAuth({ env: { ...base, ZOHO_TOKEN_CACHE: '/x/c.json' } }).cacheFile === '/x/c.json', 'ZOHO_TOKEN_CACHE');
});

scenario('EU data centre through the path prefix', async () => {
  await admin('POST', 'reset');
  const { refresh_token: rt } = await admin('POST', 'refresh-tokens', { client_id: CLIENT_ID, scope: 'ZohoCRM.modules.ALL', dc: 'eu' });
  secrets.add(rt);
  const auth = client(rt, { accountsUrl: `${MOCK}/accounts/eu` });
  await token(auth);
  check(auth.apiDomain === `${MOCK}/zohoapis/eu`, 'eu api_domain');
  await rejects(client(rt).getAccessToken(), InvalidGrantError); // us server: other DC
});

scenario('shared(): one instance from the environment, created on first use', async () => {
  const rt = await fresh();
  const saved = process.env.ZOHO_REFRESH_TOKEN;
  delete process.env.ZOHO_REFRESH_TOKEN;
  try {
    // Loading the module needed no configuration; the first use does, and a failure is not kept.
    let err;
    try { ZohoOAuth.shared(); } catch (e) { err = remember(e); }
    check(err instanceof ConfigurationError && err.message === 'ZOHO_REFRESH_TOKEN is not set', `unconfigured: ${err && err.message}`);
    process.env.ZOHO_REFRESH_TOKEN = rt;
    const first = ZohoOAuth.shared();
    check(first instanceof ZohoOAuth, 'an instance');
    check(ZohoOAuth.shared() === first && cjs.ZohoOAuth.shared() === first, 'the same instance for every caller (require and import)');
    check(first.accountsUrl === MOCK, 'configured from ZOHO_ACCOUNTS_URL');
    const header = await first.getAuthorizationHeader();
    secrets.add(header.replace(/^Zoho-oauthtoken /, ''));
    check(/^Zoho-oauthtoken \S+$/.test(header), 'header from the shared instance');
    const res = await first.withRetryOnInvalidToken((authorization) => fetch(`${MOCK}/crm/v2/Leads`, { headers: { Authorization: authorization } }));
    check(res.status === 200, `shared instance request: HTTP ${res.status}`);
    // Changing the environment later does not replace the instance.
    process.env.ZOHO_REFRESH_TOKEN = 'other';
    check(ZohoOAuth.shared() === first, 'kept after the environment changes');
    check((await stats()).token_requests === 1, 'one refresh');
  } finally {
    if (saved === undefined) delete process.env.ZOHO_REFRESH_TOKEN; else process.env.ZOHO_REFRESH_TOKEN = saved;
  }
});

scenario('no token or secret in any error text or inspected object', async () => {
  const rt = await fresh();
  const auth = client(rt);
  await token(auth);
  const shown = util.inspect(auth, { depth: 5, showHidden: true }) + JSON.stringify(auth);
  for (const s of secrets) check(!shown.includes(s), 'inspect(auth) hides tokens and secrets');
  check(errorTexts.length > 20, 'errors collected');
  for (const text of errorTexts) for (const s of secrets) check(!text.includes(s), 'an error text contains a secret');
});

let passed = 0;
let failed = 0;
for (const { name, fn } of scenarios) {
  try {
    await fn();
    passed += 1;
    console.log(`ok - ${name}`);
  } catch (err) {
    failed += 1;
    console.log(`not ok - ${name}: ${err && err.message}`);
  }
}
await admin('POST', 'reset');
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
