"""The agents of one run: Manager, Operator, Action Reflector, Notetaker.

Each has `messages(state) -> list[Message]` and `parse(text) -> <Role>Output`; the runner
drives them in fixed phases.
"""

from __future__ import annotations

from mobile_agent.agents.guidance import BUILTIN_TIPS, tips_text
from mobile_agent.agents.manager import Manager, ManagerOutput
from mobile_agent.agents.notetaker import Notetaker, NotetakerOutput
from mobile_agent.agents.operator import Operator, OperatorOutput
from mobile_agent.agents.prompting import Agent, untrusted
from mobile_agent.agents.reflector import Outcome, Reflector, ReflectorOutput
from mobile_agent.agents.replies import extract_json, repair_messages
from mobile_agent.agents.state import AgentState, StepRecord

__all__ = [
    "BUILTIN_TIPS",
    "Agent",
    "AgentState",
    "Manager",
    "ManagerOutput",
    "Notetaker",
    "NotetakerOutput",
    "Operator",
    "OperatorOutput",
    "Outcome",
    "Reflector",
    "ReflectorOutput",
    "StepRecord",
    "extract_json",
    "repair_messages",
    "tips_text",
    "untrusted",
]
