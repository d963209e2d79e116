"""What `run` and `demo` need from the memory store for one task.

    memory = stack.enter_context(open_memory(args, settings, task, out))
    runner = make_runner(device, models, settings, out, **memory.runner_options())
    memory.attach(runner)                                  # the run is stored step by step
    outcome = run_with_interrupt(runner, task, settings.stop_grace_s)
    memory.learn(models["reflector"], interrupted=outcome.interrupted)   # prints one line
    report(..., extra={**memory.report_fields()})

The store is `--db PATH` (else the `memory_db` setting, else memory.db in the data
directory); `--no-memory` turns all of it off: nothing is retrieved, stored or learned, and
no database is opened. A database that cannot be used stops the command before the run,
with the reason and the way around it.
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mobile_agent.config import Settings
    from mobile_agent.llm.base import ChatModel
    from mobile_agent.memory import Learned, Retrieved, Retriever, RunRecorder, Store
    from mobile_agent.runner import Runner

log = logging.getLogger(__name__)

REVIEW = "see `mobile-agent tips list` and `mobile-agent shortcuts list`"


def add_memory_options(parser: argparse.ArgumentParser) -> None:
    """`--db PATH` and `--no-memory`."""
    parser.add_argument(
        "--db",
        type=Path,
        metavar="PATH",
        help="the memory database (default: memory.db in the data directory)",
    )
    parser.add_argument(
        "--no-memory",
        action="store_true",
        help="run without memory: no learned tips or shortcuts, nothing stored or learned",
    )


def open_memory(
    args: argparse.Namespace,
    settings: Settings,
    task: str,
    out: IO[str] | None = None,
    *,
    model: ChatModel | None = None,
) -> MemorySession:
    """The memory of one task as the options say (`--db`, `--no-memory`); a database that
    cannot be used raises its `StoreError`, naming `--no-memory` as the way around it."""
    from mobile_agent.errors import ConfigError, StoreError
    from mobile_agent.memory import Store, make_retriever, memory_settings

    if getattr(args, "no_memory", False):
        return MemorySession(None, task, out=out)
    try:
        store = Store.open(getattr(args, "db", None), settings=memory_settings(settings))
    except StoreError as exc:
        raise type(exc)(f"{exc} (add --no-memory to run without the memory store)") from None
    try:  # the `memory_retrieval` setting: full-text search, embeddings, or the model's choice
        retriever = make_retriever(store, settings, model=model)
    except ConfigError:
        store.close()
        raise
    return MemorySession(store, task, out=out, retriever=retriever)


class MemorySession:
    """Retrieval for the task, the recorder of its run, and learning after it.

    With `store` None, memory is off and every method does nothing. `data_dir` is where the
    run's screenshots and dumps go (default: the data directory); `out` gets one line when
    memory gives the task something and one after learning.
    """

    def __init__(
        self,
        store: Store | None,
        task: str,
        *,
        data_dir: Path | None = None,
        out: IO[str] | None = None,
        retriever: Retriever | None = None,
    ) -> None:
        from mobile_agent.memory import FtsRetriever, Retrieved

        self.store = store
        self.data_dir = data_dir
        self.out = out
        self.retrieved: Retrieved = Retrieved()
        if store is not None:
            self.retrieved = (retriever or FtsRetriever(store)).retrieve(task)
        self.recorder: RunRecorder | None = None
        self.learned: Learned | None = None
        if self.retrieved.tips or self.retrieved.shortcuts:
            self._say(f"Memory: {_given(self.retrieved)} from earlier runs.")

    @property
    def enabled(self) -> bool:
        """Whether memory is on."""
        return self.store is not None

    def __enter__(self) -> MemorySession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the store."""
        if self.store is not None:
            self.store.close()

    def runner_options(self) -> dict[str, Any]:
        """`tips=` and `shortcuts=` for the `Runner` (none when memory is off)."""
        if not self.enabled:
            return {}
        found = self.retrieved
        return {"tips": found.tips_text(), "shortcuts": found.runner_shortcuts()}

    def attach(self, runner: Runner) -> None:
        """Store `runner`'s run step by step (a `RunRecorder` listening to its events)."""
        if self.store is None:
            return
        from mobile_agent.config import home_dir
        from mobile_agent.memory import RunRecorder

        data_dir = self.data_dir or home_dir()
        self.recorder = RunRecorder(self.store, data_dir, retrieved=self.retrieved)
        runner.add_listener(self.recorder)

    def learn(
        self, model: ChatModel, *, interrupted: bool = False, cancel: Any = None
    ) -> Learned | None:
        """Learn from the recorded run with `model` (the reflector's) and say in one line
        what was learned. Nothing after a stopped run; learning that fails is reported, not
        raised (the run itself is over and stored)."""
        from mobile_agent.errors import Cancelled, MobileAgentError
        from mobile_agent.memory import learn_from_run

        if self.store is None or self.recorder is None or not self.recorder.run_id:
            return None
        run_id, trouble = self.recorder.run_id, self._trouble()
        if interrupted:
            self._say(f"Memory: run {run_id} stored{trouble}; nothing learned from a stopped run.")
            return None
        try:
            self.learned = learn_from_run(self.store, run_id, model, cancel=cancel)
        except Cancelled:
            self._say(f"Memory: run {run_id} stored{trouble}; learning was stopped.")
            return None
        except MobileAgentError as exc:
            log.warning("learning from run %s failed", run_id, exc_info=True)
            self._say(f"Memory: run {run_id} stored{trouble}; learning failed: {exc}")
            return None
        learned = self.learned
        review = f" ({REVIEW})" if learned.tips or learned.shortcuts else ""
        self._say(f"Memory: run {run_id} stored{trouble}; {learned.line()}{review}.")
        return learned

    def report_fields(self) -> dict[str, Any]:
        """What the JSON summary says of memory (nothing when it is off)."""
        if self.store is None:
            return {}
        found = self.retrieved
        return {
            "memory": {
                "db": self.store.where,
                "run_id": self.recorder.run_id if self.recorder else None,
                "tips_given": list(found.tip_ids),
                "shortcuts_given": list(found.shortcut_names),
                "learned": self.learned.to_json() if self.learned else None,
            }
        }

    def _trouble(self) -> str:
        errors = self.recorder.errors if self.recorder else 0
        return f" ({errors} events could not be stored; see the log)" if errors else ""

    def _say(self, line: str) -> None:
        if self.out is not None:
            print(line, file=self.out, flush=True)


def _given(found: Retrieved) -> str:
    parts = []
    if found.tips:
        parts.append(f"{len(found.tips)} tip{'s' if len(found.tips) != 1 else ''}")
    if found.shortcuts:
        names = ", ".join(found.shortcut_names)
        count = len(found.shortcuts)
        parts.append(f"{count} shortcut{'s' if count != 1 else ''} ({names})")
    return " and ".join(parts)
