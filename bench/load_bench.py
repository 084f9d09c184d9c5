"""``make load-bench``: our stack and a ``rasa init`` bot side by side, in the same run.

Starts the stack (``python -m bot serve --no-webchat``: Redis, action server, Rasa) and a
``rasa init`` bot of the same Rasa version (created once and trained, then cached under
``.run/bench/rasa-init``), on free loopback ports. Then, interleaving the two bots round by round
so that the load of a shared machine falls on both alike, it sends over the REST channel:

* small talk and a realistic mix (``bench/messages.yml``) from 1 and from 20 concurrent senders,
  each sender starting a fresh conversation: throughput, p50 and p95;
* two conversations of 300 messages per bot, one message to each bot in turn: the ratio of the
  median latency of messages 281-300 to that of messages 1-20 (pooled over the two).

Besides throughput and latency it reports the CPU time each bot's processes (and their children:
Rasa, the action server, Redis) spent per message, which a machine shared with other work blurs
far less than throughput.

Bounded: fixed message counts, a timeout per request and a deadline for the whole run. Every
process started here is stopped by its id at the end (the stack stops its own children).
Results are printed and written to ``.run/bench/load-bench.json``. This is a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import secrets
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import yaml

from bot.ports import free_port

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".run" / "bench"
INIT_DIR = CACHE / "rasa-init"
SECRET_HEADER = "X-Safejobs-Rest-Secret"
REQUEST_TIMEOUT = 60.0
START_TIMEOUT = 900.0


def child_env(**extra: str) -> dict[str, str]:
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}
    env.pop("REDIS_URL", None)  # ours uses its own embedded Redis under .run/
    env.update(extra)
    return env


def init_model() -> Path:
    """The ``rasa init`` bot's model, trained once (``rasa init --no-prompt``) and cached."""
    models = INIT_DIR / "models"
    if not any(models.glob("*.tar.gz")):
        INIT_DIR.mkdir(parents=True, exist_ok=True)
        print("Creating and training the rasa init bot (once, cached in .run/bench)…", flush=True)
        subprocess.run(
            [sys.executable, "-m", "rasa", "init", "--no-prompt", "--init-dir", str(INIT_DIR)],
            env=child_env(), check=True, stdout=subprocess.DEVNULL, timeout=1800,
        )
    return models


def process_tree(pid: int) -> list[int]:
    """``pid`` and its descendants (Linux /proc)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                todo += [int(child) for child in task.read_text().split()]
            except OSError:
                continue
    return found


def process_cpu(pid: int) -> float:
    """Seconds of CPU a live process used (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Bot:
    """One bot under test: how to start it, and where its REST channel is."""

    name: str
    command: list[str]
    cwd: Path
    env: dict[str, str]
    port: int
    headers: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/webhooks/rest/webhook"

    def start(self) -> None:
        log = open(CACHE / f"{self.name}.log", "wb")  # noqa: SIM115 - the child keeps it
        self.process = subprocess.Popen(
            self.command, cwd=self.cwd, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def cpu_seconds(self) -> float:
        """CPU time (user + system) used so far by this bot's processes and their children."""
        if self.process is None:
            return 0.0
        return sum(process_cpu(pid) for pid in process_tree(self.process.pid))

    def stop(self) -> None:
        """SIGTERM to the process started here (the stack stops its children), then SIGKILL
        to its own process group if it has not exited within a minute."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


def our_bot(root: Path = ROOT, name: str = "safe-jobs") -> Bot:
    """The stack as ``make serve`` starts it, from the checkout at ``root``."""
    secret = secrets.token_urlsafe(24)
    port = free_port()
    env = child_env(
        RASA_PORT=str(port), ACTION_SERVER_PORT=str(free_port()), ADMIN_PORT=str(free_port()),
        WEBCHAT_PORT=str(free_port()), GATEWAY_PORT=str(free_port()), REST_CHANNEL_SECRET=secret,
    )
    command = [sys.executable, "-m", "bot", "serve", "--no-webchat"]
    return Bot(name, command, root, env, port, {SECRET_HEADER: secret})


def init_bot(models: Path) -> Bot:
    port = free_port()
    command = [sys.executable, "-m", "rasa", "run", "--model", str(models), "--port", str(port),
               "--interface", "127.0.0.1"]
    return Bot("rasa-init", command, INIT_DIR, child_env(), port)


async def send(session: aiohttp.ClientSession, bot: Bot, sender: str, text: str) -> float:
    """One message; its latency in seconds (raises on an HTTP error or an empty answer)."""
    began = time.perf_counter()
    async with session.post(bot.url, json={"sender": sender, "message": text},
                            headers=bot.headers) as response:
        response.raise_for_status()
        await response.json()
    return time.perf_counter() - began


async def wait_ready(session: aiohttp.ClientSession, bot: Bot, deadline: float) -> None:
    while True:
        if bot.process is not None and bot.process.poll() is not None:
            raise RuntimeError(f"{bot.name} exited; see .run/bench/{bot.name}.log")
        try:
            await send(session, bot, "bench-warmup", "hi")
            return
        except (aiohttp.ClientError, asyncio.TimeoutError):
            if time.monotonic() > deadline:
                raise RuntimeError(f"{bot.name} did not answer within the start timeout") from None
            await asyncio.sleep(2)


@dataclass
class Phase:
    """Results of one load phase for one bot and one round."""

    latencies: list[float]
    seconds: float
    errors: int
    cpu_seconds: float = 0.0

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0


async def load(
    session: aiohttp.ClientSession, bot: Bot, texts: list[str], senders: int, per_sender: int,
    tag: str,
) -> Phase:
    """``senders`` fresh conversations at once, each sending ``per_sender`` messages in turn."""
    latencies: list[float] = []
    errors = 0

    async def one(n: int) -> None:
        nonlocal errors
        sender = f"bench-{tag}-{n}-{secrets.token_hex(4)}"
        for i in range(per_sender):
            try:
                latencies.append(await send(session, bot, sender, texts[(n * 7 + i) % len(texts)]))
            except (aiohttp.ClientError, asyncio.TimeoutError):
                errors += 1

    began, cpu = time.perf_counter(), bot.cpu_seconds()
    await asyncio.gather(*(one(n) for n in range(senders)))
    return Phase(latencies, time.perf_counter() - began, errors, bot.cpu_seconds() - cpu)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] if ordered else 0.0


def summary(phases: list[Phase]) -> dict[str, Any]:
    """Throughput median and spread over rounds; p50/p95 over all latencies (ms)."""
    pooled = [x for p in phases for x in p.latencies]
    rates = [p.throughput for p in phases]
    return {
        "msg_per_s": round(statistics.median(rates), 1),
        "msg_per_s_min": round(min(rates), 1),
        "msg_per_s_max": round(max(rates), 1),
        "p50_ms": round(1000 * percentile(pooled, 0.5)),
        "p95_ms": round(1000 * percentile(pooled, 0.95)),
        "messages": len(pooled),
        "errors": sum(p.errors for p in phases),
        # CPU time of the bot's processes per message: what a busy machine cannot blur
        "cpu_ms_per_msg": round(1000 * sum(p.cpu_seconds for p in phases) / max(len(pooled), 1),
                                1),
    }


async def long_conversation(
    session: aiohttp.ClientSession, bots: list[Bot], texts: list[str], length: int, runs: int
) -> dict[str, dict[str, Any]]:
    """``runs`` conversations per bot, one message to each bot in turn; the median of messages
    281-300 (the last 20) over that of messages 1-20, both pooled over the runs."""
    first: dict[str, list[float]] = {bot.name: [] for bot in bots}
    last: dict[str, list[float]] = {bot.name: [] for bot in bots}
    for _ in range(runs):
        senders = {bot.name: f"bench-long-{secrets.token_hex(4)}" for bot in bots}
        latencies: dict[str, list[float]] = {bot.name: [] for bot in bots}
        for i in range(length):
            for bot in bots if i % 2 == 0 else reversed(bots):
                latencies[bot.name].append(await send(session, bot, senders[bot.name],
                                                      texts[i % len(texts)]))
        for name, values in latencies.items():
            first[name] += values[:20]
            last[name] += values[-20:]
    result = {}
    for name in first:
        early, late = statistics.median(first[name]), statistics.median(last[name])
        result[name] = {
            "first_20_median_ms": round(1000 * early),
            "last_20_median_ms": round(1000 * late),
            "ratio": round(late / early, 2),
            "conversations": runs,
        }
    return result


async def measure(bots: list[Bot], args: argparse.Namespace) -> dict[str, Any]:
    messages = yaml.safe_load((ROOT / "bench" / "messages.yml").read_text(encoding="utf-8"))
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)
    connector = aiohttp.TCPConnector(limit=100)
    results: dict[str, Any] = {"rounds": args.rounds, "loads": {}}
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        deadline = time.monotonic() + START_TIMEOUT
        for bot in bots:
            await wait_ready(session, bot, deadline)
        for bot in bots:  # warm up both (first predictions, connection pools)
            await load(session, bot, messages["mix"], 4, 5, "warmup")
        plan = [(w, s) for w in ("small_talk", "mix") for s in (1, 20)]
        collected: dict[tuple[str, int, str], list[Phase]] = {}
        for round_no, (workload, senders) in itertools.product(range(args.rounds), plan):
            per_sender = args.single if senders == 1 else args.per_sender
            order = bots if round_no % 2 == 0 else list(reversed(bots))
            for bot in order:
                phase = await load(session, bot, messages[workload], senders, per_sender,
                                   f"{workload}{senders}")
                collected.setdefault((workload, senders, bot.name), []).append(phase)
                print(f"  round {round_no + 1} {workload:10} {senders:2} senders {bot.name:10} "
                      f"{phase.throughput:5.1f} msg/s", flush=True)
        for (workload, senders, name), phases in collected.items():
            results["loads"].setdefault(f"{workload} x{senders}", {})[name] = summary(phases)
        print(f"  long conversations: {args.long_runs} x {args.long} messages per bot…", flush=True)
        results["long_conversation"] = await long_conversation(
            session, bots, messages["mix"], args.long, args.long_runs
        )
    return results


def report(results: dict[str, Any], names: list[str], theirs: str) -> None:
    """A table per load; each bot's throughput also as a multiple of the rasa init bot's."""
    print(f"\n{'load':16} {'bot':10} {'msg/s (min-max)':>20} {'x init':>7} {'p50 ms':>7} "
          f"{'p95 ms':>7} {'CPU ms/msg':>10} {'err':>4}")
    for load_name, by_bot in results["loads"].items():
        for name in names:
            s = by_bot[name]
            rate = f"{s['msg_per_s']} ({s['msg_per_s_min']}-{s['msg_per_s_max']})"
            ratio = s["msg_per_s"] / max(by_bot[theirs]["msg_per_s"], 1e-9)
            print(f"{load_name:16} {name:10} {rate:>20} {ratio:>7.2f} {s['p50_ms']:>7} "
                  f"{s['p95_ms']:>7} {s['cpu_ms_per_msg']:>10} {s['errors']:>4}")
    print("\nlong conversation (median ms of messages 1-20 -> 281-300):")
    for name, s in results["long_conversation"].items():
        print(f"  {name:10} {s['first_20_median_ms']} -> {s['last_20_median_ms']} "
              f"(ratio {s['ratio']})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds per load")
    parser.add_argument("--single", type=int, default=30, help="messages from the lone sender")
    parser.add_argument("--per-sender", type=int, default=8, help="messages per sender at 20")
    parser.add_argument("--long", type=int, default=300, help="messages in the long conversation")
    parser.add_argument("--long-runs", type=int, default=2,
                        help="long conversations per bot (their first and last 20 pooled)")
    parser.add_argument("--deadline", type=float, default=2400, help="seconds for the whole run")
    parser.add_argument("--baseline", type=Path, default=None,
                        help="also measure the stack of another checkout (e.g. before a change)")
    args = parser.parse_args(argv)
    CACHE.mkdir(parents=True, exist_ok=True)
    bots = [our_bot(), init_bot(init_model())]
    if args.baseline is not None:
        bots.insert(1, our_bot(args.baseline.resolve(), "baseline"))
    try:
        for bot in bots:
            bot.start()
        results = asyncio.run(asyncio.wait_for(measure(bots, args), args.deadline))
    finally:
        for bot in bots:
            bot.stop()
    results["machine"] = f"{os.cpu_count()} CPUs, {os.uname().machine}, load {os.getloadavg()}"
    (CACHE / "load-bench.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    report(results, [bot.name for bot in bots], bots[-1].name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
