#!/bin/sh
# Zoho OAuth 2.0 access tokens for shell and cron scripts (POSIX sh + curl).
# Replaces Zoho's retired legacy API tokens: keeps an access token fresh from a refresh token.
#
# Run it:     TOKEN=$(./@@NAMESPACE@@.sh token)      ./@@NAMESPACE@@.sh curl https://www.zohoapis.com/crm/v2/Leads
#             ./@@NAMESPACE@@.sh header | api-domain | invalidate
# Or source:  . ./@@NAMESPACE@@.sh
#             zoho_curl "$(zoho_api_domain)/crm/v2/Leads"   # adds the header, retries once after a 401
#             zoho_auth_header; zoho_access_token; zoho_invalidate
#
# Environment: ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET, ZOHO_REFRESH_TOKEN, and ZOHO_ACCOUNTS_URL or
# ZOHO_DC (us eu in au cn jp ca sa uk; default us). Optional: ZOHO_TOKEN_CACHE, a file shared by
# every run (strongly advised for cron: Zoho allows 10 refreshes per 10 minutes);
# ZOHO_TOKEN_MARGIN (refresh this many seconds before expiry, default 300); ZOHO_RETRY_BASE_MS
# (backoff base, default 200).
# Exit status: 0 ok, 1 unexpected token answer, 2 configuration, 3 invalid grant (fix the
# credentials), 4 throttled (back off), 5 transient (network/5xx after 3 attempts), 64 usage.
# Messages go to stderr and never contain a token or secret.

ZOHO_EXIT_CONFIG=2 ZOHO_EXIT_INVALID_GRANT=3 ZOHO_EXIT_THROTTLED=4 ZOHO_EXIT_TRANSIENT=5
ZOHO_EXIT_UNAUTHORIZED=41 # what a zoho_with_retry_on_invalid_token command returns for a 401

_zo_err() { printf 'zoho-oauth: %s\n' "$*" >&2; }
_zo_now() { date +%s; }

# Checks the configuration and sets _zo_url, _zo_key (what the cached token belongs to).
_zo_config() {
  for _zo_v in ZOHO_CLIENT_ID ZOHO_CLIENT_SECRET ZOHO_REFRESH_TOKEN; do
    eval "[ -n \"\${$_zo_v:-}\" ]" || { _zo_err "$_zo_v is not set"; return $ZOHO_EXIT_CONFIG; }
  done
  if [ -n "${ZOHO_ACCOUNTS_URL:-}" ]; then
    _zo_url=${ZOHO_ACCOUNTS_URL%/}
  else
    case ${ZOHO_DC:-us} in
      us) _zo_url=https://accounts.zoho.com ;; eu) _zo_url=https://accounts.zoho.eu ;;
      in) _zo_url=https://accounts.zoho.in ;; au) _zo_url=https://accounts.zoho.com.au ;;
      cn) _zo_url=https://accounts.zoho.com.cn ;; jp) _zo_url=https://accounts.zoho.jp ;;
      ca) _zo_url=https://accounts.zohocloud.ca ;; sa) _zo_url=https://accounts.zoho.sa ;;
      uk) _zo_url=https://accounts.zoho.uk ;;
      *) _zo_err "ZOHO_DC '$ZOHO_DC' is not one of us eu in au cn jp ca sa uk"; return $ZOHO_EXIT_CONFIG ;;
    esac
  fi
  case ${ZOHO_TOKEN_MARGIN:-300} in
    '' | *[!0-9]*) _zo_err "ZOHO_TOKEN_MARGIN is not a whole number of seconds"; return $ZOHO_EXIT_CONFIG ;;
  esac
  _zo_hash=$(printf '%s' "$ZOHO_REFRESH_TOKEN" | _zo_sha256) || return
  _zo_key="$ZOHO_CLIENT_ID $_zo_hash $_zo_url"
}

_zo_sha256() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum | cut -c1-64
  elif command -v shasum >/dev/null 2>&1; then shasum -a 256 | cut -c1-64
  else openssl dgst -sha256 -r | cut -c1-64; fi
}

# _zo_json JSON KEY: the string or number value of KEY (flat JSON, as Zoho sends it).
_zo_json() {
  printf '%s' "$1" | sed -n "
    s/.*\"$2\"[[:space:]]*:[[:space:]]*\"\{0,1\}\([^\",}]*\).*/\1/
    t found
    d
    :found
    s#\\\\/#/#g
    p"
}

_zo_urlencode() { printf '%s' "$1" | sed -e 's/%/%25/g' -e 's/&/%26/g' -e 's/+/%2B/g' -e 's/=/%3D/g' -e 's/ /%20/g' -e 's/#/%23/g'; }

_zo_fresh() { [ -n "$1" ] && [ "$(_zo_now)" -lt $(($2 - ${ZOHO_TOKEN_MARGIN:-300})) ]; }

# Sets _zo_r_token, _zo_r_exp, _zo_r_api from the cache file; fails if it has no fresh token
# for this configuration.
_zo_read_cache() {
  [ -n "${ZOHO_TOKEN_CACHE:-}" ] && [ -f "$ZOHO_TOKEN_CACHE" ] || return 1
  _zo_c=$(cat "$ZOHO_TOKEN_CACHE" 2>/dev/null) || return 1
  [ "$(_zo_json "$_zo_c" client_id) $(_zo_json "$_zo_c" refresh_token_hash) $(_zo_json "$_zo_c" accounts_url)" = "$_zo_key" ] || return 1
  _zo_r_token=$(_zo_json "$_zo_c" access_token) _zo_r_exp=$(_zo_json "$_zo_c" expires_at) _zo_r_api=$(_zo_json "$_zo_c" api_domain)
  case $_zo_r_exp in '' | *[!0-9]*) _zo_r_exp=0 ;; esac
  _zo_fresh "$_zo_r_token" "$_zo_r_exp"
}

# Sets _zo_r_token, _zo_r_exp, _zo_r_api from the cache file (if fresh) or a refresh.
_zo_fetch() {
  _zo_read_cache && return 0
  _zo_until=${_zo_throttled_until:-0}
  [ -n "${ZOHO_TOKEN_CACHE:-}" ] && [ -f "$ZOHO_TOKEN_CACHE.throttled" ] && _zo_until=$(cat "$ZOHO_TOKEN_CACHE.throttled")
  if [ "$(_zo_now)" -lt "${_zo_until:-0}" ] 2>/dev/null; then
    _zo_err "still backing off after Zoho's throttle (Access Denied) until $_zo_until; try again later"
    return $ZOHO_EXIT_THROTTLED
  fi
  _zo_refresh || return
  [ -n "${ZOHO_TOKEN_CACHE:-}" ] || return 0
  _zo_tmp=$(umask 077 && mktemp "$ZOHO_TOKEN_CACHE.XXXXXX") || { _zo_err "cannot write ZOHO_TOKEN_CACHE"; return 0; }
  if ! printf '{"access_token":"%s","expires_at":%s,"api_domain":"%s","client_id":"%s","refresh_token_hash":"%s","accounts_url":"%s"}\n' \
    "$_zo_r_token" "$_zo_r_exp" "$_zo_r_api" "$ZOHO_CLIENT_ID" "$_zo_hash" "$_zo_url" >"$_zo_tmp" ||
    ! mv -f "$_zo_tmp" "$ZOHO_TOKEN_CACHE"; then # mktemp made it 0600
    rm -f "$_zo_tmp"
    _zo_err "cannot write ZOHO_TOKEN_CACHE"
  fi
  return 0
}

# One refresh with up to 3 attempts (exponential backoff, full jitter) on network errors and 5xx.
_zo_refresh() {
  _zo_form="grant_type=refresh_token&client_id=$(_zo_urlencode "$ZOHO_CLIENT_ID")&client_secret=$(_zo_urlencode "$ZOHO_CLIENT_SECRET")&refresh_token=$(_zo_urlencode "$ZOHO_REFRESH_TOKEN")"
  _zo_attempt=0 _zo_problem='' _zo_rc=0
  while [ $_zo_attempt -lt 3 ]; do
    if [ $_zo_attempt -gt 0 ]; then
      _zo_max=$((${ZOHO_RETRY_BASE_MS:-200} * (1 << _zo_attempt)))
      _zo_rand=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
      sleep "$(awk -v m="$_zo_max" -v r="$_zo_rand" 'BEGIN { printf "%.3f", m * r / 65536 / 1000 }')"
    fi
    _zo_attempt=$((_zo_attempt + 1))
    _zo_started=$(_zo_now) _zo_rc=0
    _zo_resp=$(printf '%s' "$_zo_form" | curl -s --max-time "${ZOHO_HTTP_TIMEOUT:-30}" -X POST \
      -H 'Content-Type: application/x-www-form-urlencoded' -H 'Accept: application/json' \
      --data-binary @- -w ' HTTPSTATUS:%{http_code}' "$_zo_url/oauth/v2/token") || _zo_rc=$?
    _zo_code=${_zo_resp##*HTTPSTATUS:} _zo_body=${_zo_resp% HTTPSTATUS:*}
    if [ $_zo_rc -ne 0 ]; then _zo_problem="network error, curl exit $_zo_rc"; continue; fi
    if [ "$_zo_code" -ge 500 ] 2>/dev/null; then _zo_problem="HTTP $_zo_code"; continue; fi
    _zo_e=$(_zo_json "$_zo_body" error)
    case $_zo_e in
      invalid_code) _zo_err "refresh token is invalid or revoked: generate a new one (self-client or consent flow) (invalid_code)"; return $ZOHO_EXIT_INVALID_GRANT ;;
      invalid_client) _zo_err "client id unknown in this data centre: check ZOHO_CLIENT_ID / ZOHO_DC (invalid_client)"; return $ZOHO_EXIT_INVALID_GRANT ;;
      invalid_client_secret) _zo_err "client secret rejected: check ZOHO_CLIENT_SECRET (invalid_client_secret)"; return $ZOHO_EXIT_INVALID_GRANT ;;
    esac
    if [ "$_zo_e" = "Access Denied" ] || { [ "$_zo_code" = 400 ] && [ "$(_zo_json "$_zo_body" status)" = failure ]; }; then
      _zo_throttled_until=$(($(_zo_now) + 60))
      [ -n "${ZOHO_TOKEN_CACHE:-}" ] && (umask 077 && echo "$_zo_throttled_until" >"$ZOHO_TOKEN_CACHE.throttled")
      _zo_err "Zoho throttled token requests (Access Denied): too many refreshes; back off for at least 60 s and cache the access token (ZOHO_TOKEN_CACHE)"
      return $ZOHO_EXIT_THROTTLED
    fi
    _zo_r_token=$(_zo_json "$_zo_body" access_token)
    case $_zo_r_token in '' | *[!A-Za-z0-9._-]*)
      case $_zo_e in '' | *[!A-Za-z_\ ]*) _zo_e=unrecognised ;; esac
      _zo_err "Zoho token endpoint answered HTTP $_zo_code without an access token (error: $_zo_e)"
      _zo_r_token=''; return 1 ;;
    esac
    _zo_in=$(_zo_json "$_zo_body" expires_in)
    case $_zo_in in '' | *[!0-9]*) _zo_in=3600 ;; esac # Zoho sometimes omits it: one hour
    case $_zo_body in *'"expires_in_sec"'*) _zo_in=$((_zo_in / 1000)) ;; esac # older answers: ms
    _zo_r_exp=$((_zo_started + _zo_in)) _zo_r_api=$(_zo_json "$_zo_body" api_domain)
    return 0
  done
  _zo_err "Zoho token endpoint unavailable after 3 attempts ($_zo_problem); try again later"
  return $ZOHO_EXIT_TRANSIENT
}

# Runs "$@" holding an exclusive lock on ZOHO_TOKEN_CACHE.lock (flock, else a mkdir lock).
_zo_locked() {
  _zo_lock="$ZOHO_TOKEN_CACHE.lock"
  (umask 077 && : >>"$_zo_lock") 2>/dev/null || { _zo_err "cannot create $_zo_lock (ZOHO_TOKEN_CACHE)"; return $ZOHO_EXIT_CONFIG; }
  if command -v flock >/dev/null 2>&1; then
    (flock 9 && "$@") 9>>"$_zo_lock"
  else
    (
      while ! mkdir "$_zo_lock.d" 2>/dev/null; do # a holder that died leaves a stale lock
        _zo_pid=$(cat "$_zo_lock.d/pid" 2>/dev/null)
        [ -n "$_zo_pid" ] && ! kill -0 "$_zo_pid" 2>/dev/null && rm -rf "$_zo_lock.d"
        sleep 0.1 2>/dev/null || sleep 1
      done
      trap 'rm -rf "$_zo_lock.d"' EXIT
      sh -c 'echo $PPID' >"$_zo_lock.d/pid"
      "$@"
    )
  fi
}

_zo_fetch_print() { _zo_fetch && printf '%s %s %s' "$_zo_r_token" "$_zo_r_exp" "$_zo_r_api"; }

# Ensures a fresh token in _zo_token/_zo_exp/_zo_api (kept in memory when called directly).
_zo_ensure() {
  _zo_config || return
  [ "${_zo_mem_key:-}" = "$_zo_key" ] && _zo_fresh "${_zo_token:-}" "${_zo_exp:-0}" && return 0
  if _zo_read_cache; then # written by rename: readable without the lock
    _zo_token=$_zo_r_token _zo_exp=$_zo_r_exp _zo_api=$_zo_r_api
  elif [ -n "${ZOHO_TOKEN_CACHE:-}" ]; then
    _zo_out=$(_zo_locked _zo_fetch_print) || return
    _zo_token=${_zo_out%% *} _zo_out=${_zo_out#* }
    _zo_exp=${_zo_out%% *} _zo_api=${_zo_out#* }
  else
    _zo_fetch || return
    _zo_token=$_zo_r_token _zo_exp=$_zo_r_exp _zo_api=$_zo_r_api
  fi
  _zo_mem_key=$_zo_key
}

# Prints a valid access token.
zoho_access_token() { _zo_ensure && printf '%s\n' "$_zo_token"; }

# Prints the Authorization header value: Zoho-oauthtoken <token>.
zoho_auth_header() { _zo_ensure && printf 'Zoho-oauthtoken %s\n' "$_zo_token"; }

# Prints the api_domain of the last token answer (e.g. https://www.zohoapis.eu).
zoho_api_domain() { _zo_ensure && printf '%s\n' "$_zo_api"; }

# Forgets the token (use after a 401 INVALID_TOKEN); the cache entry goes too if it holds it.
zoho_invalidate() {
  _zo_old=${_zo_token:-} _zo_token='' _zo_exp=0
  [ -n "${ZOHO_TOKEN_CACHE:-}" ] || return 0
  _zo_locked _zo_drop_cache "$_zo_old"
}
_zo_drop_cache() {
  [ -f "$ZOHO_TOKEN_CACHE" ] || return 0
  if [ -z "$1" ] || [ "$(_zo_json "$(cat "$ZOHO_TOKEN_CACHE")" access_token)" = "$1" ]; then rm -f "$ZOHO_TOKEN_CACHE"; fi
}

# zoho_with_retry_on_invalid_token CMD [ARGS...]: runs CMD "Zoho-oauthtoken <token>" ARGS...;
# if CMD exits with ZOHO_EXIT_UNAUTHORIZED (41: it got HTTP 401), invalidates the token and runs
# it once more with a new one.
zoho_with_retry_on_invalid_token() {
  _zo_cmd=$1 _zo_st=0
  shift
  _zo_ensure || return
  "$_zo_cmd" "Zoho-oauthtoken $_zo_token" "$@" || _zo_st=$?
  [ $_zo_st -eq $ZOHO_EXIT_UNAUTHORIZED ] || return $_zo_st
  zoho_invalidate && _zo_ensure || return
  "$_zo_cmd" "Zoho-oauthtoken $_zo_token" "$@"
}

# zoho_curl [CURL ARGS...] URL: curl with the Authorization header (passed in a 0600 temp file,
# not on the command line); prints the body; after a 401, invalidates and retries once.
# Exit status: curl's, 41 for a 401 that persists, 22 for another HTTP status >= 400.
zoho_curl() { zoho_with_retry_on_invalid_token _zo_curl_once "$@"; }
_zo_curl_once() {
  _zo_d=$(umask 077 && mktemp -d "${TMPDIR:-/tmp}/zoho-oauth.XXXXXX") || return 1
  printf 'Authorization: %s\n' "$1" >"$_zo_d/h"
  shift
  _zo_rc=0
  _zo_code=$(curl -s -H @"$_zo_d/h" -o "$_zo_d/b" -w '%{http_code}' "$@") || _zo_rc=$?
  [ "$_zo_code" = 401 ] || cat "$_zo_d/b" 2>/dev/null
  rm -rf "$_zo_d"
  if [ $_zo_rc -ne 0 ]; then return $_zo_rc; fi
  if [ "$_zo_code" = 401 ]; then return $ZOHO_EXIT_UNAUTHORIZED; fi
  if [ "$_zo_code" -ge 400 ] 2>/dev/null; then return 22; fi
  return 0
}

# Executed rather than sourced: a small command-line interface.
_zo_main() {
  case ${1:-} in
    token) zoho_access_token ;;
    header) zoho_auth_header ;;
    api-domain) zoho_api_domain ;;
    invalidate) zoho_invalidate ;;
    curl) shift; zoho_curl "$@" ;;
    *) echo "usage: ${0##*/} token | header | api-domain | invalidate | curl [CURL ARGS...] URL" >&2; return 64 ;;
  esac
}
_zo_self=@@NAMESPACE@@
# shellcheck disable=SC3028 # BASH_SOURCE tells bash's "source" apart; other shells compare $0
if [ "${BASH_SOURCE:-$0}" = "$0" ] && [ "${0##*/}" = "${_zo_self##*.}.sh" ]; then
  _zo_main "$@"
  exit
fi
