"""Bad arguments end with exit code 2 and one message in our words, before anything starts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import finishing_script, one_line_error, read_until, run_cli, scripted_model
from cli_helpers import start_cli as start

from mobile_agent import __version__


def usage_error(*args: str | bytes) -> str:
    """The error line of a usage error (argparse prints usage first, then it)."""
    done = run_cli(*args)
    assert done.returncode == 2, done
    assert "Traceback" not in done.stderr
    assert done.stdout == ""
    last = done.stderr.rstrip().splitlines()[-1]
    assert ": error: " in last
    return last


def test_version() -> None:
    done = run_cli("--version")
    assert done.returncode == 0
    assert done.stdout.strip() == f"mobile-agent {__version__}"
    assert __version__[0].isdigit()


@pytest.mark.parametrize("task", ["", "   ", "\t\n"])
def test_an_empty_task_is_refused(task: str) -> None:
    done = run_cli("run", task, "--model", "openai:gpt-4o")
    assert done.returncode == 2
    assert one_line_error(done.stderr).startswith("error: the task is empty")


def test_a_task_that_is_not_utf8_is_refused() -> None:
    done = run_cli(b"run", b"Open \xff\xfe Settings", b"--model", b"openai:gpt-4o")
    assert done.returncode == 2
    error = one_line_error(done.stderr)
    assert "not valid UTF-8" in error
    assert "UnicodeEncodeError" not in error


@pytest.mark.e2e
def test_a_huge_task_is_not_echoed_whole(tmp_path: Path) -> None:
    task = "Open Settings and read the battery level. " * 2500  # about 100 KB
    model = scripted_model(tmp_path / "s.json", finishing_script())
    done = run_cli("run", task, "--device", "virtual", "--model", model)
    assert done.returncode == 0, done.stderr
    line = next(x for x in done.stdout.splitlines() if x.startswith("Task: "))
    assert len(line) < 300
    assert line.endswith("more characters)")
    assert len(done.stdout) < 5000


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--base-url", "not a url"], "does not start with http:// or https://"),
        (["--base-url", "ftp://example.com/v1"], "only http:// and https://"),
        (["--base-url", "http://[::1"], "an IPv6 address needs both [ and ]"),
        (["--base-url", "http://host:99999/v1"], "port is not a number from 1 to 65535"),
        (["--model", "nonsense"], "'nonsense' is not provider:model"),
        (["--model", "acme:x"], "unknown model provider 'acme'"),
        (["--max-steps", "0"], "must be at least 1"),
    ],
)
def test_run_refuses_bad_options(args: list[str], expected: str) -> None:
    error = usage_error("run", "Open Settings", "--model", "openai:gpt-4o", *args)
    assert expected in error


def test_a_base_url_that_is_not_utf8_is_refused() -> None:
    error = usage_error(b"run", b"Open Settings", b"--base-url", b"http://\xff")
    assert "not valid UTF-8" in error


@pytest.mark.parametrize("port", ["70000", "-1", "http"])
def test_sim_refuses_a_port_that_is_not_one(port: str) -> None:
    assert "is not a port number" in usage_error("sim", "start", "--port", port)


def test_demo_refuses_zero_steps() -> None:
    assert "must be at least 1" in usage_error("demo", "--max-steps", "0")


@pytest.mark.parametrize(
    ("suite", "option"), [("phone", "--runs"), ("loop", "--steps"), ("perception", "--screens")]
)
def test_bench_refuses_counts_below_one(suite: str, option: str) -> None:
    error = usage_error("bench", suite, option, "0")
    assert f"argument {option}: must be at least 1, not 0" in error


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "no such file"),
        ("{not json", "not valid JSON"),
        ("[1, 2]", "expected a JSON object"),
        ('{"notes": []}', "unknown entries ['notes']"),
        ('{"apps": {"com.example.nope": {}}}', "apps not on the phone: ['com.example.nope']"),
        ('{"apps": []}', "'apps' must be a table of app states"),
        ('{"notifications": [{"title": "x", "bogus": 1}]}', "not a saved phone state"),
        ('{"format": 99}', "format 99 is not the supported format"),
    ],
)
def test_sim_refuses_an_unusable_state_file(
    tmp_path: Path, content: str | None, expected: str
) -> None:
    path = tmp_path / "state.json"
    if content is not None:
        path.write_text(content)
    done = run_cli("sim", "start", "--port", "0", "--state", str(path))
    assert done.returncode == 2
    error = one_line_error(done.stderr)
    assert error.startswith(f"error: --state {path}: ")
    assert expected in error
    assert "Virtual phone running" not in done.stdout


@pytest.mark.e2e
def test_sim_loads_a_saved_state(tmp_path: Path) -> None:
    from virtual_phone.phone import Phone

    state = Phone(seed=0).state()
    state["clipboard"] = "from the saved state"
    path = tmp_path / "state.json"
    path.write_text(json.dumps(state))
    proc = start("sim", "start", "--port", "0", "--state", str(path))
    try:
        assert "serial 127.0.0.1:" in read_until(proc.stdout, "Press Ctrl-C")
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "Virtual phone stopped." in out
