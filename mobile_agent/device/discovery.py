"""Finding and connecting to devices, with errors that say what to do."""

from __future__ import annotations

import logging
import re
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import asdict, dataclass
from typing import Any

import adbutils

from mobile_agent.device.android import AndroidDevice
from mobile_agent.device.parsing import parse_wm_size
from mobile_agent.device.transport import (
    CallTimeout,
    adb_client,
    enable_tcp_nodelay,
    ensure_adb_server,
    refuse_like_tcp,
    shell,
)
from mobile_agent.errors import (
    AdbServerError,
    AmbiguousDevice,
    DeviceError,
    DeviceNotFound,
    DeviceOffline,
    DeviceTimeout,
    DeviceUnauthorized,
)

log = logging.getLogger(__name__)

_REMOTE_SERIAL = re.compile(r"^[\w.\-\[\]:]+:\d{1,5}$")
_SIM_HINT = "start the built-in virtual phone with `mobile-agent sim start --connect`"
_STARTING_STATES = ("connecting", "authorizing")
_HANDSHAKE_S = 3.0


@dataclass(frozen=True, slots=True)
class DeviceSummary:
    """One line of `mobile-agent devices`."""

    serial: str
    state: str
    model: str = ""
    android_version: str = ""
    width: int = 0
    height: int = 0

    @property
    def screen_size(self) -> str:
        return f"{self.width}x{self.height}" if self.width and self.height else ""

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["screen_size"] = self.screen_size
        return data


def server_client(timeout_s: float = 10) -> adbutils.AdbClient:
    """The adb client after making sure its server answers (starting one if none runs)."""
    client = adb_client(socket_timeout=timeout_s)
    ensure_adb_server(client, timeout_s)
    where = f"{client.host}:{client.port}"
    try:  # an adb server answers this at once: a short limit tells a silent port quickly
        adb_client(socket_timeout=min(timeout_s, _HANDSHAKE_S)).server_version()
    except adbutils.AdbTimeout as exc:
        raise AdbServerError(
            f"The adb server at {where} accepts connections but does not answer ({exc}). "
            "Restart it (`adb kill-server`, then `adb start-server`), or check that "
            "ANDROID_ADB_SERVER_PORT names an adb server."
        ) from exc
    except adbutils.AdbError as exc:
        if str(exc).startswith("Unknown data"):  # it answered, but not in adb's protocol
            raise AdbServerError(
                f"The adb server at {where} refused: bad protocol reply ({exc}). Check that "
                "HOST:PORT (--adb, the `adb_server` setting or ANDROID_ADB_SERVER_PORT) "
                "names an adb server, not another service."
            ) from exc
        raise _not_working(where, exc) from exc
    except (OSError, EOFError, ValueError) as exc:
        raise _not_working(where, exc) from exc
    return client


def _not_working(where: str, exc: Exception) -> AdbServerError:
    return AdbServerError(
        f"The adb server at {where} is not working ({exc}). Check that adb works "
        "(`adb start-server`) and that ANDROID_ADB_SERVER_PORT names an adb server."
    )


def list_devices(timeout_s: float = 10) -> list[DeviceSummary]:
    """Every device the adb server knows, with model, Android version and screen size."""
    client = server_client(timeout_s)
    summaries = []
    for info in client.list(extended=True):
        model = info.tags.get("model", "").replace("_", " ")
        summary = DeviceSummary(serial=info.serial, state=info.state, model=model)
        if info.state == "device":
            summary = _describe(client.device(info.serial), summary, timeout_s)
        summaries.append(summary)
    return summaries


def _describe(
    device: adbutils.AdbDevice, summary: DeviceSummary, timeout_s: float
) -> DeviceSummary:
    marker = "@@wm@@"
    command = f"getprop ro.product.model; getprop ro.build.version.release; echo {marker}; wm size"
    try:
        output = shell(device, command, timeout_s)
    except (adbutils.AdbError, OSError) as exc:
        log.debug("could not describe %s: %s", summary.serial, exc)
        return summary
    props, _, wm = output.partition(marker)
    lines = [line.strip() for line in props.splitlines()]
    model = lines[0] if lines and lines[0] else summary.model
    version = lines[1] if len(lines) > 1 else ""
    width, height = parse_wm_size(wm) or (0, 0)
    return DeviceSummary(summary.serial, summary.state, model, version, width, height)


def connect(serial: str | None = None, *, timeout_s: float = 20) -> AndroidDevice:
    """Connect to a phone, emulator or virtual phone and return its `AndroidDevice`.

    ``serial`` None picks the only attached device; a ``host:port`` serial that is not
    attached yet is ``adb connect``-ed first. Raises AdbServerError, DeviceNotFound,
    DeviceUnauthorized, DeviceOffline, AmbiguousDevice or DeviceTimeout.
    """
    client = server_client(timeout_s)
    serial = _resolve(client, serial, timeout_s)
    device = client.device(serial)
    timeout = CallTimeout(timeout_s)
    enable_tcp_nodelay(device, timeout)
    refuse_like_tcp(device)
    u2_device = _start_uiautomator(device, timeout_s)
    log.info("connected to %s", serial)
    return AndroidDevice(device, u2_device, timeout=timeout)


def resolve_serial(serial: str | None = None, *, timeout_s: float = 20) -> str:
    """The serial `connect(serial)` would drive, without starting anything on the device.

    Raises the same errors as `connect` does before it talks to the device.
    """
    return _resolve(server_client(timeout_s), serial, timeout_s)


def _resolve(client: adbutils.AdbClient, serial: str | None, timeout_s: float) -> str:
    if serial and _REMOTE_SERIAL.match(serial) and not _listed(client, serial):
        _adb_connect(client, serial, timeout_s)
    return _choose(client, serial, timeout_s)


def _listed(client: adbutils.AdbClient, serial: str) -> bool:
    return any(info.serial == serial for info in client.list())


def _adb_connect(client: adbutils.AdbClient, serial: str, timeout_s: float) -> None:
    try:
        message = client.connect(serial, timeout=timeout_s)
    except (adbutils.AdbError, OSError) as exc:
        message = str(exc)
    log.debug("adb connect %s: %s", serial, message)
    if "connected to" not in message:
        raise DeviceNotFound(
            f"Could not `adb connect {serial}`: {message.strip()}. Check that the phone (or "
            f"emulator) listens on that address with wireless debugging on, or {_SIM_HINT}."
        )


def _choose(client: adbutils.AdbClient, serial: str | None, timeout_s: float) -> str:
    states = {info.serial: info.state for info in client.list()}
    if serial is None:
        ready = [s for s, state in states.items() if state == "device"]
        if len(ready) == 1:
            return ready[0]
        if len(ready) > 1:
            raise AmbiguousDevice(
                f"{len(ready)} devices are attached ({', '.join(sorted(ready))}); "
                "choose one with --device SERIAL (or the `device` setting)."
            )
        if not states:
            raise DeviceNotFound(
                "No Android device is attached. Connect a phone by USB with USB debugging on, "
                f"run `adb connect HOST:PORT` for a network device, or {_SIM_HINT}."
            )
        serial = sorted(states)[0]
    if serial not in states:
        attached = ", ".join(sorted(states)) or "none"
        raise DeviceNotFound(
            f"Device {serial!r} is not attached (attached: {attached}). "
            "Check the serial with `mobile-agent devices`."
        )
    if states[serial] in ("offline", *_STARTING_STATES) and _wait_online(client, serial, timeout_s):
        return serial
    _raise_for_state(serial, states[serial])
    return serial


def _wait_online(client: adbutils.AdbClient, serial: str, timeout_s: float) -> bool:
    """Give a device that is just (re)connecting a few seconds to come online."""
    try:
        client.wait_for(serial, state="device", timeout=min(timeout_s, 5.0))
    except (adbutils.AdbError, OSError):
        return False
    return True


def _raise_for_state(serial: str, state: str) -> None:
    if state == "device":
        return
    if state == "unauthorized":
        raise DeviceUnauthorized(
            f"{serial} has not authorised this computer: unlock the phone and accept the "
            "'Allow USB debugging?' prompt (tick 'Always allow'), then try again."
        )
    if state == "offline":
        raise DeviceOffline(
            f"{serial} is offline: reconnect the cable or run `adb reconnect`; if that does "
            "not help, restart adb with `adb kill-server` and reconnect."
        )
    raise DeviceOffline(
        f"{serial} is in state {state!r}, not ready for commands; boot it normally."
    )


def _start_uiautomator(device: adbutils.AdbDevice, timeout_s: float) -> Any:
    """`u2.connect` (pushes and starts the uiautomator2 server when needed), time-limited."""
    import uiautomator2 as u2
    from uiautomator2 import exceptions as u2_errors

    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="u2-connect")
    future = pool.submit(u2.connect, device)
    try:
        return future.result(timeout=timeout_s)
    except FutureTimeout as exc:
        raise DeviceTimeout(
            f"The uiautomator2 server on {device.serial} did not start within {timeout_s:.0f} s. "
            "Unlock the phone and retry; `adb reboot` helps when it keeps failing."
        ) from exc
    except (adbutils.AdbError, OSError, u2_errors.DeviceError, u2_errors.RPCError) as exc:
        raise DeviceError(
            f"Could not start the uiautomator2 server on {device.serial}: {exc}. "
            "Unlock the phone and retry; close other automation tools using the device."
        ) from exc
    finally:
        pool.shutdown(wait=False)
