"""Ctrl-C during `run`: the summary says cancelled, the exit code is 130, no traceback.

The model is a loopback OpenAI-compatible server; a step that cannot end is made by stopping
(SIGSTOP) the process that serves the phone while an action is on its way to it.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_helpers import cli_env, read_until, start_cli, wait_for
from conftest import free_port, run_adb
from llm.fake_server import FakeLLMServer, Reply, Request, openai_reply, running_server

from mobile_agent.device import DeviceLock

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]

PLAN = {
    "thought": "go home first",
    "plan": ["Go to the home screen"],
    "current_subgoal": "Go to the home screen",
    "completed": False,
    "answer": "",
}
HOME = {"thought": "home", "action": {"name": "home", "args": {}}, "description": "go home"}


def role(request: Request) -> str:
    system = request.body["messages"][0]["content"]
    return str(system).split("\n", 1)[0].removeprefix("Role: ").strip()


@pytest.fixture
def hanging_llm() -> Iterator[FakeLLMServer]:
    """A model server that accepts every request and never answers."""
    with running_server() as server:
        server.respond(lambda request: Reply(hang=True))
        yield server


@pytest.fixture
def phone_process() -> Iterator[tuple[subprocess.Popen[str], str]]:
    """`mobile-agent sim start` in its own process, attached to the session's adb server."""
    port = free_port()
    proc = start_cli("sim", "start", "--port", str(port))
    serial = f"127.0.0.1:{port}"
    try:
        read_until(proc.stdout, "Press Ctrl-C")
        assert b"connected" in run_adb("connect", serial).stdout
        yield proc, serial
    finally:
        proc.send_signal(signal.SIGCONT)
        proc.kill()
        proc.wait(timeout=30)
        run_adb("disconnect", serial)


def stop_phone_on_operator(server: FakeLLMServer, phone: subprocess.Popen[str]) -> None:
    """Plan, then choose `home` — and freeze the phone before that action reaches it."""

    def answer(request: Request) -> Reply:
        if role(request) == "operator":
            phone.send_signal(signal.SIGSTOP)
            return openai_reply(json.dumps(HOME))
        if role(request) == "manager":
            return openai_reply(json.dumps(PLAN))
        return Reply(hang=True)

    server.respond(answer)


def wait_until_acting(proc: subprocess.Popen[str]) -> None:
    """Return once the run is stuck sending `home` to the frozen phone.

    The step line comes just before the action; the short pause lets the run get past its
    last checkpoint into the device call, where it then stays (the phone never answers).
    """
    read_until(proc.stdout, "step 1: home()")
    time.sleep(1.0)


def model_args(server: FakeLLMServer) -> list[str]:
    return ["--model", "openai-compatible:test", "--base-url", f"{server.base_url}/v1"]


def test_ctrl_c_while_the_model_thinks_ends_cancelled_with_a_summary(
    hanging_llm: FakeLLMServer,
) -> None:
    proc = start_cli("run", "Create a note", "--device", "virtual", *model_args(hanging_llm))
    wait_for(lambda: hanging_llm.requests or proc.poll() is not None, "the first model call")
    assert proc.poll() is None, proc.communicate()
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Result: cancelled" in out
    assert "Stopping after the step in flight" in err
    assert "Traceback" not in err
    serial = out.split("Virtual phone running at ", 1)[1].split(".\n", 1)[0]
    assert serial not in run_adb("devices").stdout.decode()  # the phone was detached


def test_a_second_ctrl_c_quits_at_once(
    phone_process: tuple[subprocess.Popen[str], str],
) -> None:
    phone, serial = phone_process
    with running_server() as llm:
        stop_phone_on_operator(llm, phone)
        proc = start_cli("run", "Go home", "--device", serial, *model_args(llm))
        wait_until_acting(proc)
        proc.send_signal(signal.SIGINT)
        read_until(proc.stderr, "Stopping after the step in flight")
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert err.rstrip().endswith("Quit without waiting for the step in flight.")
    assert "Traceback" not in err


def test_a_step_that_does_not_end_is_left_after_the_grace_time(
    phone_process: tuple[subprocess.Popen[str], str],
) -> None:
    phone, serial = phone_process
    with running_server() as llm:
        stop_phone_on_operator(llm, phone)
        env = cli_env(MOBILE_AGENT_STOP_GRACE_S="1")
        proc = start_cli("run", "Go home", "--device", serial, *model_args(llm), env=env)
        wait_until_acting(proc)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "did not end within 1 s" in err
    assert "Result: cancelled — stopped by the user" in out
    assert "Traceback" not in err
    with DeviceLock(serial, Path(os.environ["MOBILE_AGENT_HOME"]) / "locks"):
        pass  # the run that gave up on its step let go of the phone
