"""Charts drawn at build time as plain HTML bars: no JavaScript, no library, nothing fetched.

A chart is one image to assistive technology (role="img", named by its title and a
sentence that states every figure), and the page gives the same figures in a table
below it, so nothing is known only from a colour or a bar's length. The bars are HTML,
not a scaled picture: their labels and figures keep the page's text size on a phone
and wrap rather than being cut, and each bar's length is a share of the chart's width.
"""

from __future__ import annotations

from collections import Counter

from sarflow.site.html import esc, slug

# How many series colours site.css defines (.sar-series-0 to -5): dark enough for white
# figures on them (at least 4.5:1), and told apart by lightness too.
COLOURS = 6


def colours(series: list[str]) -> dict[str, str]:
    return {s: f"sar-series-{i % COLOURS}" for i, s in enumerate(series)}


def describe(rows: list[tuple[str, Counter[str]]], series: list[str], none: str) -> str:
    """The figures of the chart in words."""
    parts = []
    for label, counts in rows:
        found = [f"{counts[s]} {s}" for s in series if counts[s]]
        parts.append(f"{label}: {', '.join(found) if found else none}")
    return "; ".join(parts) + "."


def legend(series: list[str]) -> str:
    classes = colours(series)
    items = "".join(f'<li><span class="sar-swatch {classes[s]}"></span>{esc(s)}</li>' for s in series)
    return f'<ul class="sar-legend" aria-hidden="true">{items}</ul>'


def stacked_bars(title: str, rows: list[tuple[str, Counter[str]]], series: list[str], none: str = "none") -> str:
    """One bar per row, split by series, each as long as its share of the largest total."""
    classes = colours(series)
    biggest = max((sum(c[s] for s in series) for _, c in rows), default=0) or 1
    bars = []
    for label, counts in rows:
        total = sum(counts[s] for s in series)
        parts = "".join(
            f'<span class="sar-bar {classes[s]}" style="width: {100 * counts[s] / biggest:.2f}%">{counts[s]}</span>'
            for s in series if counts[s]
        )
        bars.append(f'<div class="sar-chart-row"><span class="sar-chart-label">{esc(label)}</span>'
                    f'<span class="sar-chart-track">{parts}<span class="sar-chart-total">{total}</span></span></div>')
    return _chart(title, describe(rows, series, none), legend(series) + "".join(bars))


def grouped_bars(title: str, rows: list[tuple[str, Counter[str]]], series: list[str]) -> str:
    """Under each row's label, one thin bar per series, each with its figure (the trends)."""
    classes = colours(series)
    biggest = max((c[s] for _, c in rows for s in series), default=0) or 1
    groups = []
    for label, counts in rows:
        bars = "".join(
            f'<span class="sar-chart-track sar-chart-track--thin"><span class="sar-bar {classes[s]}" '
            f'style="width: {100 * counts[s] / biggest:.2f}%"></span>'
            f'<span class="sar-chart-total">{counts[s]} {esc(s.lower())}</span></span>'
            for s in series
        )
        groups.append(f'<div class="sar-chart-row sar-chart-row--group"><span class="sar-chart-label">{esc(label)}'
                      f"</span><span>{bars}</span></div>")
    return _chart(title, describe(rows, series, "none"), legend(series) + "".join(groups))


def _chart(title: str, description: str, body: str) -> str:
    chart_id = "chart-" + slug(title)
    return (
        f'<div class="sar-chart" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc">'
        f'<p class="sar-visually-hidden" id="{chart_id}-title">{esc(title)}</p>'
        f'<p class="sar-visually-hidden" id="{chart_id}-desc">{esc(description)}</p>'
        f"{body}</div>"
    )
