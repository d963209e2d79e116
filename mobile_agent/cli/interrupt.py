"""Ctrl-C during a run: the one interrupt path of every command that drives an agent run.

The run goes on a worker thread; the main thread waits on an `Event` the worker sets when
it is done. (Not on `Thread.join`: on Python 3.11 and 3.12 an interrupted `join(timeout)`
marks the thread as finished, so the next `join()` returns at once.) The first Ctrl-C asks
the runner to stop and waits, at most `STOP_GRACE_S`, for the step in flight; the caller
then prints the summary (state `cancelled`) and exits with `EXIT_INTERRUPTED`. A second
Ctrl-C ends the process at once.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    from mobile_agent.events import RunResult
    from mobile_agent.runner import Runner

STOP_GRACE_S = 10.0
EXIT_INTERRUPTED = 130  # 128 + SIGINT, what shells report for Ctrl-C
_POLL_S = 0.25


@dataclass(frozen=True)
class RunOutcome:
    """A finished run and whether the user interrupted it."""

    result: RunResult
    interrupted: bool = False
    abandoned: bool = False  # the step in flight was still running when we gave up on it


def run_with_interrupt(runner: Runner, task: str, grace_s: float = STOP_GRACE_S) -> RunOutcome:
    """Run `task` on a worker thread; Ctrl-C stops the run cleanly (a second one quits)."""
    box: dict[str, Any] = {}
    done = threading.Event()

    def work() -> None:
        try:
            box["result"] = runner.run(task)
        except BaseException as exc:  # re-raised on the main thread below
            box["error"] = exc
        finally:
            done.set()

    started = time.monotonic()
    threading.Thread(target=work, name="run", daemon=True).start()
    try:
        while not done.wait(_POLL_S):
            pass
        return RunOutcome(_result(box))
    except KeyboardInterrupt:
        try:
            _say("\nStopping after the step in flight… (Ctrl-C again to quit at once)")
            runner.stop()
            finished = done.wait(grace_s)
        except KeyboardInterrupt:
            _quit_now()
    if finished:
        return RunOutcome(_result(box), interrupted=True)
    _say(f"The step in flight did not end within {grace_s:g} s; leaving it.")
    return RunOutcome(_abandoned(started, grace_s), interrupted=True, abandoned=True)


def exit_code(outcome: RunOutcome, ok: bool) -> int:
    """130 after Ctrl-C, else 0 when `ok`, else 1.

    After giving up on a step in flight the process ends right here: at exit Python would
    otherwise wait for the threads still stuck in that step.
    """
    if outcome.abandoned:
        _flush()
        os._exit(EXIT_INTERRUPTED)
    return EXIT_INTERRUPTED if outcome.interrupted else 0 if ok else 1


def _result(box: dict[str, Any]) -> RunResult:
    if "error" in box:
        raise box["error"]
    result: RunResult = box["result"]
    return result


def _abandoned(started: float, grace_s: float) -> RunResult:
    from mobile_agent.events import FinalState, RunResult

    return RunResult(
        state=FinalState.CANCELLED,
        reason=f"stopped by the user (the step in flight did not end within {grace_s:g} s)",
        elapsed_s=time.monotonic() - started,
    )


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _flush() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass


def _quit_now() -> NoReturn:
    """The second Ctrl-C: end the process without waiting for anything."""
    _say("Quit without waiting for the step in flight.")
    _flush()
    os._exit(EXIT_INTERRUPTED)
