"""Pieces every benchmark shares."""

from __future__ import annotations

import contextlib
import logging
import os
import socket
from collections.abc import Callable, Iterator

log = logging.getLogger(__name__)

_ENV = "ANDROID_ADB_SERVER_PORT"


def free_port() -> int:
    """A loopback TCP port that was free a moment ago."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def private_adb_server() -> Iterator[int]:
    """Point adbutils (and so uiautomator2) at an adb server of our own, never the user's,
    and stop that server afterwards. Works whether or not adbutils is already imported:
    its module-level client is swapped for the duration."""
    import adbutils

    port = free_port()
    saved_env, saved_client = os.environ.get(_ENV), adbutils.adb
    os.environ[_ENV] = str(port)
    adbutils.adb = adbutils.AdbClient(port=port)
    try:
        yield port
    finally:
        try:
            adbutils.adb.server_kill()
        except (adbutils.AdbError, OSError) as exc:
            log.debug("private adb server already gone: %s", exc)
        adbutils.adb = saved_client
        if saved_env is None:
            os.environ.pop(_ENV, None)
        else:
            os.environ[_ENV] = saved_env


Advance = Callable[[str, int], None]


@contextlib.contextmanager
def progress(total: int, description: str) -> Iterator[Advance]:
    """A progress bar on stderr, so that what a benchmark prints on stdout stays as it is.

    Yields `advance(description, steps)`: show `description`, add `steps` to the bar. The bar
    is drawn on a terminal only, while it runs; without the `rich` package there is none.
    """
    try:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )
    except ImportError:
        log.debug("rich is not installed; no progress display")
        yield lambda _description, _steps: None
        return
    columns = (
        TextColumn("{task.description:32.32}", markup=False),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    console = Console(stderr=True)
    with Progress(*columns, console=console, transient=True, redirect_stdout=False) as bar:
        task = bar.add_task(description, total=total)

        def advance(text: str, steps: int) -> None:
            bar.update(task, description=text, advance=steps)

        yield advance
