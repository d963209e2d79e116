"""Safety: the policy gate every device action passes (`SafetyGate`), what makes an action
consequential (`classify`), and text on screen that tries to instruct the agent
(`injection`)."""

from __future__ import annotations

from mobile_agent.safety.classify import KINDS, Concern
from mobile_agent.safety.gate import ALL, Confirm, Decision, Policy, SafetyGate, find_concern
from mobile_agent.safety.injection import find_injection

__all__ = [
    "ALL",
    "KINDS",
    "Concern",
    "Confirm",
    "Decision",
    "Policy",
    "SafetyGate",
    "find_concern",
    "find_injection",
]
