"""A run on the virtual phone through the real adb / uiautomator2 stack, recorded by
`RunRecorder` and read back through the `runs` command; guards checked on real screens."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from scripted_agents import ElementScript, manager, operator, reflector, with_notes

from mobile_agent.cli import main
from mobile_agent.config import load_settings
from mobile_agent.events import FinalState
from mobile_agent.memory import FtsRetriever, Guard, RunRecorder, Status, Store, check_guard
from mobile_agent.perception.observation import observe_screen
from mobile_agent.runner import Runner

from .conftest import note_spec

pytestmark = pytest.mark.e2e

TASK = "Create a note titled Groceries"


def test_a_recorded_run_on_the_virtual_phone(
    connected_phone: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from mobile_agent.device import connect

    db = tmp_path / "memory.db"
    with Store.open(db) as store:
        store.shortcuts.add(note_spec(), status=Status.APPROVED)
        found = FtsRetriever(store).retrieve(TASK)
        script = [
            manager("Create the note"),
            operator("new_note", {"title": "Groceries"}),
            reflector(),
            operator("finish"),
        ]
        device = connect(connected_phone.serial)
        try:
            runner = Runner(
                device,
                ElementScript(with_notes(script)),
                settings=load_settings({"ocr_policy": "never"}),
                shortcuts=found.runner_shortcuts(),
                listeners=[RunRecorder(store, tmp_path / "data", retrieved=found)],
            )
            result = runner.run(TASK)
            screen = observe_screen(device.screen())
        finally:
            device.close()
        assert result.state is FinalState.SUCCEEDED, result.reason
        assert store.shortcuts.get("new_note").successes == 1

    notes = connected_phone.phone.app_state("com.example.notes")["notes"]
    assert "Groceries" in [n["title"] for n in notes]
    assert check_guard(Guard(app="com.example.notes"), screen) is None
    assert check_guard(Guard.model_validate({"element": {"label": "Groceries"}}), screen) is None
    assert check_guard(Guard(app="com.android.settings"), screen) is not None

    assert main(["runs", "show", runner.run_id, "--json", "--db", str(db)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [s["outcome"] for s in data["steps"]] == ["success", "finished"]
    shot = Path(data["run"]["dir"]) / data["screens"][0]["screenshot"]
    assert Image.open(io.BytesIO(shot.read_bytes())).size == (1080, 2400)

    report = tmp_path / "run.html"
    assert (
        main(["runs", "export", runner.run_id, "--html", "-o", str(report), "--db", str(db)]) == 0
    )
    page = report.read_text(encoding="utf-8")
    assert TASK in page and "new_note" in page
    assert page.count("data:image/jpeg;base64,") >= len(data["screens"])
