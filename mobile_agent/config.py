"""One typed settings object, read by the command line, the GUI and the Python API alike.

Layers, later ones winning: defaults declared here → the file ``$MOBILE_AGENT_HOME/config.toml``
→ environment variables ``MOBILE_AGENT_<FIELD>`` → explicit overrides (CLI flags, GUI).
Each layer is validated on its own, so an error names where the bad value came from, and the
layers stay apart: `set_file_value` changes the file layer only, so a value that came from
the environment never ends up in the file. ``MOBILE_AGENT_HOME`` moves the whole data and
config directory (tests and scripts use it so they never touch a user's files).
"""

from __future__ import annotations

import logging
import os
import tempfile
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from mobile_agent.errors import ConfigError, describe_validation_error

log = logging.getLogger(__name__)

ENV_PREFIX = "MOBILE_AGENT_"
AGENT_ROLES = ("manager", "operator", "reflector", "notetaker")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
_COLLECTIONS = (dict[str, str], list[str])


def home_dir(*, create: bool = True) -> Path:
    """The data and config directory, created unless `create` is False.

    `ConfigError` when it is not a directory or cannot be created.
    """
    env = os.environ.get("MOBILE_AGENT_HOME")
    if env:
        path = Path(env).expanduser()
    else:
        from platformdirs import user_data_dir

        path = Path(user_data_dir("mobile-agent", appauthor=False))
    if not create:
        return path
    try:
        path.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise ConfigError(
            f"the data directory {path} is a file, not a directory; move the file away "
            "or set MOBILE_AGENT_HOME to a directory"
        ) from None
    except OSError as exc:
        raise ConfigError(
            f"cannot create the data directory {path} ({exc.strerror or exc}); "
            "set MOBILE_AGENT_HOME to a directory you can write to"
        ) from None
    return path


def data_dir(name: str) -> Path:
    """A sub-directory of the data directory (created on first use)."""
    path = home_dir() / name
    try:
        path.mkdir(exist_ok=True)
    except OSError as exc:
        raise ConfigError(
            f"cannot create {path} ({exc.strerror or exc}); the data directory must be "
            "writable (set MOBILE_AGENT_HOME to move it)"
        ) from None
    return path


def check_text(value: str, what: str = "value") -> str:
    """`value` if it is one line of valid text; `ValueError` otherwise."""
    if any("\udc80" <= c <= "\udcff" for c in value):
        raise ValueError(f"the {what} contains bytes that are not valid UTF-8")
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise ValueError(f"the {what} contains control characters")
    return value


def check_base_url(url: str) -> str:
    """`url`, stripped, if a model server can be reached at it; `ValueError` saying why not.

    One check for the settings, the CLI and the model backends: `llm.endpoints`.
    """
    from mobile_agent.llm.endpoints import check_base_url as check

    try:
        return check(check_text(url, "base URL"))
    except ConfigError as exc:
        raise ValueError(str(exc)) from None


def check_model_spec(spec: str) -> str:
    """`spec`, stripped, if it is PROVIDER:MODEL with a known provider; `ValueError` if not."""
    from mobile_agent.llm.factory import parse_spec

    spec = check_text(spec.strip(), "model")
    try:
        parse_spec(spec)
    except ConfigError as exc:
        raise ValueError(str(exc)) from None
    return spec


def parse_adb_address(text: str) -> tuple[str, int]:
    """HOST:PORT (IPv6 as [::1]:PORT) as a host and a port; `ValueError` saying why not."""
    host, sep, port_text = text.strip().rpartition(":")
    host = host.removeprefix("[").removesuffix("]")
    if not sep or not host or any(c.isspace() for c in host):
        raise ValueError(f"{text!r} is not HOST:PORT (e.g. 192.168.1.20:5037)")
    try:
        port = int(port_text)
    except ValueError:
        raise ValueError(f"{text!r} is not HOST:PORT: {port_text!r} is not a port") from None
    if not 1 <= port <= 65535:
        raise ValueError(f"{text!r} is not HOST:PORT: {port} is not a port (1–65535)")
    return host, port


def _check_role(role: str) -> str:
    if role not in AGENT_ROLES:
        raise ValueError(f"{role!r} is not an agent role (roles: {', '.join(AGENT_ROLES)})")
    return role


class Settings(BaseModel):
    """Every user-facing setting, with its default and meaning."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, allow_inf_nan=False)

    model: str = Field("", description="Default model as PROVIDER:MODEL, e.g. openai:gpt-4o")
    base_url: str = Field("", description="Base URL for OpenAI-compatible providers")
    agent_models: dict[str, str] = Field(
        default_factory=dict,
        description="Per-agent model overrides, e.g. {notetaker = 'openai:gpt-4o-mini'}",
    )
    agent_images: list[str] = Field(
        default_factory=lambda: ["operator", "reflector"],
        description="Agents that receive screenshots (the others get text only)",
    )
    device: str = Field(
        "", description="Default device serial ('virtual' = the built-in virtual phone)"
    )
    adb_server: str = Field(
        "",
        description="The adb server to use as HOST:PORT, e.g. another host's or a device "
        "farm's (empty: the local one, ANDROID_ADB_SERVER_PORT or 5037)",
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
        120.0, gt=0, description="Overall deadline of one model call, retries included"
    )
    ocr: Literal["rapidocr", "paddleocr", "none"] = Field("rapidocr", description="OCR engine")
    ocr_policy: Literal["auto", "always", "never"] = Field("auto", description="When OCR runs")
    icons: Literal["auto", "always", "never"] = Field(
        "auto", description="When icons without labels are found and named (auto: thin screens)"
    )
    icon_captioner: str = Field(
        "model", description="Who names icons: model (the run's), local:<folder>, or none"
    )
    icons_thin_labels: int = Field(
        3, ge=0, le=100, description="Fewer labelled elements than this: a thin hierarchy"
    )
    settle_max_s: float = Field(
        3.0, gt=0, description="Longest wait for the screen to settle after an action"
    )
    history_steps: int = Field(5, ge=1, le=50, description="Recent steps shown to the operator")
    evident_outcomes: bool = Field(
        True,
        description="Decide outcomes the screens settle alone (nothing changed, the app left "
        "the task's apps, the text is in the field) without a reflector call",
    )
    notetaker: Literal["new", "always", "never"] = Field(
        "new",
        description="When the notetaker runs after a successful step: 'new' (the screen shows "
        "text it has not read yet), 'always' or 'never'",
    )
    notes_beside_verdict: bool = Field(
        True,
        description="Run the notetaker beside the reflector's call (its notes kept only when "
        "the step succeeds) instead of after it",
    )
    reflector_image_px: int = Field(
        1024,
        ge=0,
        le=4096,
        description="Longest side of the screenshots sent to the reflector (0: full size)",
    )
    stop_grace_s: float = Field(
        10.0, gt=0, le=600, description="Longest wait for the step in flight after a stop (Ctrl-C)"
    )
    allow: list[str] = Field(
        default_factory=list,
        description="Consequential actions a run may do without asking: send, pay, delete, "
        "call, install, permission, password, scope, or all (default: ask for each)",
    )
    allow_apps: list[str] = Field(
        default_factory=list, description="The only apps runs may use (empty: any app)"
    )
    deny_apps: list[str] = Field(default_factory=list, description="Apps runs may never use")
    memory_db: str = Field(
        "", description="The memory database (tips, shortcuts, runs); empty: memory.db here"
    )
    memory_use_proposed: bool = Field(
        False, description="Use learned tips and shortcuts before a person approves them"
    )
    memory_tips: int = Field(5, ge=0, le=50, description="Most learned tips given to one task")
    memory_shortcuts: int = Field(
        3, ge=0, le=20, description="Most learned shortcuts offered to one task"
    )
    memory_demote_after: int = Field(
        3, ge=1, le=100, description="Failed replays in a row before a shortcut is demoted"
    )
    memory_retrieval: Literal["fts", "embeddings", "model"] = Field(
        "fts",
        description="How learned tips and shortcuts are chosen for a task: full-text search, "
        "embeddings of a local model, or the model's choice among the search results",
    )
    memory_embedding_model: str = Field(
        "",
        description="Directory of a local sentence-transformers model "
        "(for memory_retrieval = 'embeddings')",
    )
    log_level: str = Field(
        "WARNING", description="Least severe log messages shown on stderr (-v, -vv show more)"
    )

    @classmethod
    def field_names(cls) -> list[str]:
        """The names of all settings, in declaration order."""
        return list(cls.model_fields)

    @model_validator(mode="before")
    @classmethod
    def _known_names(cls, data: Any) -> Any:
        if isinstance(data, dict):
            unknown = sorted(str(k) for k in data if k not in cls.model_fields)
            if unknown:
                raise ValueError(
                    f"unknown setting {', '.join(map(repr, unknown))} "
                    f"(settings: {', '.join(cls.model_fields)})"
                )
        return data

    @field_validator("model")
    @classmethod
    def _model(cls, value: str) -> str:
        return check_model_spec(value) if value.strip() else ""

    @field_validator("base_url")
    @classmethod
    def _base_url(cls, value: str) -> str:
        return check_base_url(value) if value.strip() else ""

    @field_validator("device")
    @classmethod
    def _device(cls, value: str) -> str:
        value = check_text(value.strip(), "device serial")
        if " " in value:
            raise ValueError(f"{value!r} is not a device serial (it contains spaces)")
        return value

    @field_validator("adb_server")
    @classmethod
    def _adb_server(cls, value: str) -> str:
        if not value.strip():
            return ""
        host, port = parse_adb_address(value)
        return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"

    @field_validator("agent_models")
    @classmethod
    def _agent_models(cls, value: dict[str, str]) -> dict[str, str]:
        return {_check_role(role): check_model_spec(spec) for role, spec in value.items()}

    @field_validator("agent_images")
    @classmethod
    def _agent_images(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(_check_role(role) for role in value))

    @field_validator("allow")
    @classmethod
    def _allow(cls, value: list[str]) -> list[str]:
        from mobile_agent.safety.gate import check_kinds

        return check_kinds(value)

    @field_validator("log_level")
    @classmethod
    def _log_level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in LOG_LEVELS:
            raise ValueError(f"{value!r} is not a log level (one of {', '.join(LOG_LEVELS)})")
        return level


def config_path(*, create: bool = True) -> Path:
    """Where the settings file lives (its directory is created unless `create` is False)."""
    return home_dir(create=create) / "config.toml"


def parse_value(name: str, raw: str) -> Any:
    """A value given as text (CLI, environment): JSON for lists and tables, else the text."""
    import json

    if Settings.model_fields[name].annotation not in _COLLECTIONS:
        return raw
    try:
        return json.loads(raw)
    except ValueError:
        if Settings.model_fields[name].annotation == list[str] and "=" not in raw:
            return [item.strip() for item in raw.split(",") if item.strip()]
        raise ConfigError(
            f'{name} takes JSON, e.g. \'["operator"]\' or \'{{"notetaker": "openai:gpt-4o-mini"}}\''
        ) from None


def env_values() -> dict[str, Any]:
    """The settings given by ``MOBILE_AGENT_<FIELD>`` environment variables."""
    values: dict[str, Any] = {}
    for name in Settings.model_fields:
        raw = os.environ.get(ENV_PREFIX + name.upper())
        if raw is not None:
            try:
                values[name] = parse_value(name, raw)
            except ConfigError as exc:
                raise ConfigError(f"{ENV_PREFIX}{name.upper()}: {exc}") from None
    return values


def file_values(path: Path | None = None) -> dict[str, Any]:
    """The settings written in the config file (empty when there is none)."""
    path = path or config_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "it is not UTF-8 text"
        raise ConfigError(f"cannot read {path} ({reason or exc})") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from None


def _validate(data: dict[str, Any], source: str = "") -> Settings:
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        problem = describe_validation_error(exc, whole="settings")
        where = f"invalid settings in {source}" if source else "invalid value"
        raise ConfigError(f"{where}: {problem}") from None


def load_settings(overrides: dict[str, Any] | None = None, path: Path | None = None) -> Settings:
    """Settings from defaults, the config file, the environment and `overrides`."""
    path = path or config_path()
    from_file = file_values(path)
    _validate(from_file, str(path))
    from_env = env_values()
    names = ", ".join(ENV_PREFIX + name.upper() for name in from_env)
    _validate(from_env, f"the environment ({names})")
    given = {k: v for k, v in (overrides or {}).items() if v is not None}
    return _validate(from_file | from_env | given, "the options given")


def set_file_value(name: str, value: Any, path: Path | None = None) -> Any:
    """Store one setting in the config file, leaving its other entries as they are.

    Returns the value as stored (validated and normalised). Only the file layer is read and
    written: environment variables and defaults never end up in the file.
    """
    path = path or config_path()
    _validate({name: value})
    values = file_values(path)
    values[name] = value
    settings = _validate(values, str(path))
    write_file_values({k: getattr(settings, k) for k in Settings.model_fields if k in values}, path)
    return getattr(settings, name)


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
        items = ", ".join(f"{_toml_value(str(k))} = {_toml_value(v)}" for k, v in value.items())
        return "{" + items + "}"
    raise ConfigError(f"cannot store {value!r} in TOML")


def write_file_values(values: dict[str, Any], path: Path | None = None) -> Path:
    """Replace the config file with `values`, atomically and with mode 0600.

    The text goes to a temporary file in the same directory (created 0600 whatever the
    umask: the file names endpoints and may hold a base URL with credentials), which is
    synced and renamed over the old file; on any failure the temporary file is removed and
    the old file is left as it was.
    """
    path = path or config_path()
    text = "".join(f"{name} = {_toml_value(value)}\n" for name, value in values.items())
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise ConfigError(f"cannot write {path} ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(tmp, path)
    except (OSError, ValueError) as exc:
        Path(tmp).unlink(missing_ok=True)
        reason = exc.strerror if isinstance(exc, OSError) else exc
        raise ConfigError(f"cannot write {path} ({reason or exc})") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
