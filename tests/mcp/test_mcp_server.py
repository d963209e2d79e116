"""`mobile-agent mcp` driven by the SDK's own client over stdio, on a virtual phone that
the subprocess reaches through this session's adb server."""

from __future__ import annotations

import base64
import json
import os
import re
import sys
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest
from conftest import served_phone

mcp = pytest.importorskip("mcp")
from mcp import types  # noqa: E402
from mcp.client.session import ClientSession  # noqa: E402
from mcp.client.stdio import StdioServerParameters, stdio_client  # noqa: E402

from mobile_agent.demo import load_demo  # noqa: E402
from mobile_agent.memory import ShortcutSpec, Status, Store  # noqa: E402

pytestmark = pytest.mark.e2e

CONTACTS = "com.example.contacts"
TOOLS = {
    "list_devices",
    "observe",
    "act",
    "confirm",
    "run_task",
    "list_shortcuts",
    "run_shortcut",
}


@pytest.fixture(scope="module")
def phone() -> Iterator[Any]:
    """A virtual phone attached to this session's adb server (one per module)."""
    with served_phone() as server:
        yield server


Session = Callable[[ClientSession], Awaitable[None]]


def _serve(
    serial: str, work: Session, elicit: Any = None, env: dict[str, str] | None = None
) -> None:
    """Start `mobile-agent mcp` as a subprocess and run `work` with a client session."""
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "mobile_agent", "mcp", "--device", serial],
        env={**os.environ, **(env or {})},  # this session's adb server port and data directory
    )

    async def main() -> None:
        async with (
            stdio_client(params) as (read, write),
            ClientSession(read, write, elicitation_callback=elicit) as session,
        ):
            await session.initialize()
            await work(session)

    anyio.run(main)


async def _call(session: ClientSession, tool: str, **arguments: Any) -> types.CallToolResult:
    return await session.call_tool(tool, arguments)


def _text(result: types.CallToolResult) -> str:
    return "\n".join(c.text for c in result.content if isinstance(c, types.TextContent))


def _number(screen_text: str, label: str) -> int:
    found = re.search(
        rf'^\[(\d+)\] \S+ (?:"{re.escape(label)}"|.*desc="{re.escape(label)}")', screen_text, re.M
    )
    assert found, f"{label!r} not on the screen:\n{screen_text}"
    return int(found.group(1))


async def _tap(session: ClientSession, label: str) -> str:
    screen = _text(await _call(session, "observe"))
    result = await _call(
        session, "act", action="tap", arguments={"element": _number(screen, label)}
    )
    assert not result.is_error, _text(result)
    return _text(result)


def _contacts(phone: Any) -> list[str]:
    return [c["name"] for c in phone.phone.app_state(CONTACTS)["contacts"]]


def test_a_client_lists_the_tools_observes_taps_and_confirms_a_held_tap(phone: Any) -> None:
    name = "Bruno Silva"

    async def work(session: ClientSession) -> None:
        # the tools
        listed = await session.list_tools()
        assert {t.name for t in listed.tools} == TOOLS
        tools = {t.name: t for t in listed.tools}
        assert "open_app" in (tools["act"].description or "")
        assert tools["observe"].annotations and tools["observe"].annotations.read_only_hint
        assert tools["act"].annotations and tools["act"].annotations.destructive_hint
        devices = json.loads(_text(await _call(session, "list_devices")))
        assert phone.serial in [d["serial"] for d in devices]
        # observe: the elements as text and the screenshot as an image
        await _call(session, "act", action="home")
        seen = await _call(session, "observe")
        text, image = seen.content
        assert isinstance(text, types.TextContent) and "app: com.android.launcher3" in text.text
        assert isinstance(image, types.ImageContent) and image.mime_type == "image/png"
        assert base64.b64decode(image.data).startswith(b"\x89PNG")
        # a tap on a real element
        assert (await _tap(session, "Contacts")).startswith("ok:")
        assert "app: com.example.contacts" in _text(await _call(session, "observe"))
        await _tap(session, f"B | {name}")
        # a consequential tap is held and comes back as a confirmation request
        held = await _tap(session, "Delete contact")
        assert held.startswith('HELD by the safety gate: tap "Delete contact"')
        assert name in _contacts(phone)
        token = re.search(r'token "([^"]+)"', held)
        assert token, held
        wrong = await _call(session, "confirm", token="not-a-token")
        assert wrong.is_error and "no held action" in _text(wrong)
        # confirmed once: done (and the dialog's own Delete is the same act, one step on)
        confirmed = await _call(session, "confirm", token=token.group(1))
        assert _text(confirmed).startswith("ok:"), _text(confirmed)
        assert (await _tap(session, "Delete")).startswith("ok:")
        assert name not in _contacts(phone)
        again = await _call(session, "confirm", token=token.group(1))
        assert again.is_error
        # a task needs a model, and none is configured here
        no_model = await _call(session, "run_task", task="Open the Clock app")
        assert no_model.is_error and "no model configured" in _text(no_model)

    _serve(phone.serial, work)


def test_a_client_that_can_ask_its_user_is_asked(phone: Any) -> None:
    asked: list[str] = []
    answers = iter([False, True])

    async def elicit(context: Any, params: types.ElicitRequestParams) -> types.ElicitResult:
        asked.append(params.message)
        return types.ElicitResult(action="accept", content={"allow": next(answers)})

    async def work(session: ClientSession) -> None:
        await _call(session, "act", action="open_app", arguments={"app": "Contacts"})
        for _ in range(3):  # back to the list from a contact's page
            if "Navigate up" not in _text(await _call(session, "observe")):
                break
            await _call(session, "act", action="back")
        await _tap(session, "C | Chloé Anderson")
        declined = await _tap(session, "Call")
        assert declined.startswith("REFUSED by the safety gate: the user declined")
        called = await _tap(session, "Call")
        assert called.startswith("ok:"), called

    _serve(phone.serial, work, elicit)
    assert len(asked) == 2
    assert 'tap "Call"' in asked[0]


def test_run_task_and_shortcuts_with_the_configured_model(phone: Any, tmp_path: Path) -> None:
    # GIVEN a scripted model and a memory database with a shortcut, both in the settings
    demo = load_demo()
    script = tmp_path / "demo.json"
    script.write_text(json.dumps({"replies": demo.replies}), encoding="utf-8")
    db = tmp_path / "memory.db"
    with Store.open(db) as store:
        store.shortcuts.add(_note_shortcut(), status=Status.APPROVED)
    env = {
        "MOBILE_AGENT_MODEL": f"scripted:{script}",
        "MOBILE_AGENT_MEMORY_DB": str(db),
        "MOBILE_AGENT_OCR_POLICY": "never",
    }

    async def work(session: ClientSession) -> None:
        listed = json.loads(_text(await _call(session, "list_shortcuts")))
        assert [(s["name"], s["status"]) for s in listed] == [("new_note", "approved")]
        await _call(session, "act", action="home")
        replayed = await _call(
            session, "run_shortcut", name="new_note", arguments={"title": "Errands"}
        )
        assert json.loads(_text(replayed))["ok"] is True, _text(replayed)
        await _call(session, "act", action="home")
        progress: list[tuple[float, str]] = []

        async def on_progress(done: float, total: float | None, message: str | None) -> None:
            progress.append((done, message or ""))

        result = await session.call_tool(
            "run_task", {"task": demo.task}, progress_callback=on_progress
        )
        ran = json.loads(_text(result))
        assert ran["state"] == "succeeded", ran
        assert ran["held"] == []
        # every step was reported as it finished
        assert [done for done, _ in progress] == list(range(1, len(progress) + 1))
        assert len(progress) >= ran["steps"]
        assert progress[0][1].startswith("step 1: open_app app='Notes' — ")

    _serve(phone.serial, work, env=env)
    titles = [n["title"] for n in phone.phone.app_state("com.example.notes")["notes"]]
    assert "Errands" in titles
    assert demo.verify(phone.phone.app_state)


def _note_shortcut() -> ShortcutSpec:
    return ShortcutSpec.model_validate(
        {
            "name": "new_note",
            "description": "Create a note with a title in the Notes app",
            "params": [{"name": "title", "type": "string", "description": "the note's title"}],
            "guard": {"app": "com.android.launcher3"},
            "steps": [
                {"action": "open_app", "args": {"app": "Notes"}},
                {"action": "tap", "args": {"label": "New note"}},
                {"action": "type", "args": {"label": "Title", "text": "{title}"}},
                {"action": "tap", "args": {"label": "Save"}},
            ],
        }
    )


def test_a_token_covers_its_action_on_its_screen_only(phone: Any) -> None:
    from mobile_agent.config import Settings
    from mobile_agent.mcp.phones import ConfirmationError, Phones

    phones = Phones(Settings(ocr_policy="never"), phone.serial)
    try:
        phones.act("open_app", {"app": "Contacts"})
        for _ in range(3):  # back to the list from a contact's page
            if "Navigate up" not in phones.observe().text:
                break
            phones.act("back")
        row = _number(phones.observe().text, "D | Dmitri Silva")
        phones.act("tap", {"element": row})
        page = phones.observe().text
        held = phones.act("tap", {"element": _number(page, "Delete contact")})
        token = re.search(r'token "([^"]+)"', held)
        assert token, held
        # the screen changes before the confirmation: the token no longer fits
        phones.act("back")
        with pytest.raises(ConfirmationError, match="screen changed"):
            phones.confirm(token.group(1))
        with pytest.raises(ConfirmationError, match="no held action"):
            phones.confirm(token.group(1))  # and it was used up
        assert "Dmitri Silva" in _contacts(phone)
    finally:
        phones.close()


def test_cancelling_run_task_stops_the_run(phone: Any, tmp_path: Path) -> None:
    from mobile_agent.config import data_dir
    from mobile_agent.device import DeviceBusy, DeviceLock

    # GIVEN the demo's script whose second operator reply would take two minutes
    demo = load_demo()
    replies = [dict(r) if isinstance(r, dict) else r for r in demo.replies]
    operators = [r for r in replies if isinstance(r, dict) and r.get("match") == "Role: operator"]
    operators[1]["delay_s"] = 120
    script = tmp_path / "slow.json"
    script.write_text(json.dumps({"replies": replies}), encoding="utf-8")
    env = {"MOBILE_AGENT_MODEL": f"scripted:{script}", "MOBILE_AGENT_OCR_POLICY": "never"}
    steps: list[float] = []

    async def work(session: ClientSession) -> None:
        await _call(session, "act", action="home")
        with anyio.CancelScope() as scope:

            async def on_progress(done: float, total: float | None, message: str | None) -> None:
                steps.append(done)
                with pytest.raises(DeviceBusy):  # the run holds the phone
                    DeviceLock(phone.serial, data_dir("locks")).acquire(wait=False)
                scope.cancel()  # WHEN the client gives up after the first step

            await session.call_tool("run_task", {"task": demo.task}, progress_callback=on_progress)
        assert scope.cancelled_caught
        # THEN the run lets go of the phone long before the slow reply would have come
        lock = DeviceLock(phone.serial, data_dir("locks"))
        with anyio.fail_after(30):
            while True:
                try:
                    lock.acquire(wait=False)
                    break
                except DeviceBusy:
                    await anyio.sleep(0.1)
        lock.release()

    _serve(phone.serial, work, env=env)
    assert steps == [1]
