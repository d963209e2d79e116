"""What the client tests share: a client's view of the phone and probes of the effect.

`Client` sends commands the way the harnesses do — an argument list to the adb binary
(android_env's `AdbController`, `subprocess.run([...])`) or one command line through the host
shell (`subprocess.run(adb_path + " shell …", shell=True)` in Mobile-Agent-E and AppAgent) —
and records each one, so the fidelity table can list the calls a test tried. The probes
(`screen`, `text_of`, `foreground`) read the phone's state directly and are not recorded.
"""

from __future__ import annotations

import re
import shlex
import subprocess
from dataclasses import dataclass, field
from typing import Any

from conftest import adb_bin
from lxml import etree

BOUNDS = re.compile(r"\[(-?\d+),(-?\d+)\]\[(-?\d+),(-?\d+)\]")
NOTES = "com.example.notes"
SEARCH = f"{NOTES}:id/search"
LAUNCHER = "com.android.launcher3"


@dataclass(frozen=True)
class Answer:
    """What the adb binary returned: exit status, stdout and stderr (decoded)."""

    status: int
    out: str
    err: str

    @property
    def merged(self) -> str:
        """Stdout then stderr: what a client reading a v1 shell stream sees."""
        return self.out + self.err


def _answer(result: subprocess.CompletedProcess[bytes]) -> Answer:
    return Answer(
        result.returncode,
        result.stdout.decode("utf-8", "replace"),
        result.stderr.decode("utf-8", "replace"),
    )


@dataclass
class Client:
    """One harness's connection to the phone; `sent` lists every call it made."""

    server: Any
    sent: list[str] = field(default_factory=list)

    @property
    def serial(self) -> str:
        """The phone's adb serial."""
        return str(self.server.serial)

    @property
    def phone(self) -> Any:
        """The phone model behind the server (for probes only)."""
        return self.server.phone

    def note(self, call: str) -> None:
        """Record a call that does not go through `argv`/`cmdline` (a library API call)."""
        self.sent.append(call)

    def argv(self, *args: str, timeout: float = 60) -> Answer:
        """`adb -s SERIAL ARGS…` as an argument list, without a host shell."""
        self.note("adb " + " ".join(args))
        command = [adb_bin(), "-s", self.serial, *args]
        result = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
        return _answer(result)

    def shell(self, command: str) -> Answer:
        """`adb -s SERIAL shell COMMAND` (one argument: the device's shell parses it)."""
        return self.argv("shell", command)

    def adb_path(self) -> str:
        """The `adb_path` a user gives a harness that pastes it in front of its commands."""
        return f"{shlex.quote(adb_bin())} -s {self.serial}"

    def cmdline(self, line: str, timeout: float = 60) -> Answer:
        """`ADB_PATH LINE` through the host shell, as `subprocess.run(..., shell=True)`."""
        self.note("adb " + line)
        result = subprocess.run(
            f"{self.adb_path()} {line}",
            shell=True,
            capture_output=True,
            timeout=timeout,
            check=False,
        )
        return _answer(result)

    # -- probes of the effect (not calls of the client) --

    def screen(self) -> etree._Element:
        """Every window of the screen now, as uiautomator2's hierarchy."""
        xml = self.phone.hierarchy_xml()
        return etree.fromstring(xml.encode("utf-8"))

    def foreground(self) -> str:
        """The package of the activity in front."""
        return str(self.phone.current()[0])

    def text_of(self, resource_id: str) -> str:
        """The text of the first node with `resource_id` on screen now."""
        nodes = self.screen().xpath("//node[@resource-id=$rid]", rid=resource_id)
        assert nodes, f"no node {resource_id} on screen"
        return str(nodes[0].get("text"))

    def centre(self, **attrs: str) -> tuple[int, int]:
        """The centre of the first node on screen now whose attributes equal `attrs`."""
        return centre_in(self.screen(), **attrs)

    def titles(self) -> dict[str, int]:
        """The top edge of each list row title (`android:id/title`) on screen now."""
        rows = self.screen().xpath("//node[@resource-id='android:id/title']")
        return {str(row.get("text")): parse_bounds(row.get("bounds", ""))[1] for row in rows}

    def assert_scrolled(self, before: dict[str, int], at_least: int) -> None:
        """The list on screen moved up by `at_least` px since `before` (or by a whole page)."""
        after = self.titles()
        assert after, "no list on screen"
        shifts = [before[title] - after[title] for title in before.keys() & after.keys()]
        assert after != before and all(shift >= at_least for shift in shifts), shifts

    def open_notes_search(self) -> tuple[int, int]:
        """Bring Notes to the front (as the model) and return its search field's centre."""
        assert self.phone.start_app(NOTES)
        return self.centre(**{"resource-id": SEARCH})


def centre_in(root: etree._Element, **attrs: str) -> tuple[int, int]:
    """The centre of the first `node` of `root` whose attributes equal `attrs`."""
    for node in root.iter("node"):
        if all(node.get(key.replace("_", "-")) == value for key, value in attrs.items()):
            left, top, right, bottom = parse_bounds(node.get("bounds", ""))
            return (left + right) // 2, (top + bottom) // 2
    raise AssertionError(f"no node with {attrs}")


def parse_bounds(bounds: str) -> tuple[int, int, int, int]:
    """`[l,t][r,b]` → (l, t, r, b), as every dump-reading client parses it."""
    match = BOUNDS.fullmatch(bounds)
    assert match is not None, f"bounds {bounds!r} are not [l,t][r,b]"
    left, top, right, bottom = map(int, match.groups())
    return left, top, right, bottom


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR (fails if `data` is not a PNG)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"not a PNG: {data[:16]!r}"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
