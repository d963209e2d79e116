"""Building blocks shared by the apps: toolbars, list rows, FABs, dialogs."""

from __future__ import annotations

from collections.abc import Callable

from ..ui.views import (
    MATCH,
    WRAP,
    Button,
    EditText,
    FrameLayout,
    ImageButton,
    ImageView,
    LinearLayout,
    Row,
    Switch,
    TextView,
    View,
    ViewGroup,
)
from .base import Activity, Dialog

TOOLBAR_HEIGHT = 170


def toolbar(
    activity: Activity, title: str, *, up: bool = False, actions: list[View] | None = None
) -> View:
    """An app bar with an optional Navigate-up button, a title and action buttons."""
    items: list[View] = []
    if up:
        items.append(
            ImageButton(
                icon="arrow_back",
                desc="Navigate up",
                width=140,
                height=TOOLBAR_HEIGHT,
                icon_size=60,
                on_click=activity.finish,
            )
        )
    items.append(
        TextView(
            text=title, size=56, bold=False, width=0, weight=1, padding=(0 if up else 48, 0, 0, 0)
        )
    )
    items.extend(actions or [])
    return Row(
        id=activity.rid("toolbar"),
        class_name="android.view.ViewGroup",
        height=TOOLBAR_HEIGHT,
        bg="toolbar",
        padding=(0, 0, 20, 0),
        children=items,
    )


def action_button(icon: str, desc: str, on_click: Callable[[], None], rid: str = "") -> ImageButton:
    """A toolbar icon button (content description only)."""
    return ImageButton(
        id=rid,
        icon=icon,
        desc=desc,
        width=130,
        height=TOOLBAR_HEIGHT,
        icon_size=60,
        on_click=on_click,
    )


def save_button(activity: Activity, on_click: Callable[[], None]) -> Button:
    """A toolbar text button labelled Save (id `save`)."""
    return Button(
        id=activity.rid("save"),
        text="Save",
        width=WRAP,
        height=110,
        padding=(44, 0),
        size=40,
        margin=(10, 0, 10, 0),
        on_click=on_click,
    )


def text_field(
    activity: Activity,
    field: str,
    value: str,
    hint: str,
    on_change: Callable[[str], None],
    *,
    multiline: bool = False,
    password: bool = False,
    on_submit: Callable[[], None] | None = None,
    weight: float = 0.0,
    margin: tuple[int, int, int, int] = (40, 20, 40, 20),
) -> EditText:
    """An EditText bound to a value; `field` is its id name and focus key."""
    return EditText(
        id=activity.rid(field),
        field=field,
        value=value,
        hint=hint,
        on_change=on_change,
        multiline=multiline,
        password=password,
        on_submit=on_submit,
        size=44,
        padding=(32, 28),
        margin=margin,
        weight=weight,
        height=MATCH if weight else WRAP,
    )


def two_line_row(
    title: str,
    subtitle: str = "",
    *,
    icon: str = "",
    on_click: Callable[[], None] | None = None,
    on_long_click: Callable[[], None] | None = None,
    rid: str = "",
    trailing: View | None = None,
    title_id: str = "android:id/title",
    summary_id: str = "android:id/summary",
) -> View:
    """A list row: optional icon, a title and a summary line, optional trailing widget."""
    texts: list[View] = [TextView(id=title_id, text=title, size=46)]
    if subtitle:
        texts.append(TextView(id=summary_id, text=subtitle, size=38, color="muted", max_lines=2))
    children: list[View] = []
    if icon:
        children.append(
            ImageView(
                icon=icon,
                width=90,
                height=90,
                icon_size=64,
                icon_color="primary",
                margin=(0, 0, 40, 0),
            )
        )
    children.append(LinearLayout(id="", width=0, weight=1, children=texts))
    if trailing is not None:
        children.append(trailing)
    return Row(
        id=rid,
        padding=(56, 40),
        on_click=on_click,
        on_long_click=on_long_click,
        focusable=True,
        children=children,
    )


def switch_row(title: str, subtitle: str, checked: bool, toggle: Callable[[], None]) -> View:
    """A settings row whose trailing Switch mirrors `checked`; a click anywhere toggles."""
    switch = Switch(
        id="android:id/switch_widget", checked=checked, focusable=False, margin=(30, 0, 0, 0)
    )
    return two_line_row(title, subtitle, on_click=toggle, trailing=switch)


def divider() -> View:
    """A thin horizontal rule."""
    return View(height=3, bg="divider")


def fab(activity: Activity, icon: str, desc: str, on_click: Callable[[], None]) -> View:
    """A floating action button anchored bottom-right."""
    return ImageButton(
        id=activity.rid("fab"),
        icon=icon,
        desc=desc,
        width=180,
        height=180,
        icon_size=72,
        icon_color="on_primary",
        bg="primary",
        radius=54,
        gravity="bottom|end",
        margin=(0, 0, 56, 56),
        on_click=on_click,
    )


def screen(*children: View, overlay: list[View] | None = None) -> View:
    """An activity content root: a vertical stack, with optional overlays (FABs) on top."""
    body = LinearLayout(height=MATCH, children=list(children))
    if not overlay:
        body.bg = "background"
        return body
    return FrameLayout(height=MATCH, bg="background", children=[body, *overlay])


def alert_dialog(package: str, dialog: Dialog) -> View:
    """The dialog window: a centred card over the scrim; its first child is the window's
    root view (DecorView)."""
    buttons: list[View] = [View(width=0, weight=1)]
    for position, (label, action) in enumerate(dialog.buttons):
        rid = (
            "android:id/button1"
            if position == len(dialog.buttons) - 1
            else f"android:id/button{position + 2}"
        )
        buttons.append(
            Button(
                id=rid,
                text=label,
                width=WRAP,
                height=120,
                size=40,
                padding=(40, 0),
                bg=None,
                color="primary",
                on_click=action,
            )
        )
    title = TextView(id="android:id/alertTitle", text=dialog.title, size=52, max_lines=3)
    template = LinearLayout(id="android:id/title_template", children=[title])
    parts: list[View] = [LinearLayout(id="android:id/topPanel", children=[template])]
    if dialog.message:
        parts.append(
            TextView(
                id="android:id/message",
                text=dialog.message,
                size=42,
                color="muted",
                max_lines=6,
                margin=(0, 30, 0, 0),
            )
        )
    parts.append(Row(id="android:id/buttonPanel", margin=(0, 40, 0, 0), children=buttons))
    card = LinearLayout(
        id="android:id/parentPanel",
        gravity="center",
        padding=(60, 60, 40, 30),
        bg="surface",
        radius=40,
        children=parts,
    )
    # the window's views as AOSP nests them: DecorView > FrameLayout > content > parentPanel
    content = FrameLayout(id="android:id/content", children=[card])
    decor = FrameLayout(
        gravity="center", margin=(70, 0), children=[FrameLayout(children=[content])]
    )
    return FrameLayout(height=MATCH, children=[decor], bg=None)


def group(*children: View) -> ViewGroup:
    """A plain vertical container."""
    return LinearLayout(children=list(children))
