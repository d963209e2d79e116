"""Run the per-client fidelity tests and print the table: client → calls tried → calls that
behave as on a phone.

Each test in `tests/virtual_phone/clients/` replays one group of a client's device calls and
records, as junit properties, the client's name and the commands it sent. A group behaves as
on a phone when every assertion about every call in it holds. Usage::

    python scripts/fidelity_table.py                      # run the tests, print Markdown
    python scripts/fidelity_table.py --write docs/fidelity.md
    python scripts/fidelity_table.py --junit results.xml  # table of an earlier run
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

log = logging.getLogger("fidelity_table")

ROOT = Path(__file__).resolve().parents[1]
TESTS = "tests/virtual_phone/clients"
MARKER_START = "<!-- fidelity-table:start -->"
MARKER_END = "<!-- fidelity-table:end -->"
# Paths that differ from run to run, shortened in the table
VOLATILE = [
    (re.compile(r"/tmp/pytest-of-[^/\s]+/pytest-\d+/[^/\s]+"), "<tmp>"),
    (re.compile(r"\S*/site-packages/"), ""),
]


@dataclass(frozen=True)
class Group:
    """One test: a group of a client's calls and whether they behaved as on a phone."""

    name: str
    passed: bool
    calls: tuple[str, ...]
    reason: str


@dataclass
class ClientRow:
    """Every group tried for one client."""

    client: str
    groups: list[Group] = field(default_factory=list)

    @property
    def calls(self) -> set[str]:
        """The distinct commands this client's tests sent."""
        return {call for group in self.groups for call in group.calls}

    @property
    def passing(self) -> list[Group]:
        """The groups that behaved as on a phone."""
        return [group for group in self.groups if group.passed]


def run_tests(junit: Path, extra: list[str]) -> int:
    """Run the clients' tests with a junit report; pytest's exit status."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", TESTS]
    command += [f"--junitxml={junit}", "-o", "junit_family=xunit1", *extra]
    log.info("running %s", " ".join(command))
    result = subprocess.run(command, cwd=ROOT, env=env, stdout=sys.stderr, check=False)
    return result.returncode


def _group(case: ET.Element) -> tuple[str, Group]:
    props = {p.get("name"): p.get("value", "") for p in case.iter("property")}
    problem = next(
        (case.find(tag) for tag in ("failure", "error", "skipped") if case.find(tag) is not None),
        None,
    )
    reason = "" if problem is None else (problem.get("message") or problem.tag).splitlines()[0]
    calls = tuple(_steady(line) for line in props.get("calls", "").splitlines() if line)
    client = props.get("client") or case.get("classname", "?").rsplit(".", 1)[-1]
    name = case.get("name", "?").removeprefix("test_").replace("_", " ")
    return client, Group(name, problem is None, calls, reason[:160])


def _steady(call: str) -> str:
    for pattern, replacement in VOLATILE:
        call = pattern.sub(replacement, call)
    return call


def read_junit(path: Path) -> list[ClientRow]:
    """The clients in the order their tests ran, with their groups."""
    rows: dict[str, ClientRow] = {}
    for case in ET.parse(path).getroot().iter("testcase"):
        client, group = _group(case)
        rows.setdefault(client, ClientRow(client)).groups.append(group)
    return list(rows.values())


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render(rows: list[ClientRow], when: datetime) -> str:
    """The Markdown table (summary, then each group with the commands it sent)."""
    groups = sum(len(row.groups) for row in rows)
    passing = sum(len(row.passing) for row in rows)
    lines = [
        f"Run on {when:%Y-%m-%d %H:%M} UTC: {passing} of {groups} call groups"
        " behave as on a phone.",
        "",
        "| Client | Calls tried (commands / groups) | Groups that behave as on a phone |",
        "|---|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {_cell(row.client)} | {len(row.calls)} / {len(row.groups)} "
            f"| {len(row.passing)} of {len(row.groups)} |"
        )
    for row in rows:
        lines += [
            "",
            f"### {row.client}",
            "",
            "| Group | As on a phone | Commands sent |",
            "|---|---|---|",
        ]
        for group in row.groups:
            verdict = "yes" if group.passed else f"no: {_cell(group.reason)}"
            calls = "<br>".join(f"`{_cell(call)}`" for call in group.calls)
            lines.append(f"| {group.name} | {verdict} | {calls} |")
    return "\n".join(lines) + "\n"


def write_into(doc: Path, table: str) -> None:
    """Replace the text between the table markers in `doc` (ValueError without them)."""
    text = doc.read_text(encoding="utf-8")
    start, end = text.find(MARKER_START), text.find(MARKER_END)
    if start < 0 or end < start:
        raise ValueError(f"{doc} has no {MARKER_START} … {MARKER_END} section")
    doc.write_text(text[: start + len(MARKER_START)] + "\n" + table + text[end:], encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Run (or read) the tests and print or write the table; 2 when nothing was run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--junit", type=Path, help="read this junit XML instead of running")
    parser.add_argument("--write", type=Path, help="put the table into this Markdown file")
    parser.add_argument("pytest_args", nargs="*", help="extra pytest arguments")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    with tempfile.TemporaryDirectory() as tmp:
        junit = args.junit or Path(tmp) / "clients.xml"
        if args.junit is None:
            status = run_tests(junit, args.pytest_args)
            if status not in (0, 1) or not junit.exists():
                log.error("pytest ended with status %d and no results", status)
                return 2
        table = render(read_junit(junit), datetime.now(UTC))
    if args.write:
        write_into(args.write, table)
        log.info("table written into %s", args.write)
    else:
        sys.stdout.write(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
