"""`$((…))` arithmetic as mksh evaluates it: 32-bit signed integers that wrap, C operators
and precedence, variables by name (an unset or empty one is 0), assignment operators."""

from __future__ import annotations

import re
from collections.abc import Callable, MutableMapping

_TOKEN = re.compile(
    r"\s*(?:(?P<num>0[xX][0-9a-fA-F]+|\d+#[0-9A-Za-z]+|\d+)|(?P<name>[A-Za-z_]\w*)|"
    r"(?P<op><<=|>>=|\+=|-=|\*=|/=|%=|&=|\^=|\|=|<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%<>&^|!~?:=()]))"
)
_BINARY: list[tuple[str, ...]] = [
    ("||",),
    ("&&",),
    ("|",),
    ("^",),
    ("&",),
    ("==", "!="),
    ("<", "<=", ">", ">="),
    ("<<", ">>"),
    ("+", "-"),
    ("*", "/", "%"),
]
_ASSIGN = ("=", "+=", "-=", "*=", "/=", "%=", "<<=", ">>=", "&=", "^=", "|=")


class ShellArithmeticError(Exception):
    """An expression that cannot be evaluated; the message is what mksh prints."""


def wrap(value: int) -> int:
    """A value as a 32-bit signed integer."""
    value &= 0xFFFFFFFF
    return value - (1 << 32) if value & 0x80000000 else value


def _c_div(a: int, b: int) -> int:
    quotient = abs(a) // abs(b)
    return quotient if (a < 0) == (b < 0) else -quotient


_OPS: dict[str, Callable[[int, int], int]] = {
    "||": lambda a, b: int(bool(a) or bool(b)),
    "&&": lambda a, b: int(bool(a) and bool(b)),
    "|": lambda a, b: a | b,
    "^": lambda a, b: a ^ b,
    "&": lambda a, b: a & b,
    "==": lambda a, b: int(a == b),
    "!=": lambda a, b: int(a != b),
    "<": lambda a, b: int(a < b),
    "<=": lambda a, b: int(a <= b),
    ">": lambda a, b: int(a > b),
    ">=": lambda a, b: int(a >= b),
    "<<": lambda a, b: a << (b & 31),
    ">>": lambda a, b: a >> (b & 31),
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": _c_div,
    "%": lambda a, b: a - _c_div(a, b) * b,
}


class _Evaluator:
    def __init__(self, text: str, variables: MutableMapping[str, str], depth: int) -> None:
        self.text = text
        self.vars = variables
        self.depth = depth
        self.tokens = self._tokenize(text)
        self.pos = 0

    def _tokenize(self, text: str) -> list[tuple[str, str]]:
        tokens: list[tuple[str, str]] = []
        pos = 0
        while pos < len(text):
            if text[pos:].strip() == "":
                break
            match = _TOKEN.match(text, pos)
            if match is None:
                raise ShellArithmeticError(f"{text}: unexpected '{text[pos:].strip()[0]}'")
            kind = match.lastgroup or "op"
            tokens.append((kind, match.group(kind)))
            pos = match.end()
        return tokens

    def peek(self) -> str | None:
        return self.tokens[self.pos][1] if self.pos < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        if self.pos >= len(self.tokens):
            raise ShellArithmeticError(f"{self.text}: unexpected end of expression")
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def run(self) -> int:
        if not self.tokens:
            return 0
        value = self.assignment()
        if self.pos < len(self.tokens):
            raise ShellArithmeticError(f"{self.text}: unexpected '{self.tokens[self.pos][1]}'")
        return value

    def assignment(self) -> int:
        if (
            self.pos + 1 < len(self.tokens)
            and self.tokens[self.pos][0] == "name"
            and self.tokens[self.pos + 1][1] in _ASSIGN
        ):
            name = self.tokens[self.pos][1]
            op = self.tokens[self.pos + 1][1]
            self.pos += 2
            value = self.assignment()
            if op != "=":
                value = self._apply(op[:-1], self.variable(name), value)
            self.vars[name] = str(value)
            return value
        return self.conditional()

    def conditional(self) -> int:
        condition = self.binary(0)
        if self.peek() != "?":
            return condition
        self.pos += 1
        yes = self.assignment()
        if self.take()[1] != ":":
            raise ShellArithmeticError(f"{self.text}: missing ':'")
        no = self.assignment()
        return yes if condition else no

    def binary(self, level: int) -> int:
        if level == len(_BINARY):
            return self.unary()
        left = self.binary(level + 1)
        while self.peek() in _BINARY[level]:
            op = self.take()[1]
            right = self.binary(level + 1)
            left = self._apply(op, left, right)
        return left

    def _apply(self, op: str, left: int, right: int) -> int:
        if op in ("/", "%") and right == 0:
            raise ShellArithmeticError(f"{self.text}: zero divisor")
        return wrap(_OPS[op](left, right))

    def unary(self) -> int:
        token = self.peek()
        if token in ("-", "+", "!", "~"):
            self.pos += 1
            value = self.unary()
            return wrap({"-": -value, "+": value, "!": int(not value), "~": ~value}[token])
        return self.primary()

    def primary(self) -> int:
        kind, text = self.take()
        if text == "(":
            value = self.assignment()
            if self.take()[1] != ")":
                raise ShellArithmeticError(f"{self.text}: missing ')'")
            return value
        if kind == "num":
            return wrap(_number(text, self.text))
        if kind == "name":
            return self.variable(text)
        raise ShellArithmeticError(f"{self.text}: unexpected '{text}'")

    def variable(self, name: str) -> int:
        value = self.vars.get(name, "").strip()
        if not value:
            return 0
        if self.depth > 20:
            raise ShellArithmeticError(f"{name}: expression recurses on parameter '{name}'")
        return _Evaluator(value, self.vars, self.depth + 1).run()


def _number(text: str, expr: str) -> int:
    try:
        if text[:2].lower() == "0x":
            return int(text, 16)
        if "#" in text:
            base, _, digits = text.partition("#")
            return int(digits, int(base))
        return int(text)
    except ValueError:
        raise ShellArithmeticError(f"{expr}: bad number '{text}'") from None


def evaluate(text: str, variables: MutableMapping[str, str]) -> int:
    """The value of an arithmetic expression; ShellArithmeticError with mksh's message if bad."""
    return _Evaluator(text, variables, 0).run()
