"""Word expansion: parameters, command substitution, arithmetic, field splitting, globbing."""

from __future__ import annotations

import fnmatch
import posixpath
import re
from typing import TYPE_CHECKING

from virtual_phone.shell.arith import ShellArithmeticError, evaluate
from virtual_phone.shell.context import CommandError
from virtual_phone.shell.lexer import UNQUOTED_EXPANSIONS, Lexer, Part, PartKind, Word

if TYPE_CHECKING:
    from virtual_phone.shell.interpreter import Session, Shell, ShellIO

SH = "/system/bin/sh"
_IFS_SPLIT = re.compile(r"[ \t\n]+")
_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|[0-9]+|[?$#!@*-]")
_BRACED = re.compile(r"([A-Za-z_][A-Za-z0-9_]*|[0-9]+|[?$#!@*-])(:?[-=+?]|##?|%%?)?(.*)", re.S)
_GLOB_CHARS = "*?["
# One field: (text, is unquoted literal text) segments.
_Field = list[tuple[str, bool]]


class ExpansionError(CommandError):
    """An expansion that fails (a bad arithmetic expression): the script stops, status 1."""


class Expander:
    """Expands the words of one command in a session."""

    def __init__(self, shell: Shell, io: ShellIO, session: Session) -> None:
        self.shell = shell
        self.io = io
        self.session = session

    def param(self, name: str, strict: bool = True) -> str:
        """The value of `$name` (special parameters included); with `set -u` an unset one is
        an error unless not `strict` (a `${name:-…}` operator decides)."""
        session = self.session
        if name == "?":
            return str(session.status)
        if name == "$":
            return str(self.shell.state.pid("sh"))
        if name == "#":
            return str(len(session.args))
        if name == "!":
            return str(session.last_background or "")
        if name == "0":
            return session.arg0
        if name.isdigit():
            index = int(name)
            return session.args[index - 1] if index <= len(session.args) else ""
        if name in "-@*":
            return " ".join(session.args) if name != "-" else "".join(sorted(session.options))
        if strict and name not in session.vars and "u" in session.options:
            raise ExpansionError(f"{SH}: {name}: parameter not set\n")
        return session.vars.get(name, "")

    def _is_set(self, name: str) -> bool:
        if name.isdigit():
            return 0 < int(name) <= len(self.session.args) or name == "0"
        return name in "?$#!-@*" or name in self.session.vars

    async def braced(self, text: str) -> str:
        """`${…}` with mksh's operators: `#name`, `:-` `-` `:=` `=` `:+` `+` `:?` `?`,
        and the pattern removals `#` `##` `%` `%%`."""
        if text.startswith("#") and len(text) > 1:
            return str(len(self.param(text[1:])))
        match = _BRACED.fullmatch(text)
        if match is None:
            raise ExpansionError(f"{SH}: ${{{text}}}: bad substitution\n")
        name, op, rest = match.groups()
        value = self.param(name, strict=not op or op[0] in "#%")
        if not op:
            return value
        word = await self.string(_words_of(rest))
        if op in ("#", "##", "%", "%%"):
            return _remove(value, word, op)
        present = self._is_set(name) and (bool(value) or not op.startswith(":"))
        kind = op.lstrip(":")
        if kind == "+":
            return word if present else ""
        if present:
            return value
        if kind == "=":
            self.session.vars[name] = word
        elif kind == "?":
            raise ExpansionError(f"{SH}: {name}: {word or 'parameter null or not set'}\n")
        return word

    async def _value(self, kind: PartKind, text: str) -> str:
        if kind in (PartKind.PARAM, PartKind.QUOTED_PARAM):
            return self.param(text) if _PLAIN.fullmatch(text) else await self.braced(text)
        if kind in (PartKind.COMMAND, PartKind.QUOTED_COMMAND):
            return await self.shell.substitute(text, self.io, self.session)
        if kind is PartKind.ARITH:
            return str(await self.arithmetic(text))
        return text

    async def arithmetic(self, text: str) -> int:
        """Evaluate `$((text))`, after expanding the parameters and substitutions in it."""
        expanded = await self.string(_words_of(text))
        try:
            return evaluate(expanded, self.session.vars)
        except ShellArithmeticError as exc:
            raise ExpansionError(f"{SH}: {exc}\n") from None

    async def string(self, word: Word) -> str:
        """A word expanded to one string (no field splitting or globbing)."""
        return "".join([await self._value(part.kind, part.text) for part in word])

    async def fields(self, word: Word) -> list[str]:
        """A word expanded to fields: unquoted expansions are split, patterns globbed."""
        fields: list[_Field] = [[]]
        for part in word:
            value = await self._value(part.kind, part.text)
            if part.kind not in UNQUOTED_EXPANSIONS:
                fields[-1].append((value, part.kind is PartKind.LITERAL))
                continue
            for index, piece in enumerate(_IFS_SPLIT.split(value) if value else []):
                if index:
                    fields.append([])
                if piece:
                    fields[-1].append((piece, False))
        result: list[str] = []
        for field in fields:
            if field:
                result.extend(self._glob(field) or ["".join(text for text, _ in field)])
        return result

    async def pattern(self, word: Word) -> str:
        """A word as an fnmatch pattern: unquoted text keeps its wildcards, the rest is
        matched literally (a `case` pattern)."""
        pieces = []
        for part in word:
            value = await self._value(part.kind, part.text)
            pieces.append(value if part.kind is PartKind.LITERAL else _literal(value))
        return "".join(pieces)

    def _glob(self, field: _Field) -> list[str]:
        if not any(lit and any(c in text for c in _GLOB_CHARS) for text, lit in field):
            return []
        pattern = "".join(text if lit else _literal(text) for text, lit in field)
        directory, base = posixpath.split(pattern)
        if any(c in directory for c in _GLOB_CHARS):
            return []
        cwd = self.session.cwd
        absolute = directory if directory.startswith("/") else posixpath.join(cwd, directory)
        try:
            names = self.shell.phone.fs.listdir(absolute or "/")
        except OSError:
            return []
        hits = sorted(
            n
            for n in names
            if fnmatch.fnmatchcase(n, base) and (base.startswith(".") or not n.startswith("."))
        )
        return [posixpath.join(directory, n) if directory else n for n in hits]


def _literal(text: str) -> str:
    """Text as an fnmatch pattern that matches only itself."""
    return "".join(f"[{c}]" if c in _GLOB_CHARS else c for c in text)


def _remove(value: str, pattern: str, op: str) -> str:
    """`${x#p}` `${x##p}` (prefix) and `${x%p}` `${x%%p}` (suffix), shortest or longest."""
    cuts = range(len(value) + 1)
    if op.startswith("#"):
        order = reversed(cuts) if op == "##" else cuts
        for cut in order:
            if fnmatch.fnmatchcase(value[:cut], pattern):
                return value[cut:]
        return value
    order = cuts if op == "%%" else reversed(cuts)
    for cut in order:
        if fnmatch.fnmatchcase(value[cut:], pattern):
            return value[:cut]
    return value


def _words_of(text: str) -> Word:
    """The expansions inside an arithmetic expression, as the parts of one word."""
    lexer = Lexer(text)
    parts: list[Part] = []
    literal: list[str] = []

    while lexer.pos < len(text):
        if text[lexer.pos] in "$`" and (part := lexer.expansion(quoted=True)) is not None:
            if literal:
                parts.append(Part(PartKind.QUOTED, "".join(literal)))
                literal.clear()
            parts.append(part)
        else:
            literal.append(text[lexer.pos])
            lexer.pos += 1
    if literal:
        parts.append(Part(PartKind.QUOTED, "".join(literal)))
    return tuple(parts)
