"""Reading the text of a picture (a job poster, a screenshot of a post or chat) with Tesseract.

Public API::

    read_image(data, hint=None) -> OcrResult     # never raises; status says what happened
    prepare(data) -> Image                        # decoded, bounded, greyscale (ImageError)
    tesseract_available() -> bool

Decisions (measured on rendered and degraded offers in ten languages, see README):

- One Tesseract language pack per pass, page segmentation ``--psm 6`` (one block of text): it
  read degraded photos better than automatic layout (``--psm 3``) and was never worse on clean
  ones. Adding ``+eng`` to a pack doubled the time and ruined degraded Chinese, so it is not used.
- Tesseract's own script detection (``osd``) named Thai "Latin", Burmese "Arabic" and Khmer
  "Cyrillic" on ad-sized texts, so the script is chosen by recognition confidence instead: the
  pack of the user's language (``hint``) first, accepted when confident; otherwise every script's
  pack on a smaller copy and the most confident wins, the hint's pack getting a bonus. The Thai
  pack reads Lao, Khmer and Burmese with a confidence near its own while their packs score next
  to nothing on Thai, so without a hint a confusable pack within its margin of the Thai one wins
  (:data:`CONFUSABLE_MARGIN`, measured per script).
- No upscaling, sharpening or median filter: each lowered accuracy on phone-like photos.

Hostile input: only PNG, JPEG, WebP, GIF and BMP are decoded; the pixel count is checked from
the header before decoding (decompression bombs); the image is shrunk to at most
:data:`MAX_OCR_SIDE` pixels a side; every Tesseract call has a time limit and one thread; the
whole read has a deadline. Nothing here logs text.
"""

from __future__ import annotations

import csv
import io
import logging
import os
import re
import shutil
import subprocess
import time
import warnings
from dataclasses import dataclass, field

from PIL import Image, ImageOps

from bot.languages import TABLE as LANGUAGE_TABLE

log = logging.getLogger(__name__)

TESSERACT = "tesseract"
MAX_IMAGE_BYTES = 10 * 1024 * 1024  # larger files are refused before decoding
MAX_IMAGE_PIXELS = 40_000_000  # width × height from the header; a 12-MP phone photo fits
MAX_OCR_SIDE = 2200  # the longest side Tesseract sees (a phone screenshot is ~2400 tall)
DETECT_SIDE = 1100  # the copy on which the script is detected
CALL_SECONDS = 10.0  # one Tesseract run
READ_SECONDS = 20.0  # the whole read, detection included (pure noise took ~17 s)
ACCEPT_CONFIDENCE = 70.0  # a hint's pack at or above this is used without detection
HINT_BONUS = 12.0  # detection favours the user's language by this many confidence points
MIN_CONFIDENCE = 25.0  # below this nothing was read (a photo of a face, a landscape)
FORMATS = ("PNG", "JPEG", "WEBP", "GIF", "BMP")
PSM = "6"
#: Scripts written without spaces between words: Tesseract's spaces between their letters go.
UNSPACED = (
    "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
)
JOIN_UNSPACED = re.compile(f"(?<=[{UNSPACED}]) +(?=[{UNSPACED}])")
#: Packs that read another script with high confidence (measured): a hint for one of these
#: scripts keeps its pack when detection prefers the confusable one.
CONFUSABLE: dict[str, frozenset[str]] = {"tha": frozenset({"lao", "khm", "mya"})}
#: Without a hint, a confusable pack wins over the Thai pack when its confidence is at least the
#: Thai pack's minus this margin (measured: on Lao pictures the Thai pack scored 71-86 and the
#: Lao pack 16-45; on Thai pictures 84-94 and 0-21). Tried in this order: Burmese, Khmer, Lao.
CONFUSABLE_MARGIN: dict[str, dict[str, float]] = {"tha": {"mya": 35.0, "khm": 30.0, "lao": 68.0}}
#: A Latin text in one of these languages is read again with its own pack (diacritics).
LATIN_LANGUAGES = ("vi", "id", "tl")

#: Script → Tesseract pack for detection, in the order tried.
SCRIPT_PACKS: dict[str, str] = {
    "Latin": "eng", "Thai": "tha", "Myanmar": "mya", "Khmer": "khm", "Lao": "lao",
    "Han": "chi_sim", "Devanagari": "nep",
}  # fmt: skip
#: The assistant's languages (and a few client codes) → the pack that reads them best.
LANGUAGE_PACKS: dict[str, str] = {
    **{language.code: language.ocr_pack for language in LANGUAGE_TABLE},
    "fil": "fil", "zh-hant": "chi_tra",
    "zh-tw": "chi_tra", "zh-hk": "chi_tra", "ms": "ind",
}  # fmt: skip
PACK_SCRIPTS: dict[str, str] = {
    "eng": "Latin", "vie": "Latin", "ind": "Latin", "fil": "Latin", "tha": "Thai",
    "mya": "Myanmar", "khm": "Khmer", "lao": "Lao", "chi_sim": "Han", "chi_tra": "Han",
    "nep": "Devanagari",
}  # fmt: skip


class ImageError(ValueError):
    """The bytes are not an image we will read; ``kind`` says why (no content)."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


@dataclass
class OcrResult:
    """What was read. ``status``: ok, empty (nothing legible), invalid, too_large, timeout,
    unavailable (no tesseract) or error."""

    text: str = ""
    status: str = "empty"
    pack: str | None = None
    script: str | None = None
    confidence: float = 0.0
    seconds: float = 0.0
    tried: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status == "ok" and bool(self.text.strip())


@dataclass(frozen=True)
class Pass:
    """One Tesseract run: the text (lines kept) and its length-weighted mean confidence."""

    pack: str
    text: str
    confidence: float


def tesseract_available(command: str = TESSERACT) -> bool:
    return shutil.which(command) is not None


def installed_packs(command: str = TESSERACT) -> set[str]:
    """The language packs Tesseract has (empty when it cannot be run)."""
    try:
        run = subprocess.run(
            [command, "--list-langs"], capture_output=True, timeout=CALL_SECONDS, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return set()
    lines = run.stdout.decode("utf-8", "replace").splitlines()
    return {line.strip() for line in lines[1:] if line.strip()}


def prepare(data: bytes, max_side: int = MAX_OCR_SIDE) -> Image.Image:
    """Decode ``data`` safely: format and size checked before pixels are decoded, then greyscale,
    upright (EXIF) and at most ``max_side`` a side."""
    if len(data) > MAX_IMAGE_BYTES:
        raise ImageError("too_large")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=FORMATS)
            width, height = image.size
            if width < 1 or height < 1 or width * height > MAX_IMAGE_PIXELS:
                raise ImageError("too_large")
            if image.format == "JPEG":
                image.draft("L", (max_side, max_side))  # decode at a reduced scale: faster
            image.seek(0)  # a GIF/WebP animation: its first frame
            image = ImageOps.exif_transpose(image.convert("RGBA" if "A" in image.mode else "RGB"))
    except ImageError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageError("too_large") from None
    except (OSError, ValueError, SyntaxError, EOFError, MemoryError):
        raise ImageError("invalid") from None
    if image.mode == "RGBA":  # a transparent screenshot: text over white, not over black
        background = Image.new("RGB", image.size, "white")
        background.paste(image, mask=image.getchannel("A"))
        image = background
    image = image.convert("L")
    if max(image.size) > max_side:
        image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    return image


def png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=1)
    return buffer.getvalue()


def parse_tsv(tsv: str) -> tuple[str, float]:
    """Tesseract's TSV → (text with its line breaks, length-weighted mean word confidence)."""
    lines: dict[tuple[str, str, str], list[str]] = {}
    weighted = chars = 0.0
    rows = csv.reader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE)
    for row in rows:
        if len(row) != 12 or row[0] == "level" or not row[11].strip():
            continue
        try:
            confidence = float(row[10])
        except ValueError:
            continue
        if confidence < 0:
            continue
        word = row[11].strip()
        lines.setdefault((row[2], row[3], row[4]), []).append(word)
        weighted += confidence * len(word)
        chars += len(word)
    text = "\n".join(" ".join(words) for words in lines.values())
    return text, (weighted / chars if chars else 0.0)


def run_pass(png: bytes, pack: str, timeout: float, command: str = TESSERACT) -> Pass:
    """One Tesseract run on PNG bytes (stdin → TSV on stdout), single-threaded, time-limited.

    Raises subprocess.TimeoutExpired (the process is killed) or OSError.
    """
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    run = subprocess.run(
        [command, "stdin", "stdout", "-l", pack, "--psm", PSM, "tsv"],
        input=png, capture_output=True, timeout=max(0.5, timeout), env=env, check=False,
    )  # fmt: skip
    if run.returncode != 0:
        log.warning("ocr: tesseract failed with status %s (pack %s)", run.returncode, pack)
        return Pass(pack, "", 0.0)
    text, confidence = parse_tsv(run.stdout.decode("utf-8", "replace"))
    return Pass(pack, text, confidence)


def hint_pack(hint: str | None) -> str | None:
    """The pack for a language code such as ``th``, ``zh-TW`` or ``en-US`` (None if unknown)."""
    if not isinstance(hint, str) or not hint.strip():
        return None
    code = hint.strip().lower().replace("_", "-")
    return LANGUAGE_PACKS.get(code) or LANGUAGE_PACKS.get(code.split("-", 1)[0])


def detect(
    small: bytes, hint: str | None, deadline: float, packs: dict[str, str] = SCRIPT_PACKS
) -> tuple[str, list[Pass]]:
    """The most confident script pack on ``small`` (the hint's script favoured)."""
    preferred = PACK_SCRIPTS.get(hint_pack(hint) or "")
    passes: list[Pass] = []
    best, best_score = packs["Latin"], -1.0
    for script, pack in packs.items():
        left = deadline - time.monotonic()
        if left <= 0:
            break
        found = run_pass(small, pack, min(CALL_SECONDS, left))
        passes.append(found)
        score = found.confidence + (HINT_BONUS if script == preferred else 0.0)
        if score > best_score:
            best, best_score = pack, score
        if found.confidence >= 90.0:
            break  # this script reads cleanly: no other will do better
    return resolve_confusable(best, passes, preferred), passes


def resolve_confusable(best: str, passes: list[Pass], preferred: str | None) -> str:
    """Without a hint for ``best``'s script, a script ``best`` misreads wins within its margin.

    The Thai pack reads Lao, Khmer and Burmese letters with a confidence near its own, while their
    own packs score next to nothing on Thai: a confusable pack close enough to the Thai one is the
    right script.
    """
    margins = CONFUSABLE_MARGIN.get(best)
    if not margins or preferred == PACK_SCRIPTS[best]:
        return best
    confidence = {p.pack: p.confidence for p in passes}
    for pack, margin in margins.items():
        if pack in confidence and confidence[pack] >= confidence[best] - margin:
            return pack
    return best


def join_unspaced(text: str) -> str:
    """Drop the spaces Tesseract puts between Thai, Lao, Burmese, Khmer or Chinese letters."""
    return JOIN_UNSPACED.sub("", text)


def latin_language(text: str) -> str | None:
    """Vietnamese, Indonesian or Filipino when the text reads like it (for a second pass)."""
    from bot.engines.language import detect_language

    code = detect_language(text).code
    return code if code in LATIN_LANGUAGES else None


def best_pass(image: Image.Image, full: bytes, hint: str | None, deadline: float) -> list[Pass]:
    """The passes run, the one to use last: the hint's pack when confident, else the most
    confident script (hint favoured, confusable scripts resolved for the hint), then a Latin
    text read again in its language's pack."""

    def run(png: bytes, pack: str) -> Pass:
        return run_pass(png, pack, min(CALL_SECONDS, deadline - time.monotonic()))

    chosen = hint_pack(hint)
    passes = [run(full, chosen)] if chosen else []
    if not passes or passes[0].confidence < ACCEPT_CONFIDENCE:
        small = image.copy()
        small.thumbnail((DETECT_SIDE, DETECT_SIDE), Image.Resampling.LANCZOS)
        same = small.size == image.size
        best, found = detect(full if same else png_bytes(small), hint, deadline)
        hinted = passes[0] if passes else None
        passes += found
        if hinted and PACK_SCRIPTS[hinted.pack] == PACK_SCRIPTS[best]:
            best = hinted.pack  # the hint's own pack (vie, ind, fil, chi_tra) for its script
        elif hinted and hinted.pack in CONFUSABLE.get(best, ()):
            best = hinted.pack  # the Thai pack's confidence on Lao means nothing
        if hinted and best == hinted.pack:
            passes.append(hinted)
        elif same:
            passes.append(next(p for p in found if p.pack == best))
        else:
            passes.append(run(full, best))
    last = passes[-1]
    if PACK_SCRIPTS[last.pack] == "Latin" and last.pack == "eng" and last.text:
        language = latin_language(last.text)
        if language and time.monotonic() < deadline:
            again = run(full, LANGUAGE_PACKS[language])
            passes.append(again if again.confidence >= last.confidence - 5 else last)
    return passes


def read_image(
    data: bytes, hint: str | None = None, deadline_seconds: float = READ_SECONDS
) -> OcrResult:
    """The text of the picture ``data``; never raises (the status says what went wrong)."""
    started = time.monotonic()
    result = OcrResult()
    try:
        image = prepare(data)
        if not tesseract_available():
            result.status = "unavailable"
            return result
        passes = best_pass(image, png_bytes(image), hint, started + deadline_seconds)
        used = passes[-1]
        result.tried = list(dict.fromkeys(p.pack for p in passes))
        result.pack, result.script = used.pack, PACK_SCRIPTS.get(used.pack)
        result.confidence = used.confidence
        text = join_unspaced(used.text).strip()
        legible = bool(text) and used.confidence >= MIN_CONFIDENCE
        result.text, result.status = (text, "ok") if legible else ("", "empty")
    except ImageError as problem:
        result.status = problem.kind
    except subprocess.TimeoutExpired:
        result.status = "timeout"
    except Exception as exc:  # noqa: BLE001 - a picture must never crash the conversation
        log.warning("ocr: reading a picture failed (%s)", type(exc).__name__)
        result.status = "error"
    finally:
        result.seconds = time.monotonic() - started
    return result
