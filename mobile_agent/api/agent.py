"""The agent from Python: carry out a task on a phone and get its result, or its events.

    from mobile_agent import Agent

    agent = Agent(device="virtual", model="openai:gpt-4o")
    result = agent.run("Create a note titled Groceries")      # blocks; a RunResult
    for event in agent.stream("Add milk to the note"):        # the run on a worker thread
        print(event.kind, event.step)

`stop()`, `pause()` and `resume()` work from any thread while a run is in flight; a stopped
run ends `cancelled`. Each run gets the same safety gate as `mobile-agent run`: its
consequential actions are put to `approve`, and held (the run ends `blocked`) without it.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import ExitStack
from typing import TYPE_CHECKING, Any

from mobile_agent.api._policy import policy_for
from mobile_agent.api.device import Approve, Device
from mobile_agent.events import Event, FinalState, Listener, RunFinished, RunResult
from mobile_agent.safety import Decision, SafetyGate

if TYPE_CHECKING:
    from mobile_agent.actions import AskUser
    from mobile_agent.cli.memory_session import MemorySession
    from mobile_agent.config import Settings
    from mobile_agent.device.base import Device as DeviceProtocol
    from mobile_agent.llm.base import ChatModel
    from mobile_agent.runner import Runner

log = logging.getLogger(__name__)


class AgentBusy(RuntimeError):
    """The agent is already carrying out a task (one run at a time per agent)."""


class Agent:
    """Carries out tasks on one phone with the Manager / Operator / Reflector / Notetaker
    agents (see the module's docstring).

    `device`: a `Device` (or a device of `mobile_agent.device`), a serial, "virtual" (the
    built-in virtual phone), or None (the `device` setting, else the only attached phone); a
    device the agent opens is closed by `close()`. `model`: a `ChatModel`, a
    "provider:model" string, a mapping of role to model, or None (the configured models).
    `settings`: a `Settings`, a mapping of settings to change (the rest as configured), or
    None (as configured). `on_event` receives every event of every run, on the run's
    thread. `approve` is asked about each consequential action; `ask_user` answers the
    agents' questions. With `memory`, runs are stored in the memory database, given its tips
    and shortcuts, and learned from.
    """

    def __init__(
        self,
        device: Device | DeviceProtocol | str | None = None,
        model: ChatModel | str | Mapping[str, ChatModel] | None = None,
        settings: Settings | Mapping[str, Any] | None = None,
        *,
        on_event: Listener | None = None,
        approve: Approve | None = None,
        ask_user: AskUser | None = None,
        memory: bool = False,
    ) -> None:
        self.settings = _settings(settings)
        self.models = _models(model, self.settings)
        self.approve = approve
        self.ask_user = ask_user
        self.memory = memory
        self.result: RunResult | None = None  # the last run's
        self.decisions: list[Decision] = []  # what the safety gate decided in the last run
        self._choice = device
        self._device = _given_device(device, self.settings)
        self._owned: Device | None = None  # a device this agent opened (and closes)
        self._listeners: list[Listener] = [on_event] if on_event is not None else []
        self._busy = threading.Lock()
        self._control = threading.Lock()  # a control and the end of a run, one at a time
        from mobile_agent.runner.control import RunHandle

        self._handle = RunHandle()

    # -- events ----------------------------------------------------------------------------
    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Receive every event of the runs to come; returns a function that unsubscribes."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    # -- runs ------------------------------------------------------------------------------
    def run(self, task: str) -> RunResult:
        """Carry out `task` and return its result, whatever the final state. Raises
        `AgentBusy` while another run is in flight, the `DeviceError`s of opening the phone
        (`DeviceBusy` when another run holds it), and `ValueError` for an empty task."""
        self._claim(task)
        return self._carry_out(task, ())

    def stream(self, task: str) -> Iterator[Event]:
        """Carry out `task` on a worker thread, yielding its events as they happen;
        `RunFinished` (with the result as its `summary`) is the last. Leaving the loop early
        stops the run. Errors that prevent the run are raised here."""
        self._claim(task)
        events: queue.Queue[Event | BaseException] = queue.Queue()

        def work() -> None:
            try:
                self._carry_out(task, (events.put,))
            except BaseException as exc:
                events.put(exc)

        worker = threading.Thread(target=work, name="agent-run", daemon=True)
        worker.start()
        try:
            while True:
                item = events.get()
                if isinstance(item, BaseException):
                    raise item
                yield item
                if isinstance(item, RunFinished):
                    return
        finally:
            self.stop()  # left early: the run ends (a run already over is not affected)
            worker.join()

    def _claim(self, task: str) -> None:
        """Take the agent for one run (released by `_carry_out`)."""
        if not task or not task.strip():
            raise ValueError('the task is empty: say what to do, e.g. "Create a note titled …"')
        if not self._busy.acquire(blocking=False):
            raise AgentBusy("this agent is already carrying out a task")

    def _carry_out(self, task: str, extra: Sequence[Listener]) -> RunResult:
        try:
            device = self._open()
            with ExitStack() as stack:
                lock_device(stack, device.serial)
                memory = stack.enter_context(self._memory(task))
                gate = SafetyGate(policy_for(self.settings, task), confirm=self.approve)
                self.decisions = gate.decisions
                runner = self._runner_for(device, gate, [self._dispatch, *extra], memory)
                memory.attach(runner)
                self._handle.hand_over(runner)
                result = runner.run(task)
                cancelled = result.state is FinalState.CANCELLED
                memory.learn(self.models["reflector"], interrupted=cancelled)
        finally:
            with self._control:  # a stop after this is for no run
                self._handle.release()
                self._busy.release()
        self.result = result
        return result

    # -- control, from any thread ------------------------------------------------------------
    def stop(self) -> None:
        """End the run in flight at its next checkpoint (cancelling a model call in flight);
        it ends `cancelled`."""
        with self._control:
            if self._busy.locked():  # else nothing is in flight
                self._handle.stop()

    def pause(self) -> None:
        """Hold the run in flight at its next checkpoint."""
        with self._control:
            if self._busy.locked():
                self._handle.pause()

    def resume(self) -> None:
        """Let a paused run go on."""
        with self._control:
            self._handle.resume()

    @property
    def running(self) -> bool:
        """Whether a run is in flight."""
        return self._busy.locked()

    # -- the phone -----------------------------------------------------------------------------
    @property
    def device(self) -> Device:
        """The phone the agent drives (opened now, if it is not yet)."""
        return self._open()

    def close(self) -> None:
        """Close the phone if this agent opened it (a `Device` given to it stays open)."""
        owned, self._owned = self._owned, None
        if owned is not None:
            self._device = None
            owned.close()

    def __enter__(self) -> Agent:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- helpers ---------------------------------------------------------------------------------
    def _open(self) -> Device:
        if self._device is None:
            choice = self._choice if isinstance(self._choice, str) else None
            self._device = self._owned = Device.connect(choice, settings=self.settings)
        return self._device

    def _runner_for(
        self, device: Device, gate: SafetyGate, listeners: list[Listener], memory: MemorySession
    ) -> Runner:
        from mobile_agent.perception import get_ocr_engine
        from mobile_agent.runner import Runner

        settings = self.settings
        return Runner(
            device.raw,
            self.models,
            settings=settings,
            gate=gate,
            ask_user=self.ask_user,
            listeners=listeners,
            ocr=get_ocr_engine(settings.ocr) if settings.ocr_policy != "never" else None,
            **memory.runner_options(),
        )

    def _memory(self, task: str) -> MemorySession:
        from mobile_agent.cli.memory_session import MemorySession

        if not self.memory:
            return MemorySession(None, task)
        from mobile_agent.memory import Store, make_retriever, memory_settings

        store = Store.open(self.settings.memory_db or None, settings=memory_settings(self.settings))
        try:
            retriever = make_retriever(store, self.settings, model=self.models["manager"])
            return MemorySession(store, task, retriever=retriever)
        except BaseException:
            store.close()
            raise

    def _dispatch(self, event: Event) -> None:
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:
                log.exception("an event listener failed on %s", event.kind)


def _given_device(given: Any, settings: Settings) -> Device | None:
    """The `Device` given (a device of `mobile_agent.device` is wrapped), or None when the
    phone is named by a serial, "virtual" or nothing (opened on first use)."""
    from mobile_agent.device.base import Device as DeviceProtocol

    if given is None or isinstance(given, str | Device):
        return given if isinstance(given, Device) else None
    if isinstance(given, DeviceProtocol):
        return Device(given, settings=settings)
    raise TypeError(f"device must be a Device, a serial or 'virtual', not {type(given).__name__}")


def _settings(given: Settings | Mapping[str, Any] | None) -> Settings:
    from mobile_agent.config import Settings, load_settings

    if isinstance(given, Settings):
        return given
    return load_settings(dict(given) if given else None)


def _models(
    given: ChatModel | str | Mapping[str, ChatModel] | None, settings: Settings
) -> dict[str, ChatModel]:
    from mobile_agent.llm.factory import models_for_roles
    from mobile_agent.runner.calls import models_by_role

    if given is None or isinstance(given, str):
        return models_for_roles(settings, model=given or None)
    return models_by_role(given)


def lock_device(stack: ExitStack, serial: str) -> None:
    """Hold `serial`'s device lock until `stack` closes (`DeviceBusy` if a run has it)."""
    from mobile_agent.config import data_dir
    from mobile_agent.device import DeviceLock

    lock = DeviceLock(serial, data_dir("locks"))
    lock.acquire(wait=False)
    stack.callback(lock.release)


__all__ = ["Agent", "AgentBusy"]
