"""The self-contained HTML report of a benchmark run: tables and inline SVG bar charts
(no scripts, no files beside it)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

BAR_H, GAP, LABEL_W, CHART_W = 18, 6, 230, 360

STYLE = """
body{font-family:system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px}
th{background:#f0f0f0}td.no{color:#b00020}td.yes{color:#1a7f37}svg{margin:0.5em 0 1.5em}
h2{margin-top:1.6em}
"""


def bar_chart(title: str, bars: Sequence[tuple[str, float]], unit: str = "", top: float = 0) -> str:
    """A horizontal bar chart as an SVG element; `top` fixes the scale (default: the
    largest value)."""
    scale = top or max((v for _, v in bars), default=0) or 1.0
    height = len(bars) * (BAR_H + GAP) + 30
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{LABEL_W + CHART_W + 90}" '
        f'height="{height}" role="img" aria-label="{escape(title)}">',
        f'<text x="0" y="14" font-size="14" font-weight="bold">{escape(title)}</text>',
    ]
    for i, (label, value) in enumerate(bars):
        y = 24 + i * (BAR_H + GAP)
        width = max(0.0, min(1.0, value / scale)) * CHART_W
        parts.append(
            f'<text x="{LABEL_W - 6}" y="{y + 13}" font-size="12" text-anchor="end">'
            f"{escape(label[:34])}</text>"
            f'<rect x="{LABEL_W}" y="{y}" width="{width:.1f}" height="{BAR_H}" fill="#3c64b4"/>'
            f'<text x="{LABEL_W + width + 4:.1f}" y="{y + 13}" font-size="12">'
            f"{value:.2f}{escape(unit)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _table(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    head = "".join(f"<th>{escape(c)}</th>" for c in columns)
    body = []
    for row in rows:
        cells = []
        for column, value in zip(columns, row, strict=True):
            cls = f' class="{value}"' if column == "ok" else ""
            cells.append(f"<td{cls}>{escape(value)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><tr>{head}</tr>{''.join(body)}</table>"


def html_report(
    data: dict[str, Any], headline: str, rows: Sequence[Sequence[str]], columns: Sequence[str]
) -> str:
    """The whole report as one HTML page."""
    scenarios = data.get("by_scenario", {})
    results = data.get("results", [])
    charts = [
        bar_chart(
            "Success rate by scenario",
            [(k, v["passed"] / v["tasks"]) for k, v in scenarios.items()],
            top=1.0,
        ),
        bar_chart(
            "Satisfaction by scenario",
            [(k, v["satisfaction"]) for k, v in scenarios.items()],
            top=1.0,
        ),
        bar_chart("Time per task", [(r["task"], r["time_s"]) for r in results], " s"),
        bar_chart("Steps per task", [(r["task"], float(r["steps"])) for r in results]),
    ]
    if any(r.get("model_calls") for r in results):
        charts.append(
            bar_chart(
                "Model calls per task", [(r["task"], float(r["model_calls"])) for r in results]
            )
        )
    checks = []
    for r in results:
        failed = [c["what"] for c in r.get("checks", []) if not c["passed"]]
        if failed:
            items = "".join(f"<li>{escape(w)}</li>" for w in failed)
            checks.append(f"<h3>{escape(r['task'])}</h3><p>{escape(r['goal'])}</p><ul>{items}</ul>")
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>Benchmark report</title>"
        f"<style>{STYLE}</style></head><body><h1>Benchmark report</h1>"
        f"<p>{escape(headline).replace(chr(10), '<br>')}</p>"
        f"<h2>Tasks</h2>{_table(columns, rows)}<h2>Plots</h2>{''.join(charts)}"
        f"<h2>Checks not passed</h2>{''.join(checks) or '<p>none</p>'}</body></html>\n"
    )
