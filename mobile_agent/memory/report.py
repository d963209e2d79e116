"""A run as one self-contained HTML page: each step's screenshot with its action drawn on it,
the elements, every model prompt and reply, the verdicts and the usage.

Images are embedded as data URLs, so the page is one file that can be mailed or attached to
a bug report. All text from the run is escaped.
"""

from __future__ import annotations

import base64
import io
import json
from collections import defaultdict
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mobile_agent.memory.drawing import draw_action

if TYPE_CHECKING:
    from mobile_agent.memory.store import Store

SHOT_WIDTH = 360  # pixels of each embedded screenshot

_STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222}
h1{font-size:1.4em}h2{font-size:1.1em;margin:0}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:2px 6px;text-align:left;
vertical-align:top}
.step{display:flex;gap:1.5em;border-top:1px solid #ccc;padding:1em 0}
.shots img{width:180px;border:1px solid #bbb;margin:2px}.shots img.main{width:360px}
.ok{color:#17702a}.bad{color:#b00020}pre{white-space:pre-wrap;background:#f6f6f6;padding:6px;
max-height:30em;overflow:auto}summary{cursor:pointer}
"""


def run_html(store: Store, run_id: str) -> str:
    """The HTML page of the run `run_id` (a unique prefix is enough)."""
    run = store.runs.get(run_id)
    screens = _by_step(store.runs.screens(run["id"]))
    calls = _by_step(store.runs.calls(run["id"]))
    steps = store.runs.steps(run["id"])
    base = Path(run["dir"]) if run["dir"] else None
    body = [_header(run)]
    body += [_step(s, screens[s["number"]], calls[s["number"]], base) for s in steps]
    title = escape(f"Run {run['id']}: {run['task'][:80]}")
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title>"
        f"<style>{_STYLE}</style></head><body>{''.join(body)}</body></html>\n"
    )


def _by_step(rows: list[dict[str, Any]]) -> defaultdict[int, list[dict[str, Any]]]:
    grouped: defaultdict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[row["step"]].append(row)
    return grouped


def _header(run: dict[str, Any]) -> str:
    facts = {
        "run": run["id"],
        "state": run["state"],
        "reason": run["reason"],
        "answer": run["answer"],
        "device": run["device"],
        "models": ", ".join(f"{k}: {v}" for k, v in run["models"].items()),
        "started": run["started_at"],
        "finished": run["finished_at"] or "—",
        "steps": run["steps"],
        "model calls": run["model_calls"],
        "tokens in / out": f"{run['input_tokens']} / {run['output_tokens']}",
        "cost": f"${run['cost_usd']:.4f}",
        "tips given": ", ".join(map(str, run["tips"])) or "—",
        "shortcuts given": ", ".join(run["shortcuts"]) or "—",
    }
    plan = "".join(f"<li>{escape(p)}</li>" for p in run["plan"])
    return (
        f"<h1>{escape(run['task'])}</h1>{_table(facts)}"
        + (f"<h2>Plan</h2><ol>{plan}</ol>" if plan else "")
        + (f"<h2>Notes</h2><pre>{escape(run['notes'])}</pre>" if run["notes"] else "")
    )


def _step(
    step: dict[str, Any],
    screens: list[dict[str, Any]],
    calls: list[dict[str, Any]],
    base: Path | None,
) -> str:
    verdict = "ok" if step["ok"] else "bad"
    facts = {
        "action": json.dumps(step["action"], ensure_ascii=False) if step["action"] else "—",
        "description": step["description"],
        "thought": step["thought"],
        "result": step["summary"] or step["error"],
        "verdict": f"{step['verdict']} {step['feedback']}".strip(),
        "ended in phase": step["phase"],
        "reason": step["reason"],
        "subgoal": step["subgoal"],
        "notes": step["notes"] or "",
        "usage": f"{step['model_calls']} calls, {step['input_tokens']} / "
        f"{step['output_tokens']} tokens, ${step['cost_usd']:.4f}",
        "timings (ms)": ", ".join(f"{k} {v:.0f}" for k, v in step["timings"].items()),
    }
    text = (
        f"<h2>Step {step['number']} — <span class='{verdict}'>{escape(step['outcome'])}</span>"
        f"</h2>{_table({k: v for k, v in facts.items() if v})}"
        + _elements(screens)
        + "".join(_call(c) for c in calls)
    )
    shots = _shots(step, screens, base)
    return f"<div class='step'><div class='shots'>{shots}</div><div>{text}</div></div>"


def _shots(step: dict[str, Any], screens: list[dict[str, Any]], base: Path | None) -> str:
    parts = []
    for index, screen in enumerate(screens):
        first = index == 0 and screen["phase"] == "before"
        png = _read(base, screen["screenshot"])
        if png is None:
            parts.append(f"<p>({escape(screen['phase'])}: no screenshot)</p>")
            continue
        if first and step["action"]:
            png = draw_action(png, step["action"], screen["elements"])
        label = escape(f"{screen['phase']} — {screen['package']}")
        width = SHOT_WIDTH if first else SHOT_WIDTH // 2
        src = _data_url(png, width)
        css = " class='main'" if first else ""
        parts.append(f"<figure><img{css} src='{src}' alt='{label}' title='{label}'></figure>")
    return "".join(parts) or "<p>(no screens)</p>"


def _elements(screens: list[dict[str, Any]]) -> str:
    if not screens or not screens[0]["elements"]:
        return ""
    rows = "".join(
        f"<tr><td>{el.get('id', '')}</td><td>{escape(str(el.get('text', '')))}</td>"
        f"<td>{escape(str(el.get('description', '')))}</td>"
        f"<td>{escape(str(el.get('resource_id', '')))}</td>"
        f"<td>{escape(str(el.get('bounds', '')))}</td></tr>"
        for el in screens[0]["elements"]
    )
    head = "<tr><th>#</th><th>text</th><th>description</th><th>resource id</th><th>bounds</th></tr>"
    count = len(screens[0]["elements"])
    return f"<details><summary>{count} elements</summary><table>{head}{rows}</table></details>"


def _call(call: dict[str, Any]) -> str:
    status = "" if call["ok"] else " (failed)"
    title = escape(
        f"{call['agent']} · {call['model']} · {call['latency_s']:.2f} s · "
        f"{call['input_tokens']}/{call['output_tokens']} tokens{status}"
    )
    return (
        f"<details><summary>{title}</summary><h3>Prompt</h3><pre>{escape(call['prompt'])}</pre>"
        f"<h3>Reply</h3><pre>{escape(call['reply'])}</pre></details>"
    )


def _table(facts: dict[str, Any]) -> str:
    rows = "".join(
        f"<tr><th>{escape(k)}</th><td>{escape(str(v))}</td></tr>" for k, v in facts.items()
    )
    return f"<table>{rows}</table>"


def _read(base: Path | None, name: str) -> bytes | None:
    if base is None or not name:
        return None
    try:
        return (base / name).read_bytes()
    except OSError:
        return None


def _data_url(png: bytes, width: int) -> str:
    from PIL import Image

    with Image.open(io.BytesIO(png)) as img:
        small = img.convert("RGB")
        if small.width > width:
            small = small.resize((width, max(1, small.height * width // small.width)))
        out = io.BytesIO()
        small.save(out, format="JPEG", quality=80)
    return "data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode("ascii")
