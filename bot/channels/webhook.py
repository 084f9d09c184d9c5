"""The Rasa and Sanic side both platform channels share: the output channel and route guards.

- :class:`PlatformOutput` is the Rasa output channel both platforms subclass: they only say how
  to deliver one :class:`~bot.channels.common.Outgoing`;
- :func:`never_fail` and :func:`ignored` keep malformed requests from ever causing a 500.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import OutputChannel
from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.common import BadRequest, Outgoing, render

logger = logging.getLogger(__name__)


class PlatformOutput(OutputChannel):
    """Rasa output channel: each response is rendered once, the subclass delivers each part."""

    text_limit: int = 2000
    measure: Callable[[str], int] = staticmethod(len)  # type: ignore[assignment]
    delivered: int = 0  # messages the platform took (per-message instances: "answered?")

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        for outgoing in render(message, self.text_limit, self.measure):
            await self.deliver(recipient_id, outgoing)
            self.delivered += 1

    async def deliver(self, recipient_id: str, outgoing: Outgoing) -> None:
        raise NotImplementedError

    # Rasa calls these directly in a few places (e.g. reminders); route them through render().
    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self.send_response(recipient_id, {"text": text})

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        await self.send_response(recipient_id, {"text": text, "buttons": buttons})

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await self.send_response(recipient_id, {"image": image})


def ignored(kind: str, channel: str, status: int = 200) -> HTTPResponse:
    """Answer for a request we do not process; the log names the kind of problem only."""
    logger.info("%s webhook: ignored a request (%s)", channel, kind)
    return response.json({"status": "ignored"}, status=status)


def never_fail(
    channel: str,
) -> Callable[[Callable[..., Awaitable[HTTPResponse]]], Callable[..., Awaitable[HTTPResponse]]]:
    """Route decorator: an unexpected error answers 400 instead of Sanic's 500."""

    def decorate(
        handler: Callable[..., Awaitable[HTTPResponse]],
    ) -> Callable[..., Awaitable[HTTPResponse]]:
        @functools.wraps(handler)
        async def guarded(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
            try:
                return await handler(request, *args, **kwargs)
            except BadRequest as problem:
                return ignored(problem.kind, channel, status=400)
            except Exception as exc:  # the whole point: never a 500
                logger.warning("%s webhook: unexpected %s", channel, type(exc).__name__)
                return ignored("unexpected error", channel, status=400)

        return guarded

    return decorate
