"""Server-rendered SVG charts (no JavaScript, no CDN): stacked bars, one bar per day."""

from __future__ import annotations

from html import escape
from typing import Any

PALETTE = ("#1f6feb", "#d1242f", "#bf8700", "#1a7f37", "#8250df", "#0a7ea4", "#bc4c00",
           "#57606a", "#cf222e", "#116329")
FIXED = {"risk:high": "#d1242f", "risk:medium": "#bf8700", "risk:low": "#1a7f37",
         "cases:opened": "#d1242f", "cases:closed": "#1a7f37"}


def normalize_series(rows: list[dict[str, Any]]) -> tuple[list[str], dict[str, list[int]]]:
    """``analytics.series`` rows → (days, counter name → value per day).

    Accepts rows with the day under ``day`` or ``date`` and counters either at the top level
    or under ``counters``.
    """
    days: list[str] = []
    counters: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        days.append(str(row.get("day") or row.get("date") or i))
        values = row.get("counters") if isinstance(row.get("counters"), dict) else row
        for name, value in values.items():
            if name in ("day", "date", "counters") or not isinstance(value, (int, float)):
                continue
            counters.setdefault(name, [0] * len(rows))[i] = int(value)
    return days, counters


def pick(counters: dict[str, list[int]], prefix: str, top: int = 6) -> dict[str, list[int]]:
    """The ``top`` counters named ``prefix…`` by total; the rest summed as "other"."""
    chosen = {k: v for k, v in counters.items() if k.startswith(prefix)}
    ranked = sorted(chosen, key=lambda k: (-sum(chosen[k]), k))
    out = {k: chosen[k] for k in ranked[:top]}
    rest = ranked[top:]
    if rest:
        out["other"] = [sum(chosen[k][i] for k in rest) for i in range(len(chosen[rest[0]]))]
    return out


def stacked_bars(title: str, days: list[str], series: dict[str, list[int]],
                 strip: str = "", empty: str = "No data yet.") -> str:
    """One accessible SVG: a bar per day, stacked by series, with a legend and totals."""
    width, height, left, bottom, top = 1000, 220, 44, 26, 12
    plot_w, plot_h = width - left - 10, height - bottom - top
    n = max(len(days), 1)
    totals = [sum(values[i] for values in series.values()) for i in range(len(days))]
    peak = max(totals, default=0)
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height + 22 * ((len(series) + 3) // 4)}" '
        f'role="img" aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    if peak == 0:
        parts.append(f'<text x="{left}" y="{top + plot_h / 2}" class="muted">{escape(empty)}'
                     "</text>")
    scale = plot_h / peak if peak else 0
    # y axis: 0, half and peak
    for value in sorted({0, peak // 2, peak}) if peak else [0]:
        y = top + plot_h - value * scale
        parts.append(f'<line x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" '
                     'class="grid"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" class="axis">'
                     f"{value}</text>")
    bar_w = plot_w / n
    colors = {name: FIXED.get(name, PALETTE[i % len(PALETTE)])
              for i, name in enumerate(series)}
    for i, day in enumerate(days):
        x = left + i * bar_w + bar_w * 0.15
        y = top + plot_h
        for name, values in series.items():
            h = values[i] * scale
            if h <= 0:
                continue
            y -= h
            label = f"{day} · {name[len(strip):] if name.startswith(strip) else name}: {values[i]}"
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w * 0.7:.1f}" '
                         f'height="{h:.1f}" fill="{colors[name]}"><title>{escape(label)}</title>'
                         "</rect>")
        if n <= 16 or i % max(1, n // 8) == 0 or i == n - 1:
            parts.append(f'<text x="{x + bar_w * 0.35:.1f}" y="{height - 8}" '
                         f'text-anchor="middle" class="axis">{escape(day[-5:])}</text>')
    for j, (name, values) in enumerate(series.items()):
        lx, ly = left + (j % 4) * 230, height + 14 + 22 * (j // 4)
        shown = name[len(strip):] if name.startswith(strip) else name
        parts.append(f'<rect x="{lx}" y="{ly - 10}" width="12" height="12" '
                     f'fill="{colors[name]}"/>')
        parts.append(f'<text x="{lx + 18}" y="{ly}" class="legend">{escape(shown)} '
                     f"({sum(values)})</text>")
    parts.append("</svg>")
    return "".join(parts)
