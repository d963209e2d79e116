"""Compact text renderings of elements, for prompts and the `inspect` command."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

from mobile_agent.perception.elements import Source, UIElement

_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")  # icon-font glyphs mean nothing as text
_SPACES = re.compile(r"\s+")
_OBFUSCATED_ID = re.compile(r"obfuscated|^[a-z0-9]{1,3}$")
_SYSTEM_WINDOW = re.compile(r"systemui|inputmethod|keyboard|swiftkey", re.I)
PASSWORD_MASK = "•"


def _short_class(element: UIElement) -> str:
    if element.source is Source.OCR:
        return "Text"
    return element.class_name.rsplit(".", 1)[-1].rsplit("$", 1)[-1] or "View"


def _clean(value: str) -> str:
    return _SPACES.sub(" ", _PRIVATE_USE.sub("", value)).strip()


def _quoted(value: str, limit: int) -> str:
    value = value.replace('"', "'")
    if len(value) > limit:
        value = value[: max(1, limit - 1)] + "…"
    return f'"{value}"'


def _flags(el: UIElement) -> list[str]:
    flags = [
        name
        for name, on in (
            ("clickable", el.clickable),
            ("long-clickable", el.long_clickable),
            ("editable", el.editable),
            ("scrollable", el.scrollable),
            ("focused", el.focused),
            ("selected", el.selected and not el.checkable),
            ("disabled", not el.enabled),
            ("password", el.password),
        )
        if on
    ]
    if el.checkable:
        flags.append("checked" if el.checked else "unchecked")
    if el.extras.get("image_text"):
        flags.append("image text")
    elif el.source is not Source.HIERARCHY:
        flags.append(str(el.source))
    return flags


def _text_part(el: UIElement, limit: int) -> str:
    hint = str(el.extras.get("hint", ""))
    if el.editable and el.text and el.text == hint:  # an empty field shows its hint as text
        return f"hint={_quoted(_clean(hint), limit)}"
    if el.password and el.text:
        return _quoted(PASSWORD_MASK * min(len(el.text), 8), limit)
    text = _clean(el.text)
    return _quoted(text, limit) if text else ""


def render_element(el: UIElement, *, max_text: int = 80, main_package: str = "") -> str:
    """One line, e.g. `[3] Button "Save" (540,1200) clickable`."""
    parts = [f"[{el.id}]", _short_class(el)]
    text = _text_part(el, max_text)
    if text:
        parts.append(text)
    desc = _clean(el.description)
    if desc and desc != _clean(el.text):
        parts.append(f"desc={_quoted(desc, max_text)}")
    near = str(el.extras.get("nearby_label", ""))
    if near:  # an unlabelled control's label, or the row of a control whose label repeats
        parts.append(f"near={_quoted(_clean(near), max_text)}")
    rid = el.resource_id.rsplit("/", 1)[-1]
    if not text and not desc and rid and not _OBFUSCATED_ID.search(rid):
        parts.append(f"id={rid}")
    x, y = el.bounds.center
    parts.append(f"({x},{y})")
    parts.extend(_flags(el))
    if main_package and el.package and el.package != main_package:
        parts.append(f"app={el.package}")
    return " ".join(parts)


def render_elements(elements: Sequence[UIElement], *, max_text: int = 80) -> str:
    """One line per element, in the given order; elements of a window other than the main
    app (keyboard, system UI) name their package."""
    main = _main_package(elements)
    return "\n".join(render_element(e, max_text=max_text, main_package=main) for e in elements)


def _main_package(elements: Sequence[UIElement]) -> str:
    """The app most elements belong to, not counting the keyboard and the system UI."""
    packages = Counter(e.package for e in elements if e.package)
    if len(packages) < 2:
        return ""
    apps = Counter({p: n for p, n in packages.items() if not _SYSTEM_WINDOW.search(p)})
    return (apps or packages).most_common(1)[0][0]


def elements_to_json(elements: Sequence[UIElement]) -> list[dict[str, Any]]:
    """JSON-ready objects: id, bounds [x1,y1,x2,y2], text, description, resource_id, class,
    package, the flags, source (and extras when present)."""
    return [el.to_json() for el in elements]
