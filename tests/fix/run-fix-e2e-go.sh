#!/usr/bin/env bash
# run-fix-e2e-go.sh CLI
# `fix` end to end for Go (net/http, standard library only): four small legacy programs
# in a module (go.mod) are refused by `CLI mock-server`: the authtoken in the URL of
# http.NewRequest, in a url.Values form sent with http.NewRequestWithContext, in the URL of
# http.Get, and in a url.Values form sent with http.PostForm. `CLI fix` prints one patch,
# `git apply` applies it (the helper package goes into app/<prog>/zohooauth/, imported by
# the module path; http.Get / PostForm become http.NewRequest + SetAuthorization +
# zohooauth.Do), gofmt, `go vet` and `go build` pass offline, and the programs then
# succeed with the mock's client credentials in the environment, sharing one token
# through ZOHO_TOKEN_CACHE. Past a mock-clock jump beyond the token's expiry and after a
# revoked token (the helper's clock still calls the cached token fresh), each program,
# run first, gets one 401, one refresh and one retry (zohooauth.Do: the NewRequest
# programs' own `client.Do(req)` becomes `zohooauth.Do(client, req)` too), and the next
# program reads the renewed token from the cache. Server on 127.0.0.1, ephemeral port.
set -uo pipefail
CLI="$1"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=e2e-common.sh
. "$HERE/e2e-common.sh"
e2e_setup go
command -v go > /dev/null || die "go not found (Debian: golang-go)"
command -v curl > /dev/null || die "curl not found"
export GOFLAGS=-mod=mod GOPROXY=off GO111MODULE=on GOTOOLCHAIN=local GOWORK=off
export GOCACHE="$TMP/gocache" GOPATH="$TMP/gopath"

mkdir -p "$TMP/repo/app/leads" "$TMP/repo/app/create" "$TMP/repo/app/deals" "$TMP/repo/app/note"
printf 'module example.com/legacy\n\ngo 1.19\n' > "$TMP/repo/go.mod"
cat > "$TMP/repo/app/leads/main.go" <<'GOEOF'
// Legacy Zoho CRM client: the API base and the token come from the environment.
package main

import (
	"fmt"
	"net/http"
	"os"
)

func leads(token string) (int, error) {
	req, err := http.NewRequest("GET", os.Getenv("ZOHO_API_BASE")+"/crm/v2/Leads?authtoken="+token+"&scope=crmapi&per_page=5", nil)
	if err != nil {
		return 0, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

func main() {
	code, err := leads(os.Getenv("ZOHO_CRM_TOKEN"))
	fmt.Println("leads", code, err)
	if code != 200 {
		os.Exit(1)
	}
}
GOEOF
cat > "$TMP/repo/app/create/main.go" <<'GOEOF'
// Legacy Zoho CRM client: the token goes in the form of a POST.
package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
)

func createLead(ctx context.Context, token, name string) (int, error) {
	form := url.Values{"authtoken": {token}, "Last_Name": {name}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, os.Getenv("ZOHO_API_BASE")+"/crm/v2/Leads", strings.NewReader(form.Encode()))
	if err != nil {
		return 0, fmt.Errorf("create: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

func main() {
	code, err := createLead(context.Background(), os.Getenv("ZOHO_CRM_TOKEN"), "Smith")
	fmt.Println("create", code, err)
	if code != 201 {
		os.Exit(1)
	}
}
GOEOF

cat > "$TMP/repo/app/deals/main.go" <<'GOEOF'
// Legacy Zoho CRM client: http.Get with the token in the URL.
package main

import (
	"fmt"
	"net/http"
	"os"
)

func deals(token string) (int, error) {
	resp, err := http.Get(os.Getenv("ZOHO_API_BASE") + "/crm/v2/Deals?authtoken=" + token + "&scope=crmapi")
	if err != nil {
		return 0, fmt.Errorf("deals: %w", err)
	}
	defer resp.Body.Close()
	return resp.StatusCode, nil
}

func main() {
	code, err := deals(os.Getenv("ZOHO_CRM_TOKEN"))
	fmt.Println("deals", code, err)
	if code != 200 {
		os.Exit(1)
	}
}
GOEOF
cat > "$TMP/repo/app/note/main.go" <<'GOEOF'
// Legacy Zoho CRM client: http.PostForm, the token in the form.
package main

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
)

func addNote(token, text string) (int, error) {
	form := url.Values{}
	form.Set("authtoken", token)
	form.Set("Note_Content", text)
	resp, err := http.PostForm(os.Getenv("ZOHO_API_BASE")+"/crm/v2/Notes", form)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

func main() {
	code, err := addNote(os.Getenv("ZOHO_CRM_TOKEN"), "called back")
	fmt.Println("note", code, err)
	if code != 201 {
		os.Exit(1)
	}
}
GOEOF

e2e_mock

cd "$TMP/repo" || die "no repo"
git init -q . && git add . && git -c user.email=t@t -c user.name=t commit -qm legacy
PROGS="leads create deals note"
build() { for p in $PROGS; do go build -o "$TMP/bin/$p" "./app/$p" || return 1; done; }
build || die "the legacy programs do not build"

# Before: Zoho refuses the legacy token, in the URLs and in the forms.
for p in $PROGS; do
  OUT0="$(ZOHO_CRM_TOKEN=0123456789abcdef0123456789abcdef "$TMP/bin/$p")"; RC0=$?
  echo "$OUT0"
  [ "$RC0" -eq 1 ] && grep -q "^$p 401" <<< "$OUT0" &&
    pass "the legacy program $p is refused (401)" || fail "the legacy program $p: exit $RC0"
done
[ "$(stats legacy_authtoken_requests)" = 4 ] && pass "the mock saw the four legacy authtokens" ||
  fail "legacy_authtoken_requests: $(stats legacy_authtoken_requests) (expected 4)"

"$CLI" fix . > "$TMP/fix.patch" 2> "$TMP/fix.err" || { cat "$TMP/fix.err"; die "fix failed"; }
cat "$TMP/fix.err"
git apply --check "$TMP/fix.patch" && git apply "$TMP/fix.patch" &&
  pass "git apply accepts and applies the patch" || { cat "$TMP/fix.patch"; die "git apply failed"; }
missing=""
for p in $PROGS; do [ -f "app/$p/zohooauth/zohooauth.go" ] || missing="$missing $p"; done
[ -z "$missing" ] && pass "the helper package was added beside each program (app/*/zohooauth/)" ||
  fail "no helper package for:$missing"
if grep -qi 'authtoken' app/*/main.go; then fail "an authtoken is still in a program"; else
  pass "no authtoken left in the programs"; fi
bad=""
for p in $PROGS; do grep -q "\"example.com/legacy/app/$p/zohooauth\"" "app/$p/main.go" || bad="$bad $p"; done
[ -z "$bad" ] && pass "the programs import the helper by the module path" || fail "helper import path:$bad"
grep -q 'http.NewRequest(http.MethodGet, ' app/deals/main.go && grep -q 'zohooauth.Do(http.DefaultClient, req)' app/deals/main.go &&
  grep -q 'zohooauth.Do(http.DefaultClient, req)' app/leads/main.go &&
  grep -q 'strings.NewReader(form.Encode())' app/note/main.go && grep -q '"strings"' app/note/main.go &&
  pass "http.Get and http.PostForm became http.NewRequest + zohooauth.Do (the form as the body)" ||
  fail "the http.Get / PostForm rewrite: $(cat app/deals/main.go app/note/main.go)"
[ -z "$(gofmt -l app)" ] && pass "the patched tree is gofmt-clean" || fail "gofmt -l: $(gofmt -l app)"
go vet ./... && pass "go vet ./... passes" || fail "go vet"
build && pass "the patched programs build" || die "the patched programs do not build"
"$CLI" fix --check --quiet . > "$TMP/again.patch" && pass "fix --check on the patched tree: nothing left (idempotent)" ||
  { cat "$TMP/again.patch"; fail "fix --check still finds something to fix"; }

RT=$(admin refresh-tokens "{\"client_id\":\"$ZOHO_CLIENT_ID\",\"scope\":\"ZohoCRM.modules.ALL\"}" |
  sed -n 's/.*"refresh_token" *: *"\([^"]*\)".*/\1/p')
[ -n "$RT" ] || die "the mock did not mint a refresh token"
export ZOHO_REFRESH_TOKEN="$RT"
run() { ZOHO_CRM_TOKEN=legacy "$TMP/bin/$1"; }
T0="$(stats token_requests)"
OUT1="$(run leads && run create && run deals && run note)"; RC1=$?
echo "$OUT1"
T1="$(stats token_requests)"
[ "$RC1" -eq 0 ] && grep -q '^leads 200 ' <<< "$OUT1" && grep -q '^create 201 ' <<< "$OUT1" &&
  grep -q '^deals 200 ' <<< "$OUT1" && grep -q '^note 201 ' <<< "$OUT1" &&
  pass "after the patch the four requests succeed with the OAuth header" || fail "after the patch: exit $RC1"
[ $(( ${T1:-0} - ${T0:-0} )) -eq 1 ] && pass "one token refresh for the four programs (ZOHO_TOKEN_CACHE)" ||
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
# token fresh. The NewRequest program (its own `Do` now zohooauth.Do) gets a 401, renews
# the token and sends once more; the http.Get program then reads the renewed token.
admin clock/advance '{"seconds": 3700}' > /dev/null
answers
OUT2="$(run leads && run deals)"; RC2=$?
echo "$OUT2"
T2="$(stats token_requests)"; answers; A2="$ANSWERS"
[ "$RC2" -eq 0 ] && grep -q '^leads 200 ' <<< "$OUT2" && grep -q '^deals 200 ' <<< "$OUT2" &&
  [ $((T2 - T1)) -eq 1 ] && [ "$A2" = "1 2" ] &&
  pass "past expiry: the NewRequest program gets a 401, one refresh and one retry (200); http.Get then reads the new token (200)" ||
  fail "past expiry: exit $RC2 (token requests $T1 -> $T2, denied/ok $A2, expected 1 2)"
# Again, with the rewritten http.Get first.
admin clock/advance '{"seconds": 3700}' > /dev/null
answers
OUT3="$(run deals && run leads)"; RC3=$?
echo "$OUT3"
T3="$(stats token_requests)"; answers; A3="$ANSWERS"
[ "$RC3" -eq 0 ] && grep -q '^deals 200 ' <<< "$OUT3" && [ $((T3 - T2)) -eq 1 ] && [ "$A3" = "1 2" ] &&
  pass "past expiry: the http.Get program gets a 401, one refresh and one retry (200); NewRequest then reads the new token (200)" ||
  fail "past expiry: exit $RC3 (token requests $T2 -> $T3, denied/ok $A3, expected 1 2)"

# The access token is revoked: the form programs (bodies that can be read again) the same.
revoke() {
  local at
  at="$(sed -n 's/.*"access_token" *: *"\([^"]*\)".*/\1/p' "$ZOHO_TOKEN_CACHE")"
  [ -n "$at" ] || fail "no access token in the cache file"
  admin revoke "{\"token\":\"$at\"}" > /dev/null
}
revoke
answers
OUT4="$(run note && run create)"; RC4=$?
echo "$OUT4"
T4="$(stats token_requests)"; answers; A4="$ANSWERS"
[ "$RC4" -eq 0 ] && grep -q '^note 201 ' <<< "$OUT4" && grep -q '^create 201 ' <<< "$OUT4" &&
  [ $((T4 - T3)) -eq 1 ] && [ "$A4" = "1 2" ] &&
  pass "after a revoked token: the http.PostForm program retries once with its form (201), then NewRequestWithContext 201" ||
  fail "after revoke: exit $RC4 (token requests $T3 -> $T4, denied/ok $A4, expected 1 2)"
revoke
answers
OUT5="$(run create && run note)"; RC5=$?
echo "$OUT5"
T5="$(stats token_requests)"; answers; A5="$ANSWERS"
[ "$RC5" -eq 0 ] && grep -q '^create 201 ' <<< "$OUT5" && [ $((T5 - T4)) -eq 1 ] && [ "$A5" = "1 2" ] &&
  pass "after a revoked token: the NewRequestWithContext program retries once with its form body (201), then PostForm 201" ||
  fail "after revoke: exit $RC5 (token requests $T4 -> $T5, denied/ok $A5, expected 1 2)"

unset ZOHO_REFRESH_TOKEN
OUT6="$("$TMP/bin/leads")"; RC6=$?
echo "$OUT6"
[ "$RC6" -eq 1 ] && grep -q 'ZOHO_REFRESH_TOKEN is not set' <<< "$OUT6" &&
  pass "without ZOHO_REFRESH_TOKEN the program's own error path reports the helper's error" ||
  fail "missing configuration: exit $RC6"
OUT7="$("$TMP/bin/deals")"; RC7=$?
echo "$OUT7"
[ "$RC7" -eq 1 ] && grep -q 'deals: zohooauth: ZOHO_REFRESH_TOKEN is not set' <<< "$OUT7" &&
  pass "the rewritten http.Get reports the helper's error through the function's own error block" ||
  fail "missing configuration, http.Get program: exit $RC7"
# A library package without go.mod (GOPATH layout, the shape of real Go clients of the
# legacy API): `req, _ := http.NewRequest(…)` (errors discarded) and the header value
# `fmt.Sprintf("Zoho-authtoken %s", c.Token)` held in a variable, or `"Zoho-authtoken "+c.Token`;
# sent with `client.Do(req)` whose `if err != nil { return 0, err }` block is the function's
# error handling. The helper joins the package as zoho_oauth.go (no import path is known),
# `fmt` (used only by the Sprintf) leaves the imports, and the program built in GOPATH mode
# (GO111MODULE=off) succeeds, past a mock-clock jump and after a revoked token.
GP="$TMP/gopath-legacy"
mkdir -p "$GP/src/zohocrm" "$GP/src/crmcli"
cat > "$GP/src/zohocrm/types.go" <<'GOEOF'
package zohocrm

// Client calls the CRM API with the account's legacy token.
type Client struct {
	Token string
}

// New returns a Client for token.
func New(token string) *Client { return &Client{Token: token} }
GOEOF
cat > "$GP/src/zohocrm/client.go" <<'GOEOF'
package zohocrm

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
)

// Leads lists the leads and returns the HTTP status.
func (c *Client) Leads() (int, error) {
	req, _ := http.NewRequest("GET", os.Getenv("ZOHO_API_BASE")+"/crm/v2/Leads", nil)

	tokenHeader := fmt.Sprintf("Zoho-authtoken %s", c.Token)
	req.Header.Set("Authorization", tokenHeader)

	client := &http.Client{}
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

// Create adds a lead and returns the HTTP status.
func (c *Client) Create(name string) (int, error) {
	body := []byte(`{"data":[{"Last_Name":"` + name + `"}]}`)
	req, _ := http.NewRequest("POST", os.Getenv("ZOHO_API_BASE")+"/crm/v2/Leads", bytes.NewBuffer(body))
	req.Header.Set("Authorization", "Zoho-authtoken "+c.Token)
	req.Header.Set("Content-Type", "application/json")

	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}
GOEOF
cat > "$GP/src/crmcli/main.go" <<'GOEOF'
package main

import (
	"fmt"
	"os"

	"zohocrm"
)

func main() {
	c := zohocrm.New(os.Getenv("ZOHO_CRM_TOKEN"))
	for _, what := range os.Args[1:] {
		code, err, want := 0, error(nil), 200
		if what == "create" {
			code, err = c.Create("Smith")
			want = 201
		} else {
			code, err = c.Leads()
		}
		fmt.Println("g"+what, code, err)
		if code != want {
			os.Exit(1)
		}
	}
}
GOEOF
gobuild() { (cd "$GP/src" && GO111MODULE=off GOFLAGS= GOPATH="$GP" go build -o "$TMP/bin/crmcli" crmcli); }
gobuild || die "the GOPATH legacy program does not build"
L0="$(stats legacy_authtoken_requests)"
OUTG0="$(ZOHO_REFRESH_TOKEN= ZOHO_CRM_TOKEN=0123456789abcdef0123456789abcdef "$TMP/bin/crmcli" leads)"; RCG0=$?
echo "$OUTG0"
OUTG0b="$(ZOHO_CRM_TOKEN=0123456789abcdef0123456789abcdef "$TMP/bin/crmcli" create)"; RCG0b=$?
echo "$OUTG0b"
L1="$(stats legacy_authtoken_requests)"
[ "$RCG0" -eq 1 ] && [ "$RCG0b" -eq 1 ] && grep -q '^gleads 401' <<< "$OUTG0" &&
  grep -q '^gcreate 401' <<< "$OUTG0b" && [ $((L1 - L0)) -eq 2 ] &&
  pass "the GOPATH library's Zoho-authtoken headers are refused (401, two legacy requests)" ||
  fail "the GOPATH legacy program: exit $RCG0/$RCG0b, legacy requests $L0 -> $L1"
cd "$GP/src" || die "no GOPATH tree"
git init -q . && git add . && git -c user.email=t@t -c user.name=t commit -qm legacy
"$CLI" fix . > "$TMP/gfix.patch" 2> "$TMP/gfix.err" || { cat "$TMP/gfix.err"; die "fix failed (GOPATH tree)"; }
cat "$TMP/gfix.err"
git apply --check "$TMP/gfix.patch" && git apply "$TMP/gfix.patch" &&
  pass "git apply accepts and applies the GOPATH tree's patch" || { cat "$TMP/gfix.patch"; die "git apply failed (GOPATH tree)"; }
[ -f zohocrm/zoho_oauth.go ] && grep -q '^package zohocrm$' zohocrm/zoho_oauth.go && [ ! -e zohocrm/zohooauth ] &&
  pass "the helper joined the package as zohocrm/zoho_oauth.go (no go.mod)" || fail "no in-package helper: $(ls zohocrm)"
grep -c 'zohoOAuthSetAuthorization(req); err != nil' zohocrm/client.go | grep -qx 2 &&
  grep -q 'zohoOAuthDo(client, req)' zohocrm/client.go && grep -q 'zohoOAuthDo(http.DefaultClient, req)' zohocrm/client.go &&
  ! grep -q '"fmt"' zohocrm/client.go && ! grep -qi 'authtoken' zohocrm/client.go &&
  pass "both headers come from zohoOAuthSetAuthorization with the Do error handling; fmt left the imports" ||
  fail "the header rewrite: $(cat zohocrm/client.go)"
[ -z "$(gofmt -l .)" ] && pass "the patched GOPATH tree is gofmt-clean" || fail "gofmt -l: $(gofmt -l .)"
(GO111MODULE=off GOFLAGS= GOPATH="$GP" go vet zohocrm crmcli) && pass "go vet (GO111MODULE=off) passes" || fail "go vet (GOPATH)"
gobuild && pass "the patched GOPATH program builds" || die "the patched GOPATH program does not build"
"$CLI" fix --check --quiet . > "$TMP/gagain.patch" && pass "fix --check on the patched GOPATH tree: nothing left" ||
  { cat "$TMP/gagain.patch"; fail "fix --check still finds something (GOPATH tree)"; }

export ZOHO_REFRESH_TOKEN="$RT" ZOHO_TOKEN_CACHE="$TMP/gopath-token.json"
answers
TG0="$(stats token_requests)"
OUTG1="$(ZOHO_CRM_TOKEN=legacy "$TMP/bin/crmcli" leads create)"; RCG1=$?
echo "$OUTG1"
TG1="$(stats token_requests)"; answers; AG1="$ANSWERS"
[ "$RCG1" -eq 0 ] && grep -q '^gleads 200 ' <<< "$OUTG1" && grep -q '^gcreate 201 ' <<< "$OUTG1" &&
  [ $((TG1 - TG0)) -eq 1 ] && [ "$AG1" = "0 2" ] &&
  pass "after the patch the GOPATH program's two requests succeed with one token refresh" ||
  fail "after the patch (GOPATH): exit $RCG1 (token requests $TG0 -> $TG1, denied/ok $AG1)"
admin clock/advance '{"seconds": 3700}' > /dev/null
answers
OUTG2="$(ZOHO_CRM_TOKEN=legacy "$TMP/bin/crmcli" leads create)"; RCG2=$?
echo "$OUTG2"
TG2="$(stats token_requests)"; answers; AG2="$ANSWERS"
[ "$RCG2" -eq 0 ] && grep -q '^gleads 200 ' <<< "$OUTG2" && grep -q '^gcreate 201 ' <<< "$OUTG2" &&
  [ $((TG2 - TG1)) -eq 1 ] && [ "$AG2" = "1 2" ] &&
  pass "past expiry: the GOPATH program gets one 401, refreshes once, retries (200), then creates (201)" ||
  fail "past expiry (GOPATH): exit $RCG2 (token requests $TG1 -> $TG2, denied/ok $AG2, expected 1 2)"
revoke
answers
OUTG3="$(ZOHO_CRM_TOKEN=legacy "$TMP/bin/crmcli" create leads)"; RCG3=$?
echo "$OUTG3"
TG3="$(stats token_requests)"; answers; AG3="$ANSWERS"
[ "$RCG3" -eq 0 ] && grep -q '^gcreate 201 ' <<< "$OUTG3" && grep -q '^gleads 200 ' <<< "$OUTG3" &&
  [ $((TG3 - TG2)) -eq 1 ] && [ "$AG3" = "1 2" ] &&
  pass "after a revoked token: the POST (bytes.Buffer body, re-read) gets one 401, one refresh and one retry (201)" ||
  fail "after revoke (GOPATH): exit $RCG3 (token requests $TG2 -> $TG3, denied/ok $AG3, expected 1 2)"
unset ZOHO_REFRESH_TOKEN
OUTG4="$(ZOHO_CRM_TOKEN=legacy "$TMP/bin/crmcli" leads)"; RCG4=$?
echo "$OUTG4"
[ "$RCG4" -eq 1 ] && grep -q '^gleads 0 zohooauth: ZOHO_REFRESH_TOKEN is not set' <<< "$OUTG4" &&
  pass "without ZOHO_REFRESH_TOKEN the library returns the helper's error through the Do error block" ||
  fail "missing configuration (GOPATH): exit $RCG4"
[ "$FAILED" -eq 0 ]
