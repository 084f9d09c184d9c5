"""The notifier under failure: long cards, a case Telegram refuses for good, crashes, erasure."""

from __future__ import annotations

import pytest

from bot.cases import GROUP, SET_ASIDE, STREAM, Case, CaseStore, new_case_id
from bot.channels.casework import Casework
from bot.i18n import t
from bot.notifier import Notifier, card_parts
from bot.redis_server import RedisTarget


@pytest.fixture
def store(redis_target: RedisTarget, monkeypatch: pytest.MonkeyPatch) -> CaseStore:
    monkeypatch.setattr("bot.notifier.RETRY_FIRST", 0.0)
    client = redis_target.client()
    client.flushdb()
    return CaseStore(client)


def make_case(words: list[str] | None = None, sender: str = "555") -> Case:
    return Case(new_case_id(), "telegram", sender, "th", "MM", "TH", "urgent", ["CONFINEMENT"],
                words=words or [])  # fmt: skip


class Chat:
    """The operators' chat: records posts and edits; refuses texts containing ``refuse``."""

    def __init__(self, refuse: str | None = None) -> None:
        self.refuse = refuse
        self.posts: dict[int, str] = {}
        self.edits: list[tuple[int, str]] = []

    async def send(self, text: str) -> int:
        if self.refuse and self.refuse in text:
            raise ValueError("Bad Request: message is too long")
        self.posts[len(self.posts) + 1] = text
        return len(self.posts)

    async def edit(self, message_id: int, text: str) -> None:
        self.edits.append((message_id, text))


async def rounds(notifier: Notifier, count: int) -> None:
    for _ in range(count):
        await notifier.run_once(block_ms=20)


async def test_a_long_card_is_sent_in_parts_within_the_limit(store: CaseStore) -> None:
    case = make_case(words=["ช่วยด้วย " * 100] * 5)  # 5 shared messages of 900 characters
    store.create(case)
    chat = Chat()
    await rounds(Notifier(store, chat.send, consumer="n1"), 2)
    parts = card_parts(case)
    assert len(parts) > 1 and list(chat.posts.values()) == parts
    assert all(len(p.encode("utf-16-le")) // 2 <= 4096 for p in parts)
    assert "ช่วยด้วย " * 100 in "".join(p.replace("\n", " ") for p in parts).replace("  ", " ")
    assert store.delivered_message_id(case.id) == 1
    assert sorted(store.posted_message_ids(case.id)) == list(range(1, len(parts) + 1))


async def test_a_refused_case_is_set_aside_and_never_blocks_the_next(
    store: CaseStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NOTIFIER_MAX_ATTEMPTS", "3")
    refused, later = make_case(), make_case()
    store.create(refused)
    chat = Chat(refuse=t("en", "operators.case_header", case_id=refused.id))
    notifier = Notifier(store, chat.send, consumer="n2")
    await rounds(notifier, 1)
    store.create(later)  # arrives while the refused one is still pending
    await rounds(notifier, 1)
    assert any(later.id in text for text in chat.posts.values())  # not blocked
    await rounds(notifier, 4)
    alerts = [text for text in chat.posts.values() if refused.id in text]
    assert alerts == [t("en", "operators.case_set_aside", case_id=refused.id, tries=3,
                        reason="ValueError")]  # fmt: skip
    assert store.redis.xlen(SET_ASIDE) == 1
    assert store.redis.xpending(STREAM, GROUP)["pending"] == 0


async def test_a_crash_between_post_and_record_is_marked_when_posted_again(
    store: CaseStore,
) -> None:
    case = make_case()
    store.create(case)
    store.mark_sending(case.id)  # the previous notifier died with the request in flight
    chat = Chat()
    await rounds(Notifier(store, chat.send, consumer="n3"), 1)
    (text,) = chat.posts.values()
    assert t("en", "operators.case_resent", case_id=case.id) in text
    chat2 = Chat()
    await rounds(Notifier(store, chat2.send, consumer="n3"), 1)
    assert chat2.posts == {}  # recorded: never posted a third time


async def test_erase_edits_the_operators_card_and_expires_what_is_kept(
    store: CaseStore,
) -> None:
    case = make_case(words=["โดนขัง"])
    store.create(case)
    assert 0 < store.redis.ttl(f"safejobs:case:{case.id}") <= 90 * 24 * 3600
    chat = Chat()
    notifier = Notifier(store, chat.send, consumer="n4", edit=chat.edit)
    await rounds(notifier, 1)
    store.erase_user("telegram", "555")
    await rounds(notifier, 1)
    assert chat.edits == [(1, t("en", "operators.case_erased", case_id=case.id))]
    assert not store.redis.keys("safejobs:opmsg:*") and store.get(case.id) is None


async def test_outbox_reply_leaves_only_after_the_platform_took_it(store: CaseStore) -> None:
    casework = Casework()
    casework.__dict__["store"] = store  # the cached property, pointed at the test Redis
    store.queue_for_user("telegram", "555", ["first", "second"])
    assert 0 < store.redis.ttl("safejobs:user:telegram:555:outbox") <= 30 * 24 * 3600
    sent: list[str] = []

    async def refuses(recipient: str, text: str) -> None:
        raise ConnectionError("platform down")

    async def takes(recipient: str, text: str) -> None:
        sent.append(text)

    casework.register("telegram", refuses)
    await casework.user_wrote("telegram", "555")
    assert store.peek_outbox("telegram", "555") == ["first", "second"]
    casework.register("telegram", takes)
    await casework.user_wrote("telegram", "555")
    assert sent == ["first", "second"] and store.peek_outbox("telegram", "555") == []


def test_card_parts_of_a_short_case_is_the_card() -> None:
    case = make_case()
    assert len(card_parts(case)) == 1 and case.id in card_parts(case)[0]


async def test_two_notifiers_send_a_case_once_even_when_one_takes_over_a_slow_ones_entry(
    store: CaseStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Copy b claims a's pending entry (as after CLAIM_IDLE_MS) while a is still sending it."""
    import asyncio

    monkeypatch.setattr("bot.notifier.CLAIM_IDLE_MS", 0)
    case = make_case()
    store.create(case)
    sent: list[str] = []
    started = asyncio.Event()

    async def slow_send(text: str) -> int:
        started.set()
        await asyncio.sleep(0.5)
        sent.append(text)
        return len(sent)

    a = Notifier(store, slow_send, consumer="copy-a")
    b = Notifier(store, slow_send, consumer="copy-b")
    first = asyncio.create_task(a.run_once(block_ms=20))
    await started.wait()
    assert await b.run_once(block_ms=20) == 0  # claimed by a: left pending, not sent
    await first
    await rounds(b, 1)
    b.retry_at.clear()
    await rounds(b, 1)
    assert len(sent) == 1
    assert store.delivered_message_id(case.id) == 1
    assert store.redis.xpending(STREAM, GROUP)["pending"] == 0


async def test_a_notifier_restarted_under_its_name_takes_its_own_claim_back_at_once(
    store: CaseStore,
) -> None:
    """A killed copy's claim names it: the same copy, restarted, sends without waiting 120 s."""
    case = make_case()
    store.create(case)
    sent: list[str] = []

    async def send(text: str) -> int:
        sent.append(text)
        return len(sent)

    Notifier(store, send, consumer="host-a")  # creates the group
    store.redis.xreadgroup(GROUP, "host-a", {STREAM: ">"})  # host-a took the entry, then died
    store.redis.set(f"{STREAM}:claim:{case.id}", "host-a", ex=120)  # ...holding the claim
    restarted = Notifier(store, send, consumer="host-a")
    await rounds(restarted, 1)
    assert len(sent) == 1 and store.delivered_message_id(case.id) == 1
    assert store.redis.get(f"{STREAM}:claim:{case.id}") is None
