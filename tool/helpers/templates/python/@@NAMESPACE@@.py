"""Zoho OAuth 2.0 access tokens for scripts and services (standard library only).

Replaces Zoho's retired legacy API tokens: keeps an access token fresh from a refresh token.

    import @@NAMESPACE@@

    tokens = @@NAMESPACE@@.TokenManager()          # configuration from the environment
    headers = {"Authorization": tokens.authorization_header()}

Environment: ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET, ZOHO_REFRESH_TOKEN, and ZOHO_ACCOUNTS_URL
or ZOHO_DC (us, eu, in, au, cn, jp, ca, sa, uk; default us). Optional: ZOHO_TOKEN_CACHE (a
file shared by processes so that short-lived ones do not refresh every time) and
ZOHO_RETRY_BASE_MS (backoff base, default 200). Every setting can be passed in code instead.

Errors derive from ZohoOAuthError. No message, log line or repr holds a token or secret.
"""

import fcntl
import hashlib
import http.client
import json
import logging
import os
import random
import re
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Callable, Optional

__all__ = [
    "TokenManager", "ZohoOAuthError", "ConfigurationError", "InvalidGrantError",
    "ThrottledError", "TransientError", "TokenError", "ACCOUNTS_URLS", "shared",
]

_log = logging.getLogger(__name__)

ACCOUNTS_URLS = {
    "us": "https://accounts.zoho.com", "eu": "https://accounts.zoho.eu",
    "in": "https://accounts.zoho.in", "au": "https://accounts.zoho.com.au",
    "cn": "https://accounts.zoho.com.cn", "jp": "https://accounts.zoho.jp",
    "ca": "https://accounts.zohocloud.ca", "sa": "https://accounts.zoho.sa",
    "uk": "https://accounts.zoho.uk",
}

_GRANT_ERRORS = {
    "invalid_code": "refresh token is invalid or revoked: generate a new one (self-client or consent flow)",
    "invalid_client": "client id unknown in this data centre: check ZOHO_CLIENT_ID / ZOHO_DC",
    "invalid_client_secret": "client secret rejected: check ZOHO_CLIENT_SECRET",
}
_THROTTLE_ERRORS = ("Access Denied", "\u62d2\u7edd\u8bbf\u95ee")  # the CN DC localises it


class ZohoOAuthError(Exception):
    """Base class of every error raised by this module."""


class ConfigurationError(ZohoOAuthError):
    """A setting is missing or invalid (the message names it)."""


class InvalidGrantError(ZohoOAuthError):
    """Zoho rejected the credentials; retrying cannot help. ``error`` is Zoho's code."""

    def __init__(self, error: str):
        super().__init__("%s (%s)" % (_GRANT_ERRORS[error], error))
        self.error = error


class ThrottledError(ZohoOAuthError):
    """Zoho's "Access Denied" throttle (10 refreshes per 10 minutes): back off."""

    def __init__(self, retry_after: float):
        super().__init__("Zoho throttled token requests (Access Denied): too many refreshes; "
                         "back off for at least %d s and cache the access token" % retry_after)
        self.retry_after = retry_after


class TransientError(ZohoOAuthError):
    """Network errors or 5xx answers persisted through every retry."""


class TokenError(ZohoOAuthError):
    """Any other unusable answer from the token endpoint."""


def _sanitize(text: Any) -> str:
    """Keeps a short error code from a Zoho answer; anything odd is not echoed."""
    return text if isinstance(text, str) and re.fullmatch(r"[A-Za-z_ ]{1,64}", text) else "unrecognised"


class TokenManager:
    """Thread-safe access-token source for one client id + refresh token.

    Tokens are refreshed when absent or within ``margin`` seconds of expiry; concurrent
    callers share one refresh. With ``cache_file`` the token is shared with other processes
    through a 0600 JSON file guarded by an exclusive lock on ``cache_file + ".lock"``.
    ``clock`` returns the current epoch seconds (tests replace it).
    """

    def __init__(self, client_id: Optional[str] = None, client_secret: Optional[str] = None,
                 refresh_token: Optional[str] = None, *, dc: Optional[str] = None,
                 accounts_url: Optional[str] = None, cache_file: Optional[str] = None,
                 margin: float = 300, attempts: int = 3, retry_base_ms: Optional[float] = None,
                 throttle_backoff: float = 60, timeout: float = 30,
                 clock: Callable[[], float] = time.time):
        env = os.environ
        self._client_id = client_id or env.get("ZOHO_CLIENT_ID") or _missing("ZOHO_CLIENT_ID")
        self._secret = client_secret or env.get("ZOHO_CLIENT_SECRET") or _missing("ZOHO_CLIENT_SECRET")
        self._refresh = refresh_token or env.get("ZOHO_REFRESH_TOKEN") or _missing("ZOHO_REFRESH_TOKEN")
        url = accounts_url or (None if dc else env.get("ZOHO_ACCOUNTS_URL"))
        if not url:
            dc = (dc or env.get("ZOHO_DC") or "us").lower()
            if dc not in ACCOUNTS_URLS:
                raise ConfigurationError("ZOHO_DC %r is not one of %s" % (dc, ", ".join(ACCOUNTS_URLS)))
            url = ACCOUNTS_URLS[dc]
        self.accounts_url = url.rstrip("/")
        self.cache_file = cache_file or env.get("ZOHO_TOKEN_CACHE") or None
        if retry_base_ms is None:
            try:
                retry_base_ms = float(env.get("ZOHO_RETRY_BASE_MS", "200"))
            except ValueError:
                raise ConfigurationError("ZOHO_RETRY_BASE_MS is not a number") from None
        self.margin, self.attempts, self.timeout = margin, max(1, attempts), timeout
        self._retry_base, self._throttle_backoff, self._clock = retry_base_ms / 1000.0, throttle_backoff, clock
        self._rt_hash = hashlib.sha256(self._refresh.encode()).hexdigest()
        self._lock = threading.Lock()
        self._token = None  # type: Optional[str]
        self._expires_at = 0.0
        self._api_domain = None  # type: Optional[str]
        self._flights = 0          # refreshes completed (or failed) so far
        self._failure = None       # type: Optional[ZohoOAuthError]  # of the last attempt
        self._fatal = None         # type: Optional[InvalidGrantError]
        self._throttled_until = 0.0

    def __repr__(self) -> str:
        return "TokenManager(client_id=%r, accounts_url=%r)" % (self._client_id, self.accounts_url)

    # -- public API -------------------------------------------------------------------

    def access_token(self) -> str:
        """Returns a valid access token, refreshing it if needed."""
        seen = self._flights
        with self._lock:
            if self._fresh():
                return self._token  # type: ignore[return-value]
            if self._flights != seen and self._failure is not None:
                raise self._failure.with_traceback(None)  # we waited on a refresh that failed
            try:
                if self.cache_file:
                    with _FileLock(self.cache_file + ".lock"):
                        if not self._load_cache():
                            self._refresh_token()
                            self._save_cache()
                else:
                    self._refresh_token()
                self._failure = None
            except ZohoOAuthError as e:
                self._failure = e
                raise
            finally:
                self._flights += 1
            return self._token  # type: ignore[return-value]

    def authorization_header(self) -> str:
        """The ``Authorization`` header value: ``Zoho-oauthtoken <token>``."""
        return "Zoho-oauthtoken " + self.access_token()

    @property
    def api_domain(self) -> Optional[str]:
        """``api_domain`` from the last token answer (e.g. https://www.zohoapis.eu)."""
        if self._api_domain is None:
            self.access_token()
        return self._api_domain

    @property
    def expires_at(self) -> float:
        """Epoch seconds at which the current token expires (0 when there is none)."""
        return self._expires_at

    def invalidate(self) -> None:
        """Forgets the current token (call it after a 401 INVALID_TOKEN); the next call refreshes."""
        with self._lock:
            old, self._token, self._expires_at = self._token, None, 0.0
            if self.cache_file and old:
                with _FileLock(self.cache_file + ".lock"):
                    entry = self._read_cache()
                    if entry and entry.get("access_token") == old:
                        try:
                            os.unlink(self.cache_file)
                        except FileNotFoundError:
                            pass

    def with_retry_on_invalid_token(self, fn: Callable[[str], Any]) -> Any:
        """Calls ``fn(authorization_header)``; on a 401 invalidates and calls it once more.

        A 401 is an ``urllib.error.HTTPError`` with code 401 raised by ``fn``, or a returned
        object whose ``status``, ``status_code`` or ``code`` is 401 (requests, urllib, http.client).
        """
        try:
            result = fn(self.authorization_header())
        except urllib.error.HTTPError as e:
            if e.code != 401:
                raise
            e.close()
        else:
            if _status_of(result) != 401:
                return result
        self.invalidate()
        return fn(self.authorization_header())

    # -- internals --------------------------------------------------------------------

    def _fresh(self) -> bool:
        return self._token is not None and self._clock() < self._expires_at - self.margin

    def _read_cache(self) -> Optional[dict]:
        try:
            with open(self.cache_file, encoding="utf-8") as f:  # type: ignore[arg-type]
                entry = json.load(f)
        except (OSError, ValueError):
            return None
        if not isinstance(entry, dict) or entry.get("client_id") != self._client_id or \
                entry.get("refresh_token_hash") != self._rt_hash or \
                entry.get("accounts_url") != self.accounts_url:
            return None
        return entry

    def _load_cache(self) -> bool:
        entry = self._read_cache()
        if not entry or not isinstance(entry.get("access_token"), str):
            return False
        try:
            expires_at = float(entry.get("expires_at", 0))
        except (TypeError, ValueError):
            return False
        self._token, self._expires_at, self._api_domain = entry["access_token"], expires_at, entry.get("api_domain")
        return self._fresh()

    def _save_cache(self) -> None:
        path = self.cache_file  # type: str  # type: ignore[assignment]
        entry = {"access_token": self._token, "expires_at": int(self._expires_at),
                 "api_domain": self._api_domain, "client_id": self._client_id,
                 "refresh_token_hash": self._rt_hash, "accounts_url": self.accounts_url}
        fd, tmp = tempfile.mkstemp(prefix=os.path.basename(path) + ".", dir=os.path.dirname(path) or ".")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:  # mkstemp creates it 0600
                json.dump(entry, f)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
        except OSError:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            _log.warning("could not write the token cache %s", path)

    def _refresh_token(self) -> None:
        form = urllib.parse.urlencode({"grant_type": "refresh_token", "client_id": self._client_id,
                                       "client_secret": self._secret, "refresh_token": self._refresh})
        if self._fatal is not None:
            raise self._fatal.with_traceback(None)  # the same credentials cannot succeed later
        if self._clock() < self._throttled_until:
            raise ThrottledError(self._throttled_until - self._clock())  # still backing off
        problem = ""
        for attempt in range(self.attempts):
            if attempt:
                time.sleep(random.uniform(0, self._retry_base * 2 ** attempt))  # full jitter
            started = self._clock()
            _log.debug("refreshing the Zoho access token (attempt %d)", attempt + 1)
            try:
                status, body = self._post(form)
            except (OSError, http.client.HTTPException) as e:  # refused, reset, timeout, truncated
                reason = getattr(e, "reason", None)
                problem = "network error: %s" % type(reason if isinstance(reason, Exception) else e).__name__
                continue
            if status >= 500:
                problem = "HTTP %d" % status
                continue
            self._accept(status, body, started)
            return
        raise TransientError("Zoho token endpoint unavailable after %d attempts (%s); try again later"
                             % (self.attempts, problem))

    def _post(self, form: str):
        req = urllib.request.Request(self.accounts_url + "/oauth/v2/token", data=form.encode(), method="POST",
                                     headers={"Content-Type": "application/x-www-form-urlencoded",
                                              "Accept": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                return resp.status, resp.read()
        except urllib.error.HTTPError as e:
            try:
                return e.code, e.read()
            finally:
                e.close()

    def _accept(self, status: int, body: bytes, started: float) -> None:
        try:
            data = json.loads(body.decode("utf-8"))
        except ValueError:
            data = None
        if not isinstance(data, dict):
            raise TokenError("Zoho token endpoint answered HTTP %d without JSON" % status)
        error = data.get("error")
        if isinstance(error, str) and error in _GRANT_ERRORS:
            self._fatal = InvalidGrantError(error)
            raise self._fatal
        if error in _THROTTLE_ERRORS:
            self._throttled_until = self._clock() + self._throttle_backoff
            raise ThrottledError(self._throttle_backoff)
        token = data.get("access_token")
        if error is not None or status != 200 or not isinstance(token, str) or not token:
            raise TokenError("Zoho token endpoint answered HTTP %d without an access token (error: %s)"
                             % (status, _sanitize(error) if error is not None else "none"))
        try:
            lifetime = float(data["expires_in"])
            if "expires_in_sec" in data:
                lifetime /= 1000.0  # older answers: expires_in in ms, expires_in_sec in s
        except (KeyError, TypeError, ValueError):
            lifetime = 3600.0  # Zoho sometimes omits expires_in; tokens live one hour
        self._token, self._expires_at = token, started + lifetime
        if isinstance(data.get("api_domain"), str):
            self._api_domain = data["api_domain"]


class _FileLock:
    """Exclusive flock(2) on a lock file (created 0600), for cross-process single flight."""

    def __init__(self, path: str):
        self._path, self._fd = path, -1

    def __enter__(self):
        try:
            self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as e:
            raise ConfigurationError("ZOHO_TOKEN_CACHE: cannot create %s (%s)" % (self._path, e.strerror)) from None
        fcntl.flock(self._fd, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc):
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)


_shared = None  # type: Optional[TokenManager]
_shared_lock = threading.Lock()


def shared() -> "TokenManager":
    """The process-wide TokenManager, configured from the environment on first use.

    Code migrated by ``authtoken-migrate fix`` calls this, so importing the module never
    needs the configuration; the first request does.
    """
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = TokenManager()
        return _shared


def _missing(name: str):
    raise ConfigurationError("%s is not set (pass it to TokenManager or set the environment variable)" % name)


def _status_of(result: Any) -> Optional[int]:
    for attr in ("status_code", "status", "code"):
        value = getattr(result, attr, None)
        if isinstance(value, int):
            return value
    return None
