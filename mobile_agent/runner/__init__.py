"""The loop that drives the agents for one task (`Runner`), its limits and its control."""

from __future__ import annotations

from mobile_agent.events import FinalState, RunResult
from mobile_agent.runner.control import Control
from mobile_agent.runner.core import ROLES, Runner
from mobile_agent.runner.guards import LoopDetector, RunLimits, screen_signature
from mobile_agent.runner.models import build_models

__all__ = [
    "ROLES",
    "Control",
    "FinalState",
    "LoopDetector",
    "RunLimits",
    "RunResult",
    "Runner",
    "build_models",
    "screen_signature",
]
