"""The agents' side of a benchmark run: a `Runner` per task, with the models of the
settings or the scripted model that follows the reference solution, and (for evolution
runs) the memory store of the task's family."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mobile_agent.actions import Gate
from mobile_agent.bench.harness.execute import Agents, Slot
from mobile_agent.bench.harness.oracle import solution_model
from mobile_agent.bench.tasks.model import Spec
from mobile_agent.events import RunResult
from mobile_agent.llm.base import ChatModel

if TYPE_CHECKING:
    from mobile_agent.config import Settings

log = logging.getLogger(__name__)

ModelsFor = Callable[[Spec], Mapping[str, ChatModel]]


def scripted_models(spec: Spec) -> Mapping[str, ChatModel]:
    """One scripted model, following `spec`'s solution, for every role."""
    model = solution_model(spec)
    return {"manager": model, "operator": model, "reflector": model, "notetaker": model}


def configured_models(settings: Settings) -> ModelsFor:
    """The models of the settings (made once, shared by every task)."""
    from mobile_agent.llm.factory import models_for_roles

    models = models_for_roles(settings)
    return lambda _spec: models


@dataclass
class AgentRuns:
    """Runs a drawn task with the agents; with `memory_dir`, each family's runs share a
    memory store there (retrieval before, recording and learning after each run)."""

    settings: Settings
    models_for: ModelsFor
    step_limit: int | None = None  # None: the task's own limit
    memory_dir: Path | None = None
    learned: dict[str, list[str]] = field(default_factory=dict)

    def __call__(self, slot: Slot, spec: Spec, gate: Gate, family: str = "") -> RunResult:
        from mobile_agent.perception import get_ocr_engine
        from mobile_agent.runner import Runner
        from mobile_agent.runner.guards import RunLimits

        models = self.models_for(spec)
        limits = RunLimits.from_settings(
            self.settings, max_steps=self.step_limit or spec.step_limit
        )
        with self._memory(spec, family, models) as memory:
            runner = Runner(
                slot.device,
                models,
                settings=self.settings,
                limits=limits,
                ocr=get_ocr_engine(self.settings.ocr),
                gate=gate,
                **memory.runner_options(),
            )
            memory.attach(runner)
            result = runner.run(spec.goal)
            learned = memory.learn(models["reflector"])
            if learned is not None and family:
                self.learned.setdefault(family, []).append(learned.line())
        return result

    def _memory(self, spec: Spec, family: str, models: Mapping[str, ChatModel]) -> Any:
        from mobile_agent.cli.memory_session import MemorySession
        from mobile_agent.memory import Store, make_retriever, memory_settings

        if self.memory_dir is None or not family:
            return MemorySession(None, spec.goal)
        store = Store.open(
            self.memory_dir / f"memory-{family}.db",
            settings=replace(memory_settings(self.settings), use_proposed=True),
        )
        retriever = make_retriever(store, self.settings, model=models["manager"])
        return MemorySession(store, spec.goal, data_dir=self.memory_dir, retriever=retriever)

    def for_family(self, family: str) -> Agents:
        """These runs as the `Agents` of one family's tasks."""
        return lambda slot, spec, gate: self(slot, spec, gate, family)
