"""One agent run as a `Workers` job: everything that touches the device, the models or the
store happens here, on the device's worker thread.

    run = RunJob(services, task, serial, listeners=[bridge, frames])
    run.confirm = GuiConfirm(window, run.cancel)        # `cancel` is set by `stop()`
    job = services.workers.submit(serial, "run", run)
    run.pause(); run.resume(); run.stop()       # from the GUI thread, at any time

The run is stored in the memory store and learned from, as `mobile-agent run` does; the
store is opened on the worker thread (a connection is one thread's).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from typing import TYPE_CHECKING, Any

from mobile_agent.events import FinalState, Listener, RunResult

if TYPE_CHECKING:
    from mobile_agent.actions import AskUser
    from mobile_agent.config import Settings
    from mobile_agent.gui.services import Services
    from mobile_agent.gui.workers import Job
    from mobile_agent.llm.base import ChatModel
    from mobile_agent.runner import Runner
    from mobile_agent.safety import Confirm

log = logging.getLogger(__name__)


class RunJob:
    """A run of `task` on the device `serial`; call it with its `Job` on the worker."""

    def __init__(
        self,
        services: Services,
        task: str,
        serial: str,
        *,
        models: ChatModel | Mapping[str, ChatModel] | None = None,
        listeners: Sequence[Listener] = (),
        confirm: Confirm | None = None,
        ask_user: AskUser | None = None,
    ) -> None:
        self.services = services
        self.task = task
        self.serial = serial
        self.settings: Settings = services.settings
        self.models = models
        self.listeners = list(listeners)
        self.confirm = confirm
        self.ask_user = ask_user
        self.server: Any = None  # the virtual phone's server, when the run is on it
        self.result: RunResult | None = None
        self.cancel = threading.Event()  # set by `stop()`: a question in flight gives up
        from mobile_agent.runner.control import RunHandle

        self._handle = RunHandle()

    # -- control, from any thread ----------------------------------------------------------
    def stop(self) -> None:
        """End the run at its next checkpoint (at once, if it has not started yet)."""
        self.cancel.set()
        self._handle.stop()

    def pause(self) -> None:
        """Hold the run at its next checkpoint."""
        self._handle.pause()

    def resume(self) -> None:
        """Let a paused run go on."""
        self._handle.resume()

    @property
    def paused(self) -> bool:
        return self._handle.paused

    # -- the work, on the device's worker ------------------------------------------------------
    def __call__(self, job: Job) -> RunResult:
        job.on_cancel(self.stop)
        with ExitStack() as stack:
            if job.cancelled:
                raise_cancelled()
            models = self._models()
            stack.enter_context(self.services.devices.hold(self.serial))
            device, self.server = self.services.devices.open(self.serial)
            stack.callback(device.close)
            memory = stack.enter_context(self._memory(models))
            runner = self._runner_for(device, models, memory.runner_options())
            memory.attach(runner)
            self._handle.hand_over(runner)
            self.result = result = runner.run(self.task)
            interrupted = result.state is FinalState.CANCELLED or job.cancelled
            memory.learn(models["reflector"], interrupted=interrupted, cancel=job.cancel)
        return result

    def _models(self) -> dict[str, ChatModel]:
        from mobile_agent.runner.calls import models_by_role

        if self.models is not None:
            return models_by_role(self.models)
        from mobile_agent.llm.factory import models_for_roles

        return models_for_roles(self.settings)

    def _memory(self, models: Mapping[str, ChatModel]) -> Any:
        from mobile_agent.cli.memory_session import MemorySession
        from mobile_agent.memory import make_retriever

        store = self.services.open_store()
        try:
            retriever = make_retriever(store, self.settings, model=models["manager"])
            return MemorySession(store, self.task, data_dir=self.services.home, retriever=retriever)
        except BaseException:
            store.close()
            raise

    def _runner_for(
        self, device: Any, models: Mapping[str, ChatModel], options: dict[str, Any]
    ) -> Runner:
        from mobile_agent.gui.services import policy_from
        from mobile_agent.perception import get_ocr_engine
        from mobile_agent.runner import Runner
        from mobile_agent.safety import SafetyGate

        settings = self.settings
        return Runner(
            device,
            models,
            settings=settings,
            gate=SafetyGate(policy_from(settings, self.task), confirm=self.confirm),
            ask_user=self.ask_user,
            listeners=self.listeners,
            ocr=get_ocr_engine(settings.ocr) if settings.ocr_policy != "never" else None,
            **options,
        )


def raise_cancelled() -> None:
    """The job was cancelled before its run began."""
    from mobile_agent.errors import Cancelled

    raise Cancelled("stopped before the run began")
