"""Compact text renderings of elements, for prompts and the `inspect` command."""

from __future__ import annotations

from typing import Any

from mobile_agent.perception.elements import Source, UIElement


def _short_class(name: str) -> str:
    return name.rsplit(".", 1)[-1] or "View"


def _quoted(value: str, limit: int) -> str:
    value = value.replace('"', "'")
    return f'"{value[: limit - 1]}…"' if len(value) > limit else f'"{value}"'


def _flags(el: UIElement) -> list[str]:
    flags = [
        name
        for name, on in (
            ("clickable", el.clickable),
            ("long-clickable", el.long_clickable and not el.clickable),
            ("editable", el.editable),
            ("scrollable", el.scrollable),
            ("focused", el.focused),
            ("selected", el.selected),
            ("disabled", not el.enabled),
            ("password", el.password),
        )
        if on
    ]
    if el.checkable:
        flags.append("checked" if el.checked else "unchecked")
    if el.source is not Source.HIERARCHY:
        flags.append(f"from {el.source}")
    return flags


def render_element(el: UIElement, *, max_text: int = 80) -> str:
    """One line: `[3] Button "Save" (540,1200) clickable`."""
    parts = [f"[{el.id}]", _short_class(el.class_name) if el.class_name else "Text"]
    text = "•" * min(len(el.text), 8) if el.password and el.text else el.text
    if text:
        parts.append(_quoted(text, max_text))
    if el.description and el.description != el.text:
        parts.append(f"desc={_quoted(el.description, max_text)}")
    if not text and not el.description and el.resource_id:
        parts.append(f"id={el.resource_id.rsplit('/', 1)[-1]}")
    x, y = el.bounds.center
    parts.append(f"({x},{y})")
    parts.extend(_flags(el))
    return " ".join(parts)


def render_elements(elements: list[UIElement], *, max_text: int = 80) -> str:
    """One line per element, in id order."""
    return "\n".join(render_element(el, max_text=max_text) for el in elements)


def elements_to_json(elements: list[UIElement]) -> list[dict[str, Any]]:
    """JSON-ready objects (id, bounds [x1,y1,x2,y2], text, description, resource_id, class, …)."""
    return [el.to_json() for el in elements]
