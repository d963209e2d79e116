"""Which phone `run` drives: never the virtual phone by surprise, and one run per phone."""

from __future__ import annotations

import os
import pty
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_helpers import (
    COMMAND,
    cli_env,
    finishing_script,
    one_line_error,
    read_until,
    run_cli,
    scripted_model,
    start_cli,
    wait_for,
)
from llm.fake_server import FakeLLMServer, Reply, running_server

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]


@pytest.fixture
def model(tmp_path: Path) -> str:
    return scripted_model(tmp_path / "script.json", finishing_script())


def test_no_phone_and_no_terminal_is_refused_with_the_way_out(
    empty_adb_server: int, model: str
) -> None:
    done = run_cli("run", "Open Settings", "--model", model)
    assert done.returncode == 1
    error = one_line_error(done.stderr)
    assert "No Android device is attached" in error
    assert error.endswith("To run on the built-in virtual phone instead, add --device virtual.")
    assert "Virtual phone running" not in done.stdout


@pytest.mark.parametrize(("answer", "code"), [("y", 0), ("n", 1)])
def test_no_phone_on_a_terminal_asks_before_using_the_virtual_phone(
    empty_adb_server: int, model: str, answer: str, code: int
) -> None:
    leader, follower = pty.openpty()
    try:
        os.write(leader, f"{answer}\n".encode())
        done = subprocess.run(
            [*COMMAND, "run", "Open Settings", "--model", model],
            stdin=follower,
            capture_output=True,
            text=True,
            timeout=120,
            env=cli_env(),
            check=False,
        )
    finally:
        os.close(follower)
        os.close(leader)
    assert done.returncode == code, done.stderr
    assert "Start the built-in virtual phone instead? [y/N]" in done.stdout
    assert "Traceback" not in done.stderr
    if answer == "y":
        assert "No phone attached: starting the built-in virtual phone." in done.stdout
        assert "Result: succeeded" in done.stdout
    else:
        assert "add --device virtual" in done.stderr
        assert "Virtual phone running" not in done.stdout


@pytest.fixture
def hanging_llm() -> Iterator[FakeLLMServer]:
    with running_server() as server:
        server.respond(lambda request: Reply(hang=True))
        yield server


def test_one_run_per_phone_and_wait_queues_behind_it(
    connected_phone: object, hanging_llm: FakeLLMServer
) -> None:
    serial = connected_phone.serial  # type: ignore[attr-defined]
    args = ["--device", serial, "--model", "openai-compatible:test"]
    args += ["--base-url", f"{hanging_llm.base_url}/v1"]
    first = start_cli("run", "Open Settings", *args)
    waiting: subprocess.Popen[str] | None = None
    try:
        wait_for(lambda: hanging_llm.requests or first.poll() is not None, "the first run")
        assert first.poll() is None

        refused = run_cli("run", "Open Contacts", *args)
        assert refused.returncode == 1
        error = one_line_error(refused.stderr)
        assert f"{serial} is in use by another run (process {first.pid}," in error
        assert "mobile-agent run 'Open Settings'" in error
        assert hanging_llm.base_url not in error  # option values are not repeated
        assert error.endswith("Try again when it has ended, or add --wait.")

        waiting = start_cli("run", "Open Contacts", *args, "--wait")
        shown = read_until(waiting.stdout, "Waiting for")
        assert f"in use by process {first.pid}" in shown
        assert len(hanging_llm.requests) == 1  # it waits, it does not drive the phone

        first.kill()  # a killed run leaves no stale lock
        first.wait(timeout=30)
        wait_for(lambda: len(hanging_llm.requests) >= 2, "the waiting run to start")
        waiting.send_signal(signal.SIGINT)
        out, err = waiting.communicate(timeout=60)
        assert waiting.returncode == 130, err
        assert "Result: cancelled" in out
        assert "Task: Open Contacts" in out
    finally:
        for proc in (first, waiting):
            if proc is not None and proc.poll() is None:
                proc.kill()
                proc.wait(timeout=30)
