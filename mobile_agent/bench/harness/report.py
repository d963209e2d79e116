"""What a benchmark run found: the summary, its table, and the Markdown and HTML reports."""

from __future__ import annotations

import json
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mobile_agent.bench.harness.execute import TaskResult
from mobile_agent.bench.harness.plots import html_report


@dataclass(frozen=True)
class Summary:
    """The results of one run of the suite, with its totals."""

    results: tuple[TaskResult, ...]
    seed: int
    mode: str
    devices: int
    elapsed_s: float
    evolution: dict[str, Any] = field(default_factory=dict)

    @property
    def passed(self) -> int:
        return sum(r.success for r in self.results)

    @property
    def all_passed(self) -> bool:
        return bool(self.results) and self.passed == len(self.results)

    @property
    def untouched_pass(self) -> list[str]:
        """Tasks whose checks already pass on the untouched phone (a broken validator)."""
        return [r.task for r in self.results if not r.untouched_fails]

    def totals(self) -> dict[str, Any]:
        rs = self.results
        n = len(rs) or 1
        return {
            "tasks": len(rs),
            "passed": self.passed,
            "success_rate": round(self.passed / n, 4),
            "mean_satisfaction": round(sum(r.satisfaction for r in rs) / n, 4),
            "steps": sum(r.steps for r in rs),
            "model_calls": sum(r.model_calls for r in rs),
            "input_tokens": sum(r.input_tokens for r in rs),
            "output_tokens": sum(r.output_tokens for r in rs),
            "cost_usd": round(sum(r.cost_usd for r in rs), 6),
            "median_time_s": round(statistics.median([r.time_s for r in rs]), 2) if rs else 0.0,
        }

    def by_scenario(self) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for r in self.results:
            row = out.setdefault(r.scenario, {"tasks": 0, "passed": 0, "satisfaction": 0.0})
            row["tasks"] += 1
            row["passed"] += int(r.success)
            row["satisfaction"] += r.satisfaction
        for row in out.values():
            row["satisfaction"] = round(row["satisfaction"] / row["tasks"], 4)
        return out

    def to_dict(self) -> dict[str, Any]:
        """The JSON a run prints and `bench compare` reads."""
        return {
            **self.totals(),
            "seed": self.seed,
            "mode": self.mode,
            "devices": self.devices,
            "elapsed_s": round(self.elapsed_s, 2),
            "untouched_pass": self.untouched_pass,
            "by_scenario": self.by_scenario(),
            **({"evolution": self.evolution} if self.evolution else {}),
            "results": [r.to_dict() for r in self.results],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Summary:
        """A summary read back from `to_dict` output (`ValueError` when it is not one)."""
        if not isinstance(data, dict) or not isinstance(data.get("results"), list):
            raise ValueError("not a bench run result: no list of results")
        results = tuple(TaskResult.from_dict(r) for r in data["results"])
        return cls(
            results,
            int(data.get("seed", 0)),
            str(data.get("mode", "")),
            int(data.get("devices", 1)),
            float(data.get("elapsed_s", 0.0)),
            dict(data.get("evolution", {})),
        )


def summarise(
    results: Sequence[TaskResult],
    seed: int,
    mode: str,
    devices: int,
    elapsed_s: float,
    *,
    evolution: bool = False,
    learned: dict[str, list[str]] | None = None,
) -> Summary:
    """The summary of a run; with `evolution`, each family's first task against the rest."""
    extra = _evolution(results, learned or {}) if evolution else {}
    return Summary(tuple(results), seed, mode, devices, elapsed_s, extra)


def _evolution(results: Sequence[TaskResult], learned: dict[str, list[str]]) -> dict[str, Any]:
    groups: dict[str, list[TaskResult]] = {}
    for r in results:
        if r.family:
            groups.setdefault(r.family, []).append(r)
    first = [g[0] for g in groups.values() if len(g) > 1]
    later = [r for g in groups.values() if len(g) > 1 for r in g[1:]]

    def side(rs: list[TaskResult]) -> dict[str, float]:
        n = len(rs) or 1
        return {
            "tasks": len(rs),
            "success_rate": round(sum(r.success for r in rs) / n, 4),
            "mean_steps": round(sum(r.steps for r in rs) / n, 2),
            "mean_model_calls": round(sum(r.model_calls for r in rs) / n, 2),
            "mean_satisfaction": round(sum(r.satisfaction for r in rs) / n, 4),
        }

    a, b = side(first), side(later)
    return {
        "families": len(first),
        "first": a,
        "later": b,
        "difference": {k: round(b[k] - a[k], 4) for k in a if k != "tasks"},
        "learned": learned,
    }


COLUMNS = ("task", "ok", "sat", "steps", "calls", "tokens", "cost $", "time s", "ended")


def rows(summary: Summary) -> list[list[str]]:
    """The table's rows, one per task."""
    out = []
    for r in summary.results:
        out.append(
            [
                r.task,
                "yes" if r.success else "no",
                f"{r.satisfaction:.2f}",
                str(r.steps),
                str(r.model_calls),
                str(r.input_tokens + r.output_tokens),
                f"{r.cost_usd:.4f}",
                f"{r.time_s:.1f}",
                r.state if r.success else (r.error or r.state)[:70],
            ]
        )
    return out


def headline(summary: Summary) -> str:
    t = summary.totals()
    line = (
        f"{t['passed']} of {t['tasks']} tasks passed ({t['success_rate']:.0%}), mean "
        f"satisfaction {t['mean_satisfaction']:.2f}; {summary.mode}, seed {summary.seed}, "
        f"{summary.devices} phone(s), {summary.elapsed_s:.1f} s"
    )
    if summary.untouched_pass:
        line += f"\nChecks that pass on an untouched phone: {', '.join(summary.untouched_pass)}"
    return line


def table(summary: Summary) -> str:
    """A plain-text table and the headline."""
    body = rows(summary)
    widths = [max([len(c)] + [len(row[i]) for row in body]) for i, c in enumerate(COLUMNS)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(COLUMNS, widths, strict=True))]
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)) for row in body]
    lines.append(headline(summary))
    if summary.evolution:
        lines.append(evolution_line(summary.evolution))
    return "\n".join(lines) + "\n"


def evolution_line(ev: dict[str, Any]) -> str:
    """First task of each family against the later ones, in one line."""
    a, b = ev["first"], ev["later"]
    return (
        f"Evolution over {ev['families']} families ({a['tasks']} first, {b['tasks']} later "
        f"tasks): success {a['success_rate']:.0%} -> {b['success_rate']:.0%}, steps "
        f"{a['mean_steps']} -> {b['mean_steps']}, model calls {a['mean_model_calls']} -> "
        f"{b['mean_model_calls']}"
    )


def markdown(summary: Summary) -> str:
    """The report in Markdown."""
    out = ["# Benchmark report", "", headline(summary), ""]
    out += ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    out += ["| " + " | ".join(v.replace("|", "/") for v in row) + " |" for row in rows(summary)]
    out += [
        "",
        "## By scenario",
        "",
        "| scenario | tasks | passed | satisfaction |",
        "|---|---|---|---|",
    ]
    for name, row in summary.by_scenario().items():
        out.append(f"| {name} | {row['tasks']} | {row['passed']} | {row['satisfaction']:.2f} |")
    if summary.evolution:
        out += ["", "## Evolution", "", "```json", json.dumps(summary.evolution, indent=2), "```"]
    return "\n".join(out) + "\n"


def write_reports(summary: Summary, directory: Path) -> list[Path]:
    """results.json, report.md and report.html in `directory` (created if needed)."""
    directory.mkdir(parents=True, exist_ok=True)
    files = {
        "results.json": json.dumps(summary.to_dict(), indent=2) + "\n",
        "report.md": markdown(summary),
        "report.html": html_report(summary.to_dict(), headline(summary), rows(summary), COLUMNS),
    }
    written = []
    for name, text in files.items():
        path = directory / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
