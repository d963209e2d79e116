"""What the MCP tools do, without the protocol: the phones of one session, opened on first
use and kept open, and the actions the safety gate held, each waiting for its one-time
confirmation token.

Every method is blocking and may be called from any thread; the server runs them on
worker threads.
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mobile_agent.api import ActionRefused, Agent, Approve, Device, PhoneScreen
from mobile_agent.api._policy import policy_for
from mobile_agent.api.device import VIRTUAL
from mobile_agent.errors import DeviceDisconnected, MobileAgentError

if TYPE_CHECKING:
    from mobile_agent.actions import ActionCall
    from mobile_agent.config import Settings
    from mobile_agent.events import Listener
    from mobile_agent.memory import Store
    from mobile_agent.safety import Concern, Decision

log = logging.getLogger(__name__)


class ConfirmationError(MobileAgentError):
    """A confirmation token that is unknown, used already, or no longer fits the screen."""


@dataclass(frozen=True)
class Held:
    """An act the safety gate held: what it would do, and the token that allows it once."""

    token: str
    serial: str
    call: ActionCall
    concern: Concern
    signature: str  # the screen it was held on: a confirmation acts on that screen only

    def message(self) -> str:
        """What the MCP client is told."""
        return (
            f"HELD by the safety gate: {self.concern.what} would {self.concern.meaning}; it "
            f"was not done. Ask the user. If they agree, call the `confirm` tool with "
            f'token "{self.token}" (valid once, for this action on this screen only).'
        )


class Phones:
    """The phones and held actions of one MCP session (see the module's docstring)."""

    def __init__(self, settings: Settings, default: str | None = None) -> None:
        self.settings = settings
        self.default = default or settings.device or None
        self._open: dict[str, Device] = {}
        self._held: dict[str, Held] = {}
        self._lock = threading.Lock()

    # -- phones -----------------------------------------------------------------------------
    def list_devices(self) -> list[dict[str, Any]]:
        """The attached devices (the virtual phone too, once this session started it)."""
        from mobile_agent.device import list_devices

        return [d.to_json() for d in list_devices()]

    def device(self, choice: str | None = None) -> Device:
        """The phone `choice` names (a serial or "virtual"; None: the default, else the only
        attached one), opened now if it is not yet."""
        from mobile_agent.device import resolve_serial

        wanted = choice or self.default
        with self._lock:
            key = VIRTUAL if wanted == VIRTUAL else resolve_serial(wanted)
            if key not in self._open:
                self._open[key] = Device.connect(key, settings=self.settings)
            return self._open[key]

    def close(self) -> None:
        """Close every phone this session opened."""
        with self._lock:
            opened, self._open = list(self._open.values()), {}
        for device in opened:
            try:
                device.close()
            except Exception:
                log.warning("could not close %s", device, exc_info=True)

    # -- observe and act ---------------------------------------------------------------------
    def observe(self, choice: str | None = None) -> PhoneScreen:
        """The screen of a phone, with numbered elements and its screenshot."""
        return self._on(choice, lambda device: device.observe())

    def act(
        self,
        action: str,
        arguments: Mapping[str, Any] | None = None,
        choice: str | None = None,
        approve: Approve | None = None,
    ) -> str:
        """Do one action; its summary, or what was held and the token that allows it."""
        device = self.device(choice)
        call = {"name": action, "arguments": dict(arguments or {})}
        try:
            result = self._on(choice, lambda d: d.act(call, approve=approve))
        except ActionRefused as refused:
            return self._hold(device, refused)
        return f"ok: {result.summary}" if result.ok else f"failed: {result.error}"

    def confirm(self, token: str, approve: Approve | None = None) -> str:
        """Do the held act of `token`, once, if the phone still shows the screen it was held
        on; `ConfirmationError` otherwise."""
        with self._lock:
            held = self._held.pop(token, None)
        if held is None:
            raise ConfirmationError(f"no held action has the token {token!r} (or it was used)")
        device = self.device(held.serial)
        screen = device.observe()
        if screen.observation.signature != held.signature:
            raise ConfirmationError(
                "the screen changed since the action was held: observe and act again"
            )

        def this_one(concern: Concern) -> bool | None:
            if (concern.kind, concern.what) == (held.concern.kind, held.concern.what):
                return True
            return approve(concern) if approve is not None else None

        try:
            result = device.act(held.call, approve=this_one)
        except ActionRefused as refused:
            return self._hold(device, refused)
        return f"ok: {result.summary}" if result.ok else f"failed: {result.error}"

    def _hold(self, device: Device, refused: ActionRefused) -> str:
        concern, call, screen = refused.concern, refused.call, refused.screen
        if not refused.held or concern is None or call is None or screen is None:
            return f"REFUSED by the safety gate: {refused.reason}"
        token = secrets.token_urlsafe(8)
        held = Held(token, device.serial, call, concern, screen.observation.signature)
        with self._lock:
            self._held[held.token] = held
        return held.message()

    def _on(self, choice: str | None, work: Any) -> Any:
        """`work(device)`; a phone that vanished is forgotten (opened afresh next time)."""
        device = self.device(choice)
        try:
            return work(device)
        except DeviceDisconnected:
            with self._lock:
                self._open = {k: d for k, d in self._open.items() if d is not device}
            raise

    # -- tasks and shortcuts -------------------------------------------------------------------
    def agent(
        self,
        choice: str | None = None,
        allow: Iterable[str] = (),
        approve: Approve | None = None,
        on_event: Listener | None = None,
    ) -> Agent:
        """An agent on a phone with the configured model, allowed `allow` kinds besides the
        settings' (`stop()` ends its run)."""
        settings = self._allowing(allow)
        device = self.device(choice)
        return Agent(device=device, settings=settings, approve=approve, on_event=on_event)

    @staticmethod
    def run_task(agent: Agent, task: str) -> dict[str, Any]:
        """Carry out `task` with `agent`; the result, and what was held."""
        result = agent.run(task)
        return {**result.to_dict(), "held": held_advice(agent.decisions, "run_task")}

    def list_shortcuts(self) -> list[dict[str, Any]]:
        """The stored shortcuts: name, status, what they do and their arguments."""
        with self._store(create=False) as store:
            found = store.shortcuts.all()
        return [
            {
                "name": s.name,
                "status": str(s.status),
                "description": s.description,
                "precondition": s.precondition,
                "arguments": [p.model_dump(mode="json") for p in s.params],
                "steps": len(s.steps),
            }
            for s in found
        ]

    def run_shortcut(
        self,
        name: str,
        arguments: Mapping[str, Any] | None = None,
        choice: str | None = None,
        allow: Iterable[str] = (),
        approve: Approve | None = None,
    ) -> dict[str, Any]:
        """Replay a stored shortcut without a model; the replay's result, and what was held."""
        from contextlib import ExitStack

        from mobile_agent.api.agent import lock_device
        from mobile_agent.config import home_dir
        from mobile_agent.runner.replay import replay_stored, shortcut_values
        from mobile_agent.safety import SafetyGate

        device = self.device(choice)
        gate = SafetyGate(policy_for(self.settings, allow=allow), confirm=approve)
        given = {k: str(v) for k, v in (arguments or {}).items()}
        with self._store(create=False) as store, ExitStack() as stack:
            values = shortcut_values(store.shortcuts.get(name).params, given)
            lock_device(stack, device.serial)
            result = replay_stored(store, name, values, device.raw, home_dir(), gate=gate)
        return {**result.to_dict(), "held": held_advice(gate.decisions, "run_shortcut")}

    def _store(self, *, create: bool = True) -> Store:
        from mobile_agent.memory import Store, memory_settings

        path, settings = self.settings.memory_db or None, memory_settings(self.settings)
        return Store.open(path, settings=settings, create=create)

    def _allowing(self, allow: Iterable[str]) -> Settings:
        from mobile_agent.safety.gate import check_kinds

        kinds = check_kinds(allow)
        if not kinds:
            return self.settings
        return self.settings.model_copy(update={"allow": [*self.settings.allow, *kinds]})


def held_advice(decisions: Iterable[Decision], tool: str) -> list[str]:
    """One line per held action: what it was and how to allow it."""
    return [
        f"{d.concern.what} would {d.concern.meaning}; it was not done. If the user agrees, "
        f'call {tool} again with allow=["{d.concern.kind}"].'
        for d in decisions
        if d.outcome == "held"
    ]
