"""Pictures users send (a screenshot or poster of a job ad): download, bounded, and read (OCR).

The channel reads the picture and forwards the text to Rasa as the message, with metadata
``{"ocr": true, "ocr_chars": n}`` (the caption, if any, follows the text read), so triage and the
offer check see it like pasted text: a screenshot of a cry for help gets hotlines too.

Hostile input: downloads stop at :data:`bot.ocr.MAX_IMAGE_BYTES` and after
:data:`DOWNLOAD_SECONDS`; only ``https`` URLs (or the configured platform base, for the local
fakes) are fetched, without following redirects; OCR runs on one worker thread off the event
loop, and when :data:`MAX_WAITING` pictures already wait, a picture is not read (the user is
asked for the text) rather than queued without bound. Nothing here logs URLs (they may hold a
token) or text.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from bot.engines.ocr import MAX_IMAGE_BYTES, OcrResult, read_image
from bot.limits import cap_message

logger = logging.getLogger(__name__)

DOWNLOAD_SECONDS = 20.0
MAX_WAITING = 8  # pictures waiting for the OCR thread; more are not read
_OCR_THREAD = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ocr")
_waiting = 0


def url_allowed(url: str, trusted_prefixes: Iterable[str] = ()) -> bool:
    """``https`` anywhere, or a URL under one of ``trusted_prefixes`` (a configured fake)."""
    if not isinstance(url, str):
        return False
    return url.startswith("https://") or any(
        prefix and url.startswith(prefix) for prefix in trusted_prefixes
    )


async def download(
    url: str, trusted_prefixes: Iterable[str] = (), max_bytes: int = MAX_IMAGE_BYTES
) -> bytes | None:
    """The bytes at ``url``; None when refused, too large, slow or failing (logged by kind)."""
    if not url_allowed(url, trusted_prefixes):
        logger.info("picture: URL refused (scheme)")
        return None

    async def fetch() -> bytes | None:
        chunks: list[bytes] = []
        size = 0
        timeout = httpx.Timeout(DOWNLOAD_SECONDS, connect=5.0)
        async with httpx.AsyncClient(timeout=timeout, follow_redirects=False) as client:
            async with client.stream("GET", url) as reply:
                if reply.status_code != 200:
                    logger.info("picture: download answered %s", reply.status_code)
                    return None
                declared = reply.headers.get("Content-Length", "")
                if declared.isdigit() and int(declared) > max_bytes:
                    logger.info("picture: too large (declared)")
                    return None
                async for chunk in reply.aiter_bytes():
                    size += len(chunk)
                    if size > max_bytes:
                        logger.info("picture: too large")
                        return None
                    chunks.append(chunk)
        return b"".join(chunks)

    try:
        return await asyncio.wait_for(fetch(), DOWNLOAD_SECONDS)
    except Exception as exc:  # noqa: BLE001 - InvalidURL, bad headers…: a failed download, never more
        logger.info("picture: download failed (%s)", type(exc).__name__)
        return None


async def read_picture(data: bytes | None, hint: str | None = None) -> OcrResult:
    """OCR on the one OCR thread; a busy queue or no data gives a non-ok result at once."""
    global _waiting
    if not data:
        return OcrResult(status="invalid")
    if _waiting >= MAX_WAITING:
        logger.warning("picture: OCR queue full; asking for the text instead")
        return OcrResult(status="busy")
    _waiting += 1
    try:
        loop = asyncio.get_running_loop()
        result = await loop.run_in_executor(_OCR_THREAD, read_image, data, hint)
    finally:
        _waiting -= 1
    logger.info(
        "picture: read status=%s pack=%s chars=%d in %.1f s",
        result.status, result.pack, len(result.text), result.seconds,
    )  # fmt: skip
    return result


def with_picture_text(
    caption: str, metadata: dict[str, Any], read: OcrResult
) -> tuple[str, dict[str, Any]]:
    """The message for Rasa: the text read, then the caption; metadata marks the part read."""
    if not read.ok:
        return caption, {**metadata, "ocr_status": read.status}
    text = cap_message(read.text)
    combined = cap_message(f"{text}\n\n{caption.strip()}" if caption.strip() else text)
    return combined, {**metadata, "ocr": True, "ocr_chars": len(text)}
