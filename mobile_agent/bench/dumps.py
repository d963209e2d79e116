"""Reading huge hierarchy dumps: time and peak memory of the streaming reader against a
whole-tree parse.

Generates dumps of a few sizes in memory (list rows like a feed's), then measures
`load_hierarchy` (expat, fed in chunks, stopping at `MAX_NODES`), `analyse_hierarchy` on
top of it, and `xml.etree.ElementTree.fromstring` of the whole document (the whole-tree
parse dumps were read with before; the tree alone, without turning it into nodes). Peak
memory is tracemalloc's peak of each call alone (the dump's text itself is allocated before
and not counted)::

    mobile-agent bench dumps --sizes 1,10,50
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

from mobile_agent.perception.hierarchy import analyse_hierarchy
from mobile_agent.perception.xmltree import MAX_NODES, load_hierarchy

_ROW = (
    '<node index="0" text="Item {i}" resource-id="com.example:id/title" '
    'class="android.widget.TextView" package="com.example" content-desc="" checkable="false" '
    'checked="false" clickable="true" enabled="true" focusable="true" focused="false" '
    'scrollable="false" long-clickable="false" password="false" selected="false" '
    'bounds="[0,{y}][1080,{y2}]" />'
)
_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?><hierarchy rotation="0">'
    '<node class="android.widget.FrameLayout" package="com.example" bounds="[0,0][1080,2400]">'
)


def make_dump(megabytes: float) -> str:
    """A dump of about `megabytes` MB: one window of list rows."""
    rows: list[str] = [_HEAD]
    size, i = len(_HEAD), 0
    while size < megabytes * 1_000_000:
        row = _ROW.format(i=i, y=i % 2300, y2=i % 2300 + 60)
        rows.append(row)
        size, i = size + len(row), i + 1
    rows.append("</node></hierarchy>")
    return "".join(rows)


def measure(call: Callable[[str], Any], xml: str) -> tuple[float, float]:
    """(seconds, peak MB) of `call(xml)`."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        call(xml)
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()
    return seconds, peak


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of this benchmark (also usable as a `mobile-agent bench` suite)."""
    parser.add_argument(
        "--sizes", default="1,10,50", help="dump sizes in MB, comma-separated (default 1,10,50)"
    )


def run(args: argparse.Namespace) -> int:
    """Generate each dump, measure the three readers, print the table."""
    sizes = [float(s) for s in str(args.sizes).split(",") if s.strip()]
    print(f"node limit of the streaming reader: {MAX_NODES:,}")
    header = (
        f"{'dump MB':>7}  {'stream s':>8}  {'stream MB':>9}  {'analyse s':>9}  "
        f"{'analyse MB':>10}  {'etree s':>7}  {'etree MB':>8}  {'time x':>6}  {'memory x':>8}"
    )
    print(header)
    for megabytes in sizes:
        xml = make_dump(megabytes)
        stream_s, stream_mb = measure(load_hierarchy, xml)
        analyse_s, analyse_mb = measure(analyse_hierarchy, xml)
        tree_s, tree_mb = measure(ET.fromstring, xml)
        print(
            f"{len(xml) / 1e6:7.1f}  {stream_s:8.2f}  {stream_mb:9.1f}  {analyse_s:9.2f}  "
            f"{analyse_mb:10.1f}  {tree_s:7.2f}  {tree_mb:8.1f}  {tree_s / stream_s:6.1f}  "
            f"{tree_mb / max(stream_mb, 0.001):8.1f}"
        )
    print("time x, memory x: whole-tree parse / streaming reader")
    return 0
