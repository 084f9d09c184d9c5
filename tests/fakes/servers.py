"""Fake Telegram Bot API and Graph API servers on loopback ports, recording every request.

Each runs ``http.server`` in a thread, so tests (sync or async) and the real Rasa server in a
child process can both talk to them.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

BOT_USER = {"id": 4242, "is_bot": True, "first_name": "Safe Jobs", "username": "safe_jobs_bot"}


@dataclass
class Recorded:
    method: str  # the API method (sendMessage…) or the path
    query: dict[str, str]
    params: dict[str, Any]  # the body: JSON, or form fields with JSON values decoded


def _decode_form(raw: str) -> dict[str, Any]:
    """PTB posts form fields whose non-string values are JSON (reply_markup, chat_id…)."""
    params: dict[str, Any] = {}
    for key, value in urllib.parse.parse_qsl(raw, keep_blank_values=True):
        try:
            params[key] = json.loads(value) if key != "text" else value
        except ValueError:
            params[key] = value
    return params


def _decode_multipart(body: bytes, content_type: str) -> dict[str, Any]:
    from email.parser import BytesParser
    from email.policy import default

    message = BytesParser(policy=default).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body
    )
    params: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        value = part.get_content()
        if isinstance(value, bytes):
            value = value.decode("utf-8", "replace")
        try:
            params[name] = json.loads(value) if name != "text" else value
        except ValueError:
            params[name] = value
    return params


@dataclass
class FakeServer:
    """Answers with ``responder(method, params)`` → (status, JSON) and records the request."""

    responder: Callable[[str, dict[str, Any]], tuple[int, Any]]
    method_of: Callable[[str], str] = lambda path: path
    requests: list[Recorded] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None

    def start(self) -> FakeServer:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self) -> None:
                parsed = urllib.parse.urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                content_type = self.headers.get("Content-Type") or ""
                if "json" in content_type:
                    params = json.loads(body or b"{}")
                elif "multipart" in content_type:
                    params = _decode_multipart(body, content_type)
                else:
                    params = _decode_form(body.decode("utf-8", "replace"))
                method = fake.method_of(parsed.path)
                record = Recorded(method, dict(urllib.parse.parse_qsl(parsed.query)), params)
                fake.requests.append(record)
                status, answer = fake.responder(method, params)
                raw = isinstance(answer, bytes)  # a file (a picture), not an API answer
                data = answer if raw else json.dumps(answer).encode()
                try:
                    self.send_response(status)
                    self.send_header(
                        "Content-Type", "application/octet-stream" if raw else "application/json"
                    )
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up: fine
                    pass

            do_GET = do_POST = _handle

            def log_message(self, *args: Any) -> None:  # quiet
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def calls(self, method: str) -> list[Recorded]:
        return [r for r in list(self.requests) if r.method == method]

    def wait_for(
        self, predicate: Callable[[Recorded], bool], timeout: float = 60.0
    ) -> list[Recorded]:
        """The recorded requests matching ``predicate``, waiting until there is at least one."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [r for r in list(self.requests) if predicate(r)]
            if found:
                time.sleep(0.5)  # let the rest of the same reply arrive
                return [r for r in list(self.requests) if predicate(r)]
            time.sleep(0.1)
        return []


def _telegram_method(path: str) -> str:
    """``/bot<token>/getMe`` → ``getMe``; ``/file/bot<token>/<path>`` → ``file:<path>``."""
    if path.startswith("/file/bot"):
        return "file:" + path.split("/", 3)[-1]
    return path.rsplit("/", 1)[-1]


TOO_MANY = {"ok": False, "error_code": 429, "description": "Too Many Requests: retry after 1",
            "parameters": {"retry_after": 1}}  # fmt: skip
BLOCKED = {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"}


class FakeTelegram(FakeServer):
    """Bot API at ``{url}/bot`` (so PTB's base_url is ``{url}/bot``), files at ``{url}/file/bot``.

    The one fake Telegram of the tests and of ``python -m bot campaign bench``:

    - ``files`` maps a file_id to its bytes: getFile answers its path, which is then served;
    - ``blocked`` chats get 403; the next ``flood_left`` sends get 429 (``retry_after`` 1), the
      next ``fail_next`` a 500, the next ``hang_next`` no answer at all (held an hour);
    - with ``overall_limit`` / ``chat_interval`` it enforces Telegram's limits (429 for a send
      that makes more than that many in the last second, or a second one to a chat too soon);
    - ``accepted`` holds (monotonic time, chat id) of every send taken, ``delivered`` its body,
      ``rejected`` counts refusals by status; ``on_accept(count)`` runs before the answer.
    """

    def __init__(
        self,
        overall_limit: int | None = None,
        chat_interval: float | None = None,
        blocked: set[str] | None = None,
        on_accept: Callable[[int], None] | None = None,
        flood_first: int = 0,
    ) -> None:
        self.flood_left = flood_first  # answer this many sendMessage calls with 429 first
        self.blocked: set[str] = blocked or set()  # chat ids whose user blocked the bot (403)
        self.fail_next = 0
        self.hang_next = 0
        self.overall_limit = overall_limit
        self.chat_interval = chat_interval
        self.on_accept = on_accept
        self.updates: list[dict[str, Any]] = []
        self.files: dict[str, bytes] = {}
        self.accepted: list[tuple[float, str]] = []
        self.delivered: list[dict[str, Any]] = []
        self.rejected: Counter[int] = Counter()
        self._recent: deque[float] = deque()
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()
        super().__init__(self._respond, _telegram_method)

    @property
    def base_url(self) -> str:
        return self.url + "/bot"

    @property
    def seen_requests(self) -> int:
        """Calls other than getMe and getUpdates (what a client tried to do)."""
        return sum(r.method not in ("getMe", "getUpdates") for r in list(self.requests))

    def _refusal(self, chat_id: str) -> tuple[int, Any] | None:
        """Why this send is refused now (blocked, flood, limits, failure), or None."""
        now = time.monotonic()
        if chat_id in self.blocked:
            return 403, BLOCKED
        if self.fail_next > 0:
            self.fail_next -= 1
            return 500, {"ok": False, "error_code": 500, "description": "Internal Server Error"}
        while self._recent and self._recent[0] <= now - 1.0:
            self._recent.popleft()
        too_soon = (self.chat_interval is not None
                    and now - self._last.get(chat_id, -1e9) < self.chat_interval)  # fmt: skip
        too_many = self.overall_limit is not None and len(self._recent) >= self.overall_limit
        if self.flood_left > 0 or too_many or too_soon:
            self.flood_left = max(0, self.flood_left - 1)
            return 429, TOO_MANY
        self._recent.append(now)
        self._last[chat_id] = now
        return None

    def _send(self, method: str, params: dict[str, Any]) -> tuple[int, Any]:
        chat_id = str(params.get("chat_id"))
        if self.hang_next > 0:
            self.hang_next -= 1
            time.sleep(3600)  # the client gives up (or is killed) first
        with self._lock:
            refusal = self._refusal(chat_id)
            if refusal is not None:
                self.rejected[refusal[0]] += 1
                return refusal
            self.accepted.append((time.monotonic(), chat_id))
            self.delivered.append({"method": method, **params})
            count = len(self.accepted)
        if self.on_accept is not None:
            self.on_accept(count)
        return 200, {
            "ok": True,
            "result": {
                "message_id": count,
                "date": int(time.time()),
                "chat": {"id": int(chat_id) if chat_id.lstrip("-").isdigit() else 0,
                         "type": "private"},
                "from": BOT_USER,
                "text": params.get("text", ""),
            },
        }  # fmt: skip

    def _respond(self, method: str, params: dict[str, Any]) -> tuple[int, Any]:
        if method == "getMe":
            return 200, {"ok": True, "result": BOT_USER}
        if method == "getFile":
            file_id = str(params.get("file_id"))
            if file_id not in self.files:
                return 400, {"ok": False, "error_code": 400,
                             "description": "Bad Request: invalid file_id"}
            return 200, {"ok": True, "result": {
                "file_id": file_id, "file_unique_id": "u-" + file_id,
                "file_size": len(self.files[file_id]), "file_path": f"photos/{file_id}.png"}}
        if method.startswith("file:photos/"):
            file_id = method.removeprefix("file:photos/").removesuffix(".png")
            if file_id in self.files:
                return 200, self.files[file_id]
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        if method in ("sendMessage", "sendPhoto"):
            return self._send(method, params)
        if method == "getUpdates":
            if not self.updates:
                time.sleep(0.2)  # a real server long-polls; do not let a client spin
            updates, self.updates = self.updates, []
            return 200, {"ok": True, "result": updates}
        if method == "editMessageText":
            self.delivered.append({"method": method, **params})
        return 200, {"ok": True, "result": True}

    # -- what it saw -----------------------------------------------------------------------------
    def max_per_second(self) -> int:
        """The most sends accepted in any one-second window."""
        times = sorted(t for t, _ in self.accepted)
        best, start = 0, 0
        for end, moment in enumerate(times):
            while moment - times[start] >= 1.0:
                start += 1
            best = max(best, end - start + 1)
        return best

    def min_chat_gap(self) -> float | None:
        """The shortest time between two sends to one chat (None if none got two)."""
        last: dict[str, float] = {}
        gap: float | None = None
        for moment, chat in sorted(self.accepted):
            if chat in last:
                gap = moment - last[chat] if gap is None else min(gap, moment - last[chat])
            last[chat] = moment
        return gap

    @property
    def texts(self) -> dict[str, list[str]]:
        """The texts each chat was sent, in order."""
        found: dict[str, list[str]] = {}
        for record in list(self.delivered):
            if record["method"] == "sendMessage":
                found.setdefault(str(record.get("chat_id")), []).append(str(record.get("text")))
        return found

    def duplicates(self) -> int:
        return sum(len(texts) - 1 for texts in self.texts.values() if len(texts) > 1)


class FakeGraph(FakeServer):
    """Graph API: ``POST {url}/me/messages?access_token=…``; ``images`` served at
    ``{url}/images/<name>`` (what an attachment's URL points to)."""

    def __init__(self) -> None:
        self.images: dict[str, bytes] = {}
        super().__init__(self._respond)

    def _respond(self, method: str, params: dict[str, Any]) -> tuple[int, Any]:
        if method.startswith("/images/"):
            name = method.removeprefix("/images/")
            return (200, self.images[name]) if name in self.images else (404, {"error": "none"})
        recipient = (params.get("recipient") or {}).get("id")
        return 200, {"recipient_id": recipient, "message_id": f"m.{len(self.requests)}"}
