"""Compound commands: `if`, `for`, `while` / `until`, `case`, `{ …; }` and `( … )`."""

from __future__ import annotations

import fnmatch
from typing import TYPE_CHECKING

from virtual_phone.shell.context import LoopControl, ShellExit
from virtual_phone.shell.expand import Expander
from virtual_phone.shell.parser import Case, Compound, For, Group, If, Script, While

if TYPE_CHECKING:
    from virtual_phone.shell.interpreter import Session, Shell, ShellIO


async def run_compound(shell: Shell, node: Compound, io: ShellIO, session: Session) -> int:
    """Run one compound command; its exit status as mksh gives it."""
    if isinstance(node, If):
        return await _if(shell, node, io, session)
    if isinstance(node, For):
        return await _for(shell, node, io, session)
    if isinstance(node, While):
        return await _while(shell, node, io, session)
    if isinstance(node, Case):
        return await _case(shell, node, io, session)
    return await _group(shell, node, io, session)


async def _case(shell: Shell, node: Case, io: ShellIO, session: Session) -> int:
    expander = Expander(shell, io, session)
    subject = await expander.string(node.word)
    for patterns, body in node.items:
        for pattern in patterns:
            if fnmatch.fnmatchcase(subject, await expander.pattern(pattern)):
                return await shell.run_list(body, io, session)
    return 0


async def _if(shell: Shell, node: If, io: ShellIO, session: Session) -> int:
    for condition, body in node.clauses:
        if await shell.run_condition(condition, io, session) == 0:
            return await shell.run_list(body, io, session)
    if node.otherwise is not None:
        return await shell.run_list(node.otherwise, io, session)
    return 0


async def _loop_body(shell: Shell, body: Script, io: ShellIO, session: Session) -> int | None:
    """The body's status, or None when `break` leaves this loop (deeper levels re-raise)."""
    try:
        return await shell.run_list(body, io, session)
    except LoopControl as exc:
        if exc.levels > 1:
            exc.levels -= 1
            raise
        return 0 if exc.again else None


async def _for(shell: Shell, node: For, io: ShellIO, session: Session) -> int:
    if node.items is None:
        items = list(session.args)
    else:
        expander = Expander(shell, io, session)
        items = [field for word in node.items for field in await expander.fields(word)]
    status = 0
    for item in items:
        if io.hangup.is_set():
            break
        session.vars[node.name] = item
        result = await _loop_body(shell, node.body, io, session)
        if result is None:
            break
        status = result
    return status


async def _while(shell: Shell, node: While, io: ShellIO, session: Session) -> int:
    status = 0
    while not io.hangup.is_set():
        tested = await shell.run_condition(node.condition, io, session)
        if (tested == 0) == node.until:
            break
        result = await _loop_body(shell, node.body, io, session)
        if result is None:
            break
        status = result
    return status


async def _group(shell: Shell, node: Group, io: ShellIO, session: Session) -> int:
    if not node.subshell:
        return await shell.run_list(node.body, io, session)
    child = session.subshell()
    try:
        return await shell.run_list(node.body, io, child)
    except ShellExit as exc:
        return exc.status
