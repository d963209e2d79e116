"""A canary API key never lands anywhere: `mobile-agent` run as a user runs it, with debug
logging on, against a provider whose error bodies echo the key back (in a JSON message, in a
proxy's HTML page, with the Authorization header it received). Afterwards every byte of
every file in the data directory — the SQLite memory, run folders and screenshots, the
exports of the run (JSON and HTML report) and of tips and shortcuts — and everything the
commands printed is searched for the key: zero hits.

The canary has no known key shape (no `sk-` prefix), so only the key being registered as a
secret keeps it out; the echo is checked to have arrived, masked, so the search is not
vacuous.
"""

from __future__ import annotations

import json
import secrets
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cli_helpers import cli_env, run_cli
from llm.fake_server import FakeLLMServer, Reply, Request, openai_reply, running_server

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(240)]

CANARY = f"canary{secrets.token_hex(16)}"
REPLIES = {  # what each agent answers while the provider works
    "manager": {"thought": "plan", "plan": ["Go home"], "current_subgoal": "Go home"},
    "operator": {"thought": "home", "action": {"name": "home", "args": {}}, "description": "home"},
    "reflector": {"thought": "ok", "outcome": "success", "feedback": ""},
    "notetaker": {"thought": "notes", "notes": "at the home screen"},
}


def echo(request: Request, turn: int) -> Reply:
    """A failure that repeats the key back, in one of three shapes."""
    header = request.headers.get("authorization", "")
    if turn % 3 == 0:
        message = f"Incorrect API key provided: {CANARY}. You sent Authorization: {header}"
        body = {"error": {"message": message, "type": "server_error", "code": CANARY}}
        return Reply(status=500, body=body)
    page = f"<html><body><h1>Proxy error</h1><p>upstream refused key {CANARY}</p></body></html>"
    status = 200 if turn % 3 == 1 else 502
    return Reply(status=status, body=page, headers={"content-type": "text/html"})


class EchoingProvider:
    """Each agent's first call: its first request fails echoing the key and its retry is
    answered (the first step of the run). Every later request fails."""

    def __init__(self) -> None:
        self.turn = 0
        self.answered: set[str] = set()

    def __call__(self, request: Request) -> Reply:
        self.turn += 1
        system = request.body["messages"][0]["content"]
        agent = system.split("\n", 1)[0].removeprefix("Role: ").strip()
        if self.turn % 2 == 1 or agent in self.answered:
            return echo(request, self.turn // 2)
        self.answered.add(agent)
        return openai_reply(json.dumps(REPLIES[agent]))


@pytest.fixture
def provider() -> Iterator[FakeLLMServer]:
    with running_server() as server:
        server.respond(EchoingProvider())
        yield server


def mobile_agent(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """One command, with the canary key in the environment and debug logging on."""
    env = cli_env(
        MOBILE_AGENT_HOME=str(home),
        OPENAI_API_KEY=CANARY,
        MOBILE_AGENT_LOG_LEVEL="DEBUG",
        MOBILE_AGENT_MODEL_DEADLINE_S="2.5",  # a failing call gives up after a retry or two
    )
    return run_cli("-vv", *args, env=env, timeout=180)


def hits(data: bytes) -> int:
    return data.count(CANARY.encode())


def test_a_canary_key_echoed_by_the_provider_is_found_nowhere(
    provider: FakeLLMServer, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    exports = home / "exports"
    run = mobile_agent(
        home,
        "run",
        "Go to the home screen",
        "--device",
        "virtual",
        "--model",
        "openai:gpt-4o",
        "--base-url",
        f"{provider.base_url}/v1",
        "--max-steps",
        "3",
    )
    assert run.returncode == 1, run.stderr[-3000:]
    # the key was used and echoed, and the echoes reached the logs masked
    assert provider.requests[0].headers["authorization"] == f"Bearer {CANARY}"
    assert "Incorrect API key provided: ***. You sent Authorization: Bearer ***" in run.stderr
    assert "upstream refused key ***" in run.stderr + run.stdout
    assert "DEBUG" in run.stderr  # debug logging was on

    listed = mobile_agent(home, "runs", "list", "--json")
    [stored] = json.loads(listed.stdout)
    assert stored["state"] == "failed"
    commands: list[tuple[str, ...]] = [
        ("runs", "show", stored["id"], "--json"),
        ("runs", "export", stored["id"], "-o", str(exports / "run.json")),
        ("runs", "export", stored["id"], "--html", "-o", str(exports / "run.html")),
        ("tips", "export", str(exports / "tips.json")),
        ("shortcuts", "export", str(exports / "shortcuts.json")),
    ]
    outputs: list[Any] = [run, listed]
    exports.mkdir()
    for command in commands:
        done = mobile_agent(home, *command)
        assert done.returncode == 0, (command, done.stderr[-2000:])
        outputs.append(done)

    files = [p for p in home.rglob("*") if p.is_file()]
    names = {p.name for p in files}
    assert {"memory.db", "run.json", "run.html", "tips.json", "shortcuts.json"} <= names
    assert any(p.suffix == ".png" for p in files)  # the run's screenshots were searched too
    assert "***" in (exports / "run.json").read_text(encoding="utf-8")  # the echo, masked
    found = {str(p.relative_to(home)): hits(p.read_bytes()) for p in files}
    assert {name: n for name, n in found.items() if n} == {}
    printed = "".join(done.stdout + done.stderr for done in outputs)
    assert hits(printed.encode()) == 0
