"""`mobile-agent bench memory`: retrieval latency with a large library, and the store's cost
per recorded step.

Fills a fresh store (a file in a temporary directory, WAL mode, as in use) with `--items`
approved tips and as many shortcuts through the store's own API, then times each retriever
on the same task-like queries (median, p99): `FtsRetriever`; `ModelRetriever` with a
scripted reply (so its row is the cost of the wider search, the prompt and the parsing, not
a model's latency); and, with `--embedding-model PATH`, `EmbeddingRetriever` (its row also
gives the time to embed the whole library once, which is then cached). It then records `--steps`
steps of realistic size through `RunRecorder` (a screenshot and a hierarchy dump before and
after the action, 40 elements, three model calls with long prompts) and reports the time
each step costs the runner's thread and the bytes it adds to the database and to disk.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from mobile_agent.bench.common import progress

log = logging.getLogger(__name__)

APPS = [
    "Notes",
    "Contacts",
    "Settings",
    "Browser",
    "Calendar",
    "Mail",
    "Maps",
    "Clock",
    "Files",
    "Camera",
    "Photos",
    "Music",
    "Messages",
    "Phone",
    "Weather",
    "Shop",
]
VERBS = [
    "create",
    "open",
    "search",
    "delete",
    "share",
    "rename",
    "call",
    "send",
    "find",
    "edit",
    "archive",
    "pin",
    "sort",
    "filter",
    "export",
    "copy",
]
THINGS = [
    "note",
    "contact",
    "alarm",
    "event",
    "message",
    "photo",
    "wifi",
    "bluetooth",
    "file",
    "bookmark",
    "playlist",
    "route",
    "reminder",
    "timer",
    "order",
    "album",
]
ADVICE = [
    "use the search field first",
    "the menu hides behind the three dots",
    "save before going back",
    "scroll down to find the switch",
    "long-press an item to select it",
    "the keyboard covers the Save button",
    "confirm the dialog that follows",
    "open the app from the launcher",
]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of the benchmark."""
    parser.add_argument("--items", type=int, default=10_000, help="tips, and as many shortcuts")
    parser.add_argument("--queries", type=int, default=300, help="retrievals timed")
    parser.add_argument("--steps", type=int, default=200, help="recorded steps timed")
    parser.add_argument("--seed", type=int, default=0, help="seed of the generated library")
    parser.add_argument(
        "--embedding-model",
        metavar="PATH",
        help="a local sentence-transformers model: also time retrieval by embeddings",
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON")


def run(args: argparse.Namespace) -> int:
    """Run the benchmark and print its table."""
    with tempfile.TemporaryDirectory(prefix="mobile-agent-bench-memory-") as tmp:
        results = measure(
            Path(tmp),
            args.items,
            args.queries,
            args.steps,
            args.seed,
            embedding_model=args.embedding_model,
        )
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print(_table(results))
    return 0


def measure(
    workdir: Path,
    items: int,
    queries: int,
    steps: int,
    seed: int = 0,
    *,
    embedding_model: str | None = None,
) -> dict[str, Any]:
    """Every figure of the benchmark, as a dict (`retrievers`: one entry per retriever)."""
    from mobile_agent.memory import Store

    rng = random.Random(seed)
    db = workdir / "memory.db"
    rounds = 3 if embedding_model else 2
    with progress(items * 2 + rounds * queries + steps, "filling the library") as advance:
        started = time.perf_counter()
        with Store.open(db) as store:
            _fill(store, items, rng, advance)
        fill_s = time.perf_counter() - started
        started = time.perf_counter()
        store = Store.open(db)
        open_ms = (time.perf_counter() - started) * 1000
        try:
            retrievers = _retrievers(store, queries, seed, embedding_model, advance)
            step_ms, db_bytes, file_bytes = _steps(store, workdir, steps, advance)
        finally:
            store.close()
    fts = retrievers["fts"]
    return {
        "tips": items,
        "shortcuts": items,
        "fill_s": round(fill_s, 2),
        "open_ms": round(open_ms, 2),
        "queries": queries,
        "retrieve_median_ms": fts["median_ms"],
        "retrieve_p99_ms": fts["p99_ms"],
        "items_found_mean": fts["items_found_mean"],
        "retrievers": retrievers,
        "steps": steps,
        "step_median_ms": round(statistics.median(step_ms), 3),
        "step_p99_ms": round(_p99(step_ms), 3),
        "db_bytes_per_step": db_bytes // max(1, steps),
        "file_bytes_per_step": file_bytes // max(1, steps),
    }


def _fill(store: Any, items: int, rng: random.Random, advance: Any) -> None:
    """`items` approved tips and shortcuts, through the store's API, in batches."""
    from mobile_agent.memory import ShortcutSpec, Status

    batch = 500
    for start in range(0, items, batch):
        with store.write():
            for n in range(start, min(items, start + batch)):
                app, verb, thing = rng.choice(APPS), rng.choice(VERBS), rng.choice(THINGS)
                text = f"To {verb} a {thing} in {app}, {rng.choice(ADVICE)} (lesson {n})"
                store.tips.add(text, app=f"com.example.{app.lower()}", status=Status.APPROVED)
                spec = ShortcutSpec.model_validate(
                    {
                        "name": f"{verb}_{thing}_{n}",
                        "description": f"{verb.capitalize()} a {thing} in {app}",
                        "params": [{"name": "what"}],
                        "steps": [
                            {"action": "open_app", "args": {"app": app}},
                            {"action": "tap", "args": {"label": f"{verb} {thing} {n}"}},
                            {"action": "type", "args": {"text": "{what}"}},
                        ],
                    }
                )
                store.shortcuts.add(spec, status=Status.APPROVED)
        advance("filling the library", 2 * (min(items, start + batch) - start))


def _retrievers(
    store: Any, queries: int, seed: int, embedding_model: str | None, advance: Any
) -> dict[str, dict[str, Any]]:
    """Each retriever timed on the same tasks (the same seed for each)."""
    from mobile_agent.llm.scripted import ScriptedChatModel
    from mobile_agent.memory import EmbeddingRetriever, FtsRetriever, ModelRetriever

    reply = '{"thought": "these fit", "tips": ["T2", "T1"], "shortcuts": ["S1"]}'
    scripted = ScriptedChatModel([{"match": "retrieval", "reply": reply, "repeat": True}])
    chosen: dict[str, Any] = {
        "fts": lambda: FtsRetriever(store),
        "model": lambda: ModelRetriever(store, scripted),
    }
    if embedding_model:
        chosen["embeddings"] = lambda: EmbeddingRetriever(store, embedding_model)
    results = {}
    for name, make in chosen.items():
        retriever = make()
        prepare_s = 0.0
        if name == "embeddings":
            started = time.perf_counter()
            retriever.refresh()  # embeds the whole library once; later runs read the cache
            prepare_s = time.perf_counter() - started
        rng = random.Random(seed + 1)
        latencies, found = _retrievals(retriever, queries, rng, advance)
        results[name] = {
            "median_ms": round(statistics.median(latencies), 3),
            "p99_ms": round(_p99(latencies), 3),
            "items_found_mean": round(statistics.fmean(found), 2),
            "prepare_s": round(prepare_s, 2),
        }
    return results


def _retrievals(
    retriever: Any, queries: int, rng: random.Random, advance: Any
) -> tuple[list[float], list[int]]:
    latencies, found = [], []
    for _ in range(queries):
        task = (
            f"{rng.choice(VERBS).capitalize()} the {rng.choice(THINGS)} called "
            f"{rng.choice(['Groceries', 'Alice', 'Home', 'Work'])} in {rng.choice(APPS)}"
        )
        started = time.perf_counter()
        got = retriever.retrieve(task)
        latencies.append((time.perf_counter() - started) * 1000)
        found.append(len(got.tips) + len(got.shortcuts))
        advance("retrieving", 1)
    return latencies, found


def _steps(store: Any, workdir: Path, steps: int, advance: Any) -> tuple[list[float], int, int]:
    """Per-step recorder time (ms) and the bytes added to the database and to disk."""
    from mobile_agent.events import RunStarted
    from mobile_agent.memory import RunRecorder

    data_dir = workdir / "data"
    recorder = RunRecorder(store, data_dir)
    recorder(RunStarted(run_id="bench", task="bench", device="none"))
    db_before = _db_size(store)
    payload = _payload()
    timings = []
    for n in range(1, steps + 1):
        events = _step_events(n, payload)
        started = time.perf_counter()
        for event in events:
            recorder(event)
        timings.append((time.perf_counter() - started) * 1000)
        advance("recording steps", 1)
    if recorder.errors:
        log.error("%d events could not be stored", recorder.errors)
    files = sum(p.stat().st_size for p in (data_dir / "runs" / "bench").iterdir())
    return timings, _db_size(store) - db_before, files


def _db_size(store: Any) -> int:
    store.query("PRAGMA wal_checkpoint(TRUNCATE)")
    path: Path = store.path
    return path.stat().st_size


def _payload() -> dict[str, Any]:
    """What one step carries: the virtual phone's screenshot and hierarchy (Notes open),
    40 elements and three long prompts."""
    from mobile_agent.perception.elements import BoundingBox, UIElement
    from virtual_phone.phone import Phone

    phone = Phone(seed=0)
    phone.start_app("com.example.notes")
    elements = tuple(
        UIElement(n, BoundingBox(0, n * 50, 1080, n * 50 + 45), text=f"Row {n}", clickable=True)
        for n in range(1, 41)
    )
    return {
        "png": phone.screenshot_png(),
        "elements": elements,
        "xml": phone.hierarchy_xml(),
        "prompt": "x" * 6000,
    }


def _step_events(n: int, p: dict[str, Any]) -> list[Any]:
    from mobile_agent.events import (
        ActionChosen,
        ActionExecuted,
        ModelCalled,
        Reflected,
        ScreenPerceived,
        StepFinished,
        StepStarted,
    )
    from mobile_agent.llm.base import Usage

    action = {"name": "tap", "args": {"label": "Row 3"}}
    screen = {
        "package": "com.example.notes",
        "png": p["png"],
        "elements": p["elements"],
        "hierarchy_xml": p["xml"],
    }
    calls = [
        ModelCalled(
            run_id="bench",
            step=n,
            agent=agent,
            model="m",
            usage=Usage(3000, 200),
            latency_s=1.0,
            prompt=p["prompt"],
            reply='{"thought": "…"}',
        )
        for agent in ("manager", "operator", "reflector")
    ]
    return [
        StepStarted(run_id="bench", step=n),
        ScreenPerceived(run_id="bench", step=n, phase="before", **screen),
        *calls[:2],
        ActionChosen(run_id="bench", step=n, action=action, description="tap row 3"),
        ActionExecuted(run_id="bench", step=n, action=action, ok=True, summary="tapped"),
        ScreenPerceived(run_id="bench", step=n, phase="after", **screen),
        calls[2],
        Reflected(run_id="bench", step=n, outcome="success"),
        StepFinished(run_id="bench", step=n, action=action, outcome="success", ok=True),
    ]


def _p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


def _table(r: dict[str, Any]) -> str:
    rows = [
        (
            "library",
            f"{r['tips']:,} tips + {r['shortcuts']:,} shortcuts (filled in {r['fill_s']} s)",
        ),
        ("open the store", f"{r['open_ms']:.1f} ms (header, size and schema checks included)"),
        *_retriever_rows(r),
        ("record a step (median)", f"{r['step_median_ms']:.2f} ms over {r['steps']} steps"),
        ("record a step (p99)", f"{r['step_p99_ms']:.2f} ms"),
        ("database per step", f"{r['db_bytes_per_step'] / 1024:.1f} KiB"),
        ("files per step", f"{r['file_bytes_per_step'] / 1024:.1f} KiB (2 screenshots, 2 dumps)"),
    ]
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"{name.ljust(width)}  {value}" for name, value in rows)


_LABELS = {
    "fts": "retrieve: full text",
    "model": "retrieve: model's choice",
    "embeddings": "retrieve: embeddings",
}
_NOTES = {
    "model": "; scripted reply, model latency not included",
    "embeddings": "; library embedded once in {prepare_s} s",
}


def _retriever_rows(r: dict[str, Any]) -> list[tuple[str, str]]:
    """One row per retriever: median and p99 latency, and items returned per task."""
    rows = []
    for name, figures in r["retrievers"].items():
        note = _NOTES.get(name, "").format(**figures)
        rows.append(
            (
                _LABELS.get(name, name),
                f"{figures['median_ms']:.2f} ms median, {figures['p99_ms']:.2f} ms p99 over "
                f"{r['queries']} tasks, {figures['items_found_mean']:.1f} items per task{note}",
            )
        )
    return rows


def main() -> int:
    """Run as `python -m mobile_agent.bench.memory`."""
    parser = argparse.ArgumentParser(prog="python -m mobile_agent.bench.memory")
    add_arguments(parser)
    return run(parser.parse_args())


if __name__ == "__main__":
    raise SystemExit(main())
