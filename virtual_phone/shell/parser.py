"""A small POSIX-shell parser: words with quoting, `;` `&&` `||` `|` `&`, redirects,
assignments and `$NAME` / `$?` parameters (enough for what adb clients send).

The grammar::

    script   := and_or ((';' | '&' | NEWLINE) and_or)*
    and_or   := pipeline (('&&' | '||') pipeline)*
    pipeline := ['!'] command ('|' command)*
    command  := (NAME=word | word | redirect)+
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SPECIAL_PARAMS = "?$#!0-@*"


class ShellSyntaxError(Exception):
    """The command line cannot be parsed."""


class PartKind(Enum):
    LITERAL = "literal"  # unquoted text (subject to globbing)
    QUOTED = "quoted"  # text from quotes or escapes (taken literally)
    PARAM = "param"  # $NAME outside quotes
    QUOTED_PARAM = "quoted_param"  # $NAME inside double quotes


@dataclass(frozen=True, slots=True)
class Part:
    kind: PartKind
    text: str


Word = tuple[Part, ...]


@dataclass(slots=True)
class Redirect:
    """`fd op target`: op is one of > >> < >& <&; target is a word (or a fd for >&)."""

    fd: int
    op: str
    target: Word


@dataclass(slots=True)
class Command:
    assignments: list[tuple[str, Word]] = field(default_factory=list)
    words: list[Word] = field(default_factory=list)
    redirects: list[Redirect] = field(default_factory=list)


@dataclass(slots=True)
class Pipeline:
    commands: list[Command]
    negate: bool = False


@dataclass(slots=True)
class AndOr:
    first: Pipeline
    rest: list[tuple[str, Pipeline]] = field(default_factory=list)  # ("&&" | "||", pipeline)


Script = list[AndOr]


# -- lexer -------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Op:
    text: str


@dataclass(frozen=True, slots=True)
class _IoNumber:
    fd: int


_OPERATORS = ("&&", "||", ">>", ">&", "<&", ";", "&", "|", ">", "<", "\n")
_REDIRECTS = (">", ">>", "<", ">&", "<&")
_Token = Word | _Op | _IoNumber


class _Lexer:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.tokens: list[_Token] = []

    def run(self) -> list[_Token]:
        text = self.text
        while self.pos < len(text):
            char = text[self.pos]
            if char in " \t\r":
                self.pos += 1
            elif char == "#":
                end = text.find("\n", self.pos)
                self.pos = len(text) if end < 0 else end
            elif char == "\\" and text.startswith("\\\n", self.pos):
                self.pos += 2
            elif self._operator():
                continue
            else:
                self._word()
        return self.tokens

    def _operator(self) -> bool:
        for op in _OPERATORS:
            if self.text.startswith(op, self.pos):
                self.tokens.append(_Op(op))
                self.pos += len(op)
                return True
        return False

    def _word(self) -> None:
        parts: list[Part] = []
        literal: list[str] = []

        def flush(kind: PartKind = PartKind.LITERAL) -> None:
            if literal:
                parts.append(Part(kind, "".join(literal)))
                literal.clear()

        text = self.text
        while self.pos < len(text):
            char = text[self.pos]
            if char in " \t\r\n;&|<>":
                break
            if char == "'":
                flush()
                end = text.find("'", self.pos + 1)
                if end < 0:
                    raise ShellSyntaxError("unterminated quoted string")
                parts.append(Part(PartKind.QUOTED, text[self.pos + 1 : end]))
                self.pos = end + 1
            elif char == '"':
                flush()
                self.pos += 1
                parts.extend(self._double_quoted())
            elif char == "\\":
                flush()
                if self.pos + 1 < len(text):
                    parts.append(Part(PartKind.QUOTED, text[self.pos + 1]))
                self.pos += 2
            elif char == "$" and (param := self._param()) is not None:
                flush()
                parts.append(Part(PartKind.PARAM, param))
            else:
                literal.append(char)
                self.pos += 1
        flush()
        word = tuple(parts)
        if _is_io_number(word) and text[self.pos : self.pos + 1] in ("<", ">"):
            self.tokens.append(_IoNumber(int(word[0].text)))
        else:
            self.tokens.append(word)

    def _double_quoted(self) -> list[Part]:
        parts: list[Part] = []
        literal: list[str] = []
        text = self.text
        while True:
            if self.pos >= len(text):
                raise ShellSyntaxError("unterminated quoted string")
            char = text[self.pos]
            if char == '"':
                self.pos += 1
                break
            if char == "\\" and self.pos + 1 < len(text) and text[self.pos + 1] in '$`"\\\n':
                if text[self.pos + 1] != "\n":
                    literal.append(text[self.pos + 1])
                self.pos += 2
            elif char == "$" and (param := self._param()) is not None:
                if literal:
                    parts.append(Part(PartKind.QUOTED, "".join(literal)))
                    literal.clear()
                parts.append(Part(PartKind.QUOTED_PARAM, param))
            else:
                literal.append(char)
                self.pos += 1
        parts.append(Part(PartKind.QUOTED, "".join(literal)))
        return parts

    def _param(self) -> str | None:
        """Parses `$X` at pos; returns the parameter name or None (a literal `$`)."""
        text = self.text
        nxt = text[self.pos + 1 : self.pos + 2]
        if (nxt and nxt in _SPECIAL_PARAMS) or nxt.isdigit():
            self.pos += 2
            return nxt
        if nxt == "{":
            end = text.find("}", self.pos)
            if end < 0:
                raise ShellSyntaxError("missing '}'")
            name = text[self.pos + 2 : end]
            self.pos = end + 1
            return name
        match = _NAME.match(text, self.pos + 1)
        if match:
            self.pos = match.end()
            return match.group()
        return None


# -- parser ------------------------------------------------------------------------------
def _is_io_number(word: Word) -> bool:
    return len(word) == 1 and word[0].kind is PartKind.LITERAL and word[0].text.isdigit()


class _Parser:
    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.pos = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def peek_op(self) -> str | None:
        token = self.peek()
        return token.text if isinstance(token, _Op) else None

    def script(self) -> Script:
        result: Script = []
        while self.peek() is not None:
            if self.peek_op() in (";", "&", "\n"):
                if self.peek_op() != "\n" and not result:
                    raise ShellSyntaxError(f"unexpected '{self.peek_op()}'")
                self.pos += 1
                continue
            result.append(self.and_or())
            if self.peek() is not None and self.peek_op() not in (";", "&", "\n"):
                raise ShellSyntaxError(f"unexpected '{self.peek_op()}'")
        return result

    def and_or(self) -> AndOr:
        node = AndOr(self.pipeline())
        while (op := self.peek_op()) in ("&&", "||"):
            self.pos += 1
            self._skip_newlines()
            node.rest.append((op or "", self.pipeline()))
        return node

    def pipeline(self) -> Pipeline:
        negate = False
        token = self.peek()
        if isinstance(token, tuple) and token == (Part(PartKind.LITERAL, "!"),):
            negate = True
            self.pos += 1
        commands = [self.command()]
        while self.peek_op() == "|":
            self.pos += 1
            self._skip_newlines()
            commands.append(self.command())
        return Pipeline(commands, negate)

    def command(self) -> Command:
        cmd = Command()
        while (token := self.peek()) is not None:
            if isinstance(token, _IoNumber):
                self.pos += 1
                cmd.redirects.append(self._redirect(token.fd))
                continue
            if isinstance(token, _Op):
                if token.text in _REDIRECTS:
                    cmd.redirects.append(self._redirect(1 if token.text[0] == ">" else 0))
                    continue
                break
            self.pos += 1
            if not cmd.words and (assignment := _assignment(token)) is not None:
                cmd.assignments.append(assignment)
            else:
                cmd.words.append(token)
        if not cmd.words and not cmd.assignments and not cmd.redirects:
            found = self.peek_op()
            raise ShellSyntaxError(f"unexpected '{found}'" if found else "unexpected end")
        return cmd

    def _redirect(self, fd: int) -> Redirect:
        op = self.peek_op() or ""
        if op not in _REDIRECTS:
            raise ShellSyntaxError("missing redirection operator")
        self.pos += 1
        target = self.peek()
        if not isinstance(target, tuple):
            raise ShellSyntaxError(f"missing target after '{op}'")
        self.pos += 1
        return Redirect(fd, op, target)

    def _skip_newlines(self) -> None:
        while self.peek_op() == "\n":
            self.pos += 1


def _assignment(word: Word) -> tuple[str, Word] | None:
    if not word or word[0].kind is not PartKind.LITERAL or "=" not in word[0].text:
        return None
    name, _, rest = word[0].text.partition("=")
    if not _NAME.fullmatch(name):
        return None
    value = ((Part(PartKind.LITERAL, rest),) if rest else ()) + word[1:]
    return name, value


def parse(text: str) -> Script:
    """Parse a command line into a script; ShellSyntaxError if it is malformed."""
    return _Parser(_Lexer(text).run()).script()
