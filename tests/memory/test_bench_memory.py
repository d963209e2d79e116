"""The memory benchmark runs end to end on a small library and reports every figure."""

from __future__ import annotations

from pathlib import Path

from mobile_agent.bench.memory import measure


def test_the_benchmark_measures_retrieval_and_step_cost(tmp_path: Path) -> None:
    results = measure(tmp_path, items=60, queries=12, steps=4)
    assert (results["tips"], results["shortcuts"], results["queries"], results["steps"]) == (
        60,
        60,
        12,
        4,
    )
    assert results["items_found_mean"] > 0  # the generated tasks do match the library
    assert results["retrieve_median_ms"] <= results["retrieve_p99_ms"]
    assert results["step_median_ms"] <= results["step_p99_ms"]
    assert results["db_bytes_per_step"] > 1000  # prompts and elements are stored
    assert results["file_bytes_per_step"] > 10_000  # two screenshots and two dumps
