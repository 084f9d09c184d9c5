"""Evidence offsets: mapping a span of the normalised text back to the original text
(a per-character alignment; ``None`` when it cannot be rebuilt, e.g. Zawgyi input)."""

from __future__ import annotations

import logging
import re
import unicodedata

from bot.engines.indicators import FlagHit
from bot.engines.text import normalize

log = logging.getLogger(__name__)

# --- offsets: normalised text back to the original ----------------------------------------------

_piece_cache: dict[str, str] = {}
_TOKEN_RE = re.compile(r"\S+")


def _piece(chunk: str) -> str:
    """``normalize`` of one token or cluster, cached (words repeat a lot across messages)."""
    piece = _piece_cache.get(chunk)
    if piece is None:
        piece = normalize(chunk)
        if len(_piece_cache) < 50_000:
            _piece_cache[chunk] = piece
    return piece


def _cluster_offsets(token: str) -> tuple[str, list[int]]:
    """Normalise ``token`` cluster by cluster (base + combining marks); offsets per output char."""
    out: list[str] = []
    origin: list[int] = []
    i, n = 0, len(token)
    while i < n:
        j = i + 1
        while j < n and unicodedata.category(token[j])[0] == "M":
            j += 1
        piece = _piece(token[i:j])
        out.append(piece)
        origin.extend([i] * len(piece))
        i = j
    return "".join(out), origin


def _alignment(original: str, normalized: str) -> list[int] | None:
    """For each position of ``normalized``, the index of the original character it came from.

    Rebuilds the normalisation token by token (whitespace-separated, as ``normalize`` collapses
    whitespace); returns None when the result differs from ``normalized`` (e.g. Zawgyi input).
    """
    parts: list[str] = []
    origin: list[int] = []
    for m in _TOKEN_RE.finditer(original):
        token, base = m.group(), m.start()
        piece = _piece(token)
        if not piece:
            continue
        if parts:
            origin.append(base - 1)  # the collapsed space
        if len(piece) == len(token):
            origin.extend(range(base, base + len(token)))
        else:
            rebuilt, offsets = _cluster_offsets(token)
            if rebuilt != piece:
                return None
            origin.extend(base + k for k in offsets)
        parts.append(piece)
    if " ".join(parts) != normalized:
        return None
    origin.append(len(original))
    return origin


class Mapper:
    """Lazily built map from normalised offsets to original offsets."""

    def __init__(self, original: str, normalized: str) -> None:
        self.original, self.normalized = original, normalized
        self._origin: list[int] | None = None
        self._tried = False

    def hit(self, flag_id: str, start: int, end: int) -> FlagHit:
        if not self._tried:
            self._tried = True
            self._origin = _alignment(self.original, self.normalized)
        origin = self._origin
        if origin is not None and end > start:
            o_start = origin[start]
            last = origin[end - 1]
            o_end = last + 1
            # extend to the end of the original cluster (combining marks) of the last character
            original = self.original
            while o_end < len(original) and unicodedata.category(original[o_end])[0] == "M":
                o_end += 1
            return FlagHit(flag_id, self.original[o_start:o_end], o_start, o_end, True)
        return FlagHit(flag_id, self.normalized[start:end], start, end, False)
