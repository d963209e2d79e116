"""The built-in actions on a recording device: which element a label picks (to tap, to type
into), the point a target resolves to, the screen's edges, and how a result names what was
touched."""

from __future__ import annotations

from typing import Any

import pytest

from mobile_agent.actions import ActionContext, default_registry
from mobile_agent.actions.builtin import find_by_label
from mobile_agent.perception.elements import BoundingBox, UIElement


class Recorder:
    """Only records what the actions ask of the phone."""

    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []

    def __getattr__(self, name: str) -> Any:
        return lambda *args, **kwargs: self.calls.append((name, *args, *kwargs.values()))


def _el(number: int, y: int, **fields: Any) -> UIElement:
    return UIElement(number, BoundingBox(0, y, 100, y + 50), **fields)


PLAIN = _el(1, 0, text="Pay")
FIELD = _el(2, 100, description="Pay", editable=True)
BUTTON = _el(3, 200, text="Pay", clickable=True)
HOLD = _el(4, 300, text="Pay", long_clickable=True)


def _run(name: str, args: dict[str, Any], elements: list[UIElement]) -> tuple[Recorder, Any]:
    device = Recorder()
    ctx = ActionContext(device=device, elements=elements, screen_size=(1080, 2400))  # type: ignore[arg-type]
    registry = default_registry()
    result = registry.execute(registry.parse_call(name, args), ctx)
    return device, result


@pytest.mark.parametrize(
    ("elements", "wanted"),
    [
        ([PLAIN, FIELD, BUTTON], BUTTON),  # something to press first
        ([PLAIN, FIELD, HOLD], HOLD),  # touch-and-hold counts as pressable
        ([PLAIN, FIELD], FIELD),  # then a text field
        ([PLAIN], PLAIN),
    ],
)
def test_to_tap_a_button_beats_a_field_beats_plain_text(
    elements: list[UIElement], wanted: UIElement
) -> None:
    assert find_by_label(elements, "pay") is wanted


@pytest.mark.parametrize(
    ("elements", "wanted"),
    [([PLAIN, BUTTON, FIELD], FIELD), ([PLAIN, BUTTON], BUTTON), ([PLAIN], PLAIN)],
)
def test_to_type_into_a_field_beats_a_button_beats_plain_text(
    elements: list[UIElement], wanted: UIElement
) -> None:
    assert find_by_label(elements, "Pay", field=True) is wanted


def test_among_equals_the_whole_name_then_the_first_on_screen_wins() -> None:
    row = _el(5, 400, text="Inbox | 3 new", clickable=True)
    first, second = _el(6, 500, text="Inbox", clickable=True), _el(7, 600, text="Inbox")
    assert find_by_label([row, first, second], "Inbox") is first
    twin = _el(8, 700, text="Inbox", clickable=True)
    assert find_by_label([row, first, twin], "Inbox") is first


def test_typing_by_label_taps_the_field_not_the_button_of_that_name() -> None:
    device, result = _run("type", {"label": "Pay", "text": "12"}, [BUTTON, FIELD])
    assert device.calls[0] == ("tap", *FIELD.bounds.center)
    assert result.summary == 'typed "12" into [2] "Pay"'


@pytest.mark.parametrize(("x", "y"), [(0, 0), (7, 9), (1079, 2399)])
def test_a_point_is_tapped_where_given_up_to_the_screen_edges(x: int, y: int) -> None:
    device, result = _run("tap", {"x": x, "y": y}, [])
    assert result.ok and device.calls == [("tap", x, y)]
    assert result.summary == f"tapped ({x}, {y})"


def test_a_password_field_is_named_as_one_and_a_long_label_is_cut() -> None:
    secret = _el(1, 0, text="hunter2", editable=True, password=True)
    _, result = _run("tap", {"element": 1}, [secret])
    assert result.summary == 'tapped [1] "password field"'
    long = _el(2, 100, text="x" * 61, clickable=True)
    _, result = _run("tap", {"element": 2}, [long])
    assert result.summary == f'tapped [2] "{"x" * 59}…"'
    just_fits = _el(3, 200, text="y" * 60, clickable=True)
    _, result = _run("tap", {"element": 3}, [just_fits])
    assert result.summary == f'tapped [3] "{"y" * 60}"'


def test_an_element_without_a_name_is_named_by_its_number() -> None:
    _, result = _run("tap", {"element": 4}, [_el(4, 0, clickable=True)])
    assert result.summary == "tapped [4]"


def test_typing_with_nothing_focused_says_how_to_name_the_field() -> None:
    _, result = _run("type", {"text": "hi"}, [PLAIN])
    assert result.error == "no text field has the focus; give the field's element number"


def test_scrolling_in_an_element_on_screen_is_allowed() -> None:
    listing = _el(9, 0, scrollable=True)
    device, result = _run("scroll", {"direction": "down", "element": 9}, [listing])
    assert result.ok and device.calls[0][0] == "swipe"
    _, refused = _run("scroll", {"direction": "down", "element": 8}, [listing])
    assert refused.error == "there is no element 8 on this screen"
