"""`mobile-agent doctor`: check that everything the agents need is in place."""

from __future__ import annotations

import argparse
import importlib.util
import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mobile_agent.errors import MobileAgentError

Check = tuple[str, Callable[[], tuple[bool, str]]]


def register(sub: Any) -> None:
    """Add the `doctor` command."""
    parser = sub.add_parser("doctor", help="check adb, devices, OCR, fonts, GUI and model settings")
    parser.set_defaults(handler=_doctor)


def _adb_binary() -> tuple[bool, str]:
    from adbutils._utils import adb_path

    path = adb_path()
    out = subprocess.run([path, "version"], capture_output=True, text=True, timeout=20, check=False)
    first = out.stdout.splitlines()[0] if out.stdout else out.stderr.strip()
    return out.returncode == 0, f"{path}: {first}"


def _adb_server() -> tuple[bool, str]:
    from mobile_agent.device import list_devices
    from mobile_agent.device.transport import adb_client
    from mobile_agent.errors import AdbServerError

    try:
        devices = list_devices(timeout_s=3)
    except AdbServerError as exc:
        return False, str(exc)
    port = adb_client().port
    if not devices:
        return (
            True,
            f"server on port {port}; no device attached (try `mobile-agent sim start --connect`)",
        )
    return True, f"server on port {port}; devices: " + ", ".join(d.serial for d in devices)


def _data_dir() -> tuple[bool, str]:
    from mobile_agent.config import home_dir

    path = home_dir()
    if not os.access(path, os.W_OK | os.X_OK):
        return False, f"{path} is not writable (set MOBILE_AGENT_HOME to move it)"
    return True, str(path)


def _ocr_models() -> tuple[bool, str]:
    spec = importlib.util.find_spec("rapidocr")
    if spec is None or not spec.submodule_search_locations:
        return False, "rapidocr is not installed"
    models = sorted(
        p.name for p in Path(next(iter(spec.submodule_search_locations))).glob("models/*.onnx")
    )
    return bool(models), ", ".join(models) or "no bundled models found"


def _fonts() -> tuple[bool, str]:
    roots = [Path("/usr/share/fonts"), Path.home() / ".fonts"]
    found = [p.name for root in roots if root.exists() for p in root.rglob("*.tt[fc]")]
    cjk = [f for f in found if "wqy" in f.lower() or "cjk" in f.lower()]
    msg = f"{len(found)} TrueType fonts" + (
        "" if cjk else " (no CJK font: scripts/install-system-deps.sh)"
    )
    return True, msg


def _qt() -> tuple[bool, str]:
    if importlib.util.find_spec("PySide6") is None:
        return False, "PySide6 missing: pip install 'mobile-agent[gui]'"
    import PySide6

    return True, f"PySide6 {PySide6.__version__}"


def _model() -> tuple[bool, str]:
    from mobile_agent.config import AGENT_ROLES, load_settings

    settings = load_settings()
    specs = [s for s in dict.fromkeys([settings.model, *settings.agent_models.values()]) if s]
    if not settings.model and not all(settings.agent_models.get(r) for r in AGENT_ROLES):
        return (
            False,
            "no model configured: `mobile-agent config set model openai:gpt-4o` "
            "(or --model on `run`)",
        )
    for spec in specs:
        problem = _model_problem(spec, settings.base_url)
        if problem:
            return False, f"{spec}: {problem}"
    return True, ", ".join(specs)


def _model_problem(spec: str, base_url: str) -> str:
    """What keeps `spec` from working ("" when nothing we can see without calling it)."""
    from mobile_agent.llm.factory import parse_spec
    from mobile_agent.llm.keys import find_api_key, missing_key_message

    provider, _ = parse_spec(spec)
    if provider.name == "openai-compatible" and not base_url:
        return "needs a base URL: `mobile-agent config set base_url http://HOST:PORT/v1`"
    if provider.key_required and not find_api_key(provider.name, provider.env_vars):
        return missing_key_message(provider.name, provider.env_vars)
    return ""


CHECKS: list[Check] = [
    ("adb binary", _adb_binary),
    ("adb server", _adb_server),
    ("OCR models", _ocr_models),
    ("fonts", _fonts),
    ("GUI (Qt)", _qt),
    ("data dir", _data_dir),
    ("model", _model),
]


def _doctor(args: argparse.Namespace) -> int:
    failed = 0
    for name, check in CHECKS:
        try:
            ok, detail = check()
        except MobileAgentError as exc:
            ok, detail = False, str(exc)
        except Exception as exc:  # a doctor reports every failure instead of stopping
            ok, detail = False, f"{type(exc).__name__}: {exc}"
        failed += not ok
        print(f"[{'ok' if ok else '!!'}] {name:11} {detail}")
    return 1 if failed else 0
