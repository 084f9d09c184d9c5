"""``python -m bot campaign schedule|status|run|bench``: awareness campaigns for subscribers.

``bench`` (a development tool: it needs the source checkout) runs the tests' fake Telegram
(``tests/fakes/servers.py``, production code holds no fake) with Telegram's limits enforced (429
beyond 30 messages in any second overall, or two within a second to one chat) and sends 10,000
subscribers a campaign through the real broadcaster and a real Redis.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dtm
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

DEFAULT_CONCURRENCY = 8


def _concurrency(args: argparse.Namespace) -> int:
    return int(args.concurrency or os.environ.get("CAMPAIGN_CONCURRENCY") or DEFAULT_CONCURRENCY)


def _iso(stamp: float | None) -> str:
    if stamp is None:
        return "-"
    return dtm.datetime.fromtimestamp(stamp, dtm.timezone.utc).isoformat(timespec="seconds")


def _client() -> Any:
    from bot.redis_server import reachable_target_from_env

    return reachable_target_from_env().client(socket_timeout=10)


# -- schedule / status -----------------------------------------------------------------------------


def _schedule(args: argparse.Namespace) -> int:
    from bot import campaigns as cmp
    from bot.content import ContentError
    from bot.redis_server import StartupError

    try:
        known = cmp.load_campaigns()
        at = cmp.parse_time(args.at) if args.at else None
        campaign = known.get(args.id)
        if campaign is None:
            print(f"error: no campaign {args.id!r} in {cmp.FILE}", file=sys.stderr)
            return 1
        client = _client()
        when = cmp.schedule(client, campaign, at)
    except (ContentError, StartupError, cmp.AlreadySent, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    audience = 0
    members = [cmp.split_member(m) for m in client.smembers(cmp.SUBSCRIBERS)]
    for channel, sender_id in members:
        sub = cmp.subscription(channel, sender_id, client) or {}
        audience += campaign.wants(sub.get("language", ""))
    print(f"campaign {campaign.id} scheduled for {_iso(when)}: {audience} subscribers in its "
          f"audience now ({len(members)} in all)")  # fmt: skip
    return 0


def _status(args: argparse.Namespace) -> int:
    from bot import campaigns as cmp

    result = cmp.status(_client(), args.id)
    if args.json:
        print(json.dumps(result.as_dict(), ensure_ascii=False))
        return 0 if result.status != "unknown" else 1
    print(f"campaign {result.campaign_id}: {result.status}")
    if result.status == "unknown":
        return 1
    print(f"  send at   {_iso(result.send_at)}")
    print(f"  started   {_iso(result.started_at)}")
    print(f"  finished  {_iso(result.finished_at)}")
    for state, count in sorted(result.counts.items()):
        print(f"  {state:<15} {count}")
    for language, count in sorted(result.fallback.items()):
        print(f"  English sent instead of {language}: {count}")
    return 0


# -- the worker -----------------------------------------------------------------------------------


def _run(args: argparse.Namespace) -> int:
    import logging

    import redis.asyncio as aredis

    from bot.broadcast import Broadcaster, senders_from_env
    from bot.redis_server import reachable_target_from_env

    logging.getLogger("bot.broadcast").setLevel(logging.INFO)  # counts only, never user ids
    concurrency = _concurrency(args)
    senders = senders_from_env(concurrency)
    if not senders:
        print("error: set TELEGRAM_BOT_TOKEN and/or MESSENGER_PAGE_TOKEN", file=sys.stderr)
        return 1
    target = reachable_target_from_env()

    async def main() -> None:
        client = aredis.Redis(
            host=target.host, port=target.port, db=target.db, password=target.password or None
        )
        broadcaster = Broadcaster(client, senders, concurrency=concurrency)
        try:
            if args.once:
                await broadcaster.run_due()
            else:
                await broadcaster.run_forever()
        finally:
            await broadcaster.close()
            await client.close()

    asyncio.run(main())
    return 0


# -- bench -----------------------------------------------------------------------------------------


def _bench(args: argparse.Namespace) -> int:
    """The real worker (``campaign run --once``, its own process) against the fake Bot API."""
    import subprocess

    from bot import LANGUAGES
    from bot.campaigns import Campaign, schedule, status, subscribe
    from bot.redis_server import EmbeddedRedis

    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the checkout's root
    try:  # the one fake Telegram of the tests (a source checkout, like `make campaign-bench`)
        from tests.fakes.servers import FakeTelegram
    except ImportError:
        print("error: the bench needs the source checkout (tests/fakes/)", file=sys.stderr)
        return 1

    concurrency = _concurrency(args)
    with tempfile.TemporaryDirectory() as tmp:
        server = EmbeddedRedis(Path(tmp))
        target = server.start()
        fake = FakeTelegram(overall_limit=30, chat_interval=1.0).start()
        try:
            client = target.client()
            pipe = client.pipeline(transaction=False)
            for i in range(args.subscribers):
                subscribe("telegram", str(100_000 + i), LANGUAGES[i % len(LANGUAGES)], pipe)
            pipe.execute()
            # Two languages without a text: their subscribers get English (the fallback path).
            texts = {lang: f"bench campaign [{lang}]" for lang in LANGUAGES[:-2]}
            schedule(client, Campaign("bench", texts))
            env = {k: v for k, v in os.environ.items() if not k.startswith("MESSENGER_")}
            env.update(
                REDIS_URL=f"redis://127.0.0.1:{target.port}/0",
                TELEGRAM_BOT_TOKEN="123456:BENCH",
                TELEGRAM_API_BASE_URL=fake.base_url,
                CAMPAIGN_CONCURRENCY=str(concurrency),
                PYTHONPATH=os.pathsep.join(
                    filter(None, [str(Path(__file__).resolve().parents[2]), env.get("PYTHONPATH")])
                ),
            )
            t0 = time.perf_counter()
            worker = subprocess.run(
                [sys.executable, "-m", "bot", "campaign", "run", "--once"], env=env, check=False
            )
            elapsed = time.perf_counter() - t0
            figures = status(client, "bench")
        finally:
            fake.stop()
            server.stop()
    delivered = len(fake.accepted)
    times = [moment for moment, _ in fake.accepted]
    sending = max(times) - min(times) if len(times) > 1 else 0.0
    report = {
        "subscribers": args.subscribers,
        "concurrency": concurrency,
        "delivered": delivered,
        "unique_recipients": len(fake.texts),
        "duplicates": fake.duplicates(),
        "http_429": fake.rejected[429],
        "total_seconds": round(elapsed, 1),
        "first_to_last_seconds": round(sending, 1),
        "messages_per_second": round((delivered - 1) / sending, 2) if sending else None,
        "max_in_any_second": fake.max_per_second(),
        "fallback_to_english": sum(figures.fallback.values()),
        "marks": dict(figures.counts),
        "worker_exit_code": worker.returncode,
    }
    if args.json:
        print(json.dumps(report))
    else:
        for key, value in report.items():
            print(f"{key:<22} {value}")
    ok = delivered == args.subscribers and report["duplicates"] == 0 and report["http_429"] == 0
    return 0 if ok else 1


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("campaign", help="awareness campaigns for alert subscribers")
    commands = parser.add_subparsers(dest="campaign_command", metavar="ACTION", required=True)

    p = commands.add_parser("schedule", help="schedule a campaign of bot/content/campaigns.yml")
    p.add_argument("id")
    p.add_argument("--at", help="ISO date and time with time zone (default: send_at, else now)")
    p.set_defaults(func=_schedule)

    p = commands.add_parser("status", help="a campaign's state and delivery figures")
    p.add_argument("id")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_status)

    # `python -m bot broadcaster` is the same process, named like the other scale-out processes.
    for p in (commands.add_parser("run", help="the broadcaster: send campaigns when they are due"),
              subparsers.add_parser("broadcaster", help="the campaign broadcaster alone "
                                    "(the same as `campaign run`); several copies are safe")):
        p.add_argument("--once", action="store_true", help="send what is due now, then exit")
        p.add_argument("--concurrency", type=int,
                       help=f"requests in flight ({DEFAULT_CONCURRENCY})")
        p.set_defaults(func=_run)

    p = commands.add_parser("bench", help="broadcast to fake subscribers through a fake Bot API")
    p.add_argument("--subscribers", type=int, default=10_000)
    p.add_argument("--concurrency", type=int)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_bench)
