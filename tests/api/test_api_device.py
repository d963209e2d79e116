"""`Device` without a language model: observe and act on the virtual phone, through the
action registry and the safety gate."""

from __future__ import annotations

from typing import Any

import pytest

from mobile_agent import ActionCall, ActionRefused, Concern, Device, PhoneScreen, list_devices
from mobile_agent.errors import ParseError

pytestmark = pytest.mark.e2e

CONTACTS = "com.example.contacts"


def _number(screen: PhoneScreen, label: str) -> int:
    found = [e.id for e in screen.elements if label in (e.text, e.description)]
    assert found, f"{label!r} not on the screen:\n{screen.text}"
    return found[0]


def _contacts(phone: Device) -> list[str]:
    state = phone.virtual_phone.app_state(CONTACTS)
    return [c["name"] for c in state["contacts"]]


def test_observe_gives_numbered_elements_and_a_screenshot(phone: Device) -> None:
    phone.act("home")
    screen = phone.observe()
    assert screen.serial == phone.serial
    assert screen.package == "com.android.launcher3"
    assert "Contacts" in screen.text
    assert screen.element(_number(screen, "Contacts")) is not None
    assert screen.png.startswith(b"\x89PNG")
    assert screen.image().size == screen.size


def test_act_taps_a_real_element(phone: Device) -> None:
    phone.act("home")
    screen = phone.observe()
    result = phone.act({"name": "Tap", "arguments": {"element": _number(screen, "Contacts")}})
    assert result.ok, result.error
    assert phone.observe().package == CONTACTS
    # the other forms of an action: a name with keyword arguments, and an ActionCall
    assert phone.act("home").ok
    opened = phone.act(ActionCall("open_app", _params("open_app", app="Contacts")))
    assert opened.ok
    assert phone.observe().package == CONTACTS


def _params(name: str, **args: Any) -> Any:
    from mobile_agent.actions import default_registry

    return default_registry().parse_call(name, args).params


def test_bad_actions_are_named_errors(phone: Device) -> None:
    with pytest.raises(ParseError, match="unknown action 'fly'"):
        phone.act("fly")
    with pytest.raises(ParseError, match="bad arguments for 'tap'"):
        phone.act({"name": "tap", "arguments": {"element": 0}})
    with pytest.raises(ParseError, match="unknown keys"):
        phone.act({"name": "tap", "element": 3})
    missing = phone.act("tap", element=999)  # a well-formed tap on a screen without it
    assert not missing.ok
    assert "no element 999" in missing.error


def test_a_consequential_act_is_refused_without_approval_and_done_with_it(phone: Device) -> None:
    # GIVEN a contact's page, with its Delete button
    phone.act("open_app", app="Contacts")
    screen = phone.observe()
    name = "Bruno Silva"
    phone.act("tap", element=_number(screen, f"B | {name}"))
    page = phone.observe()
    delete = _number(page, "Delete contact")
    # WHEN it is tapped with nobody to approve: held, with a clear error, nothing done
    with pytest.raises(ActionRefused, match=r"held: tap .*Delete contact") as refused:
        phone.act("tap", element=delete)
    assert refused.value.held
    assert refused.value.concern is not None
    assert refused.value.concern.kind == "delete"
    assert name in _contacts(phone)
    # WHEN an approve callback says no: declined
    with pytest.raises(ActionRefused, match="declined") as declined:
        phone.act("tap", element=delete, approve=lambda concern: False)
    assert not declined.value.held
    # WHEN it says yes: the tap and the dialog's confirmation go through
    asked: list[Concern] = []
    approved = phone.act("tap", element=delete, approve=lambda c: asked.append(c) or True)
    assert approved.ok
    assert [c.kind for c in asked] == ["delete"]
    dialog = phone.observe()
    assert phone.act("tap", element=_number(dialog, "Delete")).ok
    assert name not in _contacts(phone)


def test_list_devices_shows_the_phone(phone: Device) -> None:
    serials = {d.serial: d.state for d in list_devices()}
    assert serials[phone.serial] == "device"


def test_the_package_exports_what_it_lists() -> None:
    import mobile_agent

    for name in mobile_agent.__all__:
        assert getattr(mobile_agent, name) is not None
    with pytest.raises(AttributeError):
        _ = mobile_agent.NoSuchName  # type: ignore[attr-defined]
