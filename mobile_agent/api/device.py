"""A phone driven from Python without a language model: look at its screen, act on it.

    from mobile_agent import Device

    with Device.connect("virtual") as phone:     # or a serial, or None: the only attached one
        screen = phone.observe()
        print(screen.text)                       # the numbered elements
        screen.image().save("screen.png")
        phone.act({"name": "tap", "arguments": {"element": 5}})

Every act goes through the same action registry and the same safety gate as a run: a
consequential act (send, pay, delete, call, …) is refused with `ActionRefused` unless the
settings allow its kind or an `approve` callback says yes.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mobile_agent.actions import ActionCall, ActionContext, ActionResult, Refusal, Registry
from mobile_agent.api._parse import parse_action
from mobile_agent.errors import MobileAgentError

if TYPE_CHECKING:
    from PIL.Image import Image

    from mobile_agent.config import Settings
    from mobile_agent.device.base import Device as DeviceProtocol
    from mobile_agent.perception.elements import UIElement
    from mobile_agent.perception.observation import Observation
    from mobile_agent.runner.observe import Observer
    from mobile_agent.safety import Concern, SafetyGate

log = logging.getLogger(__name__)

# Asked before a consequential act: True allows it this once, False declines it, None:
# nobody could say (the act is held).
Approve = Callable[["Concern"], "bool | None"]

VIRTUAL = "virtual"


class ActionRefused(MobileAgentError):
    """The safety gate refused an act: held for want of approval, declined, or in an app
    the settings forbid. `concern` says what the act would have done (None for app lists);
    `held` is True when approval could allow it; `call` is the act and `screen` the screen
    it was refused on."""

    def __init__(
        self,
        reason: str,
        concern: Concern | None = None,
        *,
        held: bool = False,
        call: ActionCall | None = None,
        screen: PhoneScreen | None = None,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.concern = concern
        self.held = held
        self.call = call
        self.screen = screen


@dataclass(frozen=True)
class PhoneScreen:
    """One observed screen: its numbered elements (as a run's agents see them) and its
    screenshot. Element numbers are what `Device.act` takes."""

    serial: str
    observation: Observation = field(repr=False)

    @property
    def package(self) -> str:
        """The app in front."""
        return self.observation.package

    @property
    def activity(self) -> str:
        return self.observation.activity

    @property
    def size(self) -> tuple[int, int]:
        """The screen's width and height in pixels."""
        return self.observation.size

    @property
    def elements(self) -> tuple[UIElement, ...]:
        """The numbered elements (`UIElement.id` is the number)."""
        return self.observation.elements

    @property
    def text(self) -> str:
        """The numbered elements, one a line, as the agents read them."""
        return self.observation.elements_text

    @property
    def png(self) -> bytes:
        """The screenshot as PNG bytes."""
        return self.observation.png

    def image(self) -> Image:
        """The screenshot as a PIL image."""
        import io

        from PIL import Image as PILImage

        return PILImage.open(io.BytesIO(self.png))

    def element(self, number: int) -> UIElement | None:
        """The element with this number, if it is on the screen."""
        return self.observation.element(number)


class Device:
    """A connected phone (see the module's docstring). Open one with `Device.connect`;
    close it with `close()` or a `with` block. Methods may be called from any thread, one
    at a time."""

    def __init__(
        self,
        device: DeviceProtocol,
        *,
        settings: Settings | None = None,
        approve: Approve | None = None,
        server: Any = None,
        cleanup: ExitStack | None = None,
    ) -> None:
        from mobile_agent.config import Settings

        self.settings = settings or Settings()
        self.approve = approve
        self._device = device
        self._server = server
        self._cleanup = cleanup or ExitStack()
        self._lock = threading.RLock()
        self._observer: Observer | None = None
        self._gate: SafetyGate | None = None
        self._screen: Observation | None = None  # the last screen, until the next act
        self._approve_now: Approve | None = None

    # -- opening and closing -----------------------------------------------------------
    @classmethod
    def connect(
        cls,
        serial: str | None = None,
        *,
        settings: Settings | None = None,
        approve: Approve | None = None,
    ) -> Device:
        """Connect to a phone: a serial, "virtual" (the built-in virtual phone, served in
        this process and reached through adb like any phone), or None (the `device` setting,
        else the only attached phone). Raises the `DeviceError`s of `mobile_agent.device`."""
        from mobile_agent.config import load_settings
        from mobile_agent.device import connect

        settings = settings or load_settings()
        choice = serial or settings.device or None
        if choice == VIRTUAL:
            return cls.virtual(settings=settings, approve=approve)
        return cls(connect(choice), settings=settings, approve=approve)

    @classmethod
    def virtual(
        cls, *, seed: int = 0, settings: Settings | None = None, approve: Approve | None = None
    ) -> Device:
        """Start the built-in virtual phone in this process and connect to it through adb;
        `close()` stops it."""
        from mobile_agent.device import connect
        from mobile_agent.device.transport import adb_disconnect
        from virtual_phone.server import VirtualPhoneServer

        stack = ExitStack()
        server = VirtualPhoneServer(port=0, seed=seed).start()
        stack.callback(server.stop)
        try:
            stack.callback(adb_disconnect, server.serial)
            device = connect(server.serial)
        except BaseException:
            stack.close()
            raise
        return cls(device, settings=settings, approve=approve, server=server, cleanup=stack)

    def close(self) -> None:
        """Let go of the phone (and stop the virtual phone, when this started it)."""
        with self._lock:
            try:
                self._device.close()
            finally:
                self._cleanup.close()

    def __enter__(self) -> Device:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- what it is ----------------------------------------------------------------------
    @property
    def serial(self) -> str:
        """The phone's adb serial."""
        return self._device.serial

    @property
    def virtual_phone(self) -> Any:
        """The virtual phone itself (its `app_state(package)` shows the apps' data) when
        this device is one started by `Device.virtual`, else None."""
        return self._server.phone if self._server is not None else None

    @property
    def raw(self) -> DeviceProtocol:
        """The underlying device of `mobile_agent.device` (what a `Runner` drives)."""
        return self._device

    def __repr__(self) -> str:
        return f"Device({self.serial!r})"

    # -- observe and act -----------------------------------------------------------------
    def observe(self) -> PhoneScreen:
        """The screen as it is now, with numbered elements and a screenshot."""
        with self._lock:
            self._screen = self._look()(settle=True)
            return PhoneScreen(self.serial, self._screen)

    def act(
        self,
        action: ActionCall | Mapping[str, Any] | str,
        *,
        approve: Approve | None = None,
        **arguments: Any,
    ) -> ActionResult:
        """Do one action on the screen last observed (observed now, when an act came after
        it): `{"name": "tap", "arguments": {"element": 3}}`, `act("tap", element=3)` or an
        `ActionCall`. Names are those of the action registry (any case, `OpenApp` or
        `open_app`).

        Returns the action's `ActionResult` (`ok` False, with `error`, when the phone could
        not do it). Raises `ParseError` for an unknown action or bad arguments, and
        `ActionRefused` when the safety gate refuses it: `approve` (else the device's) is
        asked about a consequential act."""
        with self._lock:
            registry = self._registry()
            call = parse_action(registry, action, arguments)
            screen = self._screen or self._look()(settle=True)
            refusals: list[Refusal] = []
            self._approve_now = approve
            try:
                ctx = self._context(screen, refusals)
                result = registry.execute(call, ctx)
            finally:
                self._approve_now = None
                self._screen = None  # numbers now refer to a screen to observe anew
            if refusals:
                raise self._refused(refusals[-1], call, PhoneScreen(self.serial, screen))
            return result

    # -- helpers -------------------------------------------------------------------------
    def _registry(self) -> Registry:
        from mobile_agent.actions import default_registry

        return default_registry()

    def _look(self) -> Observer:
        if self._observer is None:
            from mobile_agent.perception import get_ocr_engine
            from mobile_agent.runner.observe import Observer

            settings = self.settings
            ocr = get_ocr_engine(settings.ocr) if settings.ocr_policy != "never" else None
            self._observer = Observer(
                self._device,
                ocr=ocr,
                ocr_policy=settings.ocr_policy,
                settle_max_s=settings.settle_max_s,
            )
        return self._observer

    def _context(self, screen: Observation, refusals: list[Refusal]) -> ActionContext:
        gate = self._safety_gate()

        def watched(call: ActionCall, ctx: ActionContext) -> Refusal | None:
            refusal = gate(call, ctx)
            if refusal is not None:
                refusals.append(refusal)
            return refusal

        return ActionContext(
            device=self._device,
            elements=screen.elements,
            screen_size=screen.size,
            observe=self._look().settled,
            gate=watched,
            package=screen.package,
        )

    def _safety_gate(self) -> SafetyGate:
        if self._gate is None:
            from mobile_agent.api._policy import policy_for
            from mobile_agent.safety import SafetyGate

            self._gate = SafetyGate(policy_for(self.settings), confirm=self._confirm)
        return self._gate

    def _confirm(self, concern: Concern) -> bool | None:
        approve = self._approve_now or self.approve
        return approve(concern) if approve is not None else None

    def _refused(self, refusal: Refusal, call: ActionCall, screen: PhoneScreen) -> ActionRefused:
        gate = self._safety_gate()
        last = gate.decisions[-1] if gate.decisions else None
        concern = last.concern if last is not None and last.outcome != "refused" else None
        reason = refusal.reason
        if refusal.blocked and concern is not None:
            reason = (
                f"held: {concern.what} would {concern.meaning}; it was not done. Approve it "
                f"with an `approve` callback, or allow {concern.kind!r} in the settings"
            )
        return ActionRefused(reason, concern, held=refusal.blocked, call=call, screen=screen)
