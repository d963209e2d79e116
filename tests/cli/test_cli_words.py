"""What the command line prints: actions as the user reads them, progress on long commands."""

from __future__ import annotations

import os
import pty
import subprocess
import threading
from pathlib import Path

import pytest
from cli_helpers import COMMAND, agent_reply, cli_env, run_cli, scripted_model

pytestmark = pytest.mark.e2e


def test_actions_print_their_arguments_plainly(tmp_path: Path) -> None:
    script = [
        agent_reply(
            "manager",
            thought="look",
            plan=["Scroll the home screen"],
            current_subgoal="Scroll the home screen",
            completed=False,
            answer="",
        ),
        agent_reply(
            "operator",
            thought="scroll",
            action={"name": "scroll", "args": {"direction": "up"}},
            description="scroll up",
        ),
        agent_reply(
            "reflector",
            thought="fine",
            outcome="success",
            feedback="",
            subgoal_completed=False,
            notable=False,
        ),
        agent_reply(
            "operator",
            thought="done",
            action={"name": "finish", "args": {"answer": "scrolled"}},
            description="finish",
        ),
    ]
    script[0]["repeat"] = True  # however often the manager is asked
    script.append({"match": "Role: notetaker", "reply": '{"notes": ""}', "repeat": True})
    model = scripted_model(tmp_path / "scroll.json", script)
    done = run_cli("run", "Scroll up once", "--device", "virtual", "--model", model)
    assert "Traceback" not in done.stderr
    assert "step 1: scroll(direction='up') — scroll up" in done.stdout, done.stdout
    assert "Direction." not in done.stdout


def test_bench_loop_shows_progress_on_a_terminal() -> None:
    leader, follower = pty.openpty()
    chunks: list[bytes] = []

    def drain() -> None:
        while True:
            try:
                data = os.read(leader, 4096)
            except OSError:  # the terminal closed with the process
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        done = subprocess.run(
            [*COMMAND, "bench", "loop", "--steps", "3", "--no-images"],
            stdout=subprocess.PIPE,
            stderr=follower,
            stdin=subprocess.DEVNULL,
            text=True,
            timeout=120,
            env=cli_env(TERM="xterm-256color", COLUMNS="100"),
            check=False,
        )
    finally:
        os.close(follower)
        reader.join(10)
        os.close(leader)
    shown = b"".join(chunks).decode("utf-8", "replace")
    assert "bench loop: step" in shown
    assert "final state" in done.stdout, shown  # it ran to its end; the table is on stdout
    assert "bench loop: step" not in done.stdout
