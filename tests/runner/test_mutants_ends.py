"""How a run ends on an exception (its final state and the reason the user reads), and
how a step that finished or failed is recorded."""

from __future__ import annotations

import logging

import pytest

from mobile_agent.actions import ActionCall, default_registry
from mobile_agent.errors import (
    Cancelled,
    ConfigError,
    DeviceDisconnected,
    ProviderError,
    StoreError,
)
from mobile_agent.events import FinalState
from mobile_agent.runner.ends import (
    FINISHED,
    INFEASIBLE,
    RunEnd,
    StepEnd,
    failed,
    finished,
    run_end_for,
)


@pytest.mark.parametrize(
    ("exc", "state", "reason"),
    [
        (Cancelled("model call: cancelled"), FinalState.CANCELLED, "stopped by the user"),
        (
            DeviceDisconnected("phone went offline"),
            FinalState.DEVICE_LOST,
            "the device was lost: phone went offline",
        ),
        (ProviderError("gpt: 502"), FinalState.FAILED, "model error: gpt: 502"),
        (StoreError("disk full"), FinalState.FAILED, "disk full"),
        (ConfigError("no model"), FinalState.FAILED, "no model"),
    ],
)
def test_known_errors_end_the_run_in_their_state(
    exc: Exception, state: FinalState, reason: str, caplog: pytest.LogCaptureFixture
) -> None:
    end = run_end_for(exc, "run-1")
    assert (end.state, end.reason, end.answer) == (state, reason, "")
    assert str(end) == reason
    assert caplog.records == []  # expected ends are no internal error


def test_an_unexpected_error_is_an_internal_error_logged_with_its_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    try:
        raise KeyError("screen")
    except KeyError as exc:
        with caplog.at_level(logging.ERROR, logger="mobile_agent.runner.ends"):
            end = run_end_for(exc, "run-7")
    assert (end.state, end.reason) == (FinalState.FAILED, "internal error: KeyError: 'screen'")
    [record] = caplog.records
    assert record.getMessage() == "run run-7 failed unexpectedly"
    assert "KeyError: 'screen'" in caplog.text  # with its traceback


REGISTRY = default_registry()


def _call(name: str, **args: object) -> ActionCall:
    return REGISTRY.parse_call(name, args)


def test_the_operator_finishing_with_an_answer() -> None:
    call = _call("finish", answer="42 notes")
    end = finished(call, "operator", "finish: 42 notes")
    assert end == StepEnd(
        FINISHED,
        "",
        "the operator finished the task",
        call,
        "finish: 42 notes",
        "42 notes",
        summary="finished",
    )
    assert end.ok and end.ends_task


def test_the_manager_finishing() -> None:
    call = _call("finish")
    end = finished(call, "manager")
    assert (end.outcome, end.phase, end.reason) == (
        FINISHED,
        "manager",
        "the manager judged the task complete",
    )
    assert (end.description, end.answer, end.summary, end.action) == ("", "", "finished", call)


def test_finishing_without_success_is_infeasible_with_its_reason() -> None:
    call = _call("finish", success=False, reason="no such contact", answer="none")
    end = finished(call, "operator", "gave up looking")
    assert end == StepEnd(
        INFEASIBLE,
        "",
        "the operator judged the task infeasible: no such contact",
        call,
        "gave up looking",
        "none",
        summary="gave up",
    )
    assert end.ends_task and not end.ok


def test_a_finishing_call_of_another_action_has_no_answer() -> None:
    call = _call("back")
    end = finished(call, "operator")
    assert (end.outcome, end.answer, end.summary) == (FINISHED, "", "finished")


def test_a_failed_step_keeps_what_it_tried() -> None:
    call = _call("back")
    assert failed("act", "refused", call, "back out") == StepEnd(
        "failed", "act", "refused", call, "back out"
    )
    assert failed("choose", "no reply").description == ""
    assert RunEnd(FinalState.SUCCEEDED).reason == ""
