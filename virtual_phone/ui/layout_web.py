"""Line layout of web page blocks (drawn by the WebView, absent from the hierarchy)."""

from __future__ import annotations

from .views import WebBlock

# "hidden": drawn in the page's background colour; "tiny": too small to read
SIZES = {"h1": 60, "h2": 48, "p": 40, "link": 40, "small": 34, "hidden": 40, "tiny": 8}
GAPS = {"h1": 36, "h2": 28, "p": 26, "link": 26, "small": 20, "hidden": 26, "tiny": 4}


def layout_blocks(
    blocks: list[WebBlock], width: int, left: int
) -> tuple[list[tuple[str, str, str, int, int, int]], int]:
    """Lines as (text, kind, href, x, y, size) with y from the content top; total height."""
    from .layout import line_height, wrap_text

    runs: list[tuple[str, str, str, int, int, int]] = []
    y = 24
    for block in blocks:
        size = SIZES.get(block.kind, 40)
        bold = block.kind in ("h1", "h2")
        for line in wrap_text(block.text, width, size, bold):
            runs.append((line, block.kind, block.href, left, y, size))
            y += line_height(size)
        y += GAPS.get(block.kind, 24)
    return runs, y + 24
