"""The tasks file of `batch` and the queues that hand its tasks to devices."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mobile_agent.fleet import BatchTask, TaskFileError, TaskQueue, load_tasks, parse_tasks


def test_plain_text_skips_comments_and_blank_lines() -> None:
    tasks = parse_tasks("# morning\nOpen Notes\n\n   \n  # not this\nCall   Alice \n")
    assert [(t.index, t.task, t.device) for t in tasks] == [
        (0, "Open Notes", None),
        (1, "Call Alice", None),
    ]


def test_json_list_with_pins_and_limits() -> None:
    text = json.dumps(["Open Notes", {"task": "Call Bob", "device": "emu-1", "max_steps": 7}])
    tasks = parse_tasks(text)
    assert tasks == [
        BatchTask(0, "Open Notes"),
        BatchTask(1, "Call Bob", device="emu-1", max_steps=7),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[{"task": "a", "devices": "x"}]', "entry 1: unknown key 'devices'"),
        ('[{"task": 3}]', '"task" must be a string, not int'),
        ('[{"task": "a", "max_steps": 0}]', '"max_steps" must be 1–1000, not 0'),
        ('[{"task": "a", "max_steps": true}]', '"max_steps" must be a whole number'),
        ('["ok", {"task": "a", "device": "two words"}]', 'entry 2: "device" must be'),
        ('["ok", 5]', 'entry 2: expected {"task": …} or a string, not int'),
        ('["  "]', "entry 1: the task is empty"),
        ("[1, 2", "not valid JSON (line 1"),
        ('{"task": "a"}', "a JSON tasks file is a list"),
    ],
)
def test_bad_json_entries_say_where_and_what(text: str, message: str) -> None:
    with pytest.raises(TaskFileError) as caught:
        parse_tasks(text, "t.json")
    assert str(caught.value).startswith("t.json")
    assert message in str(caught.value)


def test_files_that_cannot_be_used(tmp_path: Path) -> None:
    with pytest.raises(TaskFileError, match="cannot read the tasks file"):
        load_tasks(tmp_path / "missing.txt")
    empty = tmp_path / "empty.txt"
    empty.write_text("# only a comment\n", encoding="utf-8")
    with pytest.raises(TaskFileError, match="holds no tasks"):
        load_tasks(empty)
    binary = tmp_path / "bin.txt"
    binary.write_bytes(b"\xff\xfe task")
    with pytest.raises(TaskFileError, match="not UTF-8"):
        load_tasks(binary)


def _tasks(*pins: str | None) -> list[BatchTask]:
    return [BatchTask(i, f"t{i}", device=pin) for i, pin in enumerate(pins)]


def test_own_queue_first_then_the_shared_pool() -> None:
    queue = TaskQueue(_tasks(None, "b", None, "zzz"), ["a", "b"])
    assert [t.index for t in queue.unknown_devices] == [3]
    assert queue.next_for("b").index == 1  # type: ignore[union-attr]
    assert queue.next_for("b").index == 0  # type: ignore[union-attr]
    assert queue.next_for("a").index == 2  # type: ignore[union-attr]
    assert queue.next_for("a") is None
    assert queue.next_for("nobody") is None


def test_a_lost_device_strands_only_its_own_tasks_until_none_is_left() -> None:
    queue = TaskQueue(_tasks("a", None, "a", None), ["a", "b"])
    assert [t.index for t in queue.lose("a")] == [0, 2]
    assert queue.next_for("a") is None  # its queue has stopped
    assert queue.lose("a") == []
    assert queue.pending("b") == 2
    assert [t.index for t in queue.lose("b")] == [1, 3]  # the last device: the pool too
