"""The loop that drives the agents for one task (`Runner`), its limits and its control."""

from __future__ import annotations

from mobile_agent.events import FinalState, RunResult
from mobile_agent.runner.control import Control
from mobile_agent.runner.core import Runner
from mobile_agent.runner.guards import LoopDetector, RunLimits
from mobile_agent.runner.observe import Observer
from mobile_agent.runner.replay import Replayer, ReplayResult, replay_stored

__all__ = [
    "Control",
    "FinalState",
    "LoopDetector",
    "Observer",
    "ReplayResult",
    "Replayer",
    "RunLimits",
    "RunResult",
    "Runner",
    "replay_stored",
]
