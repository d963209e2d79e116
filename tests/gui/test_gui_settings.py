"""The Settings tab: it saves the file the CLI reads, refuses bad values without writing,
keeps environment settings out of the file, stores keys in the keyring (or says to use the
environment), reverts, and tells the other views."""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail
from keyring.errors import PasswordDeleteError, PasswordSetError

from mobile_agent.config import ENV_PREFIX, Settings, file_values, load_settings, set_file_value
from mobile_agent.gui.services import Services
from mobile_agent.gui.settings_form import ChoiceEditor, WordListEditor
from mobile_agent.gui.settings_view import SettingsView
from mobile_agent.llm.factory import PROVIDERS
from mobile_agent.llm.keys import GENERIC_ENV, KEYRING_SERVICE

pytestmark = pytest.mark.gui


class MemoryKeyring(KeyringBackend):
    """A keyring that keeps passwords in a dict."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.store.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


class RefusingKeyring(MemoryKeyring):
    """A keyring that exists but refuses to store anything (a locked wallet)."""

    def set_password(self, service: str, username: str, password: str) -> None:
        raise PasswordSetError("the wallet is locked")


@pytest.fixture
def gui_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private MOBILE_AGENT_HOME, and no setting or key from the environment."""
    home = tmp_path / "home"
    monkeypatch.setenv("MOBILE_AGENT_HOME", str(home))
    for name in os.environ:
        if name.startswith(ENV_PREFIX) and name != "MOBILE_AGENT_HOME":
            monkeypatch.delenv(name)
    for provider in PROVIDERS.values():
        for variable in provider.env_vars:
            monkeypatch.delenv(variable, raising=False)
    monkeypatch.delenv(GENERIC_ENV, raising=False)
    return home


@contextlib.contextmanager
def _use_keyring(backend: KeyringBackend) -> Iterator[KeyringBackend]:
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[KeyringBackend]:
    """Never the real keyring of the machine running the tests."""
    with _use_keyring(MemoryKeyring()) as backend:
        yield backend


@pytest.fixture
def services(gui_home: Path, qapp: Any) -> Iterator[Services]:
    made = Services.for_tests(gui_home)
    try:
        yield made
    finally:
        made.shutdown(timeout_s=10)


@pytest.fixture
def view(services: Services, qtbot: Any) -> SettingsView:
    made = SettingsView(services)
    qtbot.addWidget(made)
    return made


def _edit(view: SettingsView) -> None:
    """Change settings of every kind of editor."""
    view.editors["model"].set_value("ollama:qwen2.5vl:7b")
    view.editors["base_url"].set_value("http://127.0.0.1:11434/v1")
    view.editors["agent_models"].set_value({"notetaker": "openai:gpt-4o-mini"})
    view.editors["max_steps"].set_value(12)
    view.editors["max_cost_usd"].set_value(0.5)
    view.editors["ocr"].set_value("none")
    view.editors["allow"].set_value(["send"])
    view.editors["deny_apps"].set_value(["Bank", "Wallet"])


def test_every_setting_has_an_editor_made_from_its_declaration(view: SettingsView) -> None:
    assert sorted(view.editors) == sorted(Settings.field_names())
    ocr = view.editors["ocr"]
    assert isinstance(ocr, ChoiceEditor)
    assert [ocr.combo.itemText(i) for i in range(ocr.combo.count())] == [
        "rapidocr",
        "paddleocr",
        "none",
    ]
    assert isinstance(view.editors["allow"], WordListEditor)
    assert view.editors["max_steps"].spin.maximum() == 1000  # type: ignore[attr-defined]


def test_saving_writes_the_file_the_cli_reads_and_tells_the_views(
    view: SettingsView, services: Services, gui_home: Path, qtbot: Any
) -> None:
    _edit(view)
    with qtbot.waitSignal(services.settings_changed, timeout=2000) as emitted:
        view.save_button.click()

    loaded = load_settings()
    assert loaded.model == "ollama:qwen2.5vl:7b"
    assert loaded.base_url == "http://127.0.0.1:11434/v1"
    assert loaded.agent_models == {"notetaker": "openai:gpt-4o-mini"}
    assert (loaded.max_steps, loaded.max_cost_usd, loaded.ocr) == (12, 0.5, "none")
    assert (loaded.allow, loaded.deny_apps) == (["send"], ["Bank", "Wallet"])
    assert emitted.args[0] == loaded
    assert services.settings == loaded
    path = gui_home / "config.toml"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "max_wall_s" not in file_values(path)  # untouched settings stay defaults
    assert "Saved" in view.status.text()


def test_invalid_values_are_shown_at_their_fields_and_nothing_is_written(
    view: SettingsView, services: Services, gui_home: Path, qtbot: Any
) -> None:
    view.editors["max_steps"].set_value(9)
    assert view.save()
    before = (gui_home / "config.toml").read_bytes()

    view.editors["max_steps"].set_value(20)
    view.editors["base_url"].set_value("localhost:11434")
    view.editors["max_wall_s"].set_value(0)
    with qtbot.assertNotEmitted(services.settings_changed):
        view.save_button.click()

    assert (gui_home / "config.toml").read_bytes() == before
    assert load_settings().max_steps == 9
    assert "http://" in view.editors["base_url"].error.text()
    assert "greater than 0" in view.editors["max_wall_s"].error.text()
    assert not view.editors["base_url"].error.isHidden()
    assert view.editors["max_steps"].error.isHidden()
    assert view.status.text().startswith("Not saved")


def test_a_setting_from_the_environment_is_locked_and_never_written(
    services: Services, gui_home: Path, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_file_value("max_steps", 9, gui_home / "config.toml")
    monkeypatch.setenv("MOBILE_AGENT_MAX_STEPS", "7")
    services.reload_settings()
    view = SettingsView(services)
    qtbot.addWidget(view)
    steps = view.editors["max_steps"]
    assert steps.value() == 7
    assert not steps.inputs.isEnabled()
    assert "MOBILE_AGENT_MAX_STEPS" in steps.note.text()

    view.editors["history_steps"].set_value(8)
    assert view.save()
    written = file_values(gui_home / "config.toml")
    assert written == {"max_steps": 9, "history_steps": 8}
    assert load_settings().max_steps == 7


def test_revert_shows_the_saved_values_again(
    view: SettingsView, gui_home: Path, qtbot: Any
) -> None:
    _edit(view)
    assert view.save()
    view.editors["model"].set_value("openai:gpt-4o")
    view.editors["max_steps"].set_value(99)
    view.editors["allow"].set_value(["pay", "delete"])
    view.editors["max_wall_s"].set_value(0)
    assert not view.save()
    assert view.dirty()

    view.revert_button.click()

    assert view.editors["model"].value() == "ollama:qwen2.5vl:7b"
    assert view.editors["max_steps"].value() == 12
    assert view.editors["allow"].value() == ["send"]
    assert view.editors["max_wall_s"].error.isHidden()
    assert not view.dirty()
    assert file_values(gui_home / "config.toml")["max_steps"] == 12


def test_keys_are_stored_in_and_removed_from_the_keyring(
    services: Services, memory_keyring: MemoryKeyring, qtbot: Any
) -> None:
    memory_keyring.set_password(KEYRING_SERVICE, "anthropic", "sk-ant-old")
    view = SettingsView(services)
    qtbot.addWidget(view)
    rows = view.keys.rows
    qtbot.waitUntil(lambda: rows["anthropic"].status.text() == "Stored in the OS keyring.")
    assert "OPENAI_API_KEY" in rows["openai"].status.text()

    rows["openai"].edit.setText("  sk-test-123  ")
    rows["openai"].store_button.click()
    qtbot.waitUntil(lambda: rows["openai"].status.text() == "Stored in the OS keyring.")
    assert memory_keyring.store[(KEYRING_SERVICE, "openai")] == "sk-test-123"
    assert rows["openai"].edit.text() == ""

    rows["anthropic"].remove_button.click()
    qtbot.waitUntil(lambda: "No key yet" in rows["anthropic"].status.text())
    assert (KEYRING_SERVICE, "anthropic") not in memory_keyring.store


def test_a_failing_keyring_says_to_use_the_environment(services: Services, qtbot: Any) -> None:
    with _use_keyring(RefusingKeyring()):
        view = SettingsView(services)
        qtbot.addWidget(view)
        row = view.keys.rows["gemini"]
        qtbot.waitUntil(lambda: row.store_button.isEnabled())
        row.edit.setText("g-key")
        row.store_button.click()
        qtbot.waitUntil(lambda: "Could not store" in row.status.text())
        assert "GEMINI_API_KEY or GOOGLE_API_KEY" in row.status.text()
        assert "still work" in row.status.text()


def test_without_a_keyring_each_key_names_its_environment_variable(
    services: Services, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENROUTER_API_KEY", "or-key")
    with _use_keyring(fail.Keyring()):
        view = SettingsView(services)
        qtbot.addWidget(view)
        rows = view.keys.rows
        assert "Keys cannot be stored here" in view.keys.message.text()
        assert rows["openai"].status.text() == (
            "The key must come from OPENAI_API_KEY in the environment."
        )
        assert "Given by OPENROUTER_API_KEY" in rows["openrouter"].status.text()
        assert not rows["openai"].store_button.isEnabled()


def test_the_data_directory_is_shown_with_how_to_move_it(
    view: SettingsView, gui_home: Path
) -> None:
    from PySide6.QtWidgets import QLabel

    label = view.findChild(QLabel, "data_dir")
    assert label is not None
    assert str(gui_home) in label.text()
    assert "MOBILE_AGENT_HOME" in label.text()


def test_settings_changed_elsewhere_show_unless_the_form_has_edits(
    view: SettingsView, services: Services, gui_home: Path
) -> None:
    set_file_value("max_steps", 11, gui_home / "config.toml")
    services.reload_settings()
    assert view.editors["max_steps"].value() == 11

    view.editors["history_steps"].set_value(9)
    set_file_value("max_steps", 13, gui_home / "config.toml")
    services.reload_settings()
    assert view.editors["max_steps"].value() == 11  # the user's edits are not thrown away
    assert view.editors["history_steps"].value() == 9
