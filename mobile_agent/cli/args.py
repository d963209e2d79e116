"""Checks of command-line arguments, so that bad input ends with one line in our words.

The `*_arg` functions are argparse ``type=`` converters (argparse turns their
`ArgumentTypeError` into a usage error, exit code 2); `UsageError` is the same kind of
mistake found later, inside a command.
"""

from __future__ import annotations

import argparse
import os

TASK_ECHO_CHARS = 200  # how much of a task the progress output shows


class UsageError(Exception):
    """The command line asks for something that cannot be done as given (exit code 2)."""


def port_arg(text: str) -> int:
    """A TCP port number, 0–65535 (0 = any free port)."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port number (0–65535)")
    return port


def positive_int_arg(text: str) -> int:
    """A whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def base_url_arg(text: str) -> str:
    """An http(s) base URL (`mobile_agent.config.check_base_url`)."""
    from mobile_agent.config import check_base_url

    try:
        return check_base_url(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def model_arg(text: str) -> str:
    """A PROVIDER:MODEL spec with a known provider."""
    from mobile_agent.config import check_model_spec

    try:
        return check_model_spec(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def check_task(task: str) -> str:
    """The task, if it says something in valid text; `UsageError` otherwise."""
    if not task.strip():
        raise UsageError('the task is empty: say what to do, e.g. "Create a note titled Groceries"')
    if any("\udc80" <= c <= "\udcff" for c in task):
        raise UsageError(
            "the task contains bytes that are not valid UTF-8; "
            "check the terminal's character encoding (e.g. LANG=C.UTF-8)"
        )
    return task


def check_adb_environment() -> None:
    """`UsageError` when ANDROID_ADB_SERVER_PORT is set to something that is not a port.

    adbutils reads it when imported and would fail with a bare ValueError.
    """
    raw = os.environ.get("ANDROID_ADB_SERVER_PORT")
    if raw is None:
        return
    try:
        port = int(raw)
    except ValueError:
        port = 0
    if not 1 <= port <= 65535:
        raise UsageError(
            f"ANDROID_ADB_SERVER_PORT={raw!r} is not a port number (1–65535); "
            "unset it to use adb's default (5037) or set the port of your adb server"
        )


def shorten(text: str, limit: int = TASK_ECHO_CHARS) -> str:
    """`text` on one line, cut to `limit` characters with a note of what was left out."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return f"{text[: limit - 1]}… ({len(text) - limit + 1} more characters)"
