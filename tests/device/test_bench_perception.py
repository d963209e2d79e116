"""`mobile-agent bench perception` runs end to end on its own private virtual phone."""

from __future__ import annotations

import json
import os

import pytest

from mobile_agent.cli import main

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.timeout(300)]


def test_bench_prints_one_json_report(capsys: pytest.CaptureFixture[str]) -> None:
    port_before = os.environ["ANDROID_ADB_SERVER_PORT"]
    assert main(["bench", "perception", "--json", "--no-ocr", "--screens", "4"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert os.environ["ANDROID_ADB_SERVER_PORT"] == port_before  # its private adb server is gone
    assert report["screens"] == 4
    assert len(set(report["screen_names"])) == 4
    for key in (
        "capture_ms_median",
        "parse_ms_median",
        "settle_ms_median",
        "naive_capture_ms_median",
        "rpc_ms_median_nodelay",
        "rpc_ms_median_nagle",
    ):
        assert report[key] > 0, key
    assert report["naive_settle_ms"] == 3000
    assert report["ocr_recall"] is None  # OCR was skipped
    assert report["step_ratio"] > 0
