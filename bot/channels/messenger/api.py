"""The Messenger Send API: the one place that posts to Meta and says what its errors mean.

The channel's replies, caseworker replies and campaigns (broadcaster) all go through
:class:`SendApi`; :func:`error_meaning` classifies an answer once for all of them:

- ``retry``: 429, a Graph rate-limit code (HTTP 400 with 4, 17, 32, 613) or a 5xx;
- ``token``: our page token is invalid or expired (401 / code 190): an operator must fix it;
- ``outside_window``: the 24-hour messaging window is closed for this user;
- ``blocked``: the user cannot be reached (code 551, 2xx codes: unavailable, blocked);
- ``failed``: any other refusal.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx

from bot.channels.common import DeliveryFailed

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 4
MAX_RETRY_WAIT = 30.0
RATE_LIMIT_CODES = (4, 17, 32, 613)  # app, user, page and Send API rate limits
TOKEN_ERROR_CODE = 190  # OAuthException: the page token is invalid or expired
UNAVAILABLE_CODE = 551  # "This person isn't available right now"
OUTSIDE_WINDOW_SUBCODE = 2018278  # sent outside the allowed window


@dataclass(frozen=True)
class Meaning:
    kind: str  # sent | retry | token | outside_window | blocked | failed
    retry_after: float = 0.0
    reason: str = ""
    message_id: str = ""


def body_of(reply: httpx.Response) -> dict[str, Any]:
    try:
        data = reply.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def error_meaning(reply: httpx.Response) -> Meaning:
    """What the Send API's answer means (see the module docstring)."""
    data = body_of(reply)
    if reply.status_code < 300:
        return Meaning("sent", message_id=str(data.get("message_id") or ""))
    error = data.get("error") if isinstance(data.get("error"), dict) else {}
    code, subcode = error.get("code"), error.get("error_subcode")
    try:
        wait = float(reply.headers.get("Retry-After") or 2)
    except ValueError:
        wait = 2.0
    if reply.status_code == 429 or code in RATE_LIMIT_CODES or reply.status_code >= 500:
        return Meaning("retry", wait, str(code or reply.status_code))
    if reply.status_code == 401 or code == TOKEN_ERROR_CODE:
        return Meaning("token", reason=str(code or 401))
    if subcode == OUTSIDE_WINDOW_SUBCODE:
        return Meaning("outside_window", reason=str(code))
    if code == UNAVAILABLE_CODE or (isinstance(code, int) and 200 <= code < 300):
        return Meaning("blocked", reason=str(code))
    return Meaning("failed", reason=str(code or reply.status_code))


class SendApi:
    """POSTs to ``{graph}/me/messages`` with the page token (one HTTP client, made lazily)."""

    def __init__(self, page_token: str, graph_url: str, connections: int = 8) -> None:
        self.page_token = page_token
        self.url = graph_url.rstrip("/") + "/me/messages"
        self.connections = connections
        self._client: httpx.AsyncClient | None = None
        self.sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep  # tests replace it

    def client(self) -> httpx.AsyncClient:
        if self._client is None:  # created lazily, inside the running event loop
            self._client = httpx.AsyncClient(
                timeout=httpx.Timeout(15.0, connect=5.0),
                limits=httpx.Limits(max_connections=max(self.connections, 1)),
            )
        return self._client

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()

    async def post_once(self, body: dict[str, Any]) -> httpx.Response:
        """One POST; raises httpx.HTTPError (its text holds the token: log its type only)."""
        return await self.client().post(self.url, params={"access_token": self.page_token},
                                        json=body)  # fmt: skip

    async def post(self, body: dict[str, Any]) -> bool:
        """POST to the Send API; 429, 5xx and network errors retried (bounded). Never raises."""
        try:
            await self.post_or_raise(body)
        except DeliveryFailed:
            return False
        return True

    async def post_or_raise(self, body: dict[str, Any]) -> None:
        """:meth:`post` that raises DeliveryFailed when the message was not taken.

        A refusal (4xx other than rate limits and our own token) is permanent: the user cannot
        be reached, retrying would only run the actions again. The rest is transient.
        """
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                reply = await self.post_once(body)
            except httpx.HTTPError as exc:  # its text holds the URL, i.e. the token: type only
                logger.warning("messenger: Send API unreachable (%s)", type(exc).__name__)
                wait = float(attempt)
            else:
                meaning = error_meaning(reply)
                if meaning.kind == "sent":
                    return
                if meaning.kind != "retry":
                    logger.warning("messenger: Send API refused a message (%s)", reply.status_code)
                    what = f"Send API {reply.status_code}"
                    raise DeliveryFailed(what, permanent=meaning.kind != "token")
                wait = meaning.retry_after if reply.headers.get("Retry-After") else float(attempt)
            if attempt == MAX_ATTEMPTS or wait > MAX_RETRY_WAIT:
                break
            await self.sleep(wait)
        logger.warning("messenger: a message was given up after retries")
        raise DeliveryFailed("Send API")
