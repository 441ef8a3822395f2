#!/usr/bin/env bash
# run-fix-e2e-go.sh CLI
# `fix` end to end for Go (net/http, standard library only): a small legacy program in a
# module (go.mod) with the authtoken in the URL of http.NewRequest, and one with it in a
# url.Values form, are refused by `CLI mock-server`; `CLI fix` prints one patch, `git apply`
# applies it (the helper package goes into app/zohooauth/, imported by the module path),
# `go vet` and `go build` pass offline, and the programs then succeed with the mock's client
# credentials in the environment, sharing one token through ZOHO_TOKEN_CACHE. The Go fix
# sets the header before Do and has no 401 retry: not tested here. Server on 127.0.0.1,
# ephemeral port.
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

mkdir -p "$TMP/repo/app/leads" "$TMP/repo/app/create"
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

e2e_mock

cd "$TMP/repo" || die "no repo"
git init -q . && git add . && git -c user.email=t@t -c user.name=t commit -qm legacy
build() { go build -o "$TMP/bin/leads" ./app/leads && go build -o "$TMP/bin/create" ./app/create; }
build || die "the legacy programs do not build"

# Before: Zoho refuses the legacy token, in the URL and in the form.
OUT0="$(ZOHO_CRM_TOKEN=0123456789abcdef0123456789abcdef "$TMP/bin/leads")"; RC0=$?
echo "$OUT0"
[ "$RC0" -eq 1 ] && echo "$OUT0" | grep -q '^leads 401' &&
  pass "the legacy program (token in the URL) is refused (401)" || fail "the legacy URL program: exit $RC0"
OUT0B="$(ZOHO_CRM_TOKEN=0123456789abcdef0123456789abcdef "$TMP/bin/create")"; RC0B=$?
echo "$OUT0B"
[ "$RC0B" -eq 1 ] && echo "$OUT0B" | grep -q '^create 401' &&
  pass "the legacy program (token in the form) is refused (401)" || fail "the legacy form program: exit $RC0B"
[ "$(stats legacy_authtoken_requests)" = 2 ] && pass "the mock saw both legacy authtokens" ||
  fail "legacy_authtoken_requests: $(stats legacy_authtoken_requests) (expected 2)"

"$CLI" fix . > "$TMP/fix.patch" 2> "$TMP/fix.err" || { cat "$TMP/fix.err"; die "fix failed"; }
cat "$TMP/fix.err"
git apply --check "$TMP/fix.patch" && git apply "$TMP/fix.patch" &&
  pass "git apply accepts and applies the patch" || { cat "$TMP/fix.patch"; die "git apply failed"; }
[ -f app/leads/zohooauth/zohooauth.go ] && [ -f app/create/zohooauth/zohooauth.go ] &&
  pass "the helper package was added beside each program (app/*/zohooauth/)" || fail "no helper package"
if grep -qi 'authtoken' app/leads/main.go app/create/main.go; then fail "an authtoken is still in a program"; else
  pass "no authtoken left in the programs"; fi
grep -q '"example.com/legacy/app/leads/zohooauth"' app/leads/main.go &&
  grep -q '"example.com/legacy/app/create/zohooauth"' app/create/main.go &&
  pass "the programs import the helper by the module path" || fail "helper import path"
[ -z "$(gofmt -l app)" ] && pass "the patched tree is gofmt-clean" || fail "gofmt -l: $(gofmt -l app)"
go vet ./... && pass "go vet ./... passes" || fail "go vet"
build && pass "the patched programs build" || die "the patched programs do not build"
"$CLI" fix --check --quiet . > "$TMP/again.patch" && pass "fix --check on the patched tree: nothing left (idempotent)" ||
  { cat "$TMP/again.patch"; fail "fix --check still finds something to fix"; }

RT=$(admin refresh-tokens "{\"client_id\":\"$ZOHO_CLIENT_ID\",\"scope\":\"ZohoCRM.modules.ALL\"}" |
  sed -n 's/.*"refresh_token" *: *"\([^"]*\)".*/\1/p')
[ -n "$RT" ] || die "the mock did not mint a refresh token"
export ZOHO_REFRESH_TOKEN="$RT"
T0="$(stats token_requests)"
OUT1="$(ZOHO_CRM_TOKEN=legacy "$TMP/bin/leads" && ZOHO_CRM_TOKEN=legacy "$TMP/bin/create")"; RC1=$?
echo "$OUT1"
T1="$(stats token_requests)"
[ "$RC1" -eq 0 ] && echo "$OUT1" | grep -q '^leads 200 ' && echo "$OUT1" | grep -q '^create 201 ' &&
  pass "after the patch both requests succeed with the OAuth header" || fail "after the patch: exit $RC1"
[ $(( ${T1:-0} - ${T0:-0} )) -eq 1 ] && pass "one token refresh for both programs (ZOHO_TOKEN_CACHE)" ||
  fail "token requests $T0 -> $T1 (expected one refresh shared through the cache)"
unset ZOHO_REFRESH_TOKEN
OUT2="$("$TMP/bin/leads")"; RC2=$?
echo "$OUT2"
[ "$RC2" -eq 1 ] && echo "$OUT2" | grep -q 'ZOHO_REFRESH_TOKEN is not set' &&
  pass "without ZOHO_REFRESH_TOKEN the program's own error path reports the helper's error" ||
  fail "missing configuration: exit $RC2"
[ "$FAILED" -eq 0 ]
