#!/usr/bin/env bash
# run-fix-e2e-java.sh CLI
# `fix` end to end for Java (JDK only, javac + java): three small legacy programs with the
# authtoken in the URL (HttpURLConnection GET, HttpURLConnection POST with a JSON body,
# java.net.http HttpClient.send) are refused by `CLI mock-server`; `CLI fix` prints one
# patch, `git apply` applies it (one helper, app/com/example/zoho/ZohoOAuth.java, in the
# programs' source root, imported by each), javac compiles the patched tree, and the
# programs then succeed with the mock's client credentials in the environment, sharing one
# token through ZOHO_TOKEN_CACHE. Past the mock's expiry and after a revoked token (the
# helper's clock still calls the cached token fresh): HttpURLConnection has no retry and
# reports the 401; the java.net.http program (ZohoOAuth.shared().send) gets one 401,
# refreshes once and retries, and the HttpURLConnection programs then read the renewed token.
# Without ZOHO_REFRESH_TOKEN the helper's configuration error reaches the program's own
# error path. Server on 127.0.0.1, ephemeral port.
set -uo pipefail
CLI="$1"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=e2e-common.sh
. "$HERE/e2e-common.sh"
e2e_setup java
command -v javac > /dev/null || die "javac not found (Debian: openjdk-17-jdk-headless)"
command -v java > /dev/null || die "java not found"
command -v curl > /dev/null || die "curl not found"

mkdir -p "$TMP/repo/app"
cat > "$TMP/repo/app/Leads.java" <<'JEOF'
// Legacy Zoho CRM client: the API base and the token come from the environment.
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URL;

public class Leads {
    static int leads(String token) throws IOException {
        URL url = new URL(System.getenv("ZOHO_API_BASE") + "/crm/v2/Leads?authtoken=" + token + "&scope=crmapi&per_page=5");
        HttpURLConnection conn = (HttpURLConnection) url.openConnection();
        conn.setRequestMethod("GET");
        int code = conn.getResponseCode();
        conn.disconnect();
        return code;
    }

    public static void main(String[] args) {
        int code = 0;
        try {
            code = leads(System.getenv("ZOHO_CRM_TOKEN"));
            System.out.println("leads " + code);
        } catch (IOException | RuntimeException e) {
            System.out.println("leads error: " + e.getMessage());
        }
        System.exit(code == 200 ? 0 : 1);
    }
}
JEOF
cat > "$TMP/repo/app/CreateLead.java" <<'JEOF'
// Legacy Zoho CRM client: a POST with a JSON body, the token in the URL.
import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;

public class CreateLead {
    static int create(String token, String name) throws IOException {
        String u = System.getenv("ZOHO_API_BASE") + "/crm/v2/Leads?authtoken=" + token;
        HttpURLConnection conn = (HttpURLConnection) new URL(u).openConnection();
        conn.setRequestMethod("POST");
        conn.setDoOutput(true);
        conn.setRequestProperty("Content-Type", "application/json");
        try (OutputStream out = conn.getOutputStream()) {
            out.write(("{\"data\":[{\"Last_Name\":\"" + name + "\"}]}").getBytes(StandardCharsets.UTF_8));
        }
        return conn.getResponseCode();
    }

    public static void main(String[] args) {
        int code = 0;
        try {
            code = create(System.getenv("ZOHO_CRM_TOKEN"), "Smith");
            System.out.println("create " + code);
        } catch (IOException | RuntimeException e) {
            System.out.println("create error: " + e.getMessage());
        }
        System.exit(code == 201 ? 0 : 1);
    }
}
JEOF

cat > "$TMP/repo/app/JdkLeads.java" <<'JEOF'
// Legacy Zoho CRM client on java.net.http: the token in the URI of the request builder.
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

public class JdkLeads {
    static int leads(HttpClient client, String token) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(System.getenv("ZOHO_API_BASE") + "/crm/v2/Leads?authtoken=" + token))
            .header("Accept", "application/json")
            .GET()
            .build();
        HttpResponse<String> resp = client.send(req, HttpResponse.BodyHandlers.ofString());
        return resp.statusCode();
    }

    public static void main(String[] args) throws InterruptedException {
        int code = 0;
        try {
            code = leads(HttpClient.newHttpClient(), System.getenv("ZOHO_CRM_TOKEN"));
            System.out.println("jdk-leads " + code);
        } catch (IOException | RuntimeException e) {
            System.out.println("jdk-leads error: " + e.getMessage());
        }
        System.exit(code == 200 ? 0 : 1);
    }
}
JEOF

e2e_mock

cd "$TMP/repo" || die "no repo"
git init -q . && git add . && git -c user.email=t@t -c user.name=t commit -qm legacy
build() { rm -rf "$TMP/classes" && javac -encoding UTF-8 -nowarn -d "$TMP/classes" -sourcepath app app/Leads.java app/CreateLead.java app/JdkLeads.java; }
run() { java -cp "$TMP/classes" "$@"; }
build || die "the legacy programs do not compile"

# Before: Zoho refuses the legacy token, in the URL of a GET and of a POST.
OUT0="$(ZOHO_CRM_TOKEN=0123456789abcdef0123456789abcdef run Leads)"; RC0=$?
echo "$OUT0"
[ "$RC0" -eq 1 ] && grep -q '^leads 401' <<< "$OUT0" &&
  pass "the legacy GET program is refused (401)" || fail "the legacy GET program: exit $RC0"
OUT0B="$(ZOHO_CRM_TOKEN=0123456789abcdef0123456789abcdef run CreateLead)"; RC0B=$?
echo "$OUT0B"
[ "$RC0B" -eq 1 ] && grep -q '^create 401' <<< "$OUT0B" &&
  pass "the legacy POST program is refused (401)" || fail "the legacy POST program: exit $RC0B"
OUT0C="$(ZOHO_CRM_TOKEN=0123456789abcdef0123456789abcdef run JdkLeads)"; RC0C=$?
echo "$OUT0C"
[ "$RC0C" -eq 1 ] && grep -q '^jdk-leads 401' <<< "$OUT0C" &&
  pass "the legacy java.net.http program is refused (401)" || fail "the legacy java.net.http program: exit $RC0C"
[ "$(stats legacy_authtoken_requests)" = 3 ] && pass "the mock saw the three legacy authtokens" ||
  fail "legacy_authtoken_requests: $(stats legacy_authtoken_requests) (expected 3)"

"$CLI" fix . > "$TMP/fix.patch" 2> "$TMP/fix.err" || { cat "$TMP/fix.err"; die "fix failed"; }
cat "$TMP/fix.err"
git apply --check "$TMP/fix.patch" && git apply "$TMP/fix.patch" &&
  pass "git apply accepts and applies the patch" || { cat "$TMP/fix.patch"; die "git apply failed"; }
[ -f app/com/example/zoho/ZohoOAuth.java ] && [ "$(grep -c '^+++ b/.*ZohoOAuth.java' "$TMP/fix.patch")" = 1 ] &&
  pass "one helper in the programs' source root (app/com/example/zoho/ZohoOAuth.java)" || fail "helper placement"
if grep -qi 'authtoken' app/Leads.java app/CreateLead.java app/JdkLeads.java; then fail "an authtoken is still in a program"; else
  pass "no authtoken left in the programs"; fi
for f in Leads CreateLead JdkLeads; do
  grep -q '^import com.example.zoho.ZohoOAuth;' "app/$f.java" || fail "app/$f.java does not import the helper"
done
grep -q 'ZohoOAuth.shared().send(client, req, ' app/JdkLeads.java &&
  pass "the java.net.http send goes through the helper's retrying send" || fail "JdkLeads: no ZohoOAuth.shared().send"
build && pass "the patched programs compile (javac)" || die "the patched programs do not compile"
"$CLI" fix --check --quiet . > "$TMP/again.patch" && pass "fix --check on the patched tree: nothing left (idempotent)" ||
  { cat "$TMP/again.patch"; fail "fix --check still finds something to fix"; }
"$CLI" scan . --quiet --color never > "$TMP/rescan" 2>&1
if grep -q 'authtoken' "$TMP/rescan"; then cat "$TMP/rescan"; fail "a re-scan still finds a legacy authtoken"; else
  pass "a re-scan finds no legacy authtoken"; fi

RT=$(admin refresh-tokens "{\"client_id\":\"$ZOHO_CLIENT_ID\",\"scope\":\"ZohoCRM.modules.ALL\"}" |
  sed -n 's/.*"refresh_token" *: *"\([^"]*\)".*/\1/p')
[ -n "$RT" ] || die "the mock did not mint a refresh token"
export ZOHO_REFRESH_TOKEN="$RT"
run_all() { ZOHO_CRM_TOKEN=legacy run Leads && ZOHO_CRM_TOKEN=legacy run CreateLead && ZOHO_CRM_TOKEN=legacy run JdkLeads; }
T0="$(stats token_requests)"
OUT1="$(run_all)"; RC1=$?
echo "$OUT1"
T1="$(stats token_requests)"
[ "$RC1" -eq 0 ] && grep -q '^leads 200' <<< "$OUT1" && grep -q '^create 201' <<< "$OUT1" &&
  grep -q '^jdk-leads 200' <<< "$OUT1" &&
  pass "after the patch the three requests succeed with the OAuth header" || fail "after the patch: exit $RC1"
[ $(( ${T1:-0} - ${T0:-0} )) -eq 1 ] && pass "one token refresh for the three programs (ZOHO_TOKEN_CACHE)" ||
  fail "token requests $T0 -> $T1 (expected one refresh shared through the cache)"

# One phase's resource answers: ANSWERS="denied ok" since the last call.
D0="$(stats resource_denied)" K0="$(stats resource_ok)"
answers() {
  local d k
  d="$(stats resource_denied)" k="$(stats resource_ok)"
  ANSWERS="$((d - D0)) $((k - K0))"
  D0="$d" K0="$k"
}

# The mock's clock jumps past the token's expiry; the helper's clock still calls the cached
# token fresh. HttpURLConnection has no retry: the program reports the 401. The
# java.net.http program gets a 401, renews the token and sends once more; after that the
# HttpURLConnection program reads the renewed token from the cache.
admin clock/advance '{"seconds": 3700}' > /dev/null
answers
OUT2="$(ZOHO_CRM_TOKEN=legacy run Leads)"; RC2=$?
echo "$OUT2"
[ "$RC2" -eq 1 ] && grep -q '^leads 401' <<< "$OUT2" &&
  pass "past the mock's expiry, HttpURLConnection reports the cached token's 401 (no retry)" || fail "past expiry, HttpURLConnection: exit $RC2"
answers
OUT3="$(ZOHO_CRM_TOKEN=legacy run JdkLeads && ZOHO_CRM_TOKEN=legacy run Leads)"; RC3=$?
echo "$OUT3"
T3="$(stats token_requests)"; answers; A3="$ANSWERS"
[ "$RC3" -eq 0 ] && [ $((T3 - T1)) -eq 1 ] && [ "$A3" = "1 2" ] &&
  pass "past expiry: java.net.http gets a 401, one refresh and one retry (200); HttpURLConnection then reads the new token (200)" ||
  fail "past expiry: exit $RC3 (token requests $T1 -> $T3, denied/ok $A3, expected 1 2)"

# The access token is revoked: the same.
AT="$(sed -n 's/.*"access_token" *: *"\([^"]*\)".*/\1/p' "$ZOHO_TOKEN_CACHE")"
[ -n "$AT" ] || fail "no access token in the cache file"
admin revoke "{\"token\":\"$AT\"}" > /dev/null
OUT4="$(ZOHO_CRM_TOKEN=legacy run CreateLead)"; RC4=$?
echo "$OUT4"
[ "$RC4" -eq 1 ] && grep -q '^create 401' <<< "$OUT4" &&
  pass "a revoked token: HttpURLConnection reports the 401 (no retry)" || fail "after revoke, HttpURLConnection: exit $RC4"
answers
OUT5="$(ZOHO_CRM_TOKEN=legacy run JdkLeads && ZOHO_CRM_TOKEN=legacy run CreateLead)"; RC5=$?
echo "$OUT5"
T5="$(stats token_requests)"; answers; A5="$ANSWERS"
[ "$RC5" -eq 0 ] && [ $((T5 - T3)) -eq 1 ] && [ "$A5" = "1 2" ] &&
  pass "after a revoked token: java.net.http retries once (200), then HttpURLConnection 201" ||
  fail "after revoke: exit $RC5 (token requests $T3 -> $T5, denied/ok $A5, expected 1 2)"

unset ZOHO_REFRESH_TOKEN
OUT6="$(run Leads)"; RC6=$?
echo "$OUT6"
[ "$RC6" -eq 1 ] && grep -q 'ZOHO_REFRESH_TOKEN is not set' <<< "$OUT6" &&
  pass "without ZOHO_REFRESH_TOKEN the program's own error path reports the helper's error" ||
  fail "missing configuration: exit $RC6"
[ "$FAILED" -eq 0 ]
