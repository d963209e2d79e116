"""A POSIX-shell parser: words with quoting and expansions, `;` `&&` `||` `|` `&`, redirects,
assignments, and the compound commands `if`, `for`, `while`/`until`, `{ …; }` and `( … )`.

The grammar::

    script   := and_or ((';' | '&' | NEWLINE) and_or)*
    and_or   := pipeline (('&&' | '||') pipeline)*
    pipeline := ['!'] command ('|' command)*
    command  := compound redirect* | (NAME=word | word | redirect)+
    compound := if list then list (elif list then list)* [else list] fi
              | case word in (['('] word ('|' word)* ')' list [';;'])* esac
              | for NAME [in word*] (';' | NEWLINE) do list done
              | (while | until) list do list done
              | '{' list '}' | '(' list ')'
"""

from __future__ import annotations

from virtual_phone.shell.lexer import (
    REDIRECTS,
    IncompleteInput,
    IoNumber,
    Lexer,
    Op,
    Part,
    PartKind,
    ShellSyntaxError,
    Token,
    Word,
    is_name,
    plain,
)
from virtual_phone.shell.nodes import (
    AndOr,
    Case,
    Command,
    Compound,
    For,
    Group,
    If,
    Node,
    Pipeline,
    Redirect,
    Script,
    While,
)

__all__ = [
    "AndOr",
    "Case",
    "Command",
    "Compound",
    "For",
    "Group",
    "If",
    "IncompleteInput",
    "Node",
    "Part",
    "PartKind",
    "Pipeline",
    "Redirect",
    "Script",
    "ShellSyntaxError",
    "While",
    "Word",
    "parse",
]

RESERVED = {
    "if",
    "then",
    "elif",
    "else",
    "fi",
    "for",
    "do",
    "done",
    "while",
    "until",
    "case",
    "esac",
    "{",
    "}",
}
_SEPARATORS = (";", "&", "\n")


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.ended = ""  # the reserved word that ended the last compound body
        self.openers: list[str] = []  # the compound commands being parsed, innermost last

    def peek(self) -> Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def peek_op(self) -> str | None:
        token = self.peek()
        return token.text if isinstance(token, Op) else None

    def peek_reserved(self) -> str | None:
        text = plain(self.peek())
        return text if text in RESERVED else None

    def script(self) -> Script:
        result = self.compound_list(set())
        if self.peek() is not None:
            raise ShellSyntaxError(f"unexpected '{self._describe()}'")
        return result

    def compound_list(self, terminators: set[str]) -> Script:
        """and_or lists up to one of the reserved `terminators` (or `)` / the end)."""
        result: Script = []
        while self.peek() is not None:
            op = self.peek_op()
            if op in _SEPARATORS:
                if op != "\n" and not result:
                    raise ShellSyntaxError(f"unexpected '{op}'")
                self.pos += 1
                continue
            if op in (")", ";;") or self.peek_reserved() in terminators:
                break
            result.append(self.and_or())
            result[-1].background = self.peek_op() == "&"
            if (
                self.peek() is not None
                and self.peek_op() not in (*_SEPARATORS, ")", ";;")
                and self.peek_reserved() not in terminators
            ):
                raise ShellSyntaxError(f"unexpected '{self._describe()}'")
        return result

    def _eof(self) -> IncompleteInput:
        """The error for a text that ends too early, worded as mksh words it."""
        if self.openers:
            return IncompleteInput(f"unmatched '{self.openers[-1]}'")
        return IncompleteInput("unexpected EOF")

    def _describe(self) -> str:
        token = self.peek()
        if isinstance(token, Op):
            return "newline" if token.text == "\n" else token.text
        if isinstance(token, IoNumber):
            return str(token.fd)
        return "".join(part.text for part in token) if token else "end of file"

    def and_or(self) -> AndOr:
        node = AndOr(self.pipeline())
        while (op := self.peek_op()) in ("&&", "||"):
            self.pos += 1
            self._skip_newlines()
            node.rest.append((op or "", self.pipeline()))
        return node

    def pipeline(self) -> Pipeline:
        negate = False
        if plain(self.peek()) == "!":
            negate = True
            self.pos += 1
        commands = [self.command()]
        while self.peek_op() == "|":
            self.pos += 1
            self._skip_newlines()
            commands.append(self.command())
        return Pipeline(commands, negate)

    def command(self) -> Node:
        keyword = self.peek_reserved()
        if keyword in ("if", "for", "while", "until", "case", "{") or self.peek_op() == "(":
            self.openers.append(keyword or "(")
            compound = self._compound(keyword)
            self.openers.pop()
            while self._at_redirect():
                compound.redirects.append(self._next_redirect())
            return compound
        if keyword is not None:
            raise ShellSyntaxError(f"unexpected '{keyword}'")
        return self.simple_command()

    def _compound(self, keyword: str | None) -> Compound:
        compound: Compound
        if keyword == "if":
            compound = self._if()
        elif keyword == "for":
            compound = self._for()
        elif keyword in ("while", "until"):
            compound = self._while(keyword == "until")
        elif keyword == "case":
            compound = self._case()
        elif keyword == "{":
            self.pos += 1
            compound = Group(self._body("}"))
        else:
            self.pos += 1
            body = self.compound_list(set())
            self._expect_op(")")
            compound = Group(body, subshell=True)
        return compound

    def simple_command(self) -> Command:
        cmd = Command()
        while (token := self.peek()) is not None:
            if self._at_redirect():
                cmd.redirects.append(self._next_redirect())
                continue
            if isinstance(token, Op):
                break
            self.pos += 1
            assert isinstance(token, tuple)
            if not cmd.words and (assignment := _assignment(token)) is not None:
                cmd.assignments.append(assignment)
            else:
                cmd.words.append(token)
        if not cmd.words and not cmd.assignments and not cmd.redirects:
            if self.peek() is None:
                raise self._eof()
            raise ShellSyntaxError(f"unexpected '{self._describe()}'")
        return cmd

    # -- compound commands -----------------------------------------------------------
    def _body(self, end: str, terminators: set[str] | None = None) -> Script:
        """A non-empty list up to `end` or one of `terminators` (the word is consumed and
        remembered in `self.ended`)."""
        stops = {end} | (terminators or set())
        body = self.compound_list(stops)
        word = self.peek_reserved()
        if word not in stops:
            if self.peek() is None:
                raise self._eof()
            raise ShellSyntaxError(f"unexpected '{self._describe()}'")
        if not body:
            raise ShellSyntaxError(f"unexpected '{word}'")
        self.pos += 1
        self.ended = word or ""
        return body

    def _if(self) -> If:
        self.pos += 1
        clauses: list[tuple[Script, Script]] = []
        node = If(clauses)
        while True:
            condition = self._body("then")
            clauses.append((condition, self._body("fi", {"elif", "else"})))
            if self.ended == "fi":
                return node
            if self.ended == "else":
                node.otherwise = self._body("fi")
                return node

    def _for(self) -> For:
        self.pos += 1
        name = plain(self.peek())
        if name is None or not is_name(name):
            raise ShellSyntaxError(f"{self._describe()}: bad identifier")
        self.pos += 1
        self._skip_newlines()
        items: list[Word] | None = None
        if plain(self.peek()) == "in":
            self.pos += 1
            items = []
            while isinstance(token := self.peek(), tuple):
                items.append(token)
                self.pos += 1
        if self.peek_op() in (";", "\n"):
            self.pos += 1
        self._skip_newlines()
        self._expect_word("do")
        return For(name, items, self._body("done"))

    def _case(self) -> Case:
        self.pos += 1
        word = self.peek()
        if not isinstance(word, tuple):
            raise (
                self._eof()
                if word is None
                else ShellSyntaxError(f"unexpected '{self._describe()}'")
            )
        self.pos += 1
        self._skip_newlines()
        self._expect_word("in")
        node = Case(word, [])
        while True:
            self._skip_newlines()
            if self.peek_reserved() == "esac":
                self.pos += 1
                return node
            node.items.append(self._case_item())

    def _case_item(self) -> tuple[list[Word], Script]:
        if self.peek_op() == "(":
            self.pos += 1
        patterns: list[Word] = []
        while True:
            token = self.peek()
            if not isinstance(token, tuple):
                raise (
                    self._eof()
                    if token is None
                    else ShellSyntaxError(f"unexpected '{self._describe()}'")
                )
            patterns.append(token)
            self.pos += 1
            if self.peek_op() != "|":
                break
            self.pos += 1
        self._expect_op(")")
        body = self.compound_list({"esac"})
        if self.peek_op() == ";;":
            self.pos += 1
        elif self.peek_reserved() != "esac":
            raise self._eof()
        return patterns, body

    def _while(self, until: bool) -> While:
        self.pos += 1
        condition = self._body("do")
        return While(condition, self._body("done"), until)

    # -- tokens ----------------------------------------------------------------------
    def _expect_word(self, word: str) -> None:
        if plain(self.peek()) != word:
            if self.peek() is None:
                raise self._eof()
            raise ShellSyntaxError(f"unexpected '{self._describe()}'")
        self.pos += 1

    def _expect_op(self, op: str) -> None:
        if self.peek_op() != op:
            if self.peek() is None:
                raise self._eof()
            raise ShellSyntaxError(f"unexpected '{self._describe()}'")
        self.pos += 1

    def _at_redirect(self) -> bool:
        token = self.peek()
        return isinstance(token, IoNumber) or (isinstance(token, Op) and token.text in REDIRECTS)

    def _next_redirect(self) -> Redirect:
        token = self.peek()
        if isinstance(token, IoNumber):
            self.pos += 1
            fd = token.fd
        else:
            fd = 1 if (self.peek_op() or ">")[0] == ">" else 0
        op = self.peek_op() or ""
        if op not in REDIRECTS:
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
    if not is_name(name):
        return None
    value = ((Part(PartKind.LITERAL, rest),) if rest else ()) + word[1:]
    return name, value


def parse(text: str) -> Script:
    """Parse a command line into a script; ShellSyntaxError if it is malformed
    (IncompleteInput when it merely ends too early)."""
    return _Parser(Lexer(text).run()).script()
