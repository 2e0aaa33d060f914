"""Charts drawn at build time as SVG: no JavaScript library, nothing fetched.

Each chart is an image to assistive technology (role="img" with a title and a
description that states every figure), and the page also gives the same figures in
a table, so nothing is known only from a colour or a bar's length.
"""

from __future__ import annotations

from collections import Counter

from sarflow.site.html import esc

WIDTH = 760
LABEL_WIDTH = 230
TOTAL_WIDTH = 40
BAR_HEIGHT = 26
GAP = 12
LEGEND_HEIGHT = 34
# Dark enough for white figures on them (contrast at least 4.5:1), told apart by lightness too.
PALETTE = ("#4b5563", "#1d4ed8", "#166534", "#7c2d12", "#6b21a8", "#0f766e")


def status_colours(statuses: list[str]) -> dict[str, str]:
    return {s: PALETTE[i % len(PALETTE)] for i, s in enumerate(statuses)}


def describe(rows: list[tuple[str, Counter[str]]], statuses: list[str]) -> str:
    """The figures of the chart in words, for its <desc>."""
    parts = []
    for label, counts in rows:
        found = [f"{counts[s]} {s}" for s in statuses if counts[s]]
        parts.append(f"{label}: {', '.join(found) if found else 'no actions'}")
    return "; ".join(parts) + "."


def stacked_bars(chart_id: str, title: str, rows: list[tuple[str, Counter[str]]], statuses: list[str]) -> str:
    """A horizontal bar per row, split by status, with a legend; sized to fit its rows."""
    colours = status_colours(statuses)
    biggest = max((sum(c[s] for s in statuses) for _, c in rows), default=0) or 1
    scale = (WIDTH - LABEL_WIDTH - TOTAL_WIDTH - 10) / biggest
    height = LEGEND_HEIGHT + len(rows) * (BAR_HEIGHT + GAP) + 4
    out = [
        f'<svg class="sar-chart" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{esc(title)}</title>',
        f'<desc id="{chart_id}-desc">{esc(describe(rows, statuses))}</desc>',
    ]
    x: float = LABEL_WIDTH
    for status in statuses:
        out.append(f'<rect x="{x}" y="6" width="14" height="14" fill="{colours[status]}"/>')
        out.append(f'<text x="{x + 20}" y="18" class="sar-chart__legend">{esc(status)}</text>')
        x += 34 + 8 * len(status)
    for i, (label, counts) in enumerate(rows):
        y = LEGEND_HEIGHT + i * (BAR_HEIGHT + GAP)
        shown = label if len(label) <= 34 else label[:33] + "\u2026"
        out.append(f'<text x="{LABEL_WIDTH - 8}" y="{y + BAR_HEIGHT * 0.68:.0f}" text-anchor="end" '
                   f'class="sar-chart__label">{esc(shown)}</text>')
        x = LABEL_WIDTH
        for status in statuses:
            if not counts[status]:
                continue
            w = counts[status] * scale
            out.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{BAR_HEIGHT}" fill="{colours[status]}"/>')
            if w >= 18:
                out.append(f'<text x="{x + w / 2:.1f}" y="{y + BAR_HEIGHT * 0.68:.0f}" text-anchor="middle" '
                           f'class="sar-chart__count">{counts[status]}</text>')
            x += w
        out.append(f'<text x="{x + 6:.1f}" y="{y + BAR_HEIGHT * 0.68:.0f}" class="sar-chart__total">'
                   f'{sum(counts[s] for s in statuses)}</text>')
    out.append("</svg>")
    return "".join(out)
