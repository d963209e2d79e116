"""The shell language and the tools harnesses send, through the real adb binary and adbutils:
arithmetic, substitution, compound commands, `test`, exit statuses as mksh gives them, and
head/tail/grep/seq/printf, pkill, settings, content and screenrecord as a phone answers."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import adbutils
import pytest
from conftest import adb_bin, served_phone

pytestmark = pytest.mark.e2e

NOTES = "com.example.notes"
SH = "/system/bin/sh"


@pytest.fixture(scope="module")
def server() -> Iterator[Any]:
    with served_phone() as phone_server:
        yield phone_server


@pytest.fixture(scope="module")
def device(server: Any) -> adbutils.AdbDevice:
    return adbutils.adb.device(server.serial)


def sh(device: adbutils.AdbDevice, script: str) -> tuple[int, str, str]:
    """(status, stdout, stderr) of a command line over the shell v2 protocol."""
    result = device.shell2(script, v2=True)
    return result.returncode, result.stdout, result.stderr


def test_arithmetic_wraps_at_32_bits_and_stops_on_errors(device: adbutils.AdbDevice) -> None:
    line = "echo $((1+2*3)) $((7/2)) $((-7%3)) $((2147483647+1)) $((1<<4|1)) $((0x1f)) $((8#17))"
    assert sh(device, line) == (0, "7 3 -1 -2147483648 17 31 15\n", "")
    assert sh(device, "x=5; y=$((x*2)); echo $y $(( y > 9 ? 1 : 0 )) $((x+=1)) $x") == (
        0,
        "10 1 6 6\n",
        "",
    )
    assert sh(device, "echo $((1/0)); echo after") == (1, "", f"{SH}: 1/0: zero divisor\n")
    status, out, err = sh(device, "echo $((2+)); echo after")
    assert (status, out) == (1, "")
    assert "unexpected end of expression" in err


def test_command_substitution_and_field_splitting(device: adbutils.AdbDevice) -> None:
    assert device.shell("""echo "[$(printf 'a  b')]" [$(printf 'a  b')] `echo c`""") == (
        "[a  b] [a b] c"
    )
    assert device.shell("echo $(echo $(echo nested))") == "nested"
    assert device.shell("n=$(echo 3); echo $((n + 1))") == "4"
    assert device.shell("x=$(false); echo $?; y=$(true); echo $?") == "1\n0"
    assert device.shell("v=' a  b '; for w in $v; do echo \"<$w>\"; done") == "<a>\n<b>"
    assert device.shell('e=""; for w in $e "" x; do echo "<$w>"; done') == "<>\n<x>"


def test_parameter_operators_and_read(device: adbutils.AdbDevice) -> None:
    line = "x=hello.tar.gz; echo ${#x} ${x%.*} ${x%%.*} ${x#*.} ${x##*.}"
    assert device.shell(line) == "12 hello.tar hello tar.gz gz"
    line = "echo ${u:-d1} ${u-d2} [${u:+a}]; e=; echo [${e-unset}] [${e:-empty}] ${n:=v} $n"
    assert device.shell(line) == "d1 d2 []\n[] [empty] v v"
    assert sh(device, "echo ${zz:?not here}; echo after") == (1, "", f"{SH}: zz: not here\n")
    assert device.shell('seq 3 | while read n; do echo "got $n"; done') == "got 1\ngot 2\ngot 3"
    assert device.shell('echo "a b c d" | { read x y; echo "$x|$y"; }') == "a|b c d"
    assert device.shell("echo word | read w; echo $w") == "word"  # mksh: the last part runs here
    assert device.shell('printf "tail" | { read x; echo "$? $x"; }') == "1 tail"


def test_echo_interprets_escapes_as_mksh_and_sh_c_takes_arguments(
    device: adbutils.AdbDevice,
) -> None:
    assert device.shell(r"echo 'a\tb\nc'; echo -E 'x\ny'; echo 'cut\chere'; echo -n n; echo") == (
        "a\tb\nc\nx\\ny\ncutn"
    )
    assert device.shell("sh -c 'echo $0 $1 $# \"$*\"' name one two") == "name one 2 one two"


def test_compound_commands_and_their_statuses(device: adbutils.AdbDevice) -> None:
    line = "if [ -d /sdcard ]; then echo dir; elif true; then echo no; else echo else; fi"
    assert device.shell(line) == "dir"
    assert device.shell("if false; then echo a; elif false; then echo b; else echo c; fi") == "c"
    assert device.shell("if false; then echo a; fi; echo $?") == "0"
    assert device.shell("for i in 1 2 3; do echo $i; done") == "1\n2\n3"
    assert device.shell("i=0; while [ $i -lt 3 ]; do i=$((i+1)); done; echo $i") == "3"
    assert device.shell("i=0; until [ $i -ge 2 ]; do i=$((i+1)); echo $i; done") == "1\n2"
    line = "for i in 1 2 3 4; do [ $i = 2 ] && continue; [ $i = 4 ] && break; echo $i; done"
    assert device.shell(line) == "1\n3"
    line = "for i in 1 2; do for j in a b; do [ $j = b ] && continue 2; echo $i$j; done; done"
    assert device.shell(line) == "1a\n2a"
    assert device.shell("for i in a b; do echo $i; done | wc -l") == "2"
    line = (
        'for f in a.txt b.png "*" c; do case $f in *.txt) echo text;; *.png|*.jpg) echo image;;'
        ' "*") echo star;; *) echo other;; esac; done'
    )
    assert device.shell(line) == "text\nimage\nstar\nother"
    assert device.shell(
        "case x in y) echo no;; esac; echo $?; case x in (x) false;; esac; echo $?"
    ) == ("0\n1")
    assert device.shell("{ echo x; echo y; } > /data/local/tmp/g; cat /data/local/tmp/g") == "x\ny"
    assert device.shell("(cd /sdcard; pwd); pwd; (exit 3); echo $?") == "/sdcard\n/\n3"
    assert sh(device, "for i in 1 2; do false; done") == (1, "", "")
    assert sh(device, "false || true && echo ok") == (0, "ok\n", "")
    assert sh(device, "! true; echo $?; nosuchcmd; echo $?") == (
        0,
        "1\n127\n",
        f"{SH}: nosuchcmd: inaccessible or not found\n",
    )


def test_set_options(device: adbutils.AdbDevice) -> None:
    assert sh(device, "set -e; echo a; false; echo not reached") == (1, "a\n", "")
    line = "set -e; if false; then :; fi; false || true; ! true; false && true; echo alive"
    assert sh(device, line) == (0, "alive\n", "")
    assert sh(device, "set -x; echo hi") == (0, "hi\n", "+ echo hi\n")
    assert sh(device, "set -- a b c; echo $# $2; set +e; false; echo $?") == (0, "3 b\n1\n", "")
    assert sh(device, "set -u; echo ${x:-ok}; echo $nope; echo after") == (
        1,
        "ok\n",
        f"{SH}: nope: parameter not set\n",
    )


def test_syntax_errors_and_multiline_scripts_on_stdin(server: Any) -> None:
    device = adbutils.adb.device(server.serial)
    assert sh(device, "if true; then echo a") == (1, "", f"{SH}: syntax error: unmatched 'if'\n")
    assert sh(device, "echo a; fi") == (1, "", f"{SH}: syntax error: unexpected 'fi'\n")
    assert sh(device, "echo a &&") == (1, "", f"{SH}: syntax error: unexpected EOF\n")
    assert sh(device, "echo 'a") == (1, "", f"{SH}: syntax error: no closing quote\n")
    script = b"for i in 1 2\ndo\n  echo line $i\ndone\nif [ 1 -eq 1 ]\nthen\n  exit 3\nfi\n"
    result = subprocess.run(
        [adb_bin(), "-s", server.serial, "shell"], input=script, capture_output=True, timeout=30
    )
    assert result.stdout == b"line 1\nline 2\n"
    assert result.returncode == 3


def test_test_and_brackets(device: adbutils.AdbDevice, server: Any) -> None:
    server.phone.fs.write("/data/local/tmp/t.txt", b"data")
    checks = (
        "f=/data/local/tmp/t.txt; [ -f $f ] && [ -s $f ] && [ ! -d $f ] && [ -r $f ]",
        "[ -d /sdcard ] && [ -e /system/bin ] && ! [ -e /nope ]",
        "[ abc = abc ] && [ abc != abd ] && [ -n x ] && [ -z '' ] && test 10 -gt 9",
        "[ 1 -eq 2 -o 3 -le 3 ] && [ ! 1 -eq 2 -a 2 -ne 3 ] && [ \\( 1 = 1 \\) ]",
    )
    for line in checks:
        assert sh(device, f"{line}; echo $?")[1] == "0\n", line
    assert sh(device, "[ 1 -lt x ]; echo $?")[1:] == ("2\n", f"{SH}: [: x: bad number\n")
    assert sh(device, "[ 1 = 1; echo $?")[1:] == ("2\n", f"{SH}: [: missing ]\n")
    assert sh(device, "test; echo $?")[1] == "1\n"


def test_text_tools(device: adbutils.AdbDevice) -> None:
    assert device.shell("echo abcdefgh | head -c 3") == "abc"
    assert device.shell("echo abcdefgh | tail -c 3") == "gh"
    assert device.shell("echo abcdefgh | tail -c +3") == "cdefgh"
    assert device.shell("seq 1 20 | grep -m 2 1") == "1\n10"
    assert device.shell("seq 1 20 | grep -c -m 3 1") == "3"
    assert device.shell("echo 'a1 b2 a3' | grep -oE 'a[0-9]+'") == "a1\na3"
    assert sh(device, "seq 3 | grep -q 2; echo $?; seq 3 | grep -q 9; echo $?")[1] == "0\n1\n"
    assert device.shell("seq 5 -2 1; seq 3 | tail -n +2") == "5\n3\n1\n2\n3"
    assert device.shell("printf '%s=%d;' a 1 b 2; printf '%05.1f|%x|%-3s|\\n' 3.14159 255 ab") == (
        "a=1;b=2;003.1|ff|ab |"
    )


def test_more_filters(device: adbutils.AdbDevice) -> None:
    assert device.shell("echo a:b:c:d | cut -d: -f2,4; echo hello | cut -c 2-3") == "b:d\nel"
    assert device.shell("wm size | cut -d' ' -f3") == "1080x2400"
    assert device.shell("echo 'Hello World' | tr a-z A-Z; echo aaabbb | tr -s ab") == (
        "HELLO WORLD\nab"
    )
    assert device.shell(r"printf 'a\r\nb\r\n' | tr -d '\r' | wc -c") == "4"
    assert device.shell(r"printf 'a\na\nb\na\n' | uniq -c") == "      2 a\n      1 b\n      1 a"
    assert device.shell("echo x | tee /data/local/tmp/tee1; cat /data/local/tmp/tee1") == "x\nx"
    assert device.shell("basename /sdcard/DCIM/a.jpg .jpg; dirname /sdcard/DCIM/a.jpg") == (
        "a\n/sdcard/DCIM"
    )
    assert device.shell("echo 1 2 3 | xargs -n 2 echo n") == "n 1 2\nn 3"


def test_pkill_kills_the_app_so_it_starts_cold(device: adbutils.AdbDevice, server: Any) -> None:
    device.shell(f"am start -n {NOTES}/.MainActivity")
    pid = device.shell(f"pidof {NOTES}")
    assert pid.isdigit()
    assert sh(device, "pkill -f example.notes; echo $?")[1] == "0\n"
    assert sh(device, f"pidof {NOTES}; echo $?")[1] == "1\n"
    assert NOTES not in server.phone.running_packages()
    assert sh(device, "pkill no_such_process; echo $?")[1] == "1\n"
    _, out, err = sh(device, "pkill system_server; echo $?")
    assert out == "1\n" and "Operation not permitted" in err
    device.shell(f"am start -n {NOTES}/.MainActivity")
    assert device.shell(f"pidof {NOTES}") not in ("", pid)  # a new process
    assert sh(device, f"kill $(pidof {NOTES}); echo $?")[1] == "0\n"
    assert NOTES not in server.phone.running_packages()
    device.shell(f"am start -n {NOTES}/.MainActivity")
    assert sh(device, f"killall {NOTES}; echo $?")[1] == "0\n"
    assert NOTES not in server.phone.running_packages()
    assert sh(device, "killall nothing_like_it") == (
        1,
        "",
        "killall: nothing_like_it: no process killed\n",
    )


def test_settings_list_get_put_delete_agree(device: adbutils.AdbDevice) -> None:
    listed = dict(line.split("=", 1) for line in device.shell("settings list system").splitlines())
    assert listed == dict(sorted(listed.items()))  # sorted, as SettingsService prints it
    for key in ("screen_brightness", "font_scale", "user_rotation"):
        assert device.shell(f"settings get system {key}") == listed[key]
    assert "wifi_on=1" in device.shell("settings list global").splitlines()
    device.shell("settings put system probe_key 42")
    assert "probe_key=42" in device.shell("settings list system").splitlines()
    assert device.shell("settings delete system probe_key") == "Deleted 1 rows"
    assert device.shell("settings delete system probe_key") == "Deleted 0 rows"
    assert device.shell("settings get system probe_key") == "null"
    assert "probe_key" not in device.shell("settings list system")
    status, _, err = sh(device, "settings list nowhere")
    assert status == 1 and "NAMESPACE is one of {system, secure, global}" in err


def test_content_on_the_settings_provider(device: adbutils.AdbDevice) -> None:
    rows = device.shell("content query --uri content://settings/system").splitlines()
    listed = device.shell("settings list system").splitlines()
    assert len(rows) == len(listed)
    assert rows[0].startswith("Row: 0 _id=") and ", name=" in rows[0] and ", value=" in rows[0]
    one = device.shell(
        "content query --uri content://settings/system --projection name:value "
        "--where \"name='font_scale'\""
    )
    assert one == "Row: 0 name=font_scale, value=1.0"
    device.shell(
        "content insert --uri content://settings/system --bind name:s:c_key --bind value:i:7"
    )
    assert device.shell("settings get system c_key") == "7"
    assert device.shell(
        "content query --uri content://settings/system/c_key --projection value"
    ) == ("Row: 0 value=7")
    device.shell("content delete --uri content://settings/system --where \"name='c_key'\"")
    assert device.shell("content query --uri content://settings/system/c_key") == "No result found."
    status, _, err = sh(device, "content query --uri content://nowhere/x")
    assert status == 1
    assert "Unknown authority nowhere" in err


def test_content_on_the_contacts_provider(device: adbutils.AdbDevice, server: Any) -> None:
    people = server.phone.app_state("com.example.contacts")["contacts"]
    phones = device.shell(
        "content query --uri content://com.android.contacts/data/phones "
        "--projection display_name:data1"
    ).splitlines()
    assert phones == [
        f"Row: {n} display_name={p['name']}, data1={p['phone']}" for n, p in enumerate(people)
    ]
    contacts = device.shell("content query --uri content://com.android.contacts/contacts")
    assert contacts.splitlines()[0] == (
        f"Row: 0 _id={people[0]['id']}, display_name={people[0]['name']}, "
        "has_phone_number=1, starred=0"
    )
    emails = device.shell(
        "content query --uri content://com.android.contacts/data --projection data1 "
        "--where \"mimetype='vnd.android.cursor.item/email_v2'\""
    )
    assert emails.splitlines() == [f"Row: {n} data1={p['email']}" for n, p in enumerate(people)]
    status, _, err = sh(device, "content query --uri content://com.android.contacts/x")
    assert status == 1 and "Unknown URL" in err
    status, _, err = sh(device, "content query --uri content://settings/system --projection no")
    assert (status, err) == (1, "java.lang.IllegalArgumentException: Invalid column: no\n")


def test_content_sms_call_log_and_legacy_contacts_as_android_world_reads_them(
    device: adbutils.AdbDevice, server: Any
) -> None:
    import re

    conversations = server.phone.app_state("com.google.android.apps.messaging")["conversations"]
    sent = [(c["number"], m["text"]) for c in conversations for m in c["messages"] if m["outgoing"]]
    rows = device.shell("content query --uri content://sms/sent").splitlines()
    fields = [dict(re.findall(r"(\w+)=([^,]*(?:, (?!\w+=)[^,]*)*)", row)) for row in rows]
    assert sorted((f["address"], f["body"]) for f in fields) == sorted(sent)
    assert all(f["type"] == "2" and f["date"].isdigit() for f in fields)
    assert [int(f["_id"]) for f in fields] == sorted((int(f["_id"]) for f in fields), reverse=True)
    received = sum(not m["outgoing"] for c in conversations for m in c["messages"])
    inbox = device.shell("content query --uri content://sms/inbox --projection type")
    assert inbox.splitlines() == [f"Row: {n} type=1" for n in range(received)]
    people = server.phone.app_state("com.example.contacts")["contacts"]
    listed = device.shell(
        "content query --uri content://contacts/phones/ --projection display_name:number"
    )
    found = re.findall(r"display_name=(.*), number=(.*)", listed)  # contacts_utils.py's parser
    assert found == [(p["name"], p["phone"]) for p in people]
    assert sh(device, "content delete --uri content://call_log/calls") == (0, "", "")
    assert device.shell("content query --uri content://call_log/calls") == "No result found."


def test_screenrecord_writes_a_playable_mp4(
    device: adbutils.AdbDevice, server: Any, tmp_path: Path
) -> None:
    import cv2
    import numpy as np

    device.shell("am start -n com.example.notes/.MainActivity")
    assert sh(device, "screenrecord --time-limit 1 --size 540x1200 /sdcard/rec.mp4") == (0, "", "")
    local = tmp_path / "rec.mp4"
    device.sync.pull("/sdcard/rec.mp4", str(local))
    assert local.read_bytes()[4:8] == b"ftyp"
    video = cv2.VideoCapture(str(local))
    assert (video.get(cv2.CAP_PROP_FRAME_WIDTH), video.get(cv2.CAP_PROP_FRAME_HEIGHT)) == (
        540,
        1200,
    )
    assert video.get(cv2.CAP_PROP_FRAME_COUNT) >= 5  # a second at 10 frames a second
    ok, frame = video.read()
    assert ok
    screen = np.asarray(server.phone.screenshot().convert("RGB").resize((540, 1200)))
    assert float(np.abs(frame[:, :, ::-1].astype(int) - screen.astype(int)).mean()) < 12
    assert sh(device, "screenrecord")[::2] == (2, "Must specify output file (see --help).\n")
    assert sh(device, "screenrecord --time-limit 999 /sdcard/x.mp4")[0] == 2
    assert sh(device, "screenrecord --size 12 /sdcard/x.mp4")[::2] == (
        2,
        "Invalid size '12', must be width x height\n",
    )


def test_screenrecord_stops_on_ctrl_c_typed_on_the_terminal(server: Any) -> None:
    command = [adb_bin(), "-s", server.serial, "shell", "-tt", "screenrecord", "/sdcard/c.mp4"]
    with subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE) as recorder:
        assert recorder.stdin is not None
        recorder.stdin.write(b"\x03")  # the default time limit is 180 s
        recorder.stdin.flush()
        recorder.communicate(timeout=30)
    assert recorder.returncode == 0
    assert server.phone.fs.read("/sdcard/c.mp4")[4:8] == b"ftyp"


def test_screenrecord_is_a_process_that_pkill_stops(
    device: adbutils.AdbDevice, server: Any
) -> None:
    adb = [adb_bin(), "-s", server.serial, "shell"]
    for signal, status, written in (("-INT", 0, True), ("", 143, False)):
        path = f"/sdcard/job{signal}.mp4"
        with subprocess.Popen([*adb, "screenrecord", path]) as recorder:
            deadline = time.monotonic() + 20
            while "screenrecord" not in device.shell("ps -A"):
                assert time.monotonic() < deadline
                time.sleep(0.1)
            assert sh(device, f"pkill {signal} screenrecord; echo $?")[1] == "0\n"
            recorder.wait(timeout=30)
        assert recorder.returncode == status
        assert (server.phone.fs.stat(path) is not None) == written  # SIGTERM: never muxed
        assert "screenrecord" not in device.shell("ps -A")


def test_background_commands_outlive_the_adb_shell(device: adbutils.AdbDevice, server: Any) -> None:
    status, out, _ = sh(device, "sleep 0.1 & echo started $!; echo next")
    assert status == 0
    started, following = out.splitlines()
    assert started.split()[0] == "started" and started.split()[1].isdigit()
    assert following == "next"
    assert device.shell("(sleep 0.2; echo late) & echo early; wait; echo done") == (
        "early\nlate\ndone"
    )
    assert sh(device, "screenrecord --time-limit 2 /sdcard/bg.mp4 &") == (0, "", "")
    assert "screenrecord" in device.shell("ps -A")  # still recording: the shell did not wait
    assert server.phone.fs.stat("/sdcard/bg.mp4") is None
    deadline = time.monotonic() + 30
    while server.phone.fs.stat("/sdcard/bg.mp4") is None:
        assert time.monotonic() < deadline
        time.sleep(0.2)
    assert server.phone.fs.read("/sdcard/bg.mp4")[4:8] == b"ftyp"
