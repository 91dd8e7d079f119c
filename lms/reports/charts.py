"""Charts drawn on the server as SVG: readable without JavaScript, and small."""
from __future__ import annotations

from datetime import date

from markupsafe import Markup, escape

WIDTH = 640
BAR_HEIGHT = 26
LABEL_WIDTH = 170


def bar_chart(title: str, rows: list[tuple[str, float]], unit: str = "%", maximum: float = 100.0) -> Markup:
    """Horizontal bars, one per (label, value); the numbers are also written beside each bar."""
    height = 30 + BAR_HEIGHT * max(len(rows), 1)
    span = WIDTH - LABEL_WIDTH - 60
    parts = [_open(title, height), f'<text x="0" y="16" class="chart-title">{escape(title)}</text>']
    for index, (label, value) in enumerate(rows):
        y = 30 + index * BAR_HEIGHT
        width = 0 if maximum <= 0 else max(0.0, min(1.0, value / maximum)) * span
        parts += [
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 17}" text-anchor="end">{escape(_clip(label))}</text>',
            f'<rect x="{LABEL_WIDTH}" y="{y + 4}" width="{width:.1f}" height="{BAR_HEIGHT - 8}" class="bar"/>',
            f'<text x="{LABEL_WIDTH + width + 6:.1f}" y="{y + 17}">{value:.0f}{escape(unit)}</text>',
        ]
    return Markup("".join(parts) + "</svg>")


def week_chart(title: str, weeks: list[tuple[date, int]]) -> Markup:
    """Vertical bars, one per week, with the first week of each month labelled."""
    height, top, bottom = 220, 28, 40
    plot = height - top - bottom
    peak = max([count for _, count in weeks] + [1])
    step = (WIDTH - 40) / max(len(weeks), 1)
    parts = [_open(title, height), f'<text x="0" y="16" class="chart-title">{escape(title)}</text>',
             f'<text x="0" y="{top + 10}">{peak}</text>', f'<text x="0" y="{top + plot}">0</text>']
    for index, (week, count) in enumerate(weeks):
        x = 40 + index * step
        bar = plot * count / peak
        parts.append(f'<rect x="{x:.1f}" y="{top + plot - bar:.1f}" width="{max(step - 2, 1):.1f}" '
                     f'height="{bar:.1f}" class="bar"><title>{week.isoformat()}: {count}</title></rect>')
        if week.day <= 7:
            parts.append(f'<text x="{x:.1f}" y="{height - 12}">{week.strftime("%b")}</text>')
    return Markup("".join(parts) + "</svg>")


def _open(title: str, height: int) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" class="chart" role="img" '
            f'aria-label="{escape(title)}">')


def _clip(label: str, length: int = 24) -> str:
    return label if len(label) <= length else label[: length - 1] + "…"
