"""The uiautomator2 server dies in the middle of a run, through the real adb / uiautomator2
stack: killed between steps it is restarted and the run goes on; killed for good, the run
ends as `device_lost` with a reason that says so, soon after.

The virtual phone serves the uiautomator2 server as a handler of its device port 9008;
`phone.register_tcp(9008, None)` is the server's process dying (the port refuses streams
from then on). A phone whose `app_process` reports UiAutomation as taken by another tool is
one where the server cannot be started again.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from conftest import free_port, run_adb
from test_run_helpers import (
    ElementScript,
    Recorder,
    connected_device,
    manager,
    operator,
    reflector,
    tap_el,
    type_el,
    with_notes,
)

from mobile_agent.config import load_settings
from mobile_agent.events import Event, FinalState, RunResult
from mobile_agent.runner import Runner
from virtual_phone.server import VirtualPhoneServer
from virtual_phone.shell.commands import u2server
from virtual_phone.shell.context import Ctx

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]

U2_PORT = 9008
NOTES = "com.example.notes"
TAKEN = (
    "java.lang.IllegalStateException: UiAutomationService "
    "android.accessibilityservice.IAccessibilityServiceClient$Stub$Proxy@5deffd5already "
    "registered!\n"
)
RESTARTED = "uiautomator2 server restarted"


def kill_server(phone: Any) -> None:
    """The server's process dies: its port refuses every stream from now on."""
    assert phone.tcp_handler(U2_PORT) is not None, "no uiautomator2 server was running"
    phone.register_tcp(U2_PORT, None)


def note_script() -> list[dict[str, Any]]:
    return with_notes(
        [
            manager("Create the note"),
            operator("open_app", {"app": "Notes"}),
            reflector(),
            tap_el("New note"),
            reflector(),
            type_el("Title", "Groceries"),
            reflector(),
            tap_el("Save"),
            reflector(),
            operator("finish", {"answer": "saved"}),
        ]
    )


def run_with(server: Any, script: list[Any], listener: Callable[[Event], None]) -> RunResult:
    model = ElementScript(script)
    with connected_device(server) as device:
        runner = Runner(
            device,
            model,
            settings=load_settings({"ocr_policy": "never"}),
            listeners=[listener],
        )
        return runner.run("Create a note titled Groceries")


def test_a_server_killed_between_steps_is_restarted_and_the_run_goes_on(
    connected_phone: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="mobile_agent.device")
    phone = connected_phone.phone
    events = Recorder()
    kills: list[str] = []

    def kill_on_the_way(event: Event) -> None:
        events(event)
        action = getattr(event, "action", None) or {}
        if event.kind == "action_chosen" and action.get("name") == "tap" and not kills:
            kill_server(phone)  # the next RPC is this very tap
            kills.append("before the tap")
        elif event.kind == "action_executed" and action.get("name") == "type":
            kill_server(phone)  # the next RPC is the capture after typing
            kills.append("after typing")

    result = run_with(connected_phone, note_script(), kill_on_the_way)

    assert result.state is FinalState.SUCCEEDED, result.reason
    assert kills == ["before the tap", "after typing"]
    restarts = [r for r in caplog.records if RESTARTED in r.getMessage()]
    assert len(restarts) == 2
    assert phone.tcp_handler(U2_PORT) is not None  # a server runs again
    titles = [note["title"] for note in phone.app_state(NOTES)["notes"]]
    assert titles.count("Groceries") == 1  # the tap after the restart ran exactly once
    executed = [(e.action["name"], e.ok) for e in events.of("action_executed")]
    assert executed == [(name, True) for name in ("open_app", "tap", "type", "tap", "finish")]
    assert events.of("step_failed") == []


@pytest.fixture
def fragile_phone(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Any, threading.Event]]:
    """A connected virtual phone whose uiautomator2 server starts normally until the event
    is set; from then on `app_process` reports UiAutomation as held by another tool and
    exits, as a real phone does while another automation tool holds it."""
    taken = threading.Event()
    start_server = u2server.COMMANDS["app_process"]

    async def app_process(ctx: Ctx) -> int:
        if not taken.is_set():
            return await start_server(ctx)
        ctx.out("[server] INFO: [UiAutomator2Server] Starting Server\n" + TAKEN)
        await ctx.flush()
        return 1

    monkeypatch.setitem(u2server.COMMANDS, "app_process", app_process)
    server = VirtualPhoneServer(port=free_port(), seed=0).start()
    try:
        assert b"connected" in run_adb("connect", server.serial).stdout
        yield server, taken
    finally:
        run_adb("disconnect", server.serial)
        server.stop()


def test_a_server_that_cannot_come_back_ends_the_run_as_device_lost(
    fragile_phone: tuple[Any, threading.Event],
) -> None:
    server, taken = fragile_phone
    events = Recorder()
    killed_at: list[float] = []

    def kill_for_good(event: Event) -> None:
        events(event)
        if event.kind == "action_executed" and not killed_at:
            taken.set()
            kill_server(server.phone)
            killed_at.append(time.monotonic())

    result = run_with(server, note_script(), kill_for_good)
    ended = time.monotonic()

    assert result.state is FinalState.DEVICE_LOST
    assert result.reason.startswith("the device was lost: ")
    assert "the uiautomator2 server stopped during dumpWindowHierarchy()" in result.reason
    assert "could not be restarted" in result.reason
    assert "already registered" in result.reason
    assert "Traceback" not in result.reason
    assert ended - killed_at[0] < 15  # one bounded restart, not the 20 s call limits and more
    executed = [e.action["name"] for e in events.of("action_executed")]
    assert executed == ["open_app"]  # nothing acted after the server died
    assert events.kinds()[-1] == "run_finished"
    assert events.kinds().count("run_finished") == 1
    assert events.of("run_finished")[0].state is FinalState.DEVICE_LOST
