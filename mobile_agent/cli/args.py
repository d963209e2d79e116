"""Checks of command-line arguments, so that bad input ends with one line in our words.

The `*_arg` functions are argparse ``type=`` converters (argparse turns their
`ArgumentTypeError` into a usage error, exit code 2); `UsageError` is the same kind of
mistake found later, inside a command.
"""

from __future__ import annotations

import argparse
import os

from mobile_agent.errors import ConfigError

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


def adb_address_arg(text: str) -> str:
    """HOST:PORT of an adb server (`mobile_agent.config.parse_adb_address`)."""
    from mobile_agent.config import parse_adb_address

    try:
        host, port = parse_adb_address(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def add_adb_option(parser: argparse.ArgumentParser) -> None:
    """`--adb HOST:PORT`: the adb server of another host or of a device farm."""
    parser.add_argument(
        "--adb",
        type=adb_address_arg,
        metavar="HOST:PORT",
        help="use the adb server at HOST:PORT, e.g. another host's or a device farm's "
        "(default: the `adb_server` setting, else the local one)",
    )


def select_adb_server(args: argparse.Namespace) -> None:
    """Point the process at `--adb`, else at the `adb_server` setting, when either is given.

    A settings file that cannot be read is left to the command that uses it.
    """
    from mobile_agent.config import config_path, env_values, file_values, parse_adb_address

    address = getattr(args, "adb", None)
    if not address:
        try:
            address = (file_values(config_path(create=False)) | env_values()).get("adb_server")
        except ConfigError:
            return
        if not isinstance(address, str) or not address.strip():
            return
        try:
            parse_adb_address(address)
        except ValueError as exc:
            raise UsageError(f"the adb_server setting: {exc}") from None
    from mobile_agent.device.transport import use_adb_server

    use_adb_server(address)


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
