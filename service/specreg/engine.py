"""The rule engine, behind one small interface: durable-rules' C core.

Everything specreg asks of a rule engine is :class:`CompiledRules`: compile a
set of named conditions once, then, per screening, tell it the facts and get
back which rules matched which facts. Swapping the engine means rewriting
this module only; the rule data does not change.

durable-rules 2.0.28 is unmaintained and has sharp edges
(shared/notes/durable-rules.md). This module avoids them as follows:

* It calls the C module ``durable_rules_engine`` directly and never imports
  ``durable.engine``: no Host, so no timer threads, no lazy global host, and
  no Python wrapper that skips fired actions when a fact matches no rule
  (result codes 1 "not handled" and 2 "observed" are normal here).
* Facts go in with ``assert_facts`` (facts, not events: an event is consumed
  by the first rule that fires), each with its index as ``id`` so identical
  facts do not collide, and each screening in a fresh ``sid`` (a process-wide
  counter with the pid: two live states never share one, whatever the thread).
* The engine is told only the fields some condition of the rule set names
  (a field no condition names cannot change a match), and a firing is read
  back as rule and fact ids: :class:`Match` holds the caller's own facts,
  whole. Less JSON both ways, and the C core parses and stores less.
* A sentinel rule of the lowest priority matches a sentinel fact that every
  screening carries, so at least one action always runs: ``delete_state`` on
  a state in which no action ran crashes the process.
* The state is deleted in ``finally``: at most 1024 states may live at once.
* Actions are not Python callables: fired rules are read off the engine's
  action queue in the calling thread and recorded, nothing more.
* The engine's copy of a rule set is freed when its :class:`CompiledRules`
  is no longer referenced (``weakref.finalize``): after a reload, once the
  last request that took the old rules has finished with them.
"""

from __future__ import annotations

import itertools
import json
import os
import threading
import weakref
from dataclasses import dataclass
from typing import Any

import durable_rules_engine as _core
import orjson

from specreg.compact_json import compact_json

_SENTINEL_RULE = "__specreg_sentinel__"
_SENTINEL_FACT = {"__specreg_sentinel__": True}
_LOWEST_PRIORITY = 1_000_000
_ACCEPTED_RESULTS = (0, 1, 2)  # handled, not handled by any rule, already observed
_SIDS = itertools.count()  # next() on it is atomic under the GIL: no two threads get one number
class EngineError(Exception):
    """The engine refused a rule set or failed while evaluating."""


@dataclass(frozen=True)
class Match:
    """One firing: a rule and the facts it matched, by the aliases of its condition.

    ``facts`` holds the very dicts given to :meth:`CompiledRules.evaluate`, not
    copies: read them, never change them.
    """

    rule: str
    facts: dict[str, dict[str, Any]]
    fact_ids: tuple[int, ...] = ()


class CompiledRules:
    """A rule set compiled into the engine; evaluate it once per screening."""

    def __init__(self, name: str, conditions: dict[str, dict[str, Any]]) -> None:
        """``conditions`` maps a rule name to its durable-rules body (``all``/``any``, ``pri``)."""
        definition = {rule: dict(body) for rule, body in conditions.items()}
        definition[_SENTINEL_RULE] = {"all": [{"m": _SENTINEL_FACT}], "pri": _LOWEST_PRIORITY}
        self.name = name
        self._read = frozenset(_strings(definition))
        self._lock = threading.Lock()
        self.live_states = 0  # engine states asserted and not yet deleted: 0 between screenings
        try:
            self._handle = _core.create_ruleset(name, json.dumps(definition, ensure_ascii=False))
        except Exception as error:  # the C core raises bare Exception with its error code
            raise EngineError(f"rule set {name!r} does not compile: {error}") from error
        _LIVE_RULE_SETS.add(self._handle)
        self._free = weakref.finalize(self, _delete_ruleset, self._handle)
        self._free.atexit = False  # at exit the process's memory goes anyway
        self.evaluate([])  # warm: the first evaluation pays for lazy set-up

    def evaluate(self, facts: list[dict[str, Any]]) -> list[Match]:
        """Every rule that matches, once per matching combination of facts, in a stable order."""
        sid = f"{os.getpid()}.{next(_SIDS)}"
        known = [*facts, _SENTINEL_FACT]
        read = self._read
        batch = []
        for index, fact in enumerate(known):
            shown = {key: fact[key] for key in fact if key in read}
            shown["id"] = index
            shown["sid"] = sid
            batch.append(shown)
        payload = compact_json(batch).decode("utf-8")  # orjson; the standard encoder for what it refuses
        with self._lock:
            result, state = _core.assert_facts(self._handle, payload)
            self.live_states += 1
            if result not in _ACCEPTED_RESULTS:
                raise EngineError(f"rule set {self.name!r} rejected the facts (code {result})")
            started = _core.start_action_for_state(self._handle, state)
            if not started:  # no action ran: deleting this state would crash the process
                raise EngineError(f"rule set {self.name!r}: the sentinel rule did not fire")
            try:
                return self._collect(started[1], state, known)
            finally:
                _core.delete_state(self._handle, sid)
                self.live_states -= 1

    def _collect(self, message: str | None, state: int, known: list[dict[str, Any]]) -> list[Match]:
        """Read every queued action of one state, completing each in turn."""
        matches: list[Match] = []
        while message:
            for rule, shown in orjson.loads(message).items():
                if rule != _SENTINEL_RULE:
                    facts = {alias: known[fact["id"]] for alias, fact in shown.items()}
                    matches.append(Match(rule, facts, tuple(fact["id"] for fact in shown.values())))
            message = _core.complete_and_start_action(self._handle, state)
        return sorted(matches, key=lambda match: (match.rule, match.fact_ids))

    def close(self) -> None:
        """Free the engine's copy of this rule set now (it is freed anyway once unreferenced)."""
        self._free()


_LIVE_RULE_SETS: set[int] = set()  # handles of the rule sets the engine holds


def live_rule_sets() -> int:
    """How many compiled rule sets the engine holds: after reloads, only those still in use."""
    return len(_LIVE_RULE_SETS)


def _delete_ruleset(handle: int) -> None:
    _LIVE_RULE_SETS.discard(handle)
    _core.delete_ruleset(handle)


def _strings(node: Any) -> set[str]:
    """Every string of a rule definition, keys and values, dotted ones also in parts.

    A superset of the fact fields its conditions can read (by name, or through
    another alias's field): the fields a fact may carry into the engine.
    """
    if isinstance(node, dict):
        return set().union(*map(_strings, node), *map(_strings, node.values()))
    if isinstance(node, list):
        return set().union(*map(_strings, node))
    return {node, *node.split(".")} if isinstance(node, str) else set()
