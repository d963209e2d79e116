"""Records small steps of runs until they are killed: the subject of the durability test.

    python record_steps.py DB DATA_DIR       then, on stdin:  run RUN_ID | wait PID

For each `run`, a forked child feeds `RunRecorder` the events of a run, step after step
(two screens, two model calls, one action each), and writes ``RUN_ID committed N`` once
step N's `StepFinished` has been handled — the steps the store has promised to keep.
Forking from one process that has already imported everything keeps each trial cheap.
(This module holds no tests.)
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from mobile_agent.events import (
    ActionChosen,
    ActionExecuted,
    ModelCalled,
    Reflected,
    RunStarted,
    ScreenPerceived,
    StepFinished,
    StepStarted,
)
from mobile_agent.llm.base import Usage
from mobile_agent.memory import RunRecorder, Store
from mobile_agent.perception.elements import BoundingBox, UIElement

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8
ELEMENTS = tuple(
    UIElement(n, BoundingBox(0, n * 100, 1080, n * 100 + 90), text=f"Item {n}") for n in range(1, 4)
)


def step_events(run_id: str, n: int) -> list[object]:
    """The events of one small step."""
    action = {"name": "tap", "args": {"label": "Item 1"}}
    usage = Usage(120, 30, 0.0001)
    return [
        StepStarted(run_id=run_id, step=n),
        ScreenPerceived(
            run_id=run_id,
            step=n,
            phase="before",
            package="com.example.notes",
            png=PNG,
            elements=ELEMENTS,
            hierarchy_xml="<hierarchy/>",
        ),
        ModelCalled(
            run_id=run_id,
            step=n,
            agent="operator",
            model="scripted",
            usage=usage,
            latency_s=0.01,
            prompt=f"Role: operator step {n}",
            reply='{"action": 1}',
        ),
        ActionChosen(run_id=run_id, step=n, action=action, description="tap Item 1"),
        ActionExecuted(run_id=run_id, step=n, action=action, ok=True, summary="tapped"),
        ScreenPerceived(
            run_id=run_id,
            step=n,
            phase="after",
            package="com.example.notes",
            png=PNG,
            elements=ELEMENTS,
            hierarchy_xml="<hierarchy/>",
        ),
        ModelCalled(
            run_id=run_id,
            step=n,
            agent="reflector",
            model="scripted",
            usage=usage,
            latency_s=0.01,
            prompt="Role: reflector",
            reply='{"outcome": "success"}',
        ),
        Reflected(run_id=run_id, step=n, outcome="success"),
        StepFinished(
            run_id=run_id,
            step=n,
            action=action,
            description="tap Item 1",
            outcome="success",
            ok=True,
            timings_ms={"total_ms": 1.0},
        ),
    ]


def record(db: str, data_dir: str, run_id: str) -> None:
    """Record steps of run `run_id` until killed, saying after each one that it is stored."""
    store = Store.open(Path(db))
    recorder = RunRecorder(store, Path(data_dir))
    recorder(RunStarted(run_id=run_id, task="durability", device="none"))
    for n in range(1, 100_000):
        for event in step_events(run_id, n):
            recorder(event)  # type: ignore[arg-type]
        if recorder.errors:
            _say(f"{run_id} failed at step {n}")
            os._exit(1)
        _say(f"{run_id} committed {n}")


def main(db: str, data_dir: str) -> None:
    """Fork one recording child per run id read from stdin (imports are done once, here);
    `wait PID` waits for a killed child, so everything it wrote has been read before
    `reaped PID`."""
    for line in sys.stdin:
        command, _, arg = line.strip().partition(" ")
        if command == "run":
            pid = os.fork()
            if pid == 0:
                record(db, data_dir, arg)
                os._exit(0)
            _say(f"forked {arg} {pid}")
        elif command == "wait":
            os.waitpid(int(arg), 0)
            _say(f"reaped {arg}")


def _say(line: str) -> None:
    os.write(1, (line + "\n").encode())


if __name__ == "__main__":
    main(*sys.argv[1:3])
