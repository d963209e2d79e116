"""The shell interpreter against the real phone model (in process, no adb): lists, pipes,
redirects, parameters, exit codes and the file and text commands."""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass

import pytest

from virtual_phone.phone import Phone
from virtual_phone.shell import Shell, ShellIO
from virtual_phone.shell.streams import BufferSink, BytesSource


@dataclass
class Result:
    status: int
    stdout: bytes
    stderr: bytes

    @property
    def out(self) -> str:
        return self.stdout.decode()

    @property
    def err(self) -> str:
        return self.stderr.decode()


def run(shell: Shell, line: str, stdin: bytes = b"") -> Result:
    out, err = BufferSink(), BufferSink()

    async def go() -> int:
        return await shell.run(line, ShellIO(BytesSource(stdin), out, err))

    status = asyncio.run(go())
    return Result(status, bytes(out.data), bytes(err.data))


@pytest.fixture
def phone() -> Phone:
    return Phone(seed=0)


@pytest.fixture
def shell(phone: Phone) -> Shell:
    return Shell(phone)


def test_status_parameter_follows_the_previous_command(shell: Shell) -> None:
    assert run(shell, "false; echo X4EXIT:$?").out == "X4EXIT:1\n"
    assert run(shell, "true; echo X4EXIT:$?").out == "X4EXIT:0\n"
    assert run(shell, "echo '$?'").out == "$?\n"


def test_unknown_command_is_127_with_the_platform_message(shell: Shell) -> None:
    result = run(shell, "nosuchcmd --flag; echo X4EXIT:$?")
    assert result.out == "X4EXIT:127\n"
    assert result.err == "/system/bin/sh: nosuchcmd: inaccessible or not found\n"


def test_and_or_lists_short_circuit(shell: Shell) -> None:
    assert run(shell, "false && echo no || echo yes").out == "yes\n"
    assert run(shell, "true && echo a && false || echo b").out == "a\nb\n"
    assert run(shell, "true || echo skipped").out == ""
    assert run(shell, "false || echo $?").out == "1\n"


def test_exit_stops_the_script_with_its_status(shell: Shell) -> None:
    result = run(shell, "echo before; exit 7; echo after")
    assert (result.status, result.out) == (7, "before\n")


def test_pipes_feed_stdout_to_the_next_command(shell: Shell) -> None:
    result = run(shell, "getprop | grep ro.product.model")
    assert result.out == "[ro.product.model]: [Pixel 7]\n"
    assert run(shell, "echo a; echo b | wc -l").out == "a\n1\n"
    assert run(shell, "ps -A | grep -c system_server").out == "1\n"


def test_stdin_reaches_the_first_command(shell: Shell) -> None:
    assert run(shell, "cat", stdin=b"from host\n").out == "from host\n"
    md5 = hashlib.md5(b"payload").hexdigest()
    assert run(shell, "md5sum", stdin=b"payload").out == f"{md5}  -\n"


def test_redirects_write_append_and_read_files(shell: Shell, phone: Phone) -> None:
    assert run(shell, "echo one > /sdcard/a.txt; echo two >> /sdcard/a.txt").status == 0
    assert phone.fs.read("/sdcard/a.txt") == b"one\ntwo\n"
    assert run(shell, "cat < /sdcard/a.txt | head -n 1").out == "one\n"
    result = run(shell, "cat /nope 2>/dev/null; echo X4EXIT:$?")
    assert (result.out, result.err) == ("X4EXIT:1\n", "")


def test_stderr_can_be_merged_into_stdout(shell: Shell, phone: Phone) -> None:
    result = run(shell, "ls /missing 2>&1")
    assert result.err == ""
    assert "ls: /missing: No such file or directory" in result.out
    run(shell, "ls /missing > /sdcard/log.txt 2>&1")
    assert b"No such file or directory" in phone.fs.read("/sdcard/log.txt")


def test_redirect_into_a_directory_fails(shell: Shell) -> None:
    result = run(shell, "echo x > /sdcard")
    assert result.status == 1
    assert "Is a directory" in result.err


def test_env_prefix_applies_to_one_command(shell: Shell) -> None:
    assert run(shell, "FOO=bar printenv FOO; printenv FOO; echo $?").out == "bar\n1\n"
    assert run(shell, "X=1; echo ${X}y").out == "1y\n"


def test_globs_expand_against_the_phone_file_system(shell: Shell, phone: Phone) -> None:
    phone.fs.write("/sdcard/Download/b.txt", b"b")
    phone.fs.write("/sdcard/Download/c.png", b"c")
    assert run(shell, "ls /sdcard/Download/*.txt").out.split() == [
        "/sdcard/Download/b.txt",
        "/sdcard/Download/readme.txt",
    ]
    assert run(shell, "echo '/sdcard/*'").out == "/sdcard/*\n"


def test_file_commands_and_their_errors(shell: Shell, phone: Phone) -> None:
    assert run(shell, "mkdir /sdcard/x/y").status == 1
    assert run(shell, "mkdir -p /sdcard/x/y && touch /sdcard/x/y/f && ls /sdcard/x/y").out == "f\n"
    assert run(shell, "rm /sdcard/x").err == "rm: /sdcard/x: Is a directory\n"
    assert run(shell, "rm -r /sdcard/x").status == 0
    assert phone.fs.stat("/sdcard/x") is None
    assert run(shell, "rm -f /sdcard/none; echo $?").out == "0\n"
    assert run(shell, "rm /sdcard/none").status == 1


def test_ls_long_format_has_mode_size_and_name(shell: Shell, phone: Phone) -> None:
    phone.fs.write("/data/local/tmp/f.bin", b"x" * 1234)
    line = run(shell, "ls -l /data/local/tmp/f.bin").out.split()
    assert line[0] == "-rw-r--r--"
    assert line[4] == "1234"
    assert line[-1] == "/data/local/tmp/f.bin"


def test_md5sum_through_toybox_matches_the_content(shell: Shell, phone: Phone) -> None:
    data = bytes(range(256)) * 10
    phone.fs.write("/data/local/tmp/u2.jar", data)
    expected = f"{hashlib.md5(data).hexdigest()}  /data/local/tmp/u2.jar\n"
    assert run(shell, "toybox md5sum /data/local/tmp/u2.jar").out == expected
    missing = run(shell, "toybox md5sum /data/local/tmp/none.jar")
    assert missing.status == 1
    assert "No such file" in missing.err


def test_text_filters(shell: Shell) -> None:
    data = b"b\na\nc\na\n"
    assert run(shell, "sort -u", stdin=data).out == "a\nb\nc\n"
    assert run(shell, "tail -n 2", stdin=data).out == "c\na\n"
    assert run(shell, "grep -v a", stdin=data).out == "b\nc\n"
    assert run(shell, "grep -q zzz", stdin=data).status == 1
    assert run(shell, "grep 'a\\|c'", stdin=data).out == "a\nc\na\n"


def test_echo_and_identity(shell: Shell) -> None:
    assert run(shell, "echo -n a; echo b").out == "ab\n"
    assert run(shell, "whoami; id -u").out == "shell\n2000\n"
    expected = "/system/bin/input\n/system/bin/getprop\n"
    assert run(shell, "which input getprop nosuch").out == expected
    assert run(shell, "/system/bin/echo ok").out == "ok\n"


def test_sh_runs_scripts_from_arguments_files_and_stdin(shell: Shell, phone: Phone) -> None:
    assert (
        run(
            shell,
            "sh -c 'echo $X; exit 3'; echo $?",
        ).out
        == "\n3\n"
    )
    assert run(shell, "X=v sh -c 'echo $X'").out == "v\n"
    phone.fs.write("/data/local/tmp/s.sh", b"echo from file\nfalse\n")
    assert run(shell, "sh /data/local/tmp/s.sh; echo $?").out == "from file\n1\n"
    assert run(shell, "echo 'echo piped' | sh").out == "piped\n"


def test_syntax_errors_are_reported_on_stderr(shell: Shell) -> None:
    result = run(shell, "echo 'unterminated")
    assert result.status == 1
    assert result.err.startswith("/system/bin/sh: syntax error")


def test_sleep_ends_when_the_host_hangs_up(shell: Shell) -> None:
    async def go() -> int:
        io = ShellIO(BytesSource(), BufferSink(), BufferSink())
        task = asyncio.create_task(shell.run("sleep 600; echo done", io))
        await asyncio.sleep(0)
        io.hangup.set()
        return await asyncio.wait_for(task, timeout=30)

    assert asyncio.run(go()) == 0


def test_interactive_mode_runs_lines_until_exit(shell: Shell) -> None:
    out, err = BufferSink(), BufferSink()

    async def go() -> int:
        io = ShellIO(
            BytesSource(b"echo one\ngetprop ro.product.device\nexit 5\necho no\n"), out, err
        )
        return await shell.interactive(io, prompt=False)

    assert asyncio.run(go()) == 5
    assert out.data == b"one\npanther\n"


def test_terminal_session_echoes_edits_and_prompts(shell: Shell) -> None:
    out, err = BufferSink(), BufferSink()

    async def go() -> int:
        typed = b"echo hx\x7fi\rcd /sdcard\rexit 2\r"
        return await shell.interactive(ShellIO(BytesSource(typed), out, err), prompt=True)

    assert asyncio.run(go()) == 2
    screen = out.data.decode()
    assert screen.startswith("panther:/ $ echo hx\b \bi\nhi\npanther:/ $ cd /sdcard\n")
    assert "panther:/sdcard $ exit 2\n" in screen
