"""Scripted walks through each app, driven only through the real uiautomator2 client.

Every step goes through uiautomator2 → the real adb server → the virtual phone; each walk
ends by checking the phone's own state (`Phone.app_state`, settings), never only the UI.
"""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.e2e

LAUNCHER = "com.android.launcher3"
NOTES = "com.example.notes"
CONTACTS = "com.example.contacts"
SETTINGS = "com.android.settings"
BROWSER = "com.example.browser"
SYSTEMUI = "com.android.systemui"
WAIT = 5.0


@pytest.fixture
def phone(connected_phone: Any) -> Any:
    """The Phone model behind the `u2_device` fixture (for checking state)."""
    return connected_phone.phone


def _tap(d: Any, **selector: Any) -> None:
    """Wait for the element, then tap its centre."""
    element = d(**selector)
    assert element.wait(timeout=WAIT), f"not on screen: {selector}"
    element.click()


def _open_from_home(d: Any, label: str, package: str) -> None:
    """Press HOME and tap the app's icon on the launcher."""
    d.press("home")
    assert d.app_current()["package"] == LAUNCHER
    _tap(d, text=label, packageName=LAUNCHER)
    assert d.app_current()["package"] == package


def _notes_with(phone: Any, title: str) -> list[dict[str, Any]]:
    return [n for n in phone.app_state(NOTES)["notes"] if n["title"] == title]


# == Notes =========================================================================
def test_notes_create_edit_search_delete(u2_device: Any, phone: Any) -> None:
    d = u2_device
    title, body = "Packing list", "Grüße 你好"
    count = len(phone.app_state(NOTES)["notes"])

    # GIVEN the Notes app opened from the launcher
    _open_from_home(d, "Notes", NOTES)

    # WHEN a new note gets a title (set_text) and a body (send_keys), then is saved
    _tap(d, description="New note")
    assert d(text="New note", packageName=NOTES).wait(timeout=WAIT)  # the editor's title
    d(resourceId=f"{NOTES}:id/title").set_text(title)
    _tap(d, resourceId=f"{NOTES}:id/editor")
    assert d(focused=True, resourceId=f"{NOTES}:id/editor").wait(timeout=WAIT)
    assert phone.keyboard_shown is True
    assert not d.is_input_ime_installed()
    d.send_keys(body)  # no AdbKeyboard yet: pasted through the clipboard
    assert d(resourceId=f"{NOTES}:id/editor").get_text() == body
    assert phone.clipboard == body
    assert phone.keyboard_shown is True  # pasting leaves the keyboard up
    _tap(d, resourceId=f"{NOTES}:id/save")

    # THEN the phone stores exactly one new note with that title and body
    assert d(description="New note").wait(timeout=WAIT)
    assert d.app_current()["activity"].endswith("MainActivity")
    saved = _notes_with(phone, title)
    assert [n["body"] for n in saved] == [body]
    assert len(phone.app_state(NOTES)["notes"]) == count + 1

    # WHEN it is opened from the list and its body retyped through uiautomator2's IME
    _tap(d, text=title, resourceId=f"{NOTES}:id/note_title")
    assert d(text="Edit note").wait(timeout=WAIT)
    assert d(resourceId=f"{NOTES}:id/editor").get_text() == body
    d.set_input_ime(True)  # installs and selects AdbKeyboard
    _tap(d, resourceId=f"{NOTES}:id/editor")
    assert phone.keyboard_shown is True
    d.send_keys("Passport, charger, 雨伞", clear=True)  # clears, types, hides the keyboard
    assert d(resourceId=f"{NOTES}:id/editor").get_text() == "Passport, charger, 雨伞"
    assert phone.keyboard_shown is False
    _tap(d, resourceId=f"{NOTES}:id/save")

    # THEN the same note (same id) carries the new body
    assert d(description="New note").wait(timeout=WAIT)
    edited = _notes_with(phone, title)
    assert [(n["id"], n["body"]) for n in edited] == [(saved[0]["id"], "Passport, charger, 雨伞")]

    # WHEN searching for it
    d(resourceId=f"{NOTES}:id/search").set_text("charger")
    # THEN only that note is listed
    assert d(resourceId=f"{NOTES}:id/note_title").wait(timeout=WAIT)
    titles = [e.get_text() for e in d(resourceId=f"{NOTES}:id/note_title")]
    assert titles == [title]

    # WHEN it is long-pressed and the deletion confirmed
    d(text=title, resourceId=f"{NOTES}:id/note_title").long_click()
    assert d(text="Delete note?").wait(timeout=WAIT)
    _tap(d, text="Delete", resourceId="android:id/button1")
    assert d(text="Delete note?").wait_gone(timeout=WAIT)

    # THEN it is gone from the phone and from the filtered list
    assert _notes_with(phone, title) == []
    assert len(phone.app_state(NOTES)["notes"]) == count
    assert d(text="No matching notes").wait(timeout=WAIT)


def test_notes_delete_from_editor_menu(u2_device: Any, phone: Any) -> None:
    d = u2_device
    # GIVEN the first note of the list open in the editor
    d.app_start(NOTES)
    first = d(resourceId=f"{NOTES}:id/note_title")
    assert first.wait(timeout=WAIT)
    title = first.get_text()
    assert _notes_with(phone, title)
    first.click()
    # WHEN Delete in the editor's toolbar is tapped and confirmed
    _tap(d, description="Delete", packageName=NOTES)
    assert d(text="This note will be deleted.").wait(timeout=WAIT)
    _tap(d, text="Delete", resourceId="android:id/button1")
    # THEN the editor closes and the note is gone
    assert d(description="New note").wait(timeout=WAIT)
    assert _notes_with(phone, title) == []
    assert not d(text=title, resourceId=f"{NOTES}:id/note_title").exists


# == Contacts ======================================================================
def test_contacts_add_search_and_details(u2_device: Any, phone: Any) -> None:
    d = u2_device
    name, number, email = "Zoë Quartermaine", "+44 7700 900123", "zoe.q@example.org"
    assert not [c for c in phone.app_state(CONTACTS)["contacts"] if c["name"] == name]

    # GIVEN Contacts opened from the launcher
    _open_from_home(d, "Contacts", CONTACTS)

    # WHEN a contact is created with name, phone and e-mail and saved
    _tap(d, description="Add contact")
    assert d(text="Create contact").wait(timeout=WAIT)
    d(resourceId=f"{CONTACTS}:id/name").set_text(name)
    d(resourceId=f"{CONTACTS}:id/phone").set_text(number)
    d(resourceId=f"{CONTACTS}:id/email").set_text(email)
    _tap(d, resourceId=f"{CONTACTS}:id/save")

    # THEN the phone stores it
    assert d(description="Add contact").wait(timeout=WAIT)
    stored = [c for c in phone.app_state(CONTACTS)["contacts"] if c["name"] == name]
    assert [(c["phone"], c["email"]) for c in stored] == [(number, email)]

    # WHEN searching for part of the name
    d(resourceId=f"{CONTACTS}:id/search").set_text("quarter")
    # THEN the list shows only that contact
    assert d(resourceId=f"{CONTACTS}:id/contact_name", text=name).wait(timeout=WAIT)
    assert d(resourceId=f"{CONTACTS}:id/contact_name").count == 1

    # WHEN the contact is opened
    _tap(d, resourceId=f"{CONTACTS}:id/contact_name", text=name)
    # THEN its details show the phone number and e-mail
    assert d(text=number).wait(timeout=WAIT)
    assert d(resourceId=f"{CONTACTS}:id/phone_number").get_text() == number
    assert d(resourceId=f"{CONTACTS}:id/email").get_text() == email
    assert d(description="Call").exists
    assert d.app_current()["activity"].endswith("ContactDetailsActivity")


# == Settings ======================================================================
def test_settings_wifi_dark_theme_and_about(u2_device: Any, phone: Any) -> None:
    d = u2_device
    assert phone.wifi_enabled is True
    assert phone.app_state(SETTINGS)["dark_mode"] is False

    # GIVEN Settings opened from the launcher
    _open_from_home(d, "Settings", SETTINGS)

    # WHEN Network & internet → Wi-Fi is toggled
    _tap(d, text="Network & internet")
    wifi = d(text="Wi-Fi", resourceId="android:id/title")
    assert wifi.wait(timeout=WAIT)
    assert d(resourceId="android:id/switch_widget", checked=True).exists
    wifi.click()
    # THEN Wi-Fi is off in the app, the phone and `settings get`
    assert d(text="Off", resourceId="android:id/summary").wait(timeout=WAIT)
    assert phone.app_state(SETTINGS)["wifi"] is False
    assert phone.wifi_enabled is False
    assert d.shell("settings get global wifi_on").output.strip() == "0"

    # WHEN going back and turning on Display → Dark theme
    d.press("back")
    _tap(d, text="Display")
    _tap(d, text="Dark theme")
    # THEN dark mode is on
    assert d(text="Dark theme").right(resourceId="android:id/switch_widget").info["checked"]
    assert phone.app_state(SETTINGS)["dark_mode"] is True
    assert d.shell("settings get secure ui_night_mode").output.strip() == "2"

    # WHEN going back and scrolling the main list to "About phone" (below the fold)
    d.press("back")
    assert d(text="Network & internet").wait(timeout=WAIT)
    assert not d(text="About phone").exists
    assert d(scrollable=True, packageName=SETTINGS).scroll.to(text="About phone")
    _tap(d, text="About phone")
    # THEN the model is shown as "Pixel 7", like the phone's property
    model = d(text="Model").sibling(resourceId="android:id/summary")
    assert model.wait(timeout=WAIT)
    assert model.get_text() == "Pixel 7"
    assert phone.getprop("ro.product.model") == "Pixel 7"
    assert phone.app_state(SETTINGS)["wifi"] is False  # the earlier change persists


# == Launcher and system UI ========================================================
def test_back_closes_keyboard_before_leaving(u2_device: Any, phone: Any) -> None:
    d = u2_device
    # GIVEN the Notes search field focused with the keyboard up
    d.app_start(NOTES)
    _tap(d, resourceId=f"{NOTES}:id/search")
    assert d(focused=True, resourceId=f"{NOTES}:id/search").wait(timeout=WAIT)
    assert phone.keyboard_shown is True
    assert "mInputShown=true" in d.shell("dumpsys input_method").output
    # WHEN BACK is pressed once
    d.press("back")
    # THEN only the keyboard closes
    assert phone.keyboard_shown is False
    assert "mInputShown=false" in d.shell("dumpsys input_method").output
    assert d.app_current()["package"] == NOTES
    # WHEN the field is tapped again and the keyboard hidden through uiautomator2's IME
    _tap(d, resourceId=f"{NOTES}:id/search")
    assert phone.keyboard_shown is True
    d.hide_keyboard()
    # THEN the keyboard closes and the screen stays
    assert phone.keyboard_shown is False
    assert d(focused=True, resourceId=f"{NOTES}:id/search").exists
    # WHEN BACK is pressed again THEN the app is left for the home screen
    d.press("back")
    assert d.app_current()["package"] == LAUNCHER
    assert NOTES in phone.state()["apps"]  # data kept


def test_home_recents_and_task_switch(u2_device: Any, phone: Any) -> None:
    d = u2_device
    # GIVEN Notes and then Settings started from the launcher
    _open_from_home(d, "Notes", NOTES)
    _open_from_home(d, "Settings", SETTINGS)
    # WHEN HOME is pressed THEN the launcher is in front
    d.press("home")
    assert d.app_current()["package"] == LAUNCHER
    assert d(resourceId=f"{LAUNCHER}:id/workspace").exists

    # WHEN APP_SWITCH is pressed THEN recents lists both tasks, newest first
    d.press("recent")
    assert d(resourceId=f"{LAUNCHER}:id/overview").wait(timeout=WAIT)
    labels = [e.get_text() for e in d(resourceId=f"{LAUNCHER}:id/task_label")]
    assert labels == ["Settings", "Notes"]

    # WHEN the Notes card is tapped THEN Notes is in front again
    _tap(d, resourceId=f"{LAUNCHER}:id/task_label", text="Notes")
    assert d(resourceId=f"{LAUNCHER}:id/overview").wait_gone(timeout=WAIT)
    assert d.app_current()["package"] == NOTES
    assert phone.current() == (NOTES, f"{NOTES}.MainActivity")


def test_notification_shade_opens_notification(u2_device: Any, phone: Any) -> None:
    d = u2_device
    before = [n["title"] for n in phone.state()["notifications"]]
    assert "Reminder" in before
    # GIVEN the home screen WHEN the shade is opened
    d.press("home")
    d.open_notification()
    # THEN the panel lists the posted notifications
    assert d(resourceId=f"{SYSTEMUI}:id/notification_panel").wait(timeout=WAIT)
    assert d(resourceId="android:id/title", text="Reminder").exists
    # WHEN the Notes reminder is tapped
    _tap(d, resourceId="android:id/title", text="Reminder")
    # THEN Notes opens, the shade closes and the notification is dismissed
    assert d(description="New note").wait(timeout=WAIT)
    assert d.app_current()["package"] == NOTES
    assert not d(resourceId=f"{SYSTEMUI}:id/notification_panel").exists
    after = [n["title"] for n in phone.state()["notifications"]]
    assert "Reminder" not in after
    assert len(after) == len(before) - 1


def test_browser_page_text_is_drawn_not_in_hierarchy(u2_device: Any, phone: Any) -> None:
    d = u2_device
    # GIVEN the Browser opened from the launcher
    _open_from_home(d, "Browser", BROWSER)
    assert d(resourceId=f"{BROWSER}:id/url_bar").wait(timeout=WAIT)
    # THEN the page's paragraph text is in the app's state and drawn on screen...
    page = phone.app_state(BROWSER)["page"]
    sentence = "the central library will open from 8 am to 10 pm"
    assert page["title"] == "Daily Example News"
    assert sentence in page["text"]
    drawn = " ".join(t.text for t in phone.screen_texts() if not t.reported)  # wrapped lines
    assert sentence in drawn
    # ...but absent from the uiautomator dump, which still has the address bar
    xml = d.dump_hierarchy()
    assert sentence not in xml
    assert "Daily Example News" not in xml
    assert d(resourceId=f"{BROWSER}:id/url_bar").get_text() == phone.app_state(BROWSER)["url"]
