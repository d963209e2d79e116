"""What the views share: settings read and re-read like the CLI's, the memory store, the
safety policy, and the device list with the virtual phone."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from mobile_agent.config import Settings, load_settings, set_file_value
from mobile_agent.gui.services import (
    VIRTUAL,
    DeviceList,
    Services,
    has_model,
    policy_from,
)

pytestmark = pytest.mark.gui


def test_for_tests_settings_are_the_file_layer_the_cli_reads(tmp_path: Path, qapp: Any) -> None:
    home = tmp_path / "home"
    services = Services.for_tests(home, Settings(model="openai:gpt-4o", max_steps=7))
    try:
        assert services.settings.model == "openai:gpt-4o"
        assert services.settings.max_steps == 7
        # the CLI's loader sees the same values in the same file
        assert load_settings(path=home / "config.toml").max_steps == 7
        assert services.config_path() == home / "config.toml"
    finally:
        services.shutdown()


def test_reload_reads_the_file_and_the_environment_and_tells_the_views(
    qtbot: Any, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert services.settings.max_steps == 30
    set_file_value("max_steps", 12, services.config_path())
    monkeypatch.setenv("MOBILE_AGENT_MAX_COST_USD", "0.5")
    with qtbot.waitSignal(services.settings_changed, timeout=1000) as changed:
        reloaded = services.reload_settings()
    assert changed.args == [reloaded]
    assert reloaded.max_steps == 12 and reloaded.max_cost_usd == 0.5
    assert services.settings is reloaded


def test_a_bad_settings_file_starts_with_the_defaults_and_says_why(
    tmp_path: Path, qapp: Any
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text("max_steps = -3\n", encoding="utf-8")
    services = Services(home)
    try:
        assert services.settings == Settings()
        assert "max_steps" in services.settings_error
    finally:
        services.shutdown()


def test_has_model_needs_a_default_or_one_per_agent(services: Services) -> None:
    assert not services.has_model()
    assert has_model(Settings(model="openai:gpt-4o"))
    assert not has_model(Settings(agent_models={"manager": "openai:gpt-4o"}))
    every = dict.fromkeys(("manager", "operator", "reflector", "notetaker"), "openai:gpt-4o")
    assert has_model(Settings(agent_models=every))


def test_the_store_is_memory_db_in_the_data_directory_unless_set(
    tmp_path: Path, services: Services
) -> None:
    assert services.store_path() == services.home / "memory.db"
    elsewhere = tmp_path / "elsewhere.db"
    set_file_value("memory_db", str(elsewhere), services.config_path())
    services.reload_settings()
    assert services.store_path() == elsewhere


def test_each_open_store_is_a_new_connection_usable_on_its_own_thread(
    services: Services,
) -> None:
    with services.open_store() as store:
        tip = store.tips.add("Long-press a note to pin it", app="Notes")
    seen: list[str] = []

    def read() -> None:
        with services.open_store() as other:
            seen.extend(t.text for t in other.tips.all())

    thread = threading.Thread(target=read)
    thread.start()
    thread.join(10)
    assert seen == ["Long-press a note to pin it"]
    assert tip.id
    assert services.store_path().exists()


def test_policy_from_takes_the_settings_lists_and_the_task() -> None:
    settings = Settings(allow=["send"], allow_apps=["Notes"], deny_apps=["Shop"])
    policy = policy_from(settings, "Text Anna from Messages")
    assert policy.allows("send") and not policy.allows("pay")
    assert policy.allow_apps == frozenset({"Notes"})
    assert policy.deny_apps == frozenset({"Shop"})
    assert policy.task == "Text Anna from Messages"


def test_with_no_phone_attached_the_list_is_the_virtual_phone(
    tmp_path: Path, empty_adb_server: int
) -> None:
    devices = DeviceList(tmp_path / "locks")
    choices = devices.refresh()
    assert [c.serial for c in choices] == [VIRTUAL]
    assert choices[0].virtual and choices[0].ready
    assert devices.error == ""


def test_an_attached_phone_is_listed_after_the_virtual_one(
    tmp_path: Path, connected_phone: Any
) -> None:
    devices = DeviceList(tmp_path / "locks")
    choices = devices.refresh()
    assert choices[0].serial == VIRTUAL
    listed = {c.serial: c for c in choices[1:]}
    assert connected_phone.serial in listed
    assert connected_phone.serial in listed[connected_phone.serial].label
    assert devices.find(connected_phone.serial) == listed[connected_phone.serial]


@pytest.mark.e2e
def test_the_virtual_phone_starts_on_first_use_is_kept_and_stopped_on_close(
    tmp_path: Path,
) -> None:
    devices = DeviceList(tmp_path / "locks")
    first, server = devices.open(VIRTUAL)
    try:
        assert server is not None and devices.server is server
        assert first.serial == server.serial
        assert first.current_app()[0]  # the device answers through adb
        second, again = devices.open(devices.find(VIRTUAL))
        assert again is server  # one virtual phone for the app's lifetime
        second.close()
        # the app's own phone is listed once, as the virtual phone
        assert [c.serial for c in devices.refresh()].count(server.serial) == 0
    finally:
        devices.close()
    assert devices.server is None
    with pytest.raises(RuntimeError, match="closed"):
        devices.start_virtual_phone()


def test_hold_takes_the_lock_the_cli_takes(tmp_path: Path) -> None:
    from mobile_agent.device import DeviceBusy, DeviceLock

    devices = DeviceList(tmp_path / "locks")
    with devices.hold("emulator-5554"):
        other = DeviceLock("emulator-5554", tmp_path / "locks")
        # flock is per open file: a second lock object is refused like another process
        with pytest.raises(DeviceBusy):
            other.acquire()
    DeviceLock("emulator-5554", tmp_path / "locks").acquire().release()
    with devices.hold(VIRTUAL):  # the app's own phone: nothing to lock
        pass
