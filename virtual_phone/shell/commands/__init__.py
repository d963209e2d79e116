"""The virtual phone's shell commands, one module per family."""

from __future__ import annotations

from virtual_phone.shell.context import CommandFunc


def all_commands() -> dict[str, CommandFunc]:
    """Every command by name."""
    from virtual_phone.shell.commands import (
        activity,
        builtins,
        conditions,
        content,
        dumpsys,
        files,
        filters,
        input_cmd,
        media,
        package,
        printing,
        procs,
        screenrecord,
        settings_cmd,
        shell_state,
        system,
        text,
        u2server,
    )

    table: dict[str, CommandFunc] = {}
    for module in (
        builtins,
        printing,
        shell_state,
        conditions,
        files,
        text,
        filters,
        input_cmd,
        activity,
        package,
        system,
        procs,
        dumpsys,
        media,
        u2server,
        settings_cmd,
        content,
        screenrecord,
    ):
        table.update(module.COMMANDS)
    return table
