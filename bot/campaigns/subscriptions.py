"""Awareness campaigns: who opted in to alerts, what staff wrote, and when it goes out.

- A subscription is the hash ``safejobs:sub:<channel>:<sender id>`` (channel, recipient id,
  language, subscribed_at, nothing else) plus its member ``<channel>:<sender id>`` in the set
  ``safejobs:subscribers``; :func:`unsubscribe` deletes both (also on "erase my data").
- Campaigns are written by staff in ``content/campaigns.yml`` (id, texts per language with
  English required as the fallback, optional ``send_at`` and ``languages`` audience filter).
- ``python -m bot campaign schedule ID`` copies the campaign's texts and audience into the run
  hash ``safejobs:campaign:<id>`` and puts it on the ``safejobs:campaigns:due`` timetable, so
  what goes out is what was scheduled even if the file changes afterwards. The broadcaster
  (:mod:`bot.campaigns.broadcaster`) sends it; each recipient's state is one field of
  ``safejobs:campaign:<id>:recipients``, the single source of truth for the run's figures.
"""

from __future__ import annotations

import datetime as dtm
import json
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import redis

from bot import DEFAULT_LANGUAGE, LANGUAGES, settings, storage
from bot.content import ContentCache, ContentError, load_content_file, require
from bot.storage import PREFIX, sub_key, user_key

FILE = "campaigns.yml"
SUBSCRIBERS = f"{PREFIX}:subscribers"
DUE = f"{PREFIX}:campaigns:due"
#: Channels the broadcaster can push to; other channels (REST, web chat) cannot be written to.
PUSH_CHANNELS = ("telegram", "messenger")
MAX_TEXT = 2000  # Messenger's limit (Telegram's is 4096): one message per subscriber everywhere
CAMPAIGN_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
MESSENGER_WINDOW = 24 * 3600  # Meta: no promotional message outside 24 h after the user wrote


# -- subscriptions --------------------------------------------------------------------------------


def member(channel: str, sender_id: str) -> str:
    return f"{channel}:{sender_id}"


def split_member(value: str | bytes) -> tuple[str, str]:
    text = value.decode() if isinstance(value, bytes) else value
    channel, _, sender_id = text.partition(":")
    return channel, sender_id


@lru_cache(maxsize=1)
def _default_client() -> redis.Redis:

    return storage.client("request")


def subscribe(
    channel: str, sender_id: str, language: str, client: redis.Redis | None = None
) -> bool:
    """Record the opt-in (or its new language). True if the user was not subscribed before."""
    client = client or _default_client()
    language = language if language in LANGUAGES else DEFAULT_LANGUAGE
    key = sub_key(channel, sender_id)
    pipe = client.pipeline(transaction=True)
    pipe.exists(key)
    pipe.hset(
        key,
        mapping={
            "channel": channel,
            "recipient_id": sender_id,
            "language": language,
            "subscribed_at": f"{time.time():.0f}",
        },
    )
    pipe.sadd(SUBSCRIBERS, member(channel, sender_id))
    existed, *_ = pipe.execute()
    return not existed


def unsubscribe(channel: str, sender_id: str, client: redis.Redis | None = None) -> bool:
    """Delete the subscription. True if there was one."""
    client = client or _default_client()
    pipe = client.pipeline(transaction=True)
    pipe.delete(sub_key(channel, sender_id))
    pipe.srem(SUBSCRIBERS, member(channel, sender_id))
    deleted, _ = pipe.execute()
    return bool(deleted)


def subscription(
    channel: str, sender_id: str, client: redis.Redis | None = None
) -> dict[str, str] | None:
    client = client or _default_client()
    data = client.hgetall(sub_key(channel, sender_id))
    if not data:
        return None
    return {
        (k.decode() if isinstance(k, bytes) else k): (v.decode() if isinstance(v, bytes) else v)
        for k, v in data.items()
    }


def last_seen_key(channel: str, sender_id: str) -> str:
    """Where casework records the user's last message (``CaseStore.touch_user``)."""
    return user_key(channel, sender_id, "last_seen")


# -- campaign content ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Campaign:
    id: str
    texts: dict[str, str]
    send_at: dtm.datetime | None = None
    languages: tuple[str, ...] = ()  # empty: every subscriber

    def text_for(self, language: str) -> tuple[str, str]:
        """(language used, text): the subscriber's language, else English."""
        if language in self.texts:
            return language, self.texts[language]
        return DEFAULT_LANGUAGE, self.texts[DEFAULT_LANGUAGE]

    def wants(self, language: str) -> bool:
        return not self.languages or language in self.languages


def _parse_time(file: str, entry: str, name: str, value: Any) -> dtm.datetime:
    if isinstance(value, dtm.datetime):
        moment = value
    elif isinstance(value, str):
        try:
            moment = dtm.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise ContentError(
                file, entry, name, "must be an ISO date and time, e.g. 2026-12-01T09:00+07:00"
            ) from None
    else:
        raise ContentError(file, entry, name, "must be an ISO date and time")
    if moment.tzinfo is None:  # YAML gives naive datetimes for "…Z" values: they are UTC
        if isinstance(value, dtm.datetime):
            return moment.replace(tzinfo=dtm.timezone.utc)
        raise ContentError(file, entry, name, "needs a time zone, e.g. +07:00 or Z")
    return moment


def parse_time(value: str) -> dtm.datetime:
    """An ISO date and time from the command line (a time zone is required); ValueError if not."""
    try:
        return _parse_time("--at", "--at", "--at", value)
    except ContentError as exc:
        raise ValueError(f"--at {exc.problem}") from None


def _campaign(raw: Any, index: int, seen: set[str]) -> Campaign:
    entry = f"#{index + 1}"
    if not isinstance(raw, dict):
        raise ContentError(FILE, entry, None, "must be a mapping")
    campaign_id = require(FILE, entry, raw, "id", str)
    if not CAMPAIGN_ID.fullmatch(campaign_id):
        raise ContentError(FILE, entry, "id", "use 1-64 of a-z, 0-9, _ and -, starting a-z/0-9")
    if campaign_id in seen:
        raise ContentError(FILE, campaign_id, "id", "is used twice")
    seen.add(campaign_id)
    unknown = set(raw) - {"id", "texts", "send_at", "languages", "note"}
    if unknown:
        raise ContentError(FILE, campaign_id, sorted(unknown)[0], "is not a known field")
    texts = require(FILE, campaign_id, raw, "texts", dict)
    for language, text in texts.items():
        where = f"texts.{language}"
        if language not in LANGUAGES:
            raise ContentError(FILE, campaign_id, where, f"language must be one of {LANGUAGES}")
        if not isinstance(text, str) or not text.strip():
            raise ContentError(FILE, campaign_id, where, "must be a non-empty text")
        if len(text) > MAX_TEXT:
            raise ContentError(FILE, campaign_id, where, f"is longer than {MAX_TEXT} characters")
    if DEFAULT_LANGUAGE not in texts:
        raise ContentError(
            FILE, campaign_id, f"texts.{DEFAULT_LANGUAGE}", "is missing (the fallback)"
        )
    send_at = raw.get("send_at")
    languages = raw.get("languages") or []
    if not isinstance(languages, list) or not all(lang in LANGUAGES for lang in languages):
        raise ContentError(FILE, campaign_id, "languages", f"must be a list of {LANGUAGES}")
    return Campaign(
        id=campaign_id,
        texts={k: v.strip() for k, v in texts.items()},
        send_at=_parse_time(FILE, campaign_id, "send_at", send_at) if send_at else None,
        languages=tuple(languages),
    )


def load_campaigns() -> dict[str, Campaign]:
    data = load_content_file(FILE)
    entries = require(FILE, None, data, "campaigns", list)
    seen: set[str] = set()
    campaigns = [_campaign(raw, i, seen) for i, raw in enumerate(entries)]
    return {c.id: c for c in campaigns}


_CACHE: ContentCache[dict[str, Campaign]] = ContentCache(load_campaigns, (FILE,))


def campaigns() -> dict[str, Campaign]:
    return _CACHE.get()


# -- runs in Redis ------------------------------------------------------------------------------


def run_key(campaign_id: str) -> str:
    return f"{PREFIX}:campaign:{campaign_id}"


def recipients_key(campaign_id: str) -> str:
    return f"{PREFIX}:campaign:{campaign_id}:recipients"


def campaign_record_exp() -> int:
    """Seconds a campaign's recipient records (channel:id → outcome) are kept after its last
    run (CAMPAIGN_RECORD_EXP, default 30 days); long enough to resume without sending twice."""
    return settings.integer("CAMPAIGN_RECORD_EXP")


def lock_key(campaign_id: str) -> str:
    return f"{PREFIX}:campaign:{campaign_id}:lock"


def campaign_to_redis(campaign: Campaign, at: float) -> dict[str, str]:
    return {
        "id": campaign.id,
        "texts": json.dumps(campaign.texts, ensure_ascii=False),
        "languages": json.dumps(list(campaign.languages)),
        "send_at": f"{at:.3f}",
        "status": "scheduled",
        "scheduled_at": f"{time.time():.3f}",
    }


def campaign_from_redis(data: dict[str, str]) -> Campaign:
    return Campaign(
        id=data["id"],
        texts=json.loads(data["texts"]),
        send_at=dtm.datetime.fromtimestamp(float(data["send_at"]), dtm.timezone.utc),
        languages=tuple(json.loads(data.get("languages") or "[]")),
    )


def decode(data: dict[Any, Any]) -> dict[str, str]:
    return {
        (k.decode() if isinstance(k, bytes) else k): (v.decode() if isinstance(v, bytes) else v)
        for k, v in data.items()
    }


class AlreadySent(RuntimeError):
    """A campaign runs once: a finished or running one is not scheduled again."""


def schedule(client: redis.Redis, campaign: Campaign, at: dtm.datetime | None = None) -> float:
    """Put ``campaign`` on the timetable (``at``, else its send_at, else now); returns the time.

    Re-scheduling a campaign that has not started yet moves it; one that started or finished
    is refused: a new message needs a new id, so nobody ever gets the same campaign twice.
    """
    moment = at or campaign.send_at
    when = moment.timestamp() if moment else time.time()
    current = decode(client.hgetall(run_key(campaign.id)))
    if current.get("status") in ("running", "done"):
        raise AlreadySent(f"campaign {campaign.id} is {current['status']}; give it a new id")
    pipe = client.pipeline(transaction=True)
    pipe.delete(run_key(campaign.id))
    pipe.hset(run_key(campaign.id), mapping=campaign_to_redis(campaign, when))
    pipe.zadd(DUE, {campaign.id: when})
    pipe.execute()
    return when


@dataclass
class Status:
    campaign_id: str
    status: str  # unknown, scheduled, running, done
    send_at: float | None = None
    started_at: float | None = None
    finished_at: float | None = None
    counts: Counter[str] = field(default_factory=Counter)
    fallback: Counter[str] = field(default_factory=Counter)  # subscriber language → count

    def as_dict(self) -> dict[str, Any]:
        return {
            "campaign": self.campaign_id,
            "status": self.status,
            "send_at": self.send_at,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "counts": dict(self.counts),
            "fallback_to_english": dict(self.fallback),
        }


def status(client: redis.Redis, campaign_id: str) -> Status:
    """The run's state and figures, counted from the recipients' marks (crash-proof)."""
    run = decode(client.hgetall(run_key(campaign_id)))
    result = Status(campaign_id, run.get("status", "unknown"))
    for name in ("send_at", "started_at", "finished_at"):
        if run.get(name):
            setattr(result, name, float(run[name]))
    for raw in client.hvals(recipients_key(campaign_id)):
        mark = json.loads(raw)
        state = mark.get("s", "?")
        if state == "sending":  # in flight while running; after a crash nobody knows
            state = "uncertain" if result.status == "done" else "sending"
        result.counts[state] += 1
        if state == "sent" and mark.get("tl") != mark.get("l"):
            result.fallback[mark.get("l", "?")] += 1
    return result
