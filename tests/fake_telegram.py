"""A local fake of the Telegram Bot API for tests: records what the bot sends.

Behaviours can be switched per test: fail the next N sendMessage calls with 500, or hang them
(to kill a client mid-request). Only requests it answered are counted as delivered.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass
class FakeTelegram:
    host: str = "127.0.0.1"
    port: int = 0
    delivered: list[dict[str, Any]] = field(default_factory=list)
    fail_next: int = 0
    hang_next: int = 0
    seen_requests: int = 0

    def __post_init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._message_id = 1000

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/bot"

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.content_type == "application/json":
            data = await request.json()
        else:
            data = dict(await request.post())
        if method == "getMe":
            return web.json_response(
                {
                    "ok": True,
                    "result": {
                        "id": 1,
                        "is_bot": True,
                        "first_name": "Bot",
                        "username": "safe_jobs_bot",
                    },
                }
            )
        self.seen_requests += 1
        if self.hang_next:
            self.hang_next -= 1
            await asyncio.sleep(3600)
        if self.fail_next:
            self.fail_next -= 1
            return web.json_response({"ok": False, "description": "boom"}, status=500)
        self._message_id += 1
        record = {"method": method, "message_id": self._message_id, **data}
        self.delivered.append(record)
        chat = data.get("chat_id")
        result = {
            "message_id": self._message_id,
            "date": int(time.time()),
            "chat": {"id": int(chat) if str(chat).lstrip("-").isdigit() else 0, "type": "private"},
            "text": data.get("text", ""),
        }
        return web.json_response(
            {"ok": True, "result": result if method == "sendMessage" else True}
        )

    def start(self) -> FakeTelegram:
        def serve() -> None:
            asyncio.set_event_loop(self._loop)
            app = web.Application()
            app.router.add_post("/bot{token}/{method}", self._handle)
            runner = web.AppRunner(app)
            self._loop.run_until_complete(runner.setup())
            site = web.TCPSite(runner, self.host, self.port)
            self._loop.run_until_complete(site.start())
            self.port = site._server.sockets[0].getsockname()[1]  # noqa: SLF001
            self._ready.set()
            self._loop.run_forever()

        threading.Thread(target=serve, daemon=True).start()
        self._ready.wait(10)
        return self

    def texts(self) -> list[str]:
        return [json.dumps(r, ensure_ascii=False) for r in self.delivered]
