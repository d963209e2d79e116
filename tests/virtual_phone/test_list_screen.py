"""The searchable list screen shared by Contacts and Notes: filtering, the two empty
states and BACK clearing the query, driven by taps and typing on the phone."""

from __future__ import annotations

import pytest

from virtual_phone.contract import NodeInfo
from virtual_phone.phone import Phone
from virtual_phone.ui.hierarchy import find_node, iter_nodes

# package, row id, empty text, no-match text
LISTS = [
    ("com.example.contacts", "contact_item", "No contacts", "No contacts found"),
    ("com.example.notes", "note_item", "No notes yet", "No matching notes"),
]
HINTS = {"com.example.contacts": "Search contacts", "com.example.notes": "Search notes"}


def _node(phone: Phone, resource_id: str) -> NodeInfo:
    node = find_node(phone.nodes(), resource_id=resource_id)
    assert node is not None, f"no node {resource_id}"
    return node


def _tap(phone: Phone, resource_id: str) -> None:
    left, top, right, bottom = _node(phone, resource_id).bounds
    phone.tap((left + right) / 2, (top + bottom) / 2)


def _rows(phone: Phone, package: str, row_id: str) -> int:
    return sum(1 for n in iter_nodes(phone.nodes()) if n.resource_id == f"{package}:id/{row_id}")


def _search(phone: Phone, package: str, text: str) -> None:
    phone.start_app(package)
    _tap(phone, f"{package}:id/search")
    phone.input_text(text)


@pytest.mark.parametrize(("package", "row_id", "empty", "no_match"), LISTS)
def test_search_without_match_shows_empty_state_and_back_clears_it(
    package: str, row_id: str, empty: str, no_match: str
) -> None:
    phone = Phone(seed=2)
    phone.start_app(package)
    shown = _rows(phone, package, row_id)
    assert shown > 0
    assert find_node(phone.nodes(), resource_id=f"{package}:id/empty") is None

    _search(phone, package, "qqzzxx")
    assert _rows(phone, package, row_id) == 0
    assert _node(phone, f"{package}:id/empty").text == no_match

    phone.press_key("back")  # closes the keyboard
    phone.press_key("back")  # clears the query, staying on the list
    assert phone.current() == (package, f"{package}.MainActivity")
    assert _rows(phone, package, row_id) == shown
    assert _node(phone, f"{package}:id/search").text == HINTS[package]  # empty: the hint


@pytest.mark.parametrize(("package", "row_id", "empty", "no_match"), LISTS)
def test_nothing_stored_shows_the_other_empty_state(
    package: str, row_id: str, empty: str, no_match: str
) -> None:
    phone = Phone()
    assert phone.clear_data(package)
    phone.start_app(package)
    assert _rows(phone, package, row_id) == 0
    assert _node(phone, f"{package}:id/empty").text == empty


def test_contacts_match_phone_digits_without_spaces() -> None:
    phone = Phone(seed=4)
    contact = phone.app_state("com.example.contacts")["contacts"][0]
    digits = contact["phone"].replace(" ", "")[-7:]
    _search(phone, "com.example.contacts", digits)
    names = [
        n.text
        for n in iter_nodes(phone.nodes())
        if n.resource_id == "com.example.contacts:id/contact_name"
    ]
    assert contact["name"] in names
    assert len(names) < len(phone.app_state("com.example.contacts")["contacts"])


def test_notes_match_body_text_in_any_case() -> None:
    phone = Phone(seed=1)
    notes = phone.app_state("com.example.notes")["notes"]
    word = notes[-1]["body"].split()[0]
    _search(phone, "com.example.notes", word.upper())
    titles = [
        n.text
        for n in iter_nodes(phone.nodes())
        if n.resource_id == "com.example.notes:id/note_title"
    ]
    assert notes[-1]["title"] in titles
    expected = [n["title"] for n in notes if word.casefold() in n["body"].casefold()]
    expected += [n["title"] for n in notes if word.casefold() in n["title"].casefold()]
    assert set(titles) == set(expected)
