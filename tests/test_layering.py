"""The dependency rules of the two packages, read from the source (docs/adr/0008)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _imports(path: Path) -> set[str]:
    """Every module a file imports (at any depth in the file, relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def _files(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def _offenders(package: str, forbidden: tuple[str, ...]) -> dict[str, list[str]]:
    bad: dict[str, list[str]] = {}
    for path in _files(package):
        hits = sorted(name for name in _imports(path) if any(name.startswith(f) for f in forbidden))
        if hits:
            bad[str(path.relative_to(ROOT))] = hits
    return bad


def test_the_scanner_sees_imports() -> None:
    # the rules below mean something only if the scanner finds real imports
    found = _imports(ROOT / "mobile_agent" / "runner" / "core.py")
    assert "mobile_agent.device.base" in found
    assert any(name.startswith("virtual_phone") for name in _imports(ROOT / "tests/conftest.py"))


def test_the_virtual_phone_imports_nothing_of_the_assistant() -> None:
    assert _offenders("virtual_phone", ("mobile_agent",)) == {}


@pytest.mark.parametrize(
    "part",
    ["device", "perception", "runner", "agents", "actions", "llm", "config.py", "events.py"],
)
def test_only_bench_and_cli_start_the_virtual_phone(part: str) -> None:
    target = f"mobile_agent/{part}"
    paths = [ROOT / target] if part.endswith(".py") else _files(target)
    bad = {
        str(p.relative_to(ROOT)): sorted(n for n in _imports(p) if n.startswith("virtual_phone"))
        for p in paths
    }
    assert {k: v for k, v in bad.items() if v} == {}


def test_perception_is_pure() -> None:
    forbidden = tuple(f"mobile_agent.{p}" for p in ("device", "agents", "llm", "runner", "cli"))
    assert _offenders("mobile_agent/perception", forbidden) == {}


_QT = ("PySide6", "shiboken6")


def test_the_core_never_imports_qt_or_the_gui() -> None:
    forbidden = (*_QT, "mobile_agent.gui")
    for part in ("runner", "agents", "actions", "llm", "perception", "device", "memory", "safety"):
        assert _offenders(f"mobile_agent/{part}", forbidden) == {}, part


# The desktop app's package, its command and its benchmark (`mobile-agent bench gui`, which
# imports Qt inside its functions and says what to install without it).
_APP = ("mobile_agent/gui/", "mobile_agent/cli/gui.py", "mobile_agent/bench/gui_loop.py")


def test_only_the_desktop_app_imports_qt() -> None:
    # the core, the rest of the CLI and of the benchmark, and the virtual phone run without
    # PySide6 installed (`doctor` may import the bare package, for its version: no Qt module)
    qt = ("PySide6.", "shiboken6")
    found = {**_offenders("mobile_agent", qt), **_offenders("virtual_phone", qt)}
    assert {path for path in found if not path.startswith(_APP)} == set()
    assert "mobile_agent/cli/gui.py" in found  # the scanner sees the app's own imports


def test_only_the_desktop_app_imports_the_gui_package() -> None:
    found = _offenders("mobile_agent", ("mobile_agent.gui",))
    assert {path for path in found if not path.startswith(_APP)} == set()


def test_llm_knows_nothing_of_devices_or_perception() -> None:
    forbidden = ("mobile_agent.device", "mobile_agent.perception", "mobile_agent.runner")
    assert _offenders("mobile_agent/llm", forbidden) == {}


def test_the_store_never_drives_a_device_or_a_run() -> None:
    forbidden = tuple(f"mobile_agent.{p}" for p in ("runner", "device", "cli", "gui", "bench"))
    assert _offenders("mobile_agent/memory", forbidden) == {}
