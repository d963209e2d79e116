"""One typed settings object, read by the command line, the GUI and the Python API alike.

Sources, later ones winning: defaults declared here → ``$MOBILE_AGENT_HOME/config.toml`` →
environment variables ``MOBILE_AGENT_<FIELD>`` → explicit overrides (CLI flags, GUI).
``MOBILE_AGENT_HOME`` moves the whole data and config directory (tests and scripts use it
so they never touch a user's files).
"""

from __future__ import annotations

import logging
import os
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from mobile_agent.errors import ConfigError, describe_validation_error

log = logging.getLogger(__name__)

ENV_PREFIX = "MOBILE_AGENT_"
AGENT_ROLES = ("manager", "operator", "reflector", "notetaker")


def home_dir() -> Path:
    """The data and config directory (created on first use)."""
    env = os.environ.get("MOBILE_AGENT_HOME")
    if env:
        path = Path(env).expanduser()
    else:
        from platformdirs import user_data_dir

        path = Path(user_data_dir("mobile-agent", appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


class Settings(BaseModel):
    """Every user-facing setting, with its default and meaning."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    model: str = Field("", description="Default model as PROVIDER:MODEL, e.g. openai:gpt-4o")
    base_url: str = Field("", description="Base URL for OpenAI-compatible providers")
    agent_models: dict[str, str] = Field(
        default_factory=dict,
        description="Per-agent model overrides, e.g. {notetaker = 'openai:gpt-4o-mini'}",
    )
    agent_images: list[str] = Field(
        default_factory=lambda: ["manager", "operator", "reflector"],
        description="Agents that receive screenshots (the others get text only)",
    )
    device: str = Field(
        "", description="Default device serial ('virtual' = the built-in virtual phone)"
    )
    max_steps: int = Field(30, ge=1, le=1000, description="Most actions in one run")
    max_wall_s: float = Field(1800.0, gt=0, description="Most seconds one run may take")
    max_cost_usd: float = Field(
        2.0, ge=0, description="Most estimated model cost of one run (0 = no limit)"
    )
    max_consecutive_failures: int = Field(
        4, ge=1, description="Failed steps in a row before giving up"
    )
    model_timeout_s: float = Field(60.0, gt=0, description="Timeout of one HTTP request to a model")
    model_deadline_s: float = Field(
        180.0, gt=0, description="Overall deadline of one model call, retries included"
    )
    ocr: Literal["rapidocr", "paddleocr", "none"] = Field("rapidocr", description="OCR engine")
    ocr_policy: Literal["auto", "always", "never"] = Field("auto", description="When OCR runs")
    settle_max_s: float = Field(
        3.0, gt=0, description="Longest wait for the screen to settle after an action"
    )
    history_steps: int = Field(5, ge=1, le=50, description="Recent steps shown to the operator")
    log_level: str = Field("WARNING", description="Logging level for the log file")

    @classmethod
    def field_names(cls) -> list[str]:
        return list(cls.model_fields)


def config_path() -> Path:
    """Where the settings file lives."""
    return home_dir() / "config.toml"


def _env_values() -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, info in Settings.model_fields.items():
        raw = os.environ.get(ENV_PREFIX + name.upper())
        if raw is None:
            continue
        if info.annotation in (dict[str, str], list[str]):
            values[name] = _parse_collection(name, raw)
        else:
            values[name] = raw
    return values


def _parse_collection(name: str, raw: str) -> Any:
    import json

    try:
        return json.loads(raw)
    except ValueError:
        if "," in raw or "=" not in raw:
            return [item.strip() for item in raw.split(",") if item.strip()]
        raise ConfigError(f"{ENV_PREFIX}{name.upper()} must be JSON") from None


def load_settings(overrides: dict[str, Any] | None = None, path: Path | None = None) -> Settings:
    """Settings from defaults, the config file, the environment and `overrides`."""
    path = path or config_path()
    data: dict[str, Any] = {}
    if path.exists():
        try:
            data.update(tomllib.loads(path.read_text(encoding="utf-8")))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path} is not valid TOML: {exc}") from exc
    data.update(_env_values())
    data.update({k: v for k, v in (overrides or {}).items() if v is not None})
    try:
        return Settings(**data)
    except ValidationError as exc:
        raise ConfigError(f"invalid settings: {describe_validation_error(exc)}") from exc


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        return f'"{escaped}"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + "}"
    raise ConfigError(f"cannot store {value!r} in TOML")


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Write the non-default settings to the config file (atomically, mode 0600)."""
    path = path or config_path()
    defaults = Settings()
    lines = [
        f"{name} = {_toml_value(getattr(settings, name))}"
        for name in Settings.model_fields
        if getattr(settings, name) != getattr(defaults, name)
    ]
    tmp = path.with_suffix(".toml.tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    os.chmod(tmp, 0o600)
    tmp.replace(path)
    return path
