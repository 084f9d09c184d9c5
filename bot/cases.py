"""Cases for human caseworkers, kept in Redis: created with consent, delivered at least once.

- A case is a hash ``safejobs:case:<id>`` plus an entry in the stream ``safejobs:cases``. The
  notifier (``bot.notifier``) reads the stream in a consumer group and acknowledges an entry
  only after the operators' chat has it, so a crash or an API failure leaves it pending and it is
  delivered again; ``delivered_message_id`` on the case makes a redelivery a no-op, so operators see
  each case once.
- What a case holds is what the user agreed to: language, country and signal ids always; their
  own words only with ``share_words``; never a phone number or a username.
- A caseworker's reply goes to the user's outbox. It is sent at once only when the user wrote
  within the reply window (the bot never writes first); otherwise it waits for the user's next
  message, and each reply leaves the outbox only after the platform accepted it.
- Retention: a case and what points to it expire ``CASE_RECORD_EXP`` seconds after it was opened
  (default 90 days); an outbox ``OUTBOX_RECORD_EXP`` seconds after its last reply (30 days).
- Erasing a user's data also deletes their updates set aside by the intake, and queues an edit
  of the operators' card(s) to "erased by the user" (stream ``safejobs:erasures``, carried out
  by the notifier, which owns the operators' chat).
"""

from __future__ import annotations

import json
import os
import secrets
import time
from dataclasses import asdict, dataclass, field

import redis

PREFIX = "safejobs"
STREAM = f"{PREFIX}:cases"
GROUP = "notifiers"
ERASURES = f"{PREFIX}:erasures"
SET_ASIDE = f"{PREFIX}:cases:set-aside"
STREAM_MAXLEN = 10_000  # entries hold only case ids; old ones are trimmed
DEFAULT_REPLY_WINDOW_HOURS = 24.0
DEFAULT_CASE_RECORD_EXP = 90 * 24 * 3600
DEFAULT_OUTBOX_RECORD_EXP = 30 * 24 * 3600
UPDATE_CASE_SECONDS = 24 * 3600  # an update is processed again within a day or never

# KEYS: update key, case hash, user's case set, stream. ARGV: case id, ttl, key ttl, maxlen, then
# the hash fields. The case of an update already seen is returned instead of a second one.
_CREATE_ONCE = """
local known = redis.call('GET', KEYS[1])
if known then return known end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[3])
redis.call('HSET', KEYS[2], unpack(ARGV, 5))
redis.call('EXPIRE', KEYS[2], ARGV[2])
redis.call('SADD', KEYS[3], ARGV[1])
redis.call('EXPIRE', KEYS[3], ARGV[2])
redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[4], '*', 'case_id', ARGV[1])
return ARGV[1]
"""


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def intake_stream(channel: str) -> str:
    """The stream a channel's webhook stores updates in (:mod:`bot.channels.intake`)."""
    return f"{PREFIX}:intake:{channel}"


def failed_intake_stream(channel: str) -> str:
    """Where updates that could not be answered are set aside (they hold the person's words)."""
    return f"{intake_stream(channel)}:failed"


def case_record_exp() -> int:
    """Seconds a case is kept after it was opened (CASE_RECORD_EXP, default 90 days)."""
    return int(float(os.environ.get("CASE_RECORD_EXP") or DEFAULT_CASE_RECORD_EXP))


def outbox_record_exp() -> int:
    """Seconds undelivered caseworker replies are kept (OUTBOX_RECORD_EXP, default 30 days)."""
    return int(float(os.environ.get("OUTBOX_RECORD_EXP") or DEFAULT_OUTBOX_RECORD_EXP))


def operators_language() -> str:
    """The language of the operators' chat (OPERATORS_LANGUAGE, default English)."""
    return os.environ.get("OPERATORS_LANGUAGE", "en")


def reply_window_seconds() -> float:
    hours = float(os.environ.get("CASEWORKER_REPLY_WINDOW_HOURS", DEFAULT_REPLY_WINDOW_HOURS))
    return hours * 3600


def _case_key(case_id: str) -> str:
    return f"{PREFIX}:case:{case_id}"


def _user_key(channel: str, sender_id: str, what: str) -> str:
    return f"{PREFIX}:user:{channel}:{sender_id}:{what}"


@dataclass
class Case:
    id: str
    channel: str
    sender_id: str
    language: str
    country: str | None
    nationality: str | None
    severity: str
    signals: list[str]
    words: list[str] = field(default_factory=list)  # only with the user's consent
    status: str = "open"
    created_at: float = field(default_factory=time.time)

    def to_redis(self) -> dict[str, str]:
        data = asdict(self)
        return {k: json.dumps(v, ensure_ascii=False) for k, v in data.items()}

    @classmethod
    def from_redis(cls, data: dict[bytes | str, bytes | str]) -> Case:
        decoded = {
            (k.decode() if isinstance(k, bytes) else k): json.loads(v)
            for k, v in data.items()
            if (k.decode() if isinstance(k, bytes) else k) in cls.__dataclass_fields__
        }
        return cls(**decoded)


def new_case_id() -> str:
    # Short enough to type in `/reply <case> …`, random enough not to be guessed.
    return secrets.token_hex(4).upper()


class CaseStore:
    def __init__(self, client: redis.Redis) -> None:
        self.redis = client

    # -- cases ---------------------------------------------------------------------------------
    def create(self, case: Case, update_key: str | None = None) -> str:
        """Store and queue ``case``; returns its id. With ``update_key`` (the platform update
        that asked for it) a second call for the same update returns the first case's id and
        creates nothing: an update processed again after a crash opens no second case."""
        ttl = case_record_exp()
        cases_key = _user_key(case.channel, case.sender_id, "cases")
        if update_key:
            fields = [part for item in case.to_redis().items() for part in item]
            keys = [f"{PREFIX}:case-for-update:{update_key}", _case_key(case.id), cases_key,
                    STREAM]  # fmt: skip
            known = self.redis.eval(_CREATE_ONCE, len(keys), *keys, case.id, ttl,
                                    UPDATE_CASE_SECONDS, STREAM_MAXLEN, *fields)  # fmt: skip
            return _text(known)
        pipe = self.redis.pipeline(transaction=True)
        pipe.hset(_case_key(case.id), mapping=case.to_redis())
        pipe.expire(_case_key(case.id), ttl)
        pipe.sadd(cases_key, case.id)
        pipe.expire(cases_key, ttl)
        pipe.xadd(STREAM, {"case_id": case.id}, maxlen=STREAM_MAXLEN, approximate=True)
        pipe.execute()
        return case.id

    def get(self, case_id: str) -> Case | None:
        data = self.redis.hgetall(_case_key(case_id.upper()))
        return Case.from_redis(data) if data else None

    def delivered_message_id(self, case_id: str) -> int | None:
        value = self.redis.hget(_case_key(case_id), "delivered_message_id")
        return int(value) if value else None

    def mark_delivered(self, case_id: str, operator_message_id: int) -> None:
        """The whole card is in the operators' chat (its first message is the case's)."""
        pipe = self.redis.pipeline(transaction=True)
        pipe.hset(_case_key(case_id), "delivered_message_id", operator_message_id)
        pipe.set(f"{PREFIX}:opmsg:{operator_message_id}", case_id, ex=case_record_exp())
        pipe.execute()

    # -- delivery progress of a card in several parts -----------------------------------------
    def delivery_progress(self, case_id: str) -> tuple[list[int], bool]:
        """Message ids of the parts already posted, and whether a post was left in flight."""
        ids, in_flight = self.redis.hmget(_case_key(case_id), "part_message_ids", "sending")
        return (json.loads(ids) if ids else []), bool(in_flight)

    def mark_sending(self, case_id: str) -> None:
        """A part is about to be posted: a crash now leaves the outcome unknown."""
        self.redis.hset(_case_key(case_id), "sending", "1")

    def mark_part(self, case_id: str, message_ids: list[int]) -> None:
        pipe = self.redis.pipeline(transaction=True)
        pipe.hset(_case_key(case_id), mapping={"part_message_ids": json.dumps(message_ids)})
        pipe.hdel(_case_key(case_id), "sending")
        pipe.set(f"{PREFIX}:opmsg:{message_ids[-1]}", case_id, ex=case_record_exp())
        pipe.execute()

    def case_for_operator_message(self, message_id: int) -> str | None:
        value = self.redis.get(f"{PREFIX}:opmsg:{message_id}")
        return value.decode() if isinstance(value, bytes) else value

    def close(self, case_id: str) -> bool:
        key = _case_key(case_id.upper())
        if not self.redis.exists(key):
            return False
        self.redis.hset(key, "status", json.dumps("closed"))
        return True

    # -- the user's side -------------------------------------------------------------------------
    def touch_user(self, channel: str, sender_id: str, now: float | None = None) -> None:
        """Record that the user just wrote (opens the window for caseworker replies)."""
        self.redis.set(
            _user_key(channel, sender_id, "last_seen"),
            now if now is not None else time.time(),
            ex=int(reply_window_seconds()) + 60,
        )

    def user_recently_active(self, channel: str, sender_id: str, now: float | None = None) -> bool:
        value = self.redis.get(_user_key(channel, sender_id, "last_seen"))
        if value is None:
            return False
        now = now if now is not None else time.time()
        return now - float(value) <= reply_window_seconds()

    def mark_page_open(self, channel: str, sender_id: str, seconds: int) -> None:
        """A web chat page of this conversation is open (it asked for replies just now)."""
        self.redis.set(_user_key(channel, sender_id, "page"), 1, ex=seconds)

    def page_open(self, channel: str, sender_id: str) -> bool:
        return bool(self.redis.exists(_user_key(channel, sender_id, "page")))

    def queue_reply(self, case: Case, text: str) -> None:
        self.queue_for_user(case.channel, case.sender_id, [text])

    def queue_for_user(self, channel: str, sender_id: str, texts: list[str]) -> None:
        if texts:
            key = _user_key(channel, sender_id, "outbox")
            pipe = self.redis.pipeline(transaction=True)
            pipe.rpush(key, *texts)
            pipe.expire(key, outbox_record_exp())
            pipe.execute()

    def peek_outbox(self, channel: str, sender_id: str) -> list[str]:
        """The replies waiting for the user, oldest first; they stay until :meth:`pop_outbox`."""
        items = self.redis.lrange(_user_key(channel, sender_id, "outbox"), 0, -1)
        return [i.decode() if isinstance(i, bytes) else i for i in items]

    def pop_outbox(self, channel: str, sender_id: str, text: str) -> None:
        """Remove one delivered reply (the oldest copy of ``text``), after the platform took it."""
        self.redis.lrem(_user_key(channel, sender_id, "outbox"), 1, text)

    def take_outbox(self, channel: str, sender_id: str) -> list[str]:
        """Everything waiting, removed (tests and tools; the channels peek, then pop)."""
        key = _user_key(channel, sender_id, "outbox")
        pipe = self.redis.pipeline(transaction=True)
        pipe.lrange(key, 0, -1)
        pipe.delete(key)
        items, _ = pipe.execute()
        return [i.decode() if isinstance(i, bytes) else i for i in items]

    # -- Telegram's clear-chat: which messages of the conversation may still be deleted ---------
    def remember_message(self, channel: str, sender_id: str, message_id: int, ttl: int) -> None:
        key = _user_key(channel, sender_id, "message_ids")
        pipe = self.redis.pipeline(transaction=True)
        pipe.rpush(key, message_id)
        pipe.expire(key, ttl)
        pipe.execute()

    def take_message_ids(self, channel: str, sender_id: str) -> list[int]:
        key = _user_key(channel, sender_id, "message_ids")
        pipe = self.redis.pipeline(transaction=True)
        pipe.lrange(key, 0, -1)
        pipe.delete(key)
        items, _ = pipe.execute()
        return [int(i) for i in items]

    def erase_user(self, channel: str, sender_id: str) -> int:
        """Delete the user's cases, outbox and activity, and queue the edit of the operators'
        cards to "erased by the user". Returns the number of keys removed."""
        cases_key = _user_key(channel, sender_id, "cases")
        case_ids = [
            c.decode() if isinstance(c, bytes) else c for c in self.redis.smembers(cases_key)
        ]
        keys = [_case_key(c) for c in case_ids]
        keys += [cases_key, _user_key(channel, sender_id, "outbox")]
        kept = ("last_seen", "message_ids", "page")
        keys += [_user_key(channel, sender_id, what) for what in kept]
        pipe = self.redis.pipeline(transaction=True)
        for case_id in case_ids:
            posted = self.posted_message_ids(case_id)
            keys += [f"{PREFIX}:opmsg:{m}" for m in posted]
            if posted:
                pipe.xadd(ERASURES, {"case_id": case_id, "message_ids": json.dumps(posted)},
                          maxlen=STREAM_MAXLEN, approximate=True)  # fmt: skip
        pipe.delete(*keys)
        removed = int(pipe.execute()[-1])
        return removed + self.erase_set_aside_updates(channel, sender_id)

    def erase_set_aside_updates(self, channel: str, sender_id: str) -> int:
        """Delete the sender's updates set aside by the intake (their lane is the chat id)."""
        native = sender_id.split(":", 1)[1] if sender_id.startswith(f"{channel}:") else sender_id
        lanes = {sender_id, native}
        stream, start, found = failed_intake_stream(channel), "-", []
        while True:  # the stream is bounded (INTAKE_FAILED_MAXLEN): a full scan is affordable
            page = self.redis.xrange(stream, start, "+", count=500)
            for entry_id, fields in page:
                lane = fields.get(b"lane", fields.get("lane", b""))
                if _text(lane) in lanes:
                    found.append(entry_id)
            if len(page) < 500:
                break
            start = "(" + _text(page[-1][0])
        return int(self.redis.xdel(stream, *found)) if found else 0

    def posted_message_ids(self, case_id: str) -> list[int]:
        """Every message of the case's card in the operators' chat."""
        first = self.delivered_message_id(case_id)
        parts, _ = self.delivery_progress(case_id)
        return sorted(set(parts) | ({first} if first else set()))
