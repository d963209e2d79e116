"""`mobile-agent config`: show and change settings, store API keys in the OS keyring."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from typing import Any

from mobile_agent.config import (
    ENV_PREFIX,
    Settings,
    config_path,
    env_values,
    load_settings,
    parse_value,
    set_file_value,
)
from mobile_agent.errors import ConfigError


def register(sub: Any) -> None:
    """Add the `config` command group."""
    parser = sub.add_parser("config", help="show or change settings")
    cfg = parser.add_subparsers(dest="config_command", metavar="SUBCOMMAND")
    show = cfg.add_parser("show", help="print the effective settings")
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=_show)
    cfg.add_parser("path", help="print the settings file's path").set_defaults(
        handler=lambda args: print(config_path()) or 0
    )
    setp = cfg.add_parser(
        "set",
        help="store one setting in the settings file",
        description="Store one setting in the settings file. Environment variables "
        f"({ENV_PREFIX}<NAME>) still override it; they are never written to the file.",
    )
    setp.add_argument("key", choices=Settings.field_names())
    setp.add_argument("value", help="the value (JSON for lists and tables)")
    setp.set_defaults(handler=_set)
    key = cfg.add_parser("set-key", help="store a provider's API key in the OS keyring")
    key.add_argument("provider", help="openai, anthropic, gemini, openrouter, dashscope, …")
    key.set_defaults(handler=_set_key)
    parser.set_defaults(handler=_show, json=False)


def _show(args: argparse.Namespace) -> int:
    settings = load_settings()
    if getattr(args, "json", False):
        print(json.dumps(settings.model_dump(), indent=2))
        return 0
    from_env = env_values()
    for name, info in Settings.model_fields.items():
        source = f"  (from {ENV_PREFIX}{name.upper()})" if name in from_env else ""
        print(f"{name:26} = {getattr(settings, name)!r}    # {info.description}{source}")
    print(f"\nfile: {config_path()}")
    return 0


def _set(args: argparse.Namespace) -> int:
    value = parse_value(args.key, args.value)
    path = config_path()
    stored = set_file_value(args.key, value, path)
    print(f"{args.key} = {stored!r}  (saved to {path})")
    variable = ENV_PREFIX + args.key.upper()
    if variable in os.environ:
        print(f"Note: {variable} is set in the environment and overrides the file.")
    return 0


def _set_key(args: argparse.Namespace) -> int:
    from mobile_agent.llm.keys import store_api_key

    if sys.stdin.isatty():
        secret = getpass.getpass(f"API key for {args.provider}: ")
    else:
        secret = sys.stdin.readline().strip()
    if not secret:
        raise ConfigError("no key given")
    store_api_key(args.provider, secret)
    print(f"Stored the {args.provider} key in the OS keyring.")
    return 0
