"""The shell parser: quoting as shlex.quote produces it, operators, redirects, assignments."""

from __future__ import annotations

import shlex

import pytest
from hypothesis import given
from hypothesis import strategies as st

from virtual_phone.shell.parser import (
    PartKind,
    ShellSyntaxError,
    Word,
    parse,
)


def text(word: Word) -> str:
    return "".join(part.text for part in word)


def words(line: str) -> list[str]:
    script = parse(line)
    assert len(script) == 1
    (command,) = script[0].first.commands
    return [text(word) for word in command.words]


def test_plain_words_split_on_blanks() -> None:
    assert words("input  tap 10\t20") == ["input", "tap", "10", "20"]


def test_single_quotes_keep_everything_literal() -> None:
    assert words("echo 'a $? ; && | > b'") == ["echo", "a $? ; && | > b"]


def test_double_quotes_allow_escapes() -> None:
    assert words('echo "say \\"hi\\" \\\\ \\$x"') == ["echo", 'say "hi" \\ $x']


def test_backslash_escapes_outside_quotes() -> None:
    assert words("echo a\\ b \\;") == ["echo", "a b", ";"]


@given(
    st.lists(
        st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc"))), min_size=1, max_size=5
    )
)
def test_shlex_quoted_arguments_round_trip(args: list[str]) -> None:
    line = " ".join(shlex.quote(arg) for arg in ["cmd", *args])
    assert words(line) == ["cmd", *args]


def test_list_operators_build_and_or_chains() -> None:
    script = parse("rm -f /x; uiautomator dump /x && echo success || echo fail")
    assert len(script) == 2
    second = script[1]
    assert [op for op, _ in second.rest] == ["&&", "||"]
    assert text(second.rest[0][1].commands[0].words[0]) == "echo"


def test_pipeline_and_negation() -> None:
    script = parse("! ps -A | grep notes | wc -l")
    pipeline = script[0].first
    assert pipeline.negate
    assert [text(c.words[0]) for c in pipeline.commands] == ["ps", "grep", "wc"]


def test_redirects_with_io_numbers() -> None:
    (command,) = parse("cmd >out 2>&1 2>/dev/null >>log <in")[0].first.commands
    found = [(r.fd, r.op, text(r.target)) for r in command.redirects]
    assert found == [
        (1, ">", "out"),
        (2, ">&", "1"),
        (2, ">", "/dev/null"),
        (1, ">>", "log"),
        (0, "<", "in"),
    ]
    assert [text(w) for w in command.words] == ["cmd"]


def test_digit_argument_separated_from_operator_is_a_word() -> None:
    (command,) = parse("echo 2 > f")[0].first.commands
    assert [text(w) for w in command.words] == ["echo", "2"]
    assert [(r.fd, r.op) for r in command.redirects] == [(1, ">")]


def test_assignments_prefix_the_command() -> None:
    line = "CLASSPATH=/data/local/tmp/u2.jar app_process / com.wetest.uia2.Main -p 9008"
    (command,) = parse(line)[0].first.commands
    assert [(name, text(value)) for name, value in command.assignments] == [
        ("CLASSPATH", "/data/local/tmp/u2.jar")
    ]
    assert text(command.words[0]) == "app_process"


def test_parameters_are_marked_outside_single_quotes() -> None:
    (command,) = parse("echo X4EXIT:$? '$?' \"$HOME\"")[0].first.commands
    kinds = [[part.kind for part in word] for word in command.words[1:]]
    assert kinds == [
        [PartKind.LITERAL, PartKind.PARAM],
        [PartKind.QUOTED],
        [PartKind.QUOTED_PARAM, PartKind.QUOTED],
    ]


def test_comments_and_newlines() -> None:
    script = parse("echo a # not this\necho b\n")
    assert [text(s.first.commands[0].words[1]) for s in script] == ["a", "b"]


@pytest.mark.parametrize(
    "line", ["echo 'open", 'echo "open', "| grep x", "echo a &&", "echo >", "; echo"]
)
def test_malformed_lines_raise(line: str) -> None:
    with pytest.raises(ShellSyntaxError):
        parse(line)
