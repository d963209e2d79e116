"""Input on the phone: keyboard, BACK order, scrolling, gestures, keys, recents, shade."""

from __future__ import annotations

import threading

from virtual_phone.phone import Phone
from virtual_phone.ui.hierarchy import find_node, iter_nodes


def _tap(phone: Phone, **attrs: object) -> None:
    node = find_node(phone.nodes(), **attrs)
    assert node is not None, f"no node with {attrs}"
    left, top, right, bottom = node.bounds
    phone.tap((left + right) / 2, (top + bottom) / 2)


def _names(phone: Phone) -> list[str]:
    return [
        n.text
        for n in iter_nodes(phone.nodes())
        if n.resource_id == "com.example.contacts:id/contact_name"
    ]


def test_focus_shows_keyboard_and_back_hides_it_before_popping() -> None:
    phone = Phone()
    phone.start_app("com.example.notes")
    _tap(phone, content_desc="New note")
    assert not phone.keyboard_shown
    _tap(phone, resource_id="com.example.notes:id/title")
    assert phone.keyboard_shown
    title = find_node(phone.nodes(), resource_id="com.example.notes:id/title")
    assert title is not None
    assert title.focused
    keyboard = [r for r in phone.nodes() if r.package == "com.google.android.inputmethod.latin"]
    assert len(keyboard) == 1
    assert find_node(keyboard, content_desc="q", clickable=True) is not None
    assert find_node(keyboard, text="q") is None  # keys carry only a content-desc
    phone.press_key("back")
    assert not phone.keyboard_shown
    assert phone.current()[1] == "com.example.notes.EditorActivity"
    phone.press_key("back")
    assert phone.current()[1] == "com.example.notes.MainActivity"
    phone.press_key("back")
    assert phone.current()[0] == "com.android.launcher3"


def test_keyboard_keys_type_into_field() -> None:
    phone = Phone()
    phone.start_app("com.example.notes")
    _tap(phone, resource_id="com.example.notes:id/search")
    _tap(phone, content_desc="Shift")
    assert find_node(phone.nodes(), text="g") is None  # shifted keys show capitals
    for key in ("G", "y", "m"):
        _tap(phone, content_desc=key, package="com.google.android.inputmethod.latin")
    _tap(phone, content_desc="Delete")
    field = find_node(phone.nodes(), resource_id="com.example.notes:id/search")
    assert field is not None
    assert field.text == "Gy"
    _tap(phone, content_desc="Space")
    phone.press_key("del")
    phone.press_key("KEYCODE_DEL")
    field = find_node(phone.nodes(), resource_id="com.example.notes:id/search")
    assert field is not None
    assert field.text == "G"


def test_unicode_typing_round_trips() -> None:
    phone = Phone()
    phone.start_app("com.example.notes")
    _tap(phone, content_desc="New note")
    _tap(phone, resource_id="com.example.notes:id/title")
    phone.input_text("Grüße 你好 😀")
    field = find_node(phone.nodes(), resource_id="com.example.notes:id/title")
    assert field is not None
    assert field.text == "Grüße 你好 😀"
    phone.clear_focused_text()
    field = find_node(phone.nodes(), resource_id="com.example.notes:id/title")
    assert field is not None
    assert field.text == "Title"


def test_typing_without_focus_is_a_no_op() -> None:
    phone = Phone()
    phone.start_app("com.example.notes")
    xml = phone.hierarchy_xml()
    phone.input_text("stray")
    assert phone.hierarchy_xml() == xml


def test_swipe_scrolls_list_and_hierarchy_shows_only_visible_rows() -> None:
    phone = Phone()
    phone.start_app("com.example.contacts")
    everyone = [c["name"] for c in phone.app_state("com.example.contacts")["contacts"]]
    first_page = _names(phone)
    assert 0 < len(first_page) < len(everyone)
    listing = find_node(phone.nodes(), resource_id="com.example.contacts:id/contact_list")
    assert listing is not None
    assert listing.scrollable
    phone.swipe(540, 1900, 540, 900, 300)
    second_page = _names(phone)
    assert second_page != first_page
    assert second_page[-1] not in first_page
    for node in iter_nodes(phone.nodes()):
        if node.resource_id == "com.example.contacts:id/contact_item":
            assert listing.bounds[1] <= node.bounds[1]
            assert node.bounds[3] <= listing.bounds[3]
    phone.swipe(540, 900, 540, 1900, 300)
    assert _names(phone) == first_page


def test_scroll_node_pages_until_the_end() -> None:
    phone = Phone()
    phone.start_app("com.example.contacts")
    listing = find_node(phone.nodes(), resource_id="com.example.contacts:id/contact_list")
    assert listing is not None
    moves = 0
    while phone.scroll_node(find_node(phone.nodes(), scrollable=True).key, forward=True):  # type: ignore[union-attr]
        moves += 1
        assert moves < 20
    assert moves >= 1
    last = sorted(
        (c["name"] for c in phone.app_state("com.example.contacts")["contacts"]), key=str.casefold
    )[-1]
    assert _names(phone)[-1] == last
    assert not phone.scroll_node(listing.key, forward=True, vertical=False)


def test_set_text_on_node() -> None:
    phone = Phone()
    phone.start_app("com.example.contacts")
    node = find_node(phone.nodes(), resource_id="com.example.contacts:id/search")
    assert node is not None
    assert phone.set_text(node.key, "Zzz-nobody")
    assert _names(phone) == []
    label = find_node(phone.nodes(), resource_id="com.example.contacts:id/empty")
    assert label is not None
    assert label.text == "No contacts found"
    toolbar = find_node(phone.nodes(), text="Contacts", package="com.example.contacts")
    assert toolbar is not None
    assert not phone.set_text(toolbar.key, "x")


def test_touch_events_form_taps_and_swipes() -> None:
    phone = Phone()
    node = find_node(phone.nodes(), text="Contacts", clickable=True)
    assert node is not None
    x, y = (node.bounds[0] + node.bounds[2]) / 2, (node.bounds[1] + node.bounds[3]) / 2
    phone.touch(0, x, y)
    phone.touch(2, x + 3, y + 2)
    phone.touch(1, x + 3, y + 2)
    assert phone.current()[0] == "com.example.contacts"
    before = _names(phone)
    phone.touch(0, 540, 1900)
    phone.touch(2, 540, 1400)
    phone.touch(1, 540, 900)
    assert _names(phone) != before


def test_key_names_and_codes() -> None:
    phone = Phone()
    phone.start_app("com.android.settings")
    assert phone.press_key(3)
    assert phone.current()[0] == "com.android.launcher3"
    assert not phone.press_key("no_such_key")
    assert phone.press_key("VOLUME_UP")
    assert phone.press_key(25)
    assert phone.press_key("menu")
    assert phone.press_key("KEYCODE_POWER")
    assert not phone.screen_on
    assert phone.press_key(224)
    assert phone.screen_on
    phone.press_key(223)
    assert not phone.screen_on
    phone.press_key("wakeup")


def test_recents_lists_tasks_and_switches() -> None:
    phone = Phone()
    phone.start_app("com.example.notes")
    phone.start_app("com.android.settings")
    phone.press_key("app_switch")
    labels = [
        n.text
        for n in iter_nodes(phone.nodes())
        if n.resource_id == "com.android.launcher3:id/task_label"
    ]
    assert labels == ["Settings", "Notes"]
    _tap(phone, text="Notes", resource_id="com.android.launcher3:id/task_label")
    assert phone.current()[0] == "com.example.notes"
    phone.press_key("recent")
    card = find_node(
        phone.nodes(), resource_id="com.android.launcher3:id/task", content_desc="Notes"
    )
    assert card is not None
    left, top, right, bottom = card.bounds
    phone.swipe((left + right) / 2, (top + bottom) / 2, (left + right) / 2, top - 600, 200)
    assert "com.example.notes" not in phone.running_packages()
    _tap(phone, text="Clear all")
    assert phone.current()[0] == "com.android.launcher3"


def test_notification_shade_by_swipe_and_tiles() -> None:
    phone = Phone()
    phone.swipe(540, 10, 540, 1200, 300)
    shade = find_node(phone.nodes(), resource_id="com.android.systemui:id/notification_panel")
    assert shade is not None
    assert find_node(phone.nodes(), text="USB debugging connected") is not None
    _tap(phone, content_desc="Internet, Wi-Fi on")
    assert not phone.wifi_enabled
    phone.press_key("back")
    assert (
        find_node(phone.nodes(), resource_id="com.android.systemui:id/notification_panel") is None
    )
    phone.open_quick_settings()
    assert find_node(phone.nodes(), content_desc="Flashlight, Off") is not None
    _tap(phone, text="Reminder")
    assert phone.current()[0] == "com.example.notes"


def test_toast_is_drawn_and_remembered() -> None:
    phone = Phone()
    version = phone.ui_version
    phone.make_toast("Saved to Drive", 5000)
    assert phone.last_toast == "Saved to Drive"
    assert phone.ui_version > version
    assert any(t.text == "Saved to Drive" and not t.reported for t in phone.screen_texts())
    phone.clear_last_toast()
    assert phone.last_toast is None


def test_dialog_outside_tap_cancels() -> None:
    phone = Phone()
    phone.start_app("com.example.notes")
    node = find_node(phone.nodes(), resource_id="com.example.notes:id/note_item")
    assert node is not None
    phone.long_press(
        (node.bounds[0] + node.bounds[2]) / 2, (node.bounds[1] + node.bounds[3]) / 2, 800
    )
    dialog = find_node(phone.nodes(), resource_id="android:id/parentPanel")
    assert dialog is not None
    assert dialog.package == "com.example.notes"
    phone.tap(540, 300)
    assert find_node(phone.nodes(), resource_id="android:id/parentPanel") is None


def test_edge_swipe_goes_back() -> None:
    phone = Phone()
    phone.start_app("com.android.settings")
    _tap(phone, text="Display")
    phone.swipe(5, 1200, 500, 1210, 200)
    assert phone.current() == ("com.android.settings", "com.android.settings.Settings")


def test_concurrent_use_from_threads() -> None:
    phone = Phone()
    phone.start_app("com.example.contacts")
    errors: list[BaseException] = []

    def worker(step: int) -> None:
        try:
            for i in range(15):
                if step == 0:
                    phone.swipe(540, 1800, 540, 1200 if i % 2 else 2000, 100)
                elif step == 1:
                    phone.hierarchy_xml()
                elif step == 2:
                    phone.screenshot()
                else:
                    phone.nodes()
                    phone.current()
        except BaseException as exc:  # collected and re-raised in the main thread
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert phone.current()[0] == "com.example.contacts"
