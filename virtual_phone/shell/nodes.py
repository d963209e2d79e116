"""The syntax tree of a shell script: simple commands, compound commands, pipelines and
and-or lists."""

from __future__ import annotations

from dataclasses import dataclass, field

from virtual_phone.shell.lexer import Word


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
class If:
    clauses: list[tuple[Script, Script]]  # (condition, body) for `if` and each `elif`
    otherwise: Script | None = None
    redirects: list[Redirect] = field(default_factory=list)


@dataclass(slots=True)
class For:
    name: str
    items: list[Word] | None  # None: `for NAME; do` (the positional parameters)
    body: Script
    redirects: list[Redirect] = field(default_factory=list)


@dataclass(slots=True)
class While:
    condition: Script
    body: Script
    until: bool = False
    redirects: list[Redirect] = field(default_factory=list)


@dataclass(slots=True)
class Case:
    word: Word
    items: list[tuple[list[Word], Script]]  # (patterns, body) in order
    redirects: list[Redirect] = field(default_factory=list)


@dataclass(slots=True)
class Group:
    body: Script
    subshell: bool = False
    redirects: list[Redirect] = field(default_factory=list)


Compound = If | For | While | Case | Group
Node = Command | Compound


@dataclass(slots=True)
class Pipeline:
    commands: list[Node]
    negate: bool = False


@dataclass(slots=True)
class AndOr:
    first: Pipeline
    rest: list[tuple[str, Pipeline]] = field(default_factory=list)  # ("&&" | "||", pipeline)
    background: bool = False  # ended by `&`: runs while the script goes on


Script = list[AndOr]
