"""Settings' "App info" page for one app, opened from the launcher's long-press menu."""

from __future__ import annotations

from ..ui.views import Button, ImageView, LinearLayout, RecyclerView, Row, TextView, View
from .base import Activity, App
from .widgets import screen, toolbar, two_line_row

SUB = "com.android.settings.SubSettings"
_ROWS = (
    ("Notifications", "On"),
    ("Permissions", "No permissions requested"),
    ("Storage & cache", "24.6 MB used in internal storage"),
    ("Mobile data & Wi-Fi", "No data used"),
    ("Screen time", "0 minutes today"),
    ("App battery usage", "No battery use since last full charge"),
    ("Open by default", "Allow app to open supported links"),
)


class AppInfoActivity(Activity):
    """App info: the app's icon and name, Open, and its settings rows."""

    name = SUB

    def __init__(self, settings: App, target: App) -> None:
        super().__init__(settings)
        self.target = target

    def title(self) -> str:
        return "App info"

    def build(self) -> View:
        target = self.target
        header = LinearLayout(
            gravity="center_horizontal",
            padding=(0, 40, 0, 30),
            children=[
                ImageView(
                    id=self.rid("entity_header_icon"),
                    icon=target.icon,
                    icon_bg=target.icon_bg,
                    icon_color="#ffffff",
                    width=200,
                    height=200,
                    icon_size=100,
                ),
                TextView(
                    id=self.rid("entity_header_title"),
                    text=target.label,
                    size=56,
                    align="center",
                    padding=(0, 24, 0, 0),
                ),
            ],
        )
        actions = Row(
            gravity="center_horizontal",
            padding=(40, 10, 40, 30),
            children=[
                Button(
                    id=self.rid("button1"),
                    text="Open",
                    width=-2,
                    height=120,
                    padding=(60, 0),
                    size=40,
                    on_click=lambda: self.host.launch(target.package),
                ),
            ],
        )
        rows: list[View] = [header, actions]
        rows += [two_line_row(title, summary) for title, summary in _ROWS]
        rows.append(two_line_row("Version", f"version {target.version_name}"))
        listing = RecyclerView(
            id=self.rid("recycler_view"), weight=1, state=self.scroll("list"), children=rows
        )
        return screen(toolbar(self, "App info", up=True), listing)
