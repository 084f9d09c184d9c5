"""Pictures of offers rendered here (Pillow + Debian's Noto fonts), for OCR tests and the bench.

``render`` draws text as a clean screenshot would show it; ``degrade`` makes it a phone photo
of a screen: skewed, half the resolution, grain, specks and strong JPEG compression. Fonts come
from ``fonts-noto-core`` and ``fonts-noto-cjk`` (installed by ``make ocr-deps``).
"""

from __future__ import annotations

import io
import random
import unicodedata
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFont

NOTO = Path("/usr/share/fonts/truetype/noto")
NOTO_CJK = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
CJK_SC_INDEX = 2  # Noto Sans CJK SC inside the collection
FONT_FILES: dict[str, Path] = {
    "th": NOTO / "NotoSansThai-Regular.ttf",
    "my": NOTO / "NotoSansMyanmar-Regular.ttf",
    "km": NOTO / "NotoSansKhmer-Regular.ttf",
    "lo": NOTO / "NotoSansLao-Regular.ttf",
    "ne": NOTO / "NotoSansDevanagari-Regular.ttf",
    "zh": NOTO_CJK,
}
LATIN_FONT = NOTO / "NotoSans-Regular.ttf"


def font_path(language: str) -> Path:
    return FONT_FILES.get(language, LATIN_FONT)


def fonts_available(languages: tuple[str, ...]) -> bool:
    return all(font_path(language).exists() for language in languages)


def _font(language: str, size: int) -> ImageFont.FreeTypeFont:
    index = CJK_SC_INDEX if font_path(language) == NOTO_CJK else 0
    return ImageFont.truetype(str(font_path(language)), size, index=index)


def wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Greedy lines of at most ``width`` pixels: at a space when one is near, else between
    characters (Thai, Chinese), never before a combining mark."""
    measure = ImageDraw.Draw(Image.new("L", (1, 1)))
    lines: list[str] = []
    line = ""
    for char in text:
        if char == "\n":
            lines.append(line)
            line = ""
            continue
        if measure.textlength(line + char, font=font) <= width or unicodedata.category(char) in (
            "Mn", "Mc",
        ):  # fmt: skip
            line += char
            continue
        space = line.rfind(" ")
        if space > len(line) // 2:
            lines.append(line[:space])
            line = line[space + 1 :] + char
        else:
            lines.append(line)
            line = char
    if line:
        lines.append(line)
    return lines


def render(text: str, language: str, size: int = 28, width: int = 900) -> Image.Image:
    """``text`` in black on white, wrapped to ``width`` pixels, in the language's Noto font."""
    font = _font(language, size)
    lines = wrap(text, font, width)
    line_height = int(size * 1.9)
    image = Image.new("L", (width + 60, line_height * len(lines) + 60), 255)
    draw = ImageDraw.Draw(image)
    for number, line in enumerate(lines):
        draw.text((30, 30 + number * line_height), line, font=font, fill=0)
    return image


def degrade(
    image: Image.Image,
    seed: int = 0,
    angle: float = 2.5,
    scale: float = 0.5,
    grain: float = 12.0,
    specks: float = 0.004,
    quality: int = 50,
) -> bytes:
    """A phone photo of ``image``: rotated, downscaled, grainy, specked, JPEG ``quality``."""
    rng = random.Random(seed)
    photo = image.rotate(angle, expand=True, fillcolor=255, resample=Image.Resampling.BICUBIC)
    width, height = photo.size
    size = (max(1, int(width * scale)), max(1, int(height * scale)))
    photo = photo.resize(size, Image.Resampling.BILINEAR)
    photo = ImageChops.add(photo, Image.effect_noise(photo.size, grain), scale=1.0, offset=-128)
    pixels = photo.load()
    for _ in range(int(size[0] * size[1] * specks)):
        pixels[rng.randrange(size[0]), rng.randrange(size[1])] = rng.choice((0, 255))
    return encode(photo.convert("RGB"), "JPEG", quality=quality)


def encode(image: Image.Image, fmt: str = "PNG", **options: int) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()
