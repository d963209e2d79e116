"""The `Phone` methods an in-process device calls: size, launcher apps, PNG screenshots."""

from __future__ import annotations

import io

from PIL import Image, ImageChops

from virtual_phone.phone import Phone
from virtual_phone.ui.hierarchy import iter_nodes
from virtual_phone.ui.systemui import STATUS_HEIGHT


def test_screen_size_is_portrait_pixels() -> None:
    phone = Phone()
    assert phone.screen_size() == (1080, 2400)
    assert phone.screenshot().size == phone.screen_size()


def test_launcher_apps_are_the_home_grid_and_each_starts() -> None:
    phone = Phone()
    apps = phone.launcher_apps()
    grid = [
        n.text
        for n in iter_nodes(phone.nodes())
        if n.package == "com.android.launcher3" and n.class_name == "android.widget.TextView"
    ]
    labels = [a.label for a in apps]
    assert sorted(labels) == sorted(label for label in grid if label in labels)  # grid + dock
    assert {"Clock", "Camera", "Browser", "Contacts", "Notes", "Settings"} <= set(labels)
    assert "com.android.launcher3" not in {a.package for a in apps}
    for app in apps:
        assert phone.start_app(app.package, app.main_activity)
        assert phone.current() == (app.package, app.main_activity)


def _same_below_status_bar(png: bytes, image: Image.Image) -> bool:
    """Pixel equality apart from the status bar, whose clock may tick in between."""
    box = (0, STATUS_HEIGHT, image.width, image.height)
    decoded = Image.open(io.BytesIO(png)).convert("RGB").crop(box)
    return ImageChops.difference(decoded, image.crop(box)).getbbox() is None


def test_png_screenshot_matches_the_image_and_follows_changes() -> None:
    phone = Phone()
    png = phone.screenshot_png()
    assert png.startswith(b"\x89PNG")
    assert _same_below_status_bar(png, phone.screenshot())
    phone.start_app("com.example.notes")
    changed = phone.screenshot_png()
    assert not _same_below_status_bar(png, phone.screenshot())
    assert _same_below_status_bar(changed, phone.screenshot())
