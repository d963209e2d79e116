"""Walking through the apps by tapping coordinates taken from the phone's nodes."""

from __future__ import annotations

from virtual_phone.phone import Phone
from virtual_phone.ui.hierarchy import find_node, iter_nodes


def _tap(phone: Phone, **attrs: object) -> None:
    node = find_node(phone.nodes(), **attrs)
    assert node is not None, f"no node with {attrs}"
    left, top, right, bottom = node.bounds
    phone.tap((left + right) / 2, (top + bottom) / 2)


def _texts(phone: Phone, resource_id: str) -> list[str]:
    return [n.text for n in iter_nodes(phone.nodes()) if n.resource_id == resource_id]


def test_launcher_opens_apps_and_home_returns() -> None:
    phone = Phone()
    _tap(phone, text="Settings", clickable=True)
    assert phone.current() == ("com.android.settings", "com.android.settings.Settings")
    assert phone.press_key("home")
    assert phone.current()[0] == "com.android.launcher3"


def test_create_note_with_title_and_body() -> None:
    phone = Phone(seed=3)
    before = len(phone.app_state("com.example.notes")["notes"])
    _tap(phone, text="Notes", clickable=True)
    _tap(phone, content_desc="New note")
    assert phone.current()[1] == "com.example.notes.EditorActivity"
    _tap(phone, resource_id="com.example.notes:id/title")
    phone.input_text("Call the plumber")
    _tap(phone, resource_id="com.example.notes:id/editor")
    phone.input_text("Tuesday 9am, kitchen sink")
    _tap(phone, resource_id="com.example.notes:id/save")
    notes = phone.app_state("com.example.notes")["notes"]
    assert len(notes) == before + 1
    assert {"title": "Call the plumber", "body": "Tuesday 9am, kitchen sink"}.items() <= notes[
        -1
    ].items()
    assert phone.current()[1] == "com.example.notes.MainActivity"
    assert phone.last_toast == "Note saved"
    assert _texts(phone, "com.example.notes:id/note_title")[0] == "Call the plumber"


def test_open_edit_search_and_delete_note() -> None:
    phone = Phone()
    phone.start_app("com.example.notes")
    first = phone.app_state("com.example.notes")["notes"][0]
    _tap(phone, text=first["title"])
    _tap(phone, resource_id="com.example.notes:id/title")
    phone.input_text(" (edited)")
    phone.press_key("back")  # hides the keyboard
    phone.press_key("back")  # leaves the editor, saving the change
    titles = [n["title"] for n in phone.app_state("com.example.notes")["notes"]]
    assert first["title"] + " (edited)" in titles

    _tap(phone, resource_id="com.example.notes:id/search")
    phone.input_text("edited")
    assert _texts(phone, "com.example.notes:id/note_title") == [first["title"] + " (edited)"]

    node = find_node(phone.nodes(), resource_id="com.example.notes:id/note_item")
    assert node is not None
    assert node.long_clickable
    left, top, right, bottom = node.bounds
    phone.long_press((left + right) / 2, (top + bottom) / 2)
    assert find_node(phone.nodes(), text="Delete note?") is not None
    _tap(phone, text="Delete")
    titles = [n["title"] for n in phone.app_state("com.example.notes")["notes"]]
    assert first["title"] + " (edited)" not in titles
    assert phone.last_toast == "Note deleted"


def test_delete_from_editor_menu() -> None:
    phone = Phone()
    phone.start_app("com.example.notes")
    count = len(phone.app_state("com.example.notes")["notes"])
    _tap(phone, resource_id="com.example.notes:id/note_item")
    _tap(phone, content_desc="Delete")
    _tap(phone, resource_id="android:id/button1")
    assert len(phone.app_state("com.example.notes")["notes"]) == count - 1
    assert phone.current()[1] == "com.example.notes.MainActivity"


def test_add_contact_and_view_details() -> None:
    phone = Phone()
    phone.start_app("com.example.contacts")
    _tap(phone, content_desc="Add contact")
    for field, value in (
        ("name", "Ada Lovelace"),
        ("phone", "+44 20 7946 0018"),
        ("email", "ada@example.org"),
    ):
        _tap(phone, resource_id=f"com.example.contacts:id/{field}")
        phone.input_text(value)
    _tap(phone, text="Save")
    contacts = phone.app_state("com.example.contacts")["contacts"]
    assert {
        "name": "Ada Lovelace",
        "phone": "+44 20 7946 0018",
        "email": "ada@example.org",
    }.items() <= contacts[-1].items()
    names = _texts(phone, "com.example.contacts:id/contact_name")
    assert names == sorted(names, key=str.casefold)
    _tap(phone, resource_id="com.example.contacts:id/search")
    phone.input_text("lovelace")
    assert _texts(phone, "com.example.contacts:id/contact_name") == ["Ada Lovelace"]
    _tap(phone, text="Ada Lovelace")
    number = find_node(phone.nodes(), resource_id="com.example.contacts:id/phone_number")
    assert number is not None
    assert number.text == "+44 20 7946 0018"
    assert find_node(phone.nodes(), content_desc="Call", clickable=True) is not None


def test_contact_without_name_is_refused() -> None:
    phone = Phone()
    phone.start_app("com.example.contacts")
    count = len(phone.app_state("com.example.contacts")["contacts"])
    _tap(phone, content_desc="Add contact")
    _tap(phone, text="Save")
    assert phone.last_toast == "Name is required"
    assert len(phone.app_state("com.example.contacts")["contacts"]) == count


def test_turn_wifi_off_in_settings() -> None:
    phone = Phone()
    assert phone.wifi_enabled
    _tap(phone, text="Settings", clickable=True)
    _tap(phone, text="Network & internet")
    switch = find_node(phone.nodes(), resource_id="android:id/switch_widget")
    assert switch is not None
    assert switch.checked
    assert switch.class_name == "android.widget.Switch"
    _tap(phone, resource_id="android:id/switch_widget")
    assert not phone.wifi_enabled
    assert phone.settings_get("global", "wifi_on") == "0"
    switch = find_node(phone.nodes(), resource_id="android:id/switch_widget")
    assert switch is not None
    assert not switch.checked
    phone.set_wifi(True)
    assert find_node(phone.nodes(), resource_id="android:id/switch_widget").checked  # type: ignore[union-attr]


def test_dark_theme_and_brightness_share_state_with_settings() -> None:
    phone = Phone()
    phone.start_app("com.android.settings")
    _tap(phone, text="Display")
    _tap(phone, text="Dark theme")
    assert phone.app_state("com.android.settings")["dark_mode"] is True
    assert phone.settings_get("secure", "ui_night_mode") == "2"
    bar = find_node(phone.nodes(), class_name="android.widget.SeekBar")
    assert bar is not None
    _left, top, right, bottom = bar.bounds
    phone.tap(right - 41, (top + bottom) / 2)
    assert phone.settings_get("system", "screen_brightness") == "255"
    phone.settings_put("system", "screen_brightness", "20")
    assert phone.app_state("com.android.settings")["brightness"] == 20


def test_about_phone_lists_model_and_version() -> None:
    phone = Phone()
    phone.start_app("com.android.settings")
    for _ in range(6):
        if find_node(phone.nodes(), text="About phone") is not None:
            break
        phone.swipe(540, 1900, 540, 700, 300)
    _tap(phone, text="About phone")
    texts = {n.text for n in iter_nodes(phone.nodes())}
    assert {"Model", "Pixel 7", "Android version", "14", "Build number"} <= texts


def test_browser_page_text_is_drawn_but_absent_from_hierarchy() -> None:
    phone = Phone()
    _tap(phone, text="Browser", clickable=True)
    page = phone.app_state("com.example.browser")["page"]
    assert "central library" in page["text"]
    web = find_node(phone.nodes(), class_name="android.webkit.WebView")
    assert web is not None
    assert web.children == []
    assert web.text == ""
    xml = phone.hierarchy_xml()
    assert "central library" not in xml
    assert "Daily Example News" not in xml
    drawn = [t for t in phone.screen_texts() if not t.reported]
    assert any("Daily Example News" in t.text for t in drawn)


def test_browser_address_bar_and_links() -> None:
    phone = Phone()
    phone.start_app("com.example.browser")
    _tap(phone, resource_id="com.example.browser:id/url_bar")
    phone.input_text("weather.example.com\n")
    state = phone.app_state("com.example.browser")
    assert state["url"] == "https://weather.example.com"
    assert "14°C" in state["page"]["text"]
    assert phone.press_key("back")
    assert phone.app_state("com.example.browser")["url"] == "https://news.example.com/"
    link = next(t for t in phone.screen_texts() if t.text.startswith("Fluffy pancakes"))
    phone.tap((link.bounds[0] + link.bounds[2]) / 2, (link.bounds[1] + link.bounds[3]) / 2)
    assert phone.app_state("com.example.browser")["page"]["title"] == "Fluffy pancakes"


def test_open_url_starts_browser() -> None:
    phone = Phone()
    assert phone.open_url("https://www.example.com/")
    assert phone.current()[0] == "com.example.browser"
    assert phone.app_state("com.example.browser")["page"]["title"] == "Example Domain"


def test_camera_shutter_writes_photo_file() -> None:
    phone = Phone()
    phone.start_app("com.android.camera2")
    _tap(phone, content_desc="Shutter")
    assert phone.fs.listdir("/sdcard/DCIM/Camera") == ["IMG_0001.jpg"]
