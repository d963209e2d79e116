"""UiCollection / UiScrollable RPCs that name a child UiObject: `childByText`,
`childByDescription`, `childByInstance`, and `getChild` / `getFromParent` / `getUiObject`.

They follow androidx: a row is the n-th match of the child pattern inside the collection; a
row is taken when its own text (description) is the one asked for, or one of its descendants
carries it. On a scrollable collection the list is first scrolled until such a text shows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from virtual_phone.contract import NodeInfo, PhoneLike
from virtual_phone.u2.faults import arg, arg_bool, arg_int, arg_str, not_found
from virtual_phone.u2.object_methods import find, find_all, scroll_into_view
from virtual_phone.u2.selector import (
    MASK_DESCRIPTION_CONTAINS,
    MASK_TEXT,
    Selector,
    node_text,
    walk,
)
from virtual_phone.u2.store import json_arg, selector_arg, store_for

Method = Callable[[PhoneLike, list[Any]], Any]
_RowTest = Callable[[NodeInfo], bool]


def _text_selector(text: str) -> Selector:
    return Selector.parse({"mask": MASK_TEXT, "text": text})


def _description_selector(text: str) -> Selector:
    return Selector.parse({"mask": MASK_DESCRIPTION_CONTAINS, "descriptionContains": text})


def _scrollable(phone: PhoneLike, collection: Selector) -> bool:
    node = find(phone, collection)
    return node is not None and node.scrollable


def _child_by(
    phone: PhoneLike, collection: Selector, child: Selector, wanted: Selector, test: _RowTest
) -> Selector | None:
    """collection.child(child.instance(n)) for the first row n that `test` accepts or that
    holds a node matching `wanted`."""
    rows = find_all(phone, collection.related("child", child))
    for number, row in enumerate(rows):
        if test(row) or any(wanted.matches(node) for node in walk(row.children)):
            return collection.related("child", child.with_instance(number))
    return None


def _by_content(
    wanted_of: Callable[[str], Selector], row_test: Callable[[str], _RowTest]
) -> Method:
    def method(phone: PhoneLike, args: list[Any]) -> str:
        collection, child = selector_arg(phone, args, 0), json_arg(args, 1)
        text = arg_str(args, 2)
        wanted = wanted_of(text)
        scroll = arg_bool(args, 3, True) if len(args) > 3 else _scrollable(phone, collection)
        if scroll:
            scroll_into_view(phone, collection, collection.related("child", wanted))
        found = _child_by(phone, collection, child, wanted, row_test(text))
        if found is None:
            kind = "text" if wanted_of is _text_selector else "description"
            raise not_found(f'for {kind}= "{text}"')
        return store_for(phone).add(found)

    return method


def _text_row(text: str) -> _RowTest:
    return lambda row: node_text(row) == text


def _description_row(text: str) -> _RowTest:
    return lambda row: bool(row.content_desc) and text in row.content_desc


def child_by_instance(phone: PhoneLike, args: list[Any]) -> str:
    """`childByInstance [collection, child, instance]`."""
    collection, child = selector_arg(phone, args, 0), json_arg(args, 1)
    instance = arg_int(args, 2)
    return store_for(phone).add(collection.related("child", child.with_instance(instance)))


def _relative(relation: str) -> Method:
    def method(phone: PhoneLike, args: list[Any]) -> str | None:
        name = arg(args, 0)
        base = store_for(phone).get(name) if isinstance(name, str) else None
        if base is None:
            return None
        return store_for(phone).add(base.related(relation, json_arg(args, 1)))

    return method


def get_ui_object(phone: PhoneLike, args: list[Any]) -> str:
    """`getUiObject [selector]`: a name for a selector."""
    return store_for(phone).add(json_arg(args, 0))


def remove_ui_object(phone: PhoneLike, args: list[Any]) -> None:
    """`removeUiObject [name]`."""
    store_for(phone).remove(str(arg(args, 0, "")))


CHILD_METHODS: dict[str, Method] = {
    "childByText": _by_content(_text_selector, _text_row),
    "childByDescription": _by_content(_description_selector, _description_row),
    "childByInstance": child_by_instance,
    "getChild": _relative("child"),
    "getFromParent": _relative("sibling"),
    "getUiObject": get_ui_object,
    "removeUiObject": remove_ui_object,
    "getUiObjects": lambda phone, args: store_for(phone).names(),
}
