"""`test` / `[` and the loop controls `break` / `continue`, as mksh's built-ins behave."""

from __future__ import annotations

import stat as stat_module
from collections.abc import Callable

from virtual_phone.shell.context import CommandError, CommandFunc, Ctx, LoopControl

SH = "/system/bin/sh"

_INT_OPS: dict[str, Callable[[int, int], bool]] = {
    "-eq": lambda a, b: a == b,
    "-ne": lambda a, b: a != b,
    "-lt": lambda a, b: a < b,
    "-le": lambda a, b: a <= b,
    "-gt": lambda a, b: a > b,
    "-ge": lambda a, b: a >= b,
}
_STR_OPS: dict[str, Callable[[str, str], bool]] = {
    "=": lambda a, b: a == b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    ">": lambda a, b: a > b,
}
_FILE_OPS = set("efdrwxsLhcbpSgukOGt")


class _TestError(Exception):
    pass


class _Test:
    """A recursive-descent evaluator of test's expression grammar (-o below -a below !)."""

    def __init__(self, ctx: Ctx, args: list[str]) -> None:
        self.ctx = ctx
        self.args = args
        self.pos = 0

    def run(self) -> bool:
        if not self.args:
            return False
        result = self.or_()
        if self.pos < len(self.args):
            raise _TestError(f"{self.args[self.pos]}: unexpected operator/operand")
        return result

    def _next(self) -> str:
        if self.pos >= len(self.args):
            raise _TestError("missing argument")
        self.pos += 1
        return self.args[self.pos - 1]

    def or_(self) -> bool:
        result = self.and_()
        while self.pos < len(self.args) and self.args[self.pos] == "-o":
            self.pos += 1
            result = self.and_() or result
        return result

    def and_(self) -> bool:
        result = self.not_()
        while self.pos < len(self.args) and self.args[self.pos] == "-a":
            self.pos += 1
            result = self.not_() and result
        return result

    def not_(self) -> bool:
        if self.args[self.pos : self.pos + 1] == ["!"] and self.pos + 1 < len(self.args):
            self.pos += 1
            return not self.not_()
        return self.primary()

    def primary(self) -> bool:
        rest = len(self.args) - self.pos
        first = self._next()
        if first == "(" and rest >= 3:
            result = self.or_()
            if self._next() != ")":
                raise _TestError("missing )")
            return result
        if rest >= 3 and self.args[self.pos] in (*_INT_OPS, *_STR_OPS):
            op, second = self._next(), self._next()
            if op in _INT_OPS:
                return _INT_OPS[op](self._int(first), self._int(second))
            return _STR_OPS[op](first, second)
        if (
            rest >= 2
            and len(first) == 2
            and first[0] == "-"
            and first[1] in "nz" + "".join(_FILE_OPS)
        ):
            return self.unary(first[1], self._next())
        return first != ""

    def _int(self, text: str) -> int:
        try:
            return int(text.strip())
        except ValueError:
            raise _TestError(f"{text}: bad number") from None

    def unary(self, op: str, operand: str) -> bool:
        if op == "n":
            return operand != ""
        if op == "z":
            return operand == ""
        if op == "t":
            return False
        info = self.ctx.phone.fs.stat(self.ctx.path(operand)) if operand else None
        if info is None:
            return False
        mode, size = info[0], info[1]
        checks: dict[str, bool] = {
            "e": True,
            "f": stat_module.S_ISREG(mode),
            "d": stat_module.S_ISDIR(mode),
            "L": stat_module.S_ISLNK(mode),
            "h": stat_module.S_ISLNK(mode),
            "s": size > 0,
            "r": bool(mode & 0o444),
            "w": bool(mode & 0o222),
            "x": bool(mode & 0o111),
        }
        return checks.get(op, False)


def test(ctx: Ctx) -> int:
    """`test EXPR` / `[ EXPR ]`: 0 true, 1 false, 2 for a malformed expression."""
    args = list(ctx.args)
    if ctx.name == "[":
        if not args or args[-1] != "]":
            raise CommandError(f"{SH}: [: missing ]", 2)
        args.pop()
    try:
        return 0 if _Test(ctx, args).run() else 1
    except _TestError as exc:
        raise CommandError(f"{SH}: {ctx.name}: {exc}", 2) from None


def _loop_control(again: bool) -> CommandFunc:
    def control(ctx: Ctx) -> int:
        levels = ctx.args[0] if ctx.args else "1"
        if not levels.isdigit() or int(levels) < 1:
            raise CommandError(f"{ctx.name}: {levels}: bad number", 1)
        raise LoopControl(int(levels), again)

    return control


COMMANDS: dict[str, CommandFunc] = {
    "test": test,
    "[": test,
    "break": _loop_control(False),
    "continue": _loop_control(True),
}
