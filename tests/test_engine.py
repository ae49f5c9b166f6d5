"""The durable-rules engine behind CompiledRules: its sharp edges, measured."""

from __future__ import annotations

import json
import resource
import threading

import pytest

from payloads import valid_application
from specreg.compact_json import compact_json
from specreg.engine import CompiledRules

EXPIRED = {"all": [{"d": {"$and": [{"t": "doc"}, {"$lt": {"days_left": 0}}]}}], "pri": 1}


def test_a_clean_evaluation_with_no_rule_firing_does_not_crash():
    rules = CompiledRules("clean-probe", {"expired": EXPIRED})
    assert rules.evaluate([{"t": "doc", "days_left": 3}]) == []
    assert rules.evaluate([]) == []


def test_identical_facts_each_fire_and_unmatched_facts_do_not_hide_firings():
    rules = CompiledRules("identical-probe", {"expired": EXPIRED})
    facts = [{"t": "doc", "days_left": -1}, {"t": "doc", "days_left": -1}, {"t": "unrelated"}]
    matches = rules.evaluate(facts)
    assert [m.rule for m in matches] == ["expired", "expired"]
    assert [m.fact_ids for m in matches] == [(0,), (1,)]


def test_two_rules_see_the_same_fact():
    late = {"all": [{"d": {"$and": [{"t": "doc"}, {"$lt": {"days_left": -10}}]}}], "pri": 1}
    rules = CompiledRules("two-rules-probe", {"expired": EXPIRED, "late": late})
    matches = rules.evaluate([{"t": "doc", "days_left": -30}])
    assert sorted(m.rule for m in matches) == ["expired", "late"]


def test_states_are_deleted_past_the_1024_state_limit():
    rules = CompiledRules("state-limit-probe", {"expired": EXPIRED})
    for _ in range(3000):
        assert len(rules.evaluate([{"t": "doc", "days_left": -1}])) == 1


def test_no_timer_threads_are_started():
    before = threading.active_count()
    rules = CompiledRules("thread-probe", {"expired": EXPIRED})
    rules.evaluate([{"t": "doc", "days_left": -1}])
    assert threading.active_count() == before


@pytest.mark.slow
def test_many_screenings_keep_memory_flat(client):
    payload = valid_application()
    payload["specialist"]["profession"] = "водитель"

    def screen(times: int) -> None:
        for _ in range(times):
            answer = client.post("/api/v1/screenings?as_of=2026-03-20", json=payload)
            assert answer.status_code == 200

    screen(500)
    warm = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    screen(3000)
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert grown <= warm * 1.10


def test_facts_reach_the_engine_as_the_standard_encoder_writes_them():
    """orjson encodes the facts; an integer beyond its 64 bits goes to the standard encoder."""
    facts = [{"t": "employment", "months": 840, "place": "Қарағанды", "ok": True, "at": None}]
    assert compact_json(facts).decode() == json.dumps(facts, ensure_ascii=False, separators=(",", ":"))
    assert compact_json([{"n": 2**70}]).decode() == '[{"n":1180591620717411303424}]'
