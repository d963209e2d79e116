"""At least 800 malformed operator and manager replies through whole runs: every run ends
in a named state, nothing raises out of the runner, and the phone is never touched."""

from __future__ import annotations

import json
import random
from typing import Any

from scripted_agents import manager

from mobile_agent.events import FinalState

from .harness import run_script

RUNS = 130


def _malformed(rng: random.Random) -> str:
    """One reply a broken or hostile model might send instead of a usable action."""
    # the shape of a reply, aimed at no element of the screen: a lenient reading of a broken
    # reply may recover its action, which must still never reach the phone
    good = {
        "thought": "t",
        "action": {"name": "tap", "args": {"element": 9999}},
        "description": "d",
    }
    kinds = [
        lambda: "",
        lambda: "null",
        lambda: "None",
        lambda: json.dumps(good)[: rng.randint(1, 40)],  # cut short
        lambda: str(good),  # a Python dict, not JSON
        lambda: json.dumps(
            {**good, "action": {"name": rng.choice(["fly", "rm -rf", ""]), "args": {}}}
        ),
        lambda: json.dumps({"thought": "no action at all"}),
        lambda: json.dumps({**good, "action": {"name": "tap", "args": {"x": 10**6, "y": -5}}}),
        lambda: json.dumps({**good, "action": {"name": "tap", "args": {"element": 10**9}}}),
        lambda: json.dumps(
            {**good, "action": {"name": "swipe", "args": {"x1": -1, "y1": 0, "x2": 99999, "y2": 5}}}
        ),
        lambda: json.dumps({**good, "action": {"name": "type", "args": {"text": 7}}}),
        lambda: json.dumps({**good, "action": {"name": "tap", "args": {"label": "x" * 10**6}}}),
        lambda: "x" * rng.randint(10**5, 10**6),
        lambda: json.dumps([good]),
        lambda: json.dumps({**good, "action": "tap"}),
        lambda: "```json\n{" + '"a":' * 50 + "}```",
        lambda: json.dumps({**good, "action": {"name": "open_app", "args": {"app": ""}}}),
        lambda: bytes(rng.getrandbits(8) for _ in range(64)).decode("latin-1"),
    ]
    return rng.choice(kinds)()


def _script(rng: random.Random, broken_manager: bool) -> list[dict[str, Any]]:
    replies = [{"match": "Role: operator", "reply": _malformed(rng)} for _ in range(12)]
    if broken_manager:
        plans = [{"match": "Role: manager", "reply": _malformed(rng)} for _ in range(4)]
        return [*plans, manager("go on", ["go on"]), *replies]
    return [manager("do it", ["do it"]), *replies]


def test_malformed_replies_never_touch_the_phone_nor_escape_the_runner() -> None:
    rng = random.Random(20261130)
    sent = 0
    states: set[FinalState] = set()
    for index in range(RUNS):
        run = run_script(_script(rng, broken_manager=index % 5 == 0))
        assert run.result is not None
        states.add(run.result.state)
        assert run.device.action_names() == [], (index, run.result)
        sent += len(run.model.calls)
    assert sent >= 800
    assert states <= {FinalState.FAILED, FinalState.MAX_STEPS}
