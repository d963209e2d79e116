"""Settings (`com.android.settings`): network, Bluetooth, display, about phone."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..ui.views import LinearLayout, RecyclerView, SeekBar, TextView, View
from .base import Activity, App
from .widgets import divider, screen, switch_row, toolbar, two_line_row

PACKAGE = "com.android.settings"
SUB = PACKAGE + ".SubSettings"

# (key, title, summary, icon) of the main list
MAIN_ROWS = (
    ("network", "Network & internet", "Wi-Fi, mobile data, hotspot", "wifi"),
    ("connected", "Connected devices", "Bluetooth, pairing", "bluetooth"),
    ("apps", "Apps", "Recent apps, default apps", "apps"),
    ("notifications", "Notifications", "Notification history, conversations", "bell"),
    ("battery", "Battery", "85%", "battery"),
    ("storage", "Storage", "37% used - 80.6 GB free", "storage"),
    ("sound", "Sound & vibration", "Volume, haptics, Do Not Disturb", "volume"),
    ("display", "Display", "Dark theme, font size, brightness", "sun"),
    ("wallpaper", "Wallpaper & style", "Colours, themed icons, app grid", "palette"),
    ("accessibility", "Accessibility", "Display, interaction, audio", "accessibility"),
    ("security", "Security & privacy", "App security, device lock, permissions", "shield"),
    ("location", "Location", "On - 3 apps have access to location", "pin"),
    ("emergency", "Safety & emergency", "Emergency SOS, medical info, alerts", "emergency"),
    ("accounts", "Passwords & accounts", "Saved passwords, autofill, synced accounts", "key"),
    (
        "wellbeing",
        "Digital Wellbeing & parental controls",
        "Screen time, app timers, bedtime",
        "wellbeing",
    ),
    ("system", "System", "Languages, gestures, time, backup", "system"),
    ("about", "About phone", "Pixel 7", "about"),
)

LINKED = {
    ("global", "wifi_on"): "wifi",
    ("global", "bluetooth_on"): "bluetooth",
    ("global", "airplane_mode_on"): "airplane",
    ("system", "screen_brightness"): "brightness",
    ("secure", "ui_night_mode"): "dark_mode",
    ("global", "device_name"): "device_name",
}


class SettingsApp(App):
    """System settings; its state backs `svc wifi` and several `settings` keys."""

    package = PACKAGE
    label = "Settings"
    main_activity = PACKAGE + ".Settings"
    icon = "settings"
    icon_bg = "#3c64b4"
    version_name = "14"
    version_code = 34

    def initial_state(self, seed: int) -> dict[str, Any]:
        return {
            "wifi": True,
            "bluetooth": False,
            "airplane": False,
            "dark_mode": False,
            "brightness": 128,
            "adaptive_brightness": False,
            "device_name": "Pixel 7",
        }

    def activities(self) -> dict[str, Callable[[], Activity]]:
        return {
            self.main_activity: lambda: MainSettings(self),
            SUB: lambda: SubSettings(self, "network"),
            PACKAGE + ".wifi.WifiSettings": lambda: SubSettings(self, "network"),
            PACKAGE + ".DisplaySettings": lambda: SubSettings(self, "display"),
        }

    def linked_get(self, namespace: str, key: str) -> str | None:
        """A `settings` value backed by this app's state, else None."""
        field = LINKED.get((namespace, key))
        if field is None:
            return None
        value = self.state[field]
        if field == "dark_mode":
            return "2" if value else "1"
        if isinstance(value, bool):
            return "1" if value else "0"
        return str(value)

    def linked_put(self, namespace: str, key: str, value: str) -> bool:
        """Store a backed `settings` value; False when the key is not backed here."""
        field = LINKED.get((namespace, key))
        if field is None:
            return False
        if field == "brightness":
            self.state[field] = min(255, max(0, int(float(value))))
        elif field == "dark_mode":
            self.state[field] = value.strip() == "2"
        elif field == "device_name":
            self.state[field] = value
        else:
            self.state[field] = value.strip() not in ("0", "", "false")
        return True


class MainSettings(Activity):
    """The top-level settings list."""

    name = PACKAGE + ".Settings"

    def build(self) -> View:
        rows: list[View] = [
            TextView(
                id=self.rid("search_action_bar_title"),
                text="Search Settings",
                size=42,
                color="muted",
                bg="surface_variant",
                radius=70,
                margin=(40, 10, 40, 20),
                padding=(60, 40),
                on_click=lambda: self.host.toast("Search is not available"),
            ),
        ]
        state = self.app.state
        for key, title, summary, icon in MAIN_ROWS:
            if key == "about":
                summary = str(state["device_name"])
            rows.append(two_line_row(title, summary, icon=icon, on_click=self._opener(key)))
        listing = RecyclerView(
            id=self.rid("recycler_view"), weight=1, state=self.scroll("list"), children=rows
        )
        return screen(toolbar(self, "Settings"), listing)

    def _opener(self, page: str) -> Callable[[], None]:
        return lambda: self.host.start_activity(SubSettings(self.app, page))


class SubSettings(Activity):
    """A settings sub-page (Android uses one SubSettings activity for all of them)."""

    name = SUB

    def __init__(self, app: App, page: str) -> None:
        super().__init__(app)
        self.page = page

    def title(self) -> str:
        return next((t for k, t, _, _ in MAIN_ROWS if k == self.page), "Settings")

    def build(self) -> View:
        title = self.title()
        builder = {
            "network": self._network,
            "connected": self._connected,
            "display": self._display,
            "about": self._about,
        }.get(self.page, self._generic)
        rows = builder()
        listing = RecyclerView(
            id=self.rid("recycler_view"), weight=1, state=self.scroll("list"), children=rows
        )
        return screen(toolbar(self, title, up=True), listing)

    def _toggle(self, field: str) -> Callable[[], None]:
        def flip() -> None:
            self.app.state[field] = not self.app.state[field]

        return flip

    def _network(self) -> list[View]:
        s = self.app.state
        wifi = "Connected to HomeNet-5G" if s["wifi"] else "Off"
        return [
            switch_row("Wi-Fi", wifi, bool(s["wifi"]), self._toggle("wifi")),
            two_line_row("Internet", "HomeNet-5G" if s["wifi"] else "Mobile data"),
            two_line_row("SIMs", "Virtual Mobile"),
            switch_row("Airplane mode", "", bool(s["airplane"]), self._toggle("airplane")),
            two_line_row("Hotspot & tethering", "Off"),
            two_line_row("Data Saver", "Off"),
            two_line_row("VPN", "None"),
            two_line_row("Private DNS", "Automatic"),
        ]

    def _connected(self) -> list[View]:
        s = self.app.state
        return [
            switch_row(
                "Use Bluetooth",
                "On" if s["bluetooth"] else "Off",
                bool(s["bluetooth"]),
                self._toggle("bluetooth"),
            ),
            two_line_row(
                "Pair new device",
                "",
                icon="add",
                on_click=lambda: self.host.toast("No devices found nearby"),
            ),
            two_line_row("Connection preferences", "NFC, Android Auto"),
        ]

    def _display(self) -> list[View]:
        s = self.app.state
        brightness = SeekBar(
            id=self.rid("seekbar"),
            desc="Brightness level",
            value=int(s["brightness"]),
            maximum=255,
            margin=(40, 0, 40, 20),
            on_change=self._set_brightness,
        )
        return [
            TextView(text="Brightness level", size=46, padding=(56, 40, 56, 10)),
            TextView(
                id=self.rid("brightness_value"),
                text=f"{round(int(s['brightness']) * 100 / 255)}%",
                size=38,
                color="muted",
                padding=(56, 0),
            ),
            brightness,
            switch_row(
                "Adaptive brightness",
                "Optimise brightness for the light around you",
                bool(s["adaptive_brightness"]),
                self._toggle("adaptive_brightness"),
            ),
            divider(),
            switch_row(
                "Dark theme",
                "Use a dark background",
                bool(s["dark_mode"]),
                self._toggle("dark_mode"),
            ),
            two_line_row("Screen timeout", "After 1 minute of inactivity"),
            two_line_row("Font size", "Default"),
            two_line_row("Auto-rotate screen", "Off"),
        ]

    def _set_brightness(self, value: int) -> None:
        self.app.state["brightness"] = value

    def _about(self) -> list[View]:
        s = self.app.state
        facts = [
            ("Device name", str(s["device_name"])),
            ("Phone number", "Unknown"),
            ("Model", "Pixel 7"),
            ("Android version", "14"),
            ("Build number", "UQ1A.240205.004"),
            ("IP address", "10.0.2.16" if s["wifi"] else "Unavailable"),
            ("Wi-Fi MAC address", "02:00:00:44:55:66"),
            ("Bluetooth address", "Unavailable" if not s["bluetooth"] else "3C:28:6D:11:22:33"),
            ("Up time", "12:04:51"),
            ("Emergency information", "Not set"),
        ]
        return [two_line_row(k, v) for k, v in facts]

    def _generic(self) -> list[View]:
        summary = next((sm for k, _, sm, _ in MAIN_ROWS if k == self.page), "")
        items = [part.strip() for part in summary.replace(" - ", ", ").split(",") if part.strip()]
        rows: list[View] = [two_line_row(item.capitalize(), "") for item in items]
        return rows or [
            LinearLayout(
                children=[
                    TextView(text="Nothing here yet", size=42, color="muted", padding=(56, 40))
                ]
            )
        ]
