"""CSRF for the sign-in and invitation forms without a stored session (signed double submit).

Before sign-in nothing is written to Redis: a form carries a random token, and a cookie carries
the same token with its issue time and an HMAC under a key of this process. A POST is accepted
when the form's token equals the cookie's and the signature and age check out. A page that
cannot set cookies for this host cannot forge the pair, and a crowd of cookieless GETs costs no
storage. The key is made at start: a restart only makes open sign-in forms ask again.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable

COOKIE = "safejobs_admin_form"
MAX_AGE_SECONDS = 30 * 60


class FormTokens:
    def __init__(self, key: bytes | None = None, clock: Callable[[], float] = time.time) -> None:
        self.key = key or secrets.token_bytes(32)
        self.clock = clock

    def _mac(self, token: str, issued: str) -> str:
        return hmac.new(self.key, f"{token}|{issued}".encode(), hashlib.sha256).hexdigest()

    def issue(self) -> tuple[str, str]:
        """A new (form token, cookie value) pair."""
        token = secrets.token_urlsafe(32)
        issued = str(int(self.clock()))
        return token, f"{token}.{issued}.{self._mac(token, issued)}"

    def token_of(self, cookie: str | None, margin: float = 300.0) -> str | None:
        """The token of an unexpired cookie signed by this process (with ``margin`` seconds of
        life left, so a form shown now can still be sent), else None."""
        if not cookie or len(cookie) > 256 or cookie.count(".") != 2:
            return None
        cookie_token, issued, mac = cookie.split(".")
        if not issued.isdigit() or self.clock() - int(issued) > MAX_AGE_SECONDS - margin:
            return None
        if not hmac.compare_digest(mac, self._mac(cookie_token, issued)):
            return None
        return cookie_token

    def check(self, cookie: str | None, token: str | None) -> bool:
        """Whether the form's ``token`` matches an unexpired cookie signed by this process."""
        held = self.token_of(cookie, margin=0.0)
        return held is not None and bool(token) and hmac.compare_digest(held.encode(),
                                                                       str(token).encode())
