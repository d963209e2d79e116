"""The tasks file of `mobile-agent batch`: plain text or a JSON list, checked line by line.

Plain text: one task per line; blank lines and lines starting with ``#`` are skipped.
JSON: a list of ``{"task": "…", "device"?: "SERIAL", "max_steps"?: N}`` objects (a bare
string is a task too). Anything else is a `TaskFileError` that says where and what is wrong.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mobile_agent.errors import ConfigError

_KEYS = frozenset({"task", "device", "max_steps"})
MAX_STEPS_LIMIT = 1000


class TaskFileError(ConfigError):
    """The tasks file cannot be read, or an entry in it is not a task."""


@dataclass(frozen=True, slots=True)
class BatchTask:
    """One task of a batch: its position in the file, its text, and optional pins."""

    index: int
    task: str
    device: str | None = None
    max_steps: int | None = None


def load_tasks(path: Path) -> list[BatchTask]:
    """The tasks in `path`, in file order; `TaskFileError` when there are none or one is bad."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise TaskFileError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise TaskFileError(f"cannot read the tasks file {path}: {exc.strerror or exc}") from None
    tasks = parse_tasks(text, str(path))
    if not tasks:
        raise TaskFileError(f"{path} holds no tasks (one per line, or a JSON list)")
    return tasks


def parse_tasks(text: str, source: str = "tasks") -> list[BatchTask]:
    """Tasks from the text of a tasks file (JSON when it starts with ``[`` or ``{``)."""
    if text.lstrip().startswith(("[", "{")):
        return _from_json(text, source)
    kept = [
        (number, line.strip())
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    return [
        BatchTask(index=i, task=_checked_text(line, f"{source}:{number}"))
        for i, (number, line) in enumerate(kept)
    ]


def _from_json(text: str, source: str) -> list[BatchTask]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TaskFileError(f"{source}: not valid JSON (line {exc.lineno}: {exc.msg})") from None
    if not isinstance(data, list):
        raise TaskFileError(f"{source}: a JSON tasks file is a list of tasks")
    return [_entry(item, i, f"{source}: entry {i + 1}") for i, item in enumerate(data)]


def _entry(item: Any, index: int, where: str) -> BatchTask:
    if isinstance(item, str):
        return BatchTask(index=index, task=_checked_text(item, where))
    if not isinstance(item, dict):
        raise TaskFileError(f'{where}: expected {{"task": …}} or a string, not {_kind(item)}')
    unknown = sorted(set(item) - _KEYS)
    if unknown:
        raise TaskFileError(
            f"{where}: unknown key {', '.join(map(repr, unknown))} "
            f"(keys: {', '.join(sorted(_KEYS))})"
        )
    if not isinstance(item.get("task"), str):
        raise TaskFileError(f'{where}: "task" must be a string, not {_kind(item.get("task"))}')
    return BatchTask(
        index=index,
        task=_checked_text(item["task"], where),
        device=_device(item.get("device"), where),
        max_steps=_max_steps(item.get("max_steps"), where),
    )


def _checked_text(task: str, where: str) -> str:
    task = " ".join(task.split())
    if not task:
        raise TaskFileError(f"{where}: the task is empty")
    return task


def _device(value: Any, where: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip() or any(c.isspace() for c in value):
        raise TaskFileError(f'{where}: "device" must be a device serial, not {value!r}')
    return value


def _max_steps(value: Any, where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TaskFileError(f'{where}: "max_steps" must be a whole number, not {value!r}')
    if not 1 <= value <= MAX_STEPS_LIMIT:
        raise TaskFileError(f'{where}: "max_steps" must be 1–{MAX_STEPS_LIMIT}, not {value}')
    return value


def _kind(value: Any) -> str:
    return "null" if value is None else type(value).__name__
