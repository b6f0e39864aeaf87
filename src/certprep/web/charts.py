"""Small server-side SVG charts for the dashboard: no chart library, no script, nothing from a CDN.

Each function returns an ``<svg>`` element as Markup. Colours come from CSS classes in static/app.css (the CSP
forbids ``style=`` attributes), and every chart has a <title> and text labels so it reads without colour.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape


def _svg(width: int, height: int, label: str, body: list[str]) -> Markup:
    return Markup(
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}" '
        f'preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg"><title>{escape(label)}</title>'
        + "".join(body)
        + "</svg>"
    )


def _text(x: float, y: float, text: str, cls: str = "chart-label", anchor: str = "start") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" class="{cls}" text-anchor="{anchor}">{escape(text)}</text>'


# Chart text is 20 units tall on a phone (app.css .chart-label etc.): the 540-unit charts are drawn about 316 px wide
# there, so text stays at least 11 px tall; the layouts below leave room for text of that size.
# How long a domain label may be, whole words, so every chart labels its bars alike: every DOP-C02 domain name but one.
LABEL_CHARACTERS = 31


@dataclass(frozen=True)
class MasteryBar:
    label: str
    value: float  # 0..1
    low: float
    high: float
    level: str


def shorten_label(label: str, width: int = LABEL_CHARACTERS) -> str:
    """``label`` as it fits the chart's label column: whole words, then "…" ("Configuration Management…")."""
    return textwrap.shorten(label, width, placeholder="…")


def mastery_bars(rows: Sequence[MasteryBar], target: float | None = None) -> Markup:
    """Horizontal bars (mastery) with a whisker for the 10th–90th percentile and an optional target line.

    Each label has its own line above its bar, so it can be as large as on a phone it must be to be read.
    """
    width, row_h, top, value_width = 540, 56, 4, 66
    plot = width - value_width
    height = top + row_h * len(rows) + 28
    body: list[str] = []
    for index, row in enumerate(rows):
        y = top + index * row_h
        bar_y = y + 28
        body.append(_text(0, y + 20, shorten_label(row.label)))
        body.append(f'<rect x="0" y="{bar_y}" width="{plot}" height="18" rx="4" class="chart-track"/>')
        body.append(
            f'<rect x="0" y="{bar_y}" width="{plot * row.value:.1f}" height="18" rx="4" '
            f'class="chart-bar level-{row.level.replace(" ", "-")}"/>'
        )
        x1, x2 = plot * row.low, plot * row.high
        body.append(f'<line x1="{x1:.1f}" y1="{bar_y + 9}" x2="{x2:.1f}" y2="{bar_y + 9}" class="chart-whisker"/>')
        body.append(f'<line x1="{x1:.1f}" y1="{bar_y + 4}" x2="{x1:.1f}" y2="{bar_y + 14}" class="chart-whisker"/>')
        body.append(f'<line x1="{x2:.1f}" y1="{bar_y + 4}" x2="{x2:.1f}" y2="{bar_y + 14}" class="chart-whisker"/>')
        body.append(_text(width, bar_y + 16, f"{row.value:.0%}", "chart-value", "end"))
    if target is not None:
        x = plot * target
        body.append(f'<line x1="{x:.1f}" y1="{top + 24}" x2="{x:.1f}" y2="{height - 24}" class="chart-target"/>')
        body.append(_text(x, height - 4, f"cut {target:.0%}", "chart-axis", "middle"))
    return _svg(width, height, "Mastery with its likely range", body)


def score_history(
    readiness: Sequence[tuple[dt.date, int, int, int]],
    exams: Sequence[tuple[dt.date, int]],
    low: int,
    high: int,
    passing: int,
) -> Markup:
    """Predicted scaled score over time (line with a band for the range), exam results as dots, the pass line."""
    width, height, left, right, top, bottom = 540, 240, 58, 12, 24, 34
    dates = [row[0] for row in readiness] + [row[0] for row in exams]
    plot_w, plot_h = width - left - right, height - top - bottom
    body: list[str] = []

    def y_of(score: float) -> float:
        return top + plot_h * (1 - (score - low) / (high - low))

    for tick in range(low, high + 1, 100 if high - low <= 1000 else 200):
        if tick % 200 == 0 or tick == low:
            body.append(
                f'<line x1="{left}" y1="{y_of(tick):.1f}" x2="{width - right}" y2="{y_of(tick):.1f}" '
                'class="chart-grid"/>'
            )
            body.append(_text(left - 6, y_of(tick) + 6, str(tick), "chart-axis", "end"))
    body.append(
        f'<line x1="{left}" y1="{y_of(passing):.1f}" x2="{width - right}" y2="{y_of(passing):.1f}" '
        'class="chart-target"/>'
    )
    body.append(_text(width - right, y_of(passing) - 5, f"pass {passing}", "chart-axis", "end"))
    if not dates:
        body.append(
            _text(width / 2, height / 2, "No history yet: practise or review to start it.", "chart-empty", "middle")
        )
        return _svg(width, height, "Score history", body)
    first, last = min(dates), max(dates)
    span = max(1, (last - first).days)

    def x_of(day: dt.date) -> float:
        return left + plot_w * ((day - first).days / span if (last - first).days else 0.5)

    if readiness:
        band = [f"{x_of(d):.1f},{y_of(h):.1f}" for d, _, _, h in readiness]
        band += [f"{x_of(d):.1f},{y_of(lo):.1f}" for d, _, lo, _ in reversed(readiness)]
        body.append(f'<polygon points="{" ".join(band)}" class="chart-band"/>')
        line = " ".join(f"{x_of(d):.1f},{y_of(s):.1f}" for d, s, _, _ in readiness)
        body.append(f'<polyline points="{line}" class="chart-line"/>')
        for d, s, _, _ in readiness:
            body.append(f'<circle cx="{x_of(d):.1f}" cy="{y_of(s):.1f}" r="3" class="chart-point"/>')
    for d, s in exams:
        body.append(
            f'<circle cx="{x_of(d):.1f}" cy="{y_of(s):.1f}" r="5" class="chart-exam">'
            f"<title>{escape(f'exam {d.isoformat()}: {s}')}</title></circle>"
        )
    body.append(_text(left, height - 8, first.strftime("%d %b"), "chart-axis"))
    if last != first:
        body.append(_text(width - right, height - 8, last.strftime("%d %b"), "chart-axis", "end"))
    return _svg(width, height, "Score history", body)


def day_bars(values: Sequence[tuple[dt.date, float]], label: str, unit: str, stacked: Sequence[float] = ()) -> Markup:
    """One bar per day, with its value on top; ``stacked`` adds a second series on top of the first."""
    width, height, top, bottom = 540, 180, 26, 36
    count = max(1, len(values))
    slot = width / count
    totals = [value + (stacked[i] if i < len(stacked) else 0.0) for i, (_, value) in enumerate(values)]
    peak = max([*totals, 1.0])
    plot_h = height - top - bottom
    body: list[str] = []
    for index, (day, value) in enumerate(values):
        x = index * slot + slot * 0.18
        w = slot * 0.64
        h1 = plot_h * value / peak
        y1 = top + plot_h - h1
        body.append(f'<rect x="{x:.1f}" y="{y1:.1f}" width="{w:.1f}" height="{h1:.1f}" rx="3" class="chart-bar"/>')
        extra = stacked[index] if index < len(stacked) else 0.0
        if extra:
            h2 = plot_h * extra / peak
            body.append(
                f'<rect x="{x:.1f}" y="{y1 - h2:.1f}" width="{w:.1f}" height="{h2:.1f}" rx="3" class="chart-bar-alt"/>'
            )
        total = totals[index]
        if total:
            body.append(
                _text(x + w / 2, top + plot_h - plot_h * total / peak - 4, f"{total:.0f}", "chart-value", "middle")
            )
        if index % 2 == 0 or count <= 8:  # every other day: fourteen labels do not fit a half-width panel
            # The first date starts at its bar: centred under it, text this size would run off the left edge.
            x_text, anchor = (x, "start") if index == 0 else (x + w / 2, "middle")
            body.append(_text(x_text, height - 10, day.strftime("%d %b"), "chart-axis", anchor))
    body.append(f'<line x1="0" y1="{top + plot_h}" x2="{width}" y2="{top + plot_h}" class="chart-grid"/>')
    return _svg(width, height, f"{label} ({unit})", body)


def sparkline(shares: Sequence[float], label: str) -> Markup:
    """A small line of shares (0..1) oldest to newest, for a table cell beside the same figures in text; a single
    point is a dot. The words around it carry the numbers, so the line is decoration (aria-hidden)."""
    width, height, pad = 120, 30, 4
    if not shares:
        return Markup("")
    step = (width - 2 * pad) / max(len(shares) - 1, 1)
    points = [(pad + index * step, height - pad - share * (height - 2 * pad)) for index, share in enumerate(shares)]
    body = [f'<line x1="{pad}" x2="{width - pad}" y1="{height / 2}" y2="{height / 2}" class="spark-mid"/>']
    if len(points) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        body.append(f'<polyline points="{path}" class="spark-line"/>')
    x, y = points[-1]
    body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" class="spark-dot"/>')
    return Markup(
        f'<svg class="spark" viewBox="0 0 {width} {height}" aria-hidden="true" focusable="false" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(label)}</title>' + "".join(body) + "</svg>"
    )
