"""The uiautomator2 server's RPCs against the real virtual phone model (no transport)."""

from __future__ import annotations

import asyncio
import base64
import io
import json
from typing import Any

import pytest
from lxml import etree
from PIL import Image

from virtual_phone.phone import Phone
from virtual_phone.u2 import RpcError, handle_rpc, handle_rpc_async, serve_connection

NOTES = "com.example.notes"
SETTINGS = "com.android.settings"
_MASKS = {
    "text": 0x1,
    "textContains": 0x2,
    "className": 0x10,
    "description": 0x40,
    "scrollable": 0x4000,
    "focused": 0x20000,
    "packageName": 0x80000,
    "resourceId": 0x200000,
    "instance": 0x1000000,
}


def sel(**kwargs: Any) -> dict[str, Any]:
    """Selector JSON as uiautomator2 builds it."""
    mask = 0
    for key in kwargs:
        mask |= _MASKS[key]
    return {"mask": mask, "childOrSibling": [], "childOrSiblingSelector": [], **kwargs}


def rpc(phone: Phone, method: str, *params: Any) -> Any:
    return handle_rpc(phone, method, list(params) if params else {})


def center(info: dict[str, Any]) -> tuple[float, float]:
    b = info["visibleBounds"]
    return (b["left"] + b["right"]) / 2, (b["top"] + b["bottom"]) / 2


@pytest.fixture
def phone() -> Phone:
    return Phone(seed=0)


@pytest.fixture
def notes(phone: Phone) -> Phone:
    assert phone.start_app(NOTES)
    return phone


def test_device_info_describes_the_phone(phone: Phone) -> None:
    info = rpc(phone, "deviceInfo")
    assert info["currentPackageName"] == phone.current()[0]
    assert (info["displayWidth"], info["displayHeight"]) == (phone.width, phone.height)
    assert info["displayRotation"] == 0
    assert info["naturalOrientation"] is True
    assert info["screenOn"] is True
    assert info["sdkInt"] == int(phone.getprop("ro.build.version.sdk"))  # type: ignore[arg-type]
    assert info["productName"] == phone.getprop("ro.product.name")
    assert info["displaySizeDpX"] == round(phone.width * 160 / 420)
    phone.start_app(NOTES)
    assert rpc(phone, "deviceInfo")["currentPackageName"] == NOTES


def test_orientation_screen_and_rotation(phone: Phone) -> None:
    assert rpc(phone, "setOrientation", "left") is None
    info = rpc(phone, "deviceInfo")
    assert info["displayRotation"] == 1
    assert info["displayWidth"] > info["displayHeight"]
    assert info["naturalOrientation"] is False
    rpc(phone, "setOrientation", "natural")
    assert rpc(phone, "deviceInfo")["displayRotation"] == 0
    rpc(phone, "sleep")
    assert rpc(phone, "deviceInfo")["screenOn"] is False
    rpc(phone, "wakeUp")
    assert rpc(phone, "deviceInfo")["screenOn"] is True


def test_dump_hierarchy_is_parseable_and_names_the_app(notes: Phone) -> None:
    full = rpc(notes, "dumpWindowHierarchy", False, 50)
    root = etree.fromstring(full.encode("utf-8"))
    assert root.tag == "hierarchy"
    assert root.xpath(f"//node[@package='{NOTES}']")
    compressed = rpc(notes, "dumpWindowHierarchy", True, 10, True)
    assert 0 < len(compressed) <= len(full)


def test_screenshot_is_a_full_size_jpeg_and_scales(phone: Phone) -> None:
    img = Image.open(io.BytesIO(base64.b64decode(rpc(phone, "takeScreenshot", 1, 80))))
    assert img.format == "JPEG"
    assert img.size == (phone.width, phone.height)
    half = Image.open(io.BytesIO(base64.b64decode(rpc(phone, "takeScreenshot", 0.5, 50))))
    assert half.size == (phone.width // 2, phone.height // 2)
    with pytest.raises(RpcError) as info:
        rpc(phone, "takeScreenshot", 0, 80)
    assert info.value.code == -32602


def test_selector_queries(notes: Phone) -> None:
    xml = etree.fromstring(rpc(notes, "dumpWindowHierarchy", False, 50).encode("utf-8"))
    titles = xml.xpath(f"//node[@resource-id='{NOTES}:id/note_title']/@text")
    assert len(titles) >= 2
    title_sel = sel(resourceId=f"{NOTES}:id/note_title")
    assert rpc(notes, "count", title_sel) == len(titles)
    assert [i["text"] for i in rpc(notes, "objInfoOfAllInstances", title_sel)] == titles
    assert rpc(notes, "getText", sel(resourceId=f"{NOTES}:id/note_title", instance=1)) == titles[1]
    assert rpc(notes, "exist", sel(text=titles[0])) is True
    assert rpc(notes, "exist", sel(text="No such note")) is False
    info = rpc(notes, "objInfo", sel(description="New note"))
    assert info["className"] == "android.widget.ImageButton"
    assert info["packageName"] == NOTES
    assert info["clickable"] is True


def test_absent_object_is_ui_object_not_found(notes: Phone) -> None:
    for method, extra in [("objInfo", ()), ("getText", ()), ("setText", ("x",)), ("click", ())]:
        with pytest.raises(RpcError) as info:
            rpc(notes, method, sel(text="Nowhere"), *extra)
        err = info.value.to_json()
        assert err["code"] == -32001
        assert "uiautomator.UiObjectNotFoundException" in err["message"]
        assert "Nowhere" in err["data"]["message"]


def test_click_on_coordinates_opens_a_note(notes: Phone) -> None:
    info = rpc(notes, "objInfo", sel(resourceId=f"{NOTES}:id/note_title"))
    assert rpc(notes, "click", *center(info)) is True
    assert notes.current()[1].endswith("EditorActivity")


def test_click_by_selector_and_long_click(notes: Phone) -> None:
    assert rpc(notes, "longClick", sel(resourceId=f"{NOTES}:id/note_title")) is True
    assert rpc(notes, "exist", sel(text="Delete note?")) is True
    assert rpc(notes, "click", sel(text="Cancel")) is True
    assert rpc(notes, "exist", sel(text="Delete note?")) is False
    x, y = center(rpc(notes, "objInfo", sel(resourceId=f"{NOTES}:id/note_title")))
    assert rpc(notes, "click", x, y, 600) is True
    assert rpc(notes, "exist", sel(text="Delete note?")) is True


def test_touch_events_make_a_tap(notes: Phone) -> None:
    x, y = center(rpc(notes, "objInfo", sel(description="New note")))
    assert rpc(notes, "injectInputEvent", 0, x, y, 0) is True
    assert rpc(notes, "injectInputEvent", 1, x, y, 0) is True
    assert notes.current()[1].endswith("EditorActivity")


def test_set_text_and_clear_text_field(notes: Phone) -> None:
    search = sel(resourceId=f"{NOTES}:id/search")
    before = rpc(notes, "count", sel(resourceId=f"{NOTES}:id/note_title"))
    first = rpc(notes, "getText", sel(resourceId=f"{NOTES}:id/note_title"))
    assert rpc(notes, "setText", search, first) is True
    assert rpc(notes, "getText", search) == first
    assert rpc(notes, "count", sel(resourceId=f"{NOTES}:id/note_title")) < before
    rpc(notes, "clearTextField", search)
    assert rpc(notes, "getText", search) == "Search notes"  # the hint, as on a real phone
    assert rpc(notes, "count", sel(resourceId=f"{NOTES}:id/note_title")) == before


def test_clipboard_round_trip_and_paste(notes: Phone) -> None:
    text = 'Grüße 你好 🎉 "quoted" \\ back'
    assert rpc(notes, "setClipboard", None, text) is None
    assert rpc(notes, "getClipboard") == text
    rpc(notes, "click", sel(resourceId=f"{NOTES}:id/search"))
    assert rpc(notes, "exist", sel(resourceId=f"{NOTES}:id/search", focused=True))
    rpc(notes, "setClipboard", None, "Gym")
    rpc(notes, "pasteClipboard")
    assert rpc(notes, "getText", sel(resourceId=f"{NOTES}:id/search")) == "Gym"
    rpc(notes, "clearInputText")
    assert rpc(notes, "getText", sel(resourceId=f"{NOTES}:id/search")) == "Search notes"


def test_toast(phone: Phone) -> None:
    assert rpc(phone, "getLastToast") is None
    assert rpc(phone, "makeToast", "Hello 👋", 1000.0) is True
    assert rpc(phone, "getLastToast") == "Hello 👋"
    rpc(phone, "clearLastToast")
    assert rpc(phone, "getLastToast") is None


def test_keys(notes: Phone) -> None:
    assert rpc(notes, "pressKey", "home") is True
    assert notes.current()[0] != NOTES
    assert rpc(notes, "pressKey", "no_such_key") is False
    notes.start_app(NOTES)
    rpc(notes, "click", sel(description="New note"))
    assert rpc(notes, "pressKeyCode", 4) is True  # KEYCODE_BACK
    assert notes.current()[1].endswith("MainActivity")


def test_notification_shade_by_rpc_and_by_swipe(phone: Phone) -> None:
    shade = sel(resourceId="com.android.systemui:id/notification_panel")
    assert rpc(phone, "exist", shade) is False
    assert rpc(phone, "openNotification") is True
    assert rpc(phone, "exist", shade) is True
    rpc(phone, "pressKey", "back")
    assert rpc(phone, "exist", shade) is False
    assert rpc(phone, "swipe", 540, 10, 540, 1200, 20) is True
    assert rpc(phone, "exist", shade) is True


def test_scrolling_a_list(phone: Phone) -> None:
    phone.start_app(SETTINGS)
    listing = sel(scrollable=True, packageName=SETTINGS)
    first = rpc(phone, "getText", sel(resourceId="android:id/title"))
    assert rpc(phone, "scrollForward", listing, True, 55) is True
    assert rpc(phone, "getText", sel(resourceId="android:id/title")) != first
    assert rpc(phone, "scrollToBeginning", listing, True, 20, 55) is True
    assert rpc(phone, "getText", sel(resourceId="android:id/title")) == first
    assert rpc(phone, "scrollBackward", listing, True, 55) is False
    assert rpc(phone, "scrollTo", listing, sel(text="About phone"), True) is True
    assert rpc(phone, "exist", sel(text="About phone")) is True
    assert rpc(phone, "scrollTo", listing, sel(text="Not a setting"), True) is False
    with pytest.raises(RpcError):
        rpc(phone, "scrollForward", sel(scrollable=True, text="nothing"), True, 55)


def test_wait_for_exists_and_gone_time_out(notes: Phone) -> None:
    assert rpc(notes, "waitForExists", sel(text="Nowhere"), 60) is False
    assert rpc(notes, "waitUntilGone", sel(text="Nowhere"), 60) is True
    assert rpc(notes, "waitForExists", sel(description="New note"), 60) is True
    assert rpc(notes, "waitUntilGone", sel(description="New note"), 60) is False


def test_wait_for_exists_lets_the_event_loop_run(phone: Phone) -> None:
    async def scenario() -> bool:
        waiting = asyncio.create_task(
            handle_rpc_async(phone, "waitForExists", [sel(description="New note"), 10_000])
        )
        await asyncio.sleep(0.1)  # the wait is polling now
        assert not waiting.done()
        phone.start_app(NOTES)  # only possible while the wait yields to the loop
        return await waiting

    assert asyncio.run(scenario()) is True


def test_errors_for_unknown_methods_and_bad_params(phone: Phone) -> None:
    with pytest.raises(RpcError) as info:
        rpc(phone, "fly")
    assert info.value.code == -32601
    for method, params in [("click", [True, "b"]), ("exist", [42]), ("pressKey", [])]:
        with pytest.raises(RpcError) as info:
            handle_rpc(phone, method, params)
        assert info.value.code == -32602


class _Stream:
    def __init__(self, data: bytes) -> None:
        self.chunks = [data]
        self.out = bytearray()

    async def read(self) -> bytes:
        return self.chunks.pop(0) if self.chunks else b""

    async def write(self, data: bytes) -> None:
        self.out += data

    async def close(self) -> None:
        pass


def test_unicode_over_http_uses_byte_lengths(phone: Phone) -> None:
    text = "Grüße 你好"
    calls = [
        {"jsonrpc": "2.0", "id": 1, "method": "setClipboard", "params": [None, text]},
        {"jsonrpc": "2.0", "id": 2, "method": "getClipboard", "params": {}},
    ]
    raw = b""
    for payload in calls:
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        raw += b"POST /jsonrpc/0 HTTP/1.1\r\nContent-Length: %d\r\n\r\n" % len(body) + body
    stream = _Stream(raw)
    asyncio.run(serve_connection(phone, stream))
    second = bytes(stream.out).split(b"HTTP/1.1 200 OK")[2]
    head, body = second.split(b"\r\n\r\n", 1)
    assert f"Content-Length: {len(body)}".encode() in head
    assert json.loads(body) == {"jsonrpc": "2.0", "id": 2, "result": text}
    assert phone.clipboard == text
