"""`AppHost`, the phone as apps see it: exactly the `Host` interface, acting on a real
`SystemServer` and file system."""

from __future__ import annotations

import inspect

import pytest

from virtual_phone.apps.base import Host
from virtual_phone.apps.notes import EditorActivity, NotesApp
from virtual_phone.fs import FileSystem
from virtual_phone.host import AppHost
from virtual_phone.system_server import SystemServer

NOTES = "com.example.notes"


@pytest.fixture
def system() -> SystemServer:
    return SystemServer(seed=0, files=FileSystem())


def _notes(system: SystemServer) -> NotesApp:
    app = system.apps[NOTES]
    assert isinstance(app, NotesApp)
    return app


def test_host_offers_exactly_the_host_interface() -> None:
    def public(cls: type) -> set[str]:
        return {n for n, _ in inspect.getmembers(cls, inspect.isfunction) if not n.startswith("_")}

    assert public(AppHost) == public(Host)
    assert public(AppHost) == {
        "toast",
        "start_activity",
        "finish",
        "launch",
        "hide_keyboard",
        "write_file",
        "app_data",
    }


def test_every_app_holds_the_same_app_host(system: SystemServer) -> None:
    hosts = {id(app.host) for app in system.apps.values()}
    assert len(hosts) == 1
    assert isinstance(_notes(system).host, AppHost)


def test_toast_is_shown_and_counted_as_a_change(system: SystemServer) -> None:
    version = system.version
    _notes(system).host.toast("Note saved")
    assert system.ui.toast_text() == "Note saved"
    assert system.ui.last_toast == "Note saved"
    assert system.version > version


def test_started_activity_comes_to_front_and_finish_returns(system: SystemServer) -> None:
    app = _notes(system)
    assert system.launch(NOTES)
    system.ime_shown = True  # a field had the keyboard up
    editor = EditorActivity(app, None)
    app.host.start_activity(editor)
    assert system.current() == (NOTES, EditorActivity.name)
    assert not system.ime_shown
    app.host.finish(editor)
    assert system.current() == (NOTES, app.main_activity)


def test_launch_brings_another_app_forward(system: SystemServer) -> None:
    host = _notes(system).host
    assert host.launch("com.android.settings")
    assert system.current()[0] == "com.android.settings"
    assert not host.launch("com.example.missing")
    assert system.current()[0] == "com.android.settings"


def test_hide_keyboard_and_write_file() -> None:
    files = FileSystem()
    system = SystemServer(seed=0, files=files)
    host = _notes(system).host
    system.ime_shown = True
    host.hide_keyboard()
    assert not system.ime_shown
    host.write_file("/sdcard/Download/a.txt", b"hello")
    assert files.read("/sdcard/Download/a.txt") == b"hello"


def test_app_data_is_a_copy_of_another_apps_state(system: SystemServer) -> None:
    host = _notes(system).host
    contacts = system.apps["com.example.contacts"]
    data = host.app_data("com.example.contacts")
    assert data == contacts.state
    data["contacts"].clear()  # changing the copy leaves the app untouched
    assert contacts.state["contacts"]
    assert host.app_data("com.example.missing") == {}
