"""`mobile-agent gui` as a user starts it: offscreen, it opens, keeps running, closes when
told to and leaves nothing but log lines on stderr; without PySide6 it says what to install."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.cli.cli_helpers import cli_env, run_cli

pytestmark = [pytest.mark.gui, pytest.mark.timeout(120)]

LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (DEBUG|INFO) [\w.]+: ")


def _env(home: Path) -> dict[str, str]:
    return cli_env(MOBILE_AGENT_HOME=str(home), QT_QPA_PLATFORM="offscreen")


def test_the_app_starts_offscreen_and_quits_after_the_given_time(tmp_path: Path) -> None:
    started = time.monotonic()
    done = run_cli("gui", "--quit-after", "3", env=_env(tmp_path / "home"), timeout=90)
    took = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # the default log level shows warnings: there are none
    assert took >= 3  # it kept running until told to close


def test_with_v_stderr_holds_only_log_lines_of_a_clean_start_and_close(tmp_path: Path) -> None:
    done = run_cli("-v", "gui", "--quit-after", "3", env=_env(tmp_path / "home"), timeout=90)
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert [line for line in lines if not LOG_LINE.match(line)] == []  # no warning, no trace
    assert any("desktop app started" in line for line in lines)
    assert "desktop app closed" in lines[-1]


def test_bad_quit_after_is_a_usage_error(tmp_path: Path) -> None:
    done = run_cli("gui", "--quit-after", "soon", env=_env(tmp_path / "home"))
    assert done.returncode == 2
    assert "not a number of seconds" in done.stderr


def test_without_pyside6_the_command_says_how_to_install_the_gui_extra(tmp_path: Path) -> None:
    code = (
        "import sys; sys.modules['PySide6'] = None\n"
        "from mobile_agent.cli import main\n"
        "raise SystemExit(main(['gui']))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=_env(tmp_path / "home"),
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert "pip install 'mobile-agent[gui]'" in done.stderr


def test_the_command_line_lists_gui_without_loading_qt(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from mobile_agent.cli import build_parser\n"
        "help = build_parser().format_help()\n"
        "print('gui' in help, 'PySide6' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=_env(tmp_path / "home"),
        timeout=60,
        check=False,
    )
    assert done.stdout.split() == ["True", "False"], done.stderr
