"""Tokens of the shell language: words (with quoting and `$…` expansions marked), operators
and io numbers.

A word is a tuple of parts; each part says how it expands: literal text (globbed), quoted
text, a parameter, a command substitution (`$(…)` or backquotes) or an arithmetic
expansion (`$((…))`), each inside or outside double quotes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SPECIAL_PARAMS = "?$#!0-@*"


class ShellSyntaxError(Exception):
    """The command line cannot be parsed."""


class IncompleteInput(ShellSyntaxError):
    """The text ends inside a quote, a substitution or a compound command: more may follow."""


class PartKind(Enum):
    LITERAL = "literal"  # unquoted text (subject to globbing)
    QUOTED = "quoted"  # text from quotes or escapes (taken literally)
    PARAM = "param"  # $NAME outside quotes
    QUOTED_PARAM = "quoted_param"  # $NAME inside double quotes
    COMMAND = "command"  # $(…) or `…` outside quotes: its output, field-split
    QUOTED_COMMAND = "quoted_command"  # $(…) or `…` inside double quotes
    ARITH = "arith"  # $((…)): the expression's value


UNQUOTED_EXPANSIONS = (PartKind.PARAM, PartKind.COMMAND)


@dataclass(frozen=True, slots=True)
class Part:
    kind: PartKind
    text: str


Word = tuple[Part, ...]


@dataclass(frozen=True, slots=True)
class Op:
    """An operator token: ; & | && || ;; ( ) newline and the redirections."""

    text: str


@dataclass(frozen=True, slots=True)
class IoNumber:
    fd: int


OPERATORS = ("&&", "||", ";;", ">>", ">&", "<&", ";", "&", "|", ">", "<", "(", ")", "\n")
REDIRECTS = (">", ">>", "<", ">&", "<&")
Token = Word | Op | IoNumber
_WORD_END = " \t\r\n;&|<>()"


def _closing_paren(text: str, start: int) -> int:
    """Index of the `)` that closes a `(` just before `start` (quotes and nesting skipped)."""
    depth = 1
    pos = start
    while pos < len(text):
        char = text[pos]
        if char == "\\":
            pos += 2
            continue
        if char == "'":
            end = text.find("'", pos + 1)
            if end < 0:
                break
            pos = end + 1
            continue
        if char == '"':
            pos = _closing_double_quote(text, pos + 1) + 1
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return pos
        pos += 1
    raise IncompleteInput("missing ')'")


def _closing_double_quote(text: str, start: int) -> int:
    pos = start
    while pos < len(text):
        if text[pos] == "\\":
            pos += 2
        elif text[pos] == '"':
            return pos
        elif text.startswith("$(", pos):
            pos = _closing_paren(text, pos + 2) + 1
        else:
            pos += 1
    raise IncompleteInput("no closing quote")


class Lexer:
    """Splits a command line into tokens."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.tokens: list[Token] = []

    def run(self) -> list[Token]:
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
        for op in OPERATORS:
            if self.text.startswith(op, self.pos):
                self.tokens.append(Op(op))
                self.pos += len(op)
                return True
        return False

    def _word(self) -> None:
        parts: list[Part] = []
        literal: list[str] = []

        def flush() -> None:
            if literal:
                parts.append(Part(PartKind.LITERAL, "".join(literal)))
                literal.clear()

        text = self.text
        while self.pos < len(text):
            char = text[self.pos]
            if char in _WORD_END:
                break
            if char == "'":
                flush()
                end = text.find("'", self.pos + 1)
                if end < 0:
                    raise IncompleteInput("no closing quote")
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
            elif char in "$`" and (part := self.expansion(quoted=False)) is not None:
                flush()
                parts.append(part)
            else:
                literal.append(char)
                self.pos += 1
        flush()
        word = tuple(parts)
        if _is_io_number(word) and text[self.pos : self.pos + 1] in ("<", ">"):
            self.tokens.append(IoNumber(int(word[0].text)))
        else:
            self.tokens.append(word)

    def _double_quoted(self) -> list[Part]:
        parts: list[Part] = []
        literal: list[str] = []
        text = self.text
        while True:
            if self.pos >= len(text):
                raise IncompleteInput("no closing quote")
            char = text[self.pos]
            if char == '"':
                self.pos += 1
                break
            if char == "\\" and self.pos + 1 < len(text) and text[self.pos + 1] in '$`"\\\n':
                if text[self.pos + 1] != "\n":
                    literal.append(text[self.pos + 1])
                self.pos += 2
            elif char in "$`" and (part := self.expansion(quoted=True)) is not None:
                if literal:
                    parts.append(Part(PartKind.QUOTED, "".join(literal)))
                    literal.clear()
                parts.append(part)
            else:
                literal.append(char)
                self.pos += 1
        parts.append(Part(PartKind.QUOTED, "".join(literal)))
        return parts

    def expansion(self, quoted: bool) -> Part | None:
        """A `$…` or backquote expansion at pos, or None for a literal `$`."""
        text = self.text
        if text[self.pos] == "`":
            body = self._backquoted()
            return Part(PartKind.QUOTED_COMMAND if quoted else PartKind.COMMAND, body)
        if text.startswith("$((", self.pos) and (expr := self._arithmetic()) is not None:
            return Part(PartKind.ARITH, expr)
        if text.startswith("$(", self.pos):
            end = _closing_paren(text, self.pos + 2)
            body = text[self.pos + 2 : end]
            self.pos = end + 1
            return Part(PartKind.QUOTED_COMMAND if quoted else PartKind.COMMAND, body)
        param = self._param()
        if param is None:
            return None
        return Part(PartKind.QUOTED_PARAM if quoted else PartKind.PARAM, param)

    def _arithmetic(self) -> str | None:
        """`$((expr))` at pos: the expression, or None when it is `$( (…) … )` instead."""
        end = _closing_paren(self.text, self.pos + 3)
        if self.text[end + 1 : end + 2] != ")":
            return None
        expr = self.text[self.pos + 3 : end]
        self.pos = end + 2
        return expr

    def _backquoted(self) -> str:
        text = self.text
        pos = self.pos + 1
        body: list[str] = []
        while pos < len(text):
            char = text[pos]
            if char == "\\" and text[pos + 1 : pos + 2] in ("\\", "$", "`"):
                body.append(text[pos + 1])
                pos += 2
                continue
            if char == "`":
                self.pos = pos + 1
                return "".join(body)
            body.append(char)
            pos += 1
        raise IncompleteInput("no closing quote")

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
                raise IncompleteInput("missing '}'")
            name = text[self.pos + 2 : end]
            self.pos = end + 1
            return name
        match = _NAME.match(text, self.pos + 1)
        if match:
            self.pos = match.end()
            return match.group()
        return None


def _is_io_number(word: Word) -> bool:
    return len(word) == 1 and word[0].kind is PartKind.LITERAL and word[0].text.isdigit()


def is_name(text: str) -> bool:
    """Whether text is a valid variable name."""
    return _NAME.fullmatch(text) is not None


def plain(token: Token | None) -> str | None:
    """The text of a word made of one unquoted literal (how reserved words look), else None."""
    if isinstance(token, tuple) and len(token) == 1 and token[0].kind is PartKind.LITERAL:
        return token[0].text
    return None
