"""`mobile-agent gui`: the desktop app (needs the `gui` extra: PySide6)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

INSTALL = (
    "The desktop app needs PySide6, which is not installed. Install the `gui` extra:\n"
    "  pip install 'mobile-agent[gui]'        (from a checkout: pip install -e '.[gui]')"
)


def register(sub: Any) -> None:
    """Add the `gui` command."""
    parser = sub.add_parser(
        "gui",
        help="open the desktop app",
        description="Open the desktop app: run tasks and watch them live, approve or deny "
        "consequential actions, review and replay learned tips and shortcuts, browse past "
        "runs, and change the settings (the same settings the command line uses).",
    )
    parser.add_argument(
        "--quit-after",
        type=positive_seconds,
        metavar="SECONDS",
        help="close the window after SECONDS (for scripted checks)",
    )
    parser.set_defaults(handler=_handle)


def positive_seconds(text: str) -> float:
    """A number of seconds above zero (an argparse type)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"give a number of seconds above 0, not {text}")
    return value


def _handle(args: argparse.Namespace) -> int:
    try:
        import PySide6.QtWidgets  # noqa: F401
    except ImportError as exc:
        print(f"{INSTALL}\n({exc})", file=sys.stderr)
        return 1
    from mobile_agent.gui.app import run

    return run(quit_after=args.quit_after)
