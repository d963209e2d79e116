"""The details pane of the Library: one tip or shortcut as HTML, with a link to the run it
was learned in (`run:<id>`, which the view turns into its `open_run` signal)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from html import escape

from mobile_agent.memory import ShortcutVersion, StoredShortcut, Tip

RUN_SCHEME = "run"  # links to a run: run:<id>


def run_link(run: str | None, step: int | None) -> str:
    """Where the item came from, as a link to the run ("written by hand" when none)."""
    if not run:
        return "written by hand or imported"
    at = f", step {step}" if step is not None else ""
    return f'<a href="{RUN_SCHEME}:{escape(run)}">run {escape(run)}</a>{at}'


def _rows(fields: Sequence[tuple[str, str]]) -> str:
    cells = "".join(
        f"<tr><th align='left' valign='top'>{escape(k)}</th><td>{v}</td></tr>"
        for k, v in fields
        if v
    )
    return f"<table cellspacing='4'>{cells}</table>"


def _status(status: str, held: str) -> str:
    text = escape(status)
    if held:
        text += f" <span style='color:#b22222'>(held: {escape(held)})</span>"
    return text


def tip_html(tip: Tip, held: str = "") -> str:
    """One tip: its text, scope, status, use and provenance."""
    fields = [
        ("Tip", escape(tip.text)),
        ("App", escape(tip.app or "any app")),
        ("Status", _status(str(tip.status), held)),
        ("Used", f"{tip.uses} times, {tip.successes} in runs that succeeded"),
        ("Learned from", run_link(tip.source_run, tip.source_step)),
        ("Created", escape(tip.created_at)),
        ("Updated", escape(tip.updated_at)),
    ]
    return f"<h3>Tip {tip.id}</h3>{_rows(fields)}"


def shortcut_html(
    shortcut: StoredShortcut, versions: Sequence[ShortcutVersion] = (), held: str = ""
) -> str:
    """One shortcut: what it does, its arguments, guard and steps, and its versions."""
    arguments = "<br>".join(
        f"<b>{escape(p.name)}</b> ({p.type}){': ' + escape(p.description) if p.description else ''}"
        for p in shortcut.params
    )
    used = f"{shortcut.uses} times: {shortcut.successes} worked, {shortcut.failures} failed"
    fields = [
        ("Description", escape(shortcut.description)),
        ("Arguments", arguments or "none"),
        ("Precondition", escape(shortcut.precondition)),
        ("Guard", escape(shortcut.guard.describe()) if shortcut.guard else ""),
        ("Status", _status(str(shortcut.status), held)),
        ("Version", str(shortcut.version)),
        ("Used", used),
        ("Learned from", run_link(shortcut.source_run, shortcut.source_step)),
    ]
    steps = "".join(
        f"<li><code>{escape(s.action)} {escape(json.dumps(s.args, ensure_ascii=False))}</code></li>"
        for s in shortcut.steps
    )
    history = "".join(
        f"<li>v{v.version} — {escape(v.created_at)}{' — ' + escape(v.note) if v.note else ''}</li>"
        for v in reversed(versions)
    )
    parts = [f"<h3>{escape(shortcut.name)}</h3>", _rows(fields), f"<h4>Steps</h4><ol>{steps}</ol>"]
    if history:
        parts.append(f"<h4>Versions</h4><ul>{history}</ul>")
    return "".join(parts)
