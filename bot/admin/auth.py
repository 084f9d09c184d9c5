"""Staff accounts, sessions, CSRF tokens and lock-out, all kept in Redis.

- Passwords: ``hashlib.scrypt`` with a per-user random salt; only the hash is stored.
- Invitations: single-use random tokens; Redis keeps only their SHA-256, so a copy of the
  database cannot be used to sign in.
- Sessions: random 256-bit ids; Redis keys are the SHA-256 of the id, with an idle and an
  absolute expiry checked in code (the Redis TTL only collects the garbage).
- Lock-out: 5 failed logins for one name lock that name for 15 minutes. Each attempt is
  counted before the password is checked, in one atomic Redis script, so parallel guesses get
  five tries in all, not five each; a right password clears the count. Unknown names are
  counted and answered exactly like real ones, so the page does not tell which names exist.

Nothing here logs a password, a token or a session id.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot import storage

log = logging.getLogger(__name__)

PREFIX = storage.key("admin") + ":"
ROLES = ("editor", "publisher")
#: What each role may do; a publisher can do everything an editor can.
PERMISSIONS = {
    "editor": frozenset({"view", "edit", "try"}),
    "publisher": frozenset({"view", "edit", "try", "publish"}),
}
MAX_FAILURES = 5
LOCKOUT_SECONDS = 15 * 60
INVITE_SECONDS = 72 * 3600
SESSION_IDLE_SECONDS = 2 * 3600
SESSION_MAX_SECONDS = 12 * 3600
ANONYMOUS_SESSION_SECONDS = 30 * 60
MIN_PASSWORD_CHARS = 12
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")
# scrypt cost: ~50 ms and 16 MiB per hash on a small machine.
_SCRYPT_N, _SCRYPT_R, _SCRYPT_P, _DKLEN = 2**14, 8, 1, 32
_DUMMY_SALT = b"\x00" * 16  # for equal timing when the name is unknown or locked
#: Count one attempt and return the count; the expiry is renewed only while not locked, so
#: guesses during a lock-out do not prolong it.
_COUNT_ATTEMPT = """
local n = redis.call('INCR', KEYS[1])
if n <= tonumber(ARGV[1]) then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
return n
"""


class AuthError(ValueError):
    """A request the user can correct (bad name, short password, expired invitation)."""


def hash_password(password: str, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P, dklen=_DKLEN,
        maxmem=64 * 1024 * 1024,
    )
    return f"scrypt${_SCRYPT_N}${_SCRYPT_R}${_SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        got = hashlib.scrypt(
            password.encode("utf-8"), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p),
            dklen=len(digest) // 2, maxmem=64 * 1024 * 1024,
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got.hex(), digest)


def _sha(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def normalize_name(name: str) -> str:
    return (name or "").strip().lower()[:64]


@dataclass(frozen=True)
class Session:
    """A server-side session; ``user`` is empty before login (it still carries a CSRF token)."""

    id: str
    csrf: str
    user: str
    role: str
    created: float
    seen: float

    def can(self, permission: str) -> bool:
        return bool(self.user) and permission in PERMISSIONS.get(self.role, frozenset())


class Auth:
    """Accounts and sessions on one Redis client (``decode_responses`` not required)."""

    def __init__(
        self,
        redis: Any,
        *,
        clock: Callable[[], float] = time.time,
        session_idle: int = SESSION_IDLE_SECONDS,
        session_max: int = SESSION_MAX_SECONDS,
    ) -> None:
        self.redis = redis
        self.clock = clock
        self.session_idle = session_idle
        self.session_max = session_max

    # -- accounts -------------------------------------------------------------------------
    def _user_key(self, name: str) -> str:
        return f"{PREFIX}user:{name}"

    def get_user(self, name: str) -> dict[str, str] | None:
        raw = self.redis.hgetall(self._user_key(normalize_name(name)))
        if not raw:
            return None
        return {_s(k): _s(v) for k, v in raw.items()}

    def users(self) -> list[dict[str, str]]:
        out = []
        for key in self.redis.scan_iter(match=f"{PREFIX}user:*"):
            name = _s(key)[len(f"{PREFIX}user:"):]
            user = self.get_user(name) or {}
            out.append({"name": name, "role": user.get("role", ""),
                        "active": "yes" if user.get("password") else "invited"})
        return sorted(out, key=lambda u: u["name"])

    def add_user(self, name: str, role: str, password: str | None = None) -> str | None:
        """Create (or update the role of) an account. Returns an invitation token when no
        password is given: the invitee sets their password with it, once."""
        name = normalize_name(name)
        if not NAME_RE.match(name):
            raise AuthError("a name is 2-32 characters: a-z, 0-9, '.', '_' or '-'")
        if role not in ROLES:
            raise AuthError(f"role must be one of {', '.join(ROLES)}")
        fields = {"role": role, "created": str(int(self.clock()))}
        if password is not None:
            check_password_rules(password)
            fields["password"] = hash_password(password)
        self.redis.hset(self._user_key(name), mapping=fields)
        if password is not None:
            self.redis.delete(f"{PREFIX}fail:{name}")
            return None
        token = secrets.token_urlsafe(32)
        self.redis.set(f"{PREFIX}invite:{_sha(token)}", name, ex=INVITE_SECONDS)
        return token

    def remove_user(self, name: str) -> bool:
        name = normalize_name(name)
        removed = bool(self.redis.delete(self._user_key(name)))
        for key in self.redis.scan_iter(match=f"{PREFIX}session:*"):
            if _s(self.redis.hget(key, "user") or b"") == name:
                self.redis.delete(key)
        return removed

    def invitation_user(self, token: str) -> str | None:
        name = self.redis.get(f"{PREFIX}invite:{_sha(token or '')}")
        return _s(name) if name else None

    def accept_invitation(self, token: str, password: str) -> str:
        """Set the password of the invited account; the token works once."""
        check_password_rules(password)
        name = self.redis.getdel(f"{PREFIX}invite:{_sha(token or '')}")
        if not name:
            raise AuthError("this invitation link is not valid any more; ask for a new one")
        name = _s(name)
        if not self.redis.exists(self._user_key(name)):
            raise AuthError("this invitation link is not valid any more; ask for a new one")
        self.redis.hset(self._user_key(name), "password", hash_password(password))
        self.redis.delete(f"{PREFIX}fail:{name}")
        return name

    # -- login and lock-out ---------------------------------------------------------------
    def is_locked(self, name: str) -> bool:
        count = self.redis.get(f"{PREFIX}fail:{normalize_name(name)}")
        return int(count or 0) >= MAX_FAILURES

    def authenticate(self, name: str, password: str) -> dict[str, str] | None:
        """The user on a right name and password of an unlocked account, else None.

        Every refusal takes one scrypt hash and gives the same answer, whether the name is
        unknown, the password wrong or the account locked.
        """
        name = normalize_name(name)
        fail_key = f"{PREFIX}fail:{name}"
        allowed = self._count_attempt(fail_key)
        user = self.get_user(name) if name and allowed else None
        stored = (user or {}).get("password", "")
        if not stored:
            hash_password(password or "", _DUMMY_SALT)
            log.info("admin login refused")
            return None
        if not verify_password(password or "", stored):
            log.info("admin login refused")
            return None
        self.redis.delete(fail_key)
        log.info("admin login: %s", name)
        return {"name": name, "role": user["role"] if user else ""}

    def _count_attempt(self, key: str) -> bool:
        """Count an attempt atomically; False when the name is locked (over the limit)."""
        count = self.redis.eval(_COUNT_ATTEMPT, 1, key, MAX_FAILURES, LOCKOUT_SECONDS)
        return int(count) <= MAX_FAILURES

    # -- sessions -------------------------------------------------------------------------
    def _session_key(self, sid: str) -> str:
        return f"{PREFIX}session:{_sha(sid)}"

    def new_session(self, user: str = "", role: str = "") -> Session:
        now = self.clock()
        session = Session(secrets.token_urlsafe(32), secrets.token_urlsafe(32), user, role,
                          now, now)
        ttl = self.session_max if user else ANONYMOUS_SESSION_SECONDS
        data = {"csrf": session.csrf, "user": user, "role": role,
                "created": repr(now), "seen": repr(now)}
        key = self._session_key(session.id)
        self.redis.hset(key, mapping=data)
        self.redis.expire(key, int(ttl) + 1)
        return session

    def get_session(self, sid: str | None) -> Session | None:
        if not sid or len(sid) > 128:
            return None
        key = self._session_key(sid)
        raw = self.redis.hgetall(key)
        if not raw:
            return None
        data = {_s(k): _s(v) for k, v in raw.items()}
        now = self.clock()
        created, seen = float(data.get("created", 0)), float(data.get("seen", 0))
        user = data.get("user", "")
        idle = self.session_idle if user else ANONYMOUS_SESSION_SECONDS
        maximum = self.session_max if user else ANONYMOUS_SESSION_SECONDS
        if now - seen > idle or now - created > maximum:
            self.redis.delete(key)
            return None
        role = data.get("role", "")
        if user:
            account = self.get_user(user)
            if not account or not account.get("password"):  # account removed meanwhile
                self.redis.delete(key)
                return None
            role = account.get("role", "")  # a role change applies at once
        self.redis.hset(key, "seen", repr(now))
        return Session(sid, data.get("csrf", ""), user, role, created, now)

    def end_session(self, sid: str | None) -> None:
        if sid:
            self.redis.delete(self._session_key(sid))

    @staticmethod
    def csrf_ok(session: Session | None, token: str | None) -> bool:
        return bool(session and token and hmac.compare_digest(session.csrf, token))


def check_password_rules(password: str) -> None:
    if len(password or "") < MIN_PASSWORD_CHARS:
        raise AuthError(f"a password needs at least {MIN_PASSWORD_CHARS} characters")
    if len(password) > 1024:
        raise AuthError("that password is too long")


def _s(value: Any) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
