"""The task model: the registry, suites, checks, judging and the shared text matching."""

from __future__ import annotations

import pytest

from mobile_agent.bench.harness.execute import judge
from mobile_agent.bench.tasks import SUITES, all_tasks, families, select
from mobile_agent.bench.tasks.checks import mentions, norm, note_says, numbers, same_phone
from mobile_agent.bench.tasks.model import SCENARIOS, Check, End, Spec, World, tap, task
from virtual_phone.phone import Phone


def test_every_task_is_well_formed_and_draws_on_two_seeds() -> None:
    tasks = all_tasks()
    assert len({t.name for t in tasks}) == len(tasks)
    for t in tasks:
        assert t.scenario in SCENARIOS
        assert t.summary, f"{t.name} has no docstring"
        for seed in (0, 5):
            phone = Phone(seed=seed)
            spec = t.draw(phone, seed)
            assert spec.goal.strip() and spec.checks and spec.solution
            for name, args in spec.solution:
                assert isinstance(name, str) and isinstance(args, dict)


def test_the_same_seed_draws_the_same_task_and_another_seed_may_not() -> None:
    goals = {}
    for seed in (0, 0, 1, 2, 3):
        goals.setdefault(seed, set()).add(
            tuple(t.draw(Phone(seed=seed), seed).goal for t in all_tasks())
        )
    assert all(len(g) == 1 for g in goals.values())  # deterministic per seed
    assert len({next(iter(g)) for g in goals.values()}) > 1  # seeds differ


def test_suites_pick_by_scenario_app_count_and_family() -> None:
    every = select("all")
    for scenario in SCENARIOS:
        picked = select(scenario) if any(t.scenario == scenario for t in every) else []
        assert all(t.scenario == scenario for t in picked)
    assert all(t.multi_app for t in select("multi"))
    assert not any(t.multi_app for t in select("single"))
    assert all(t.family for t in select("families"))
    smoke = select("smoke")
    assert len({t.scenario for t in smoke}) == len(smoke)
    assert set(SUITES) >= {"all", "smoke", "multi", "single", "families"}


def test_patterns_select_by_glob_and_bad_selections_say_so() -> None:
    names = [t.name for t in select("all", "notes.*,contacts.add")]
    assert names and all(n.startswith("notes.") or n == "contacts.add" for n in names)
    assert "contacts.add_with_email" not in names
    with pytest.raises(ValueError, match="unknown suite"):
        select("everything")
    with pytest.raises(ValueError, match="no task"):
        select("all", "nothing.matches")


def test_families_keep_registration_order_and_group_members() -> None:
    groups = families(select("all"))
    named = [g for g in groups if g[0].family]
    assert named, "the suite has task families"
    for group in named:
        assert len({t.family for t in group}) == 1
    everyone = [t.name for g in groups for t in g]
    assert sorted(everyone) == sorted(t.name for t in select("all"))
    notes_family = next(g for g in groups if g[0].family == "notes")
    order = [t.name for t in select("all") if t.family == "notes"]
    assert [t.name for t in notes_family] == order


def _spec(*checks: Check) -> Spec:
    return Spec(goal="g", checks=checks, solution=(tap("x"),))


def test_judge_weights_satisfaction_and_fails_a_check_that_raises() -> None:
    def boom(end: End) -> bool:
        raise KeyError("missing")

    spec = _spec(
        Check("yes", lambda end: True, 3.0),
        Check("no", lambda end: False, 1.0),
        Check("raises", boom, 1.0),
    )
    verdict = judge(spec, {"apps": {}})
    assert not verdict.success
    assert verdict.satisfaction == pytest.approx(3 / 5)
    assert [c.passed for c in verdict.checks] == [True, False, False]
    assert judge(_spec(Check("yes", lambda end: True)), {}).success


def test_a_spec_needs_a_goal_checks_and_a_solution() -> None:
    with pytest.raises(ValueError, match="goal"):
        Spec(goal=" ", checks=(Check("c", lambda e: True),), solution=(tap("x"),))
    with pytest.raises(ValueError, match="check"):
        Spec(goal="g", checks=(), solution=(tap("x"),))
    with pytest.raises(ValueError, match="solution"):
        Spec(goal="g", checks=(Check("c", lambda e: True),), solution=())
    assert _spec(Check("c", lambda e: True)).step_limit == 15
    long = Spec(goal="g", checks=(Check("c", lambda e: True),), solution=(tap("x"),) * 9)
    assert long.step_limit == 27


def test_task_registration_refuses_bad_names_scenarios_and_duplicates() -> None:
    with pytest.raises(ValueError, match=r"area\.what"):
        task("Bad Name", "research", apps=("a",))
    with pytest.raises(ValueError, match="scenario"):
        task("x.y", "gaming", apps=("a",))
    with pytest.raises(ValueError, match="apps"):
        task("x.y", "research", apps=())
    name = all_tasks()[0].name
    with pytest.raises(ValueError, match="twice"):
        task(name, "research", apps=("a",))(lambda world: _spec(Check("c", lambda e: True)))


def test_world_changes_reach_the_phone_and_end_reads_them() -> None:
    phone = Phone(seed=3)
    world = World(phone, __import__("random").Random(1), 3)
    world.change("com.example.notes", lambda data: data["notes"].clear())
    world.set_setting("global", "mobile_data", "0")
    assert phone.app_state("com.example.notes")["notes"] == []
    end = End(phone.state())
    assert end.setting("global", "mobile_data") == "0"
    assert end.setting("global", "no_such_key") is None
    assert end.app("no.such.app") == {}
    assert world.data("com.example.contacts")["contacts"]  # untouched apps keep their data


@pytest.mark.parametrize(
    ("text", "value", "expected"),
    [
        ("Total: $1,299.00", 1299, True),
        ("1299.5", 1299, False),
        ("price 24.99 dollars", 24.99, True),
        ("price 24.9", 24.99, False),
        ("Meet at “Café Roma”", "cafe roma", True),
        ("Meet at Café Romano", "cafe roma", False),
        ("Zoe's number", "zoe", True),
        ("", "", False),
    ],
)
def test_mentions_matches_numbers_as_numbers_and_words_as_whole_words(
    text: str, value: str | float, expected: bool
) -> None:
    assert mentions(text, value) is expected


def test_text_helpers() -> None:
    assert norm("  Crème  BRÛLÉE ") == "creme brulee"
    assert numbers("3 items, 1,250.50 total, 7") == [3.0, 1250.5, 7.0]
    assert same_phone("+1 555-0142", "(555) 0142") is False  # not the same digits
    assert same_phone("+44 7700 900123", "07700 900123")  # a trunk 0 for the country code
    assert not same_phone("+44 7700 900123", "+44 7700 900124")
    assert same_phone("+44 7700 900123", "+44 7700900123")
    assert not same_phone("", "")
    end = End({"apps": {"com.example.notes": {"notes": [{"id": 1, "title": "A", "body": "b 2"}]}}})
    assert note_says(end, " a ", "b", 2)
    assert not note_says(end, "A", 3)
