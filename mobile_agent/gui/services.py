"""What every view of the window shares: the settings, the memory store, the workers and
the devices (`Services`), made once by the app and handed to each view.

Views never block the GUI thread on a device or a model: `DeviceList.refresh` and
`DeviceList.open` talk to adb and belong on a worker (`services.workers.submit(...)`).
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from mobile_agent.config import AGENT_ROLES, Settings, home_dir, load_settings, write_file_values
from mobile_agent.errors import ConfigError
from mobile_agent.gui.workers import Workers

if TYPE_CHECKING:
    from mobile_agent.device.base import Device
    from mobile_agent.memory import Store
    from mobile_agent.safety import Policy

log = logging.getLogger(__name__)

VIRTUAL = "virtual"  # the serial of the built-in virtual phone in the device picker
VIRTUAL_LABEL = "Virtual phone (built in)"


@dataclass(frozen=True)
class DeviceChoice:
    """One entry of the device picker: a serial ("virtual" for the virtual phone) and a label."""

    serial: str
    label: str
    state: str = "device"  # adb's state ("device" = ready, "offline", "unauthorized", …)

    @property
    def virtual(self) -> bool:
        return self.serial == VIRTUAL

    @property
    def ready(self) -> bool:
        return self.state == "device"


VIRTUAL_CHOICE = DeviceChoice(VIRTUAL, VIRTUAL_LABEL)


class DeviceList:
    """The phones the app can drive: attached ones (adb) and the virtual phone.

    `refresh()` asks adb (blocking: call it on a worker); `choices` is the last answer.
    `open(choice)` connects (blocking) and returns ``(device, server)``: the virtual phone is
    started on first use and kept until `close()`; `server` is None for other phones. The
    caller closes the device when done with it (`close()` closes any left open).
    """

    def __init__(self, locks_dir: Path, *, timeout_s: float = 10.0) -> None:
        self.locks_dir = locks_dir
        self.timeout_s = timeout_s
        self.choices: list[DeviceChoice] = [VIRTUAL_CHOICE]
        self.error = ""  # why the last refresh found no adb server ("" when it worked)
        self._lock = threading.Lock()
        self._server: Any = None
        self._opened: list[Device] = []
        self._closed = False

    @property
    def server(self) -> Any:
        """The virtual phone's server once started (its `.phone` holds the apps' state)."""
        return self._server

    def refresh(self) -> list[DeviceChoice]:
        """The virtual phone and every device adb knows (blocks on adb)."""
        from mobile_agent.device import list_devices
        from mobile_agent.errors import MobileAgentError

        own = self._server.serial if self._server is not None else None
        found = [VIRTUAL_CHOICE]
        try:
            summaries = list_devices(self.timeout_s)
            self.error = ""
        except MobileAgentError as exc:
            log.info("no adb devices listed: %s", exc)
            self.error = str(exc)
            summaries = []
        for s in summaries:
            if s.serial == own:
                continue
            name = s.model or "Android device"
            version = f", Android {s.android_version}" if s.android_version else ""
            state = "" if s.state == "device" else f" [{s.state}]"
            found.append(DeviceChoice(s.serial, f"{name} ({s.serial}{version}){state}", s.state))
        self.choices = found
        return found

    def find(self, serial: str) -> DeviceChoice:
        """The choice with `serial` (a plain one when it is not listed)."""
        if serial == VIRTUAL:
            return VIRTUAL_CHOICE
        return next((c for c in self.choices if c.serial == serial), DeviceChoice(serial, serial))

    def open(self, choice: DeviceChoice | str) -> tuple[Device, Any]:
        """A connected device for `choice` and the virtual phone's server (or None)."""
        from mobile_agent.device import connect

        serial = choice if isinstance(choice, str) else choice.serial
        server = self.start_virtual_phone() if serial == VIRTUAL else None
        device = connect(server.serial if server is not None else serial)
        with self._lock:
            self._opened.append(device)
        return device, server

    def start_virtual_phone(self) -> Any:
        """The virtual phone's server, started (and `adb connect`ed) on first use."""
        from virtual_phone.server import VirtualPhoneServer

        with self._lock:
            if self._closed:
                raise RuntimeError("the device list is closed")
            if self._server is None:
                self._server = VirtualPhoneServer(port=0, seed=0).start()
                log.info("virtual phone running at %s", self._server.serial)
            return self._server

    @contextlib.contextmanager
    def hold(self, serial: str, *, wait: bool = False) -> Iterator[None]:
        """Hold the device lock that `mobile-agent run` takes (`DeviceBusy` if another
        process drives that phone). The virtual phone is this app's own: nothing to lock."""
        if serial == VIRTUAL:
            yield
            return
        from mobile_agent.device import DeviceLock

        self.locks_dir.mkdir(parents=True, exist_ok=True)
        lock = DeviceLock(serial, self.locks_dir).acquire(wait=wait)
        try:
            yield
        finally:
            lock.release()

    def close(self) -> None:
        """Close the devices left open, disconnect and stop the virtual phone."""
        with self._lock:
            self._closed = True
            opened, self._opened = self._opened, []
            server, self._server = self._server, None
        for device in opened:
            with contextlib.suppress(Exception):
                device.close()
        if server is not None:
            from mobile_agent.device.transport import adb_disconnect

            with contextlib.suppress(Exception):
                adb_disconnect(server.serial)
            server.stop()
            log.info("virtual phone stopped")


def has_model(settings: Settings) -> bool:
    """Whether every agent has a model (a default one, or one of its own)."""
    return bool(settings.model) or all(settings.agent_models.get(r) for r in AGENT_ROLES)


def policy_from(settings: Settings, task: str = "") -> Policy:
    """The safety policy of a GUI run or replay: the settings' allow and app lists, and the
    apps `task` names as its scope (as `mobile-agent run` does without options)."""
    from mobile_agent.safety import Policy

    return Policy(
        allow=frozenset(settings.allow),
        allow_apps=frozenset(settings.allow_apps),
        deny_apps=frozenset(settings.deny_apps),
        task=task,
    )


class Services(QObject):
    """What every view of the window shares. Made once by the app; views receive it."""

    settings_changed = Signal(object)  # the new Settings, on the GUI thread
    runs_changed = Signal()  # a run or a replay has been stored

    def __init__(
        self,
        home: Path | None = None,
        *,
        workers: Workers | None = None,
        devices: DeviceList | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.home = home if home is not None else home_dir()
        self.home.mkdir(parents=True, exist_ok=True)
        self.settings_error = ""  # why the settings could not be read at start ("" if they were)
        try:
            self.settings: Settings = load_settings(path=self.config_path())
        except ConfigError as exc:
            log.warning("settings not read, using the defaults: %s", exc)
            self.settings_error = str(exc)
            self.settings = Settings()
        self.workers = workers if workers is not None else Workers(parent=self)
        self.devices = devices if devices is not None else DeviceList(self.home / "locks")
        self._shut = False

    @classmethod
    def for_tests(cls, home: Path, settings: Settings | None = None) -> Services:
        """Services over the data directory `home` (a tmp dir). `settings`' explicitly set
        fields are written to its config file, so `reload_settings()` gives them back."""
        home.mkdir(parents=True, exist_ok=True)
        if settings is not None:
            values = {name: getattr(settings, name) for name in settings.model_fields_set}
            write_file_values(values, home / "config.toml")
        return cls(home)

    # -- settings --------------------------------------------------------------------------
    def config_path(self) -> Path:
        """The settings file the CLI reads too (`MOBILE_AGENT_HOME/config.toml`)."""
        return self.home / "config.toml"

    def reload_settings(self) -> Settings:
        """Re-read the settings (config file + environment) and tell the views; a bad file
        or variable raises `ConfigError` and leaves the current settings as they are."""
        self.settings = load_settings(path=self.config_path())
        self.settings_error = ""
        self.settings_changed.emit(self.settings)
        return self.settings

    def has_model(self) -> bool:
        """Whether a model is configured for every agent."""
        return has_model(self.settings)

    # -- the memory store ------------------------------------------------------------------
    def store_path(self) -> Path:
        """The memory database: the `memory_db` setting, else memory.db in the data dir."""
        if self.settings.memory_db:
            return Path(self.settings.memory_db).expanduser()
        from mobile_agent.memory.settings import DB_NAME

        return self.home / DB_NAME

    def open_store(self) -> Store:
        """A new connection to the memory store; the caller closes it (one per thread)."""
        from mobile_agent.memory import Store, memory_settings

        return Store.open(self.store_path(), settings=memory_settings(self.settings))

    # -- the end ---------------------------------------------------------------------------
    def shutdown(self, timeout_s: float = 5.0) -> None:
        """Cancel and wait for the workers, then close the devices and the virtual phone."""
        if self._shut:
            return
        self._shut = True
        self.workers.shutdown(timeout_s)
        self.devices.close()
