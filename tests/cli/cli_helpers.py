"""Running `mobile-agent` as a user does: a separate process, with this session's environment."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

COMMAND = [sys.executable, "-m", "mobile_agent"]


def cli_env(**changes: str | None) -> dict[str, str]:
    """This session's environment (private adb port and home), with `changes` (None unsets).

    API keys and model settings of the surrounding shell are left out, and the keyring is the
    one that never finds a key, so results do not depend on the machine.
    """
    env = {
        k: v
        for k, v in os.environ.items()
        if k == "MOBILE_AGENT_HOME" or not (k.endswith("_API_KEY") or k.startswith("MOBILE_AGENT_"))
    }
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    env["PYTHONUNBUFFERED"] = "1"
    for key, value in changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def run_cli(
    *args: str | bytes, env: dict[str, str] | None = None, timeout: float = 120, **kwargs: Any
) -> subprocess.CompletedProcess[str]:
    """Run the command to its end; stdin is not a terminal."""
    return subprocess.run(
        [*COMMAND, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env=env or cli_env(),
        stdin=kwargs.pop("stdin", subprocess.DEVNULL),
        **kwargs,
    )


def start_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """Start the command in the background (stdout and stderr piped, no terminal)."""
    return subprocess.Popen(
        [*COMMAND, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        env=env or cli_env(),
    )


def read_until(stream: Any, marker: str) -> str:
    """Lines of `stream` up to and including the first one containing `marker` ("" at EOF)."""
    seen = []
    for line in stream:
        seen.append(line)
        if marker in line:
            return "".join(seen)
    raise AssertionError(f"{marker!r} never came; got:\n{''.join(seen)}")


def wait_for(condition: Callable[[], object], what: str, timeout: float = 90) -> None:
    """Poll `condition` until it holds (a guard against hanging, not a timing check)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.05)


def one_line_error(stderr: str) -> str:
    """The error line of a command that failed cleanly (asserting it is just that)."""
    assert "Traceback" not in stderr, stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    return lines[0]


def scripted_model(path: Path, replies: list[dict[str, Any]]) -> str:
    """A `scripted:` model spec replaying `replies` (see mobile_agent.llm.scripted)."""
    path.write_text(json.dumps(replies), encoding="utf-8")
    return f"scripted:{path}"


def agent_reply(role: str, **reply: Any) -> dict[str, Any]:
    """A scripted rule answering the agent `role` once with `reply` as JSON."""
    return {"match": f"Role: {role}", "reply": json.dumps(reply)}


def finishing_script() -> list[dict[str, Any]]:
    """Replies with which a run ends at its first step: the manager judges the task done."""
    return [
        agent_reply(
            "manager",
            thought="nothing to do",
            plan=[],
            current_subgoal="",
            completed=True,
            answer="done",
        )
    ]


@contextmanager
def silent_port() -> Iterator[int]:
    """A loopback port that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    listener.settimeout(0.1)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            held.append(conn)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join(5)
        listener.close()
        for conn in held:
            conn.close()
