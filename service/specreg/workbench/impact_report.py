"""An impact replay as text for people and as one JSON document for machines.

Both read the changed cases back from the replay's spool one at a time, so
writing the report of a 100k-application replay needs no more memory than
the replay did.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, TextIO

import click

from specreg.workbench.replay import Impact


def impact_lines(impact: Impact, base: str, candidate: str) -> Iterator[str]:
    """The summary, then every changed case with its before and after."""
    yield click.style(f"impact of {candidate} against {base}: {impact.total} cases screened, "
                      f"{impact.changed} changed", bold=True)
    yield "outcome transitions:" if impact.transitions else "outcome transitions: none"
    for before, after, count in impact.transitions:
        yield click.style(f"  {before} -> {after}: {count}", fg=_colour(before, after))
    yield "unchanged outcome: " + (", ".join(f"{o} {n}" for o, n in impact.unchanged.items()) or "none")
    yield f"same outcome, reasons changed: {impact.reasons_changed_only}"
    for kind in ("warnings", "decision_due"):
        if impact.kinds[kind]:
            yield f"{kind.replace('_', ' ')} changed: {impact.kinds[kind]}"
    if impact.changed:
        yield click.style("changed cases:", bold=True)
    for change in impact.changes():
        yield from _case_lines(change)


def write_impact_json(impact: Impact, out: TextIO, base: str, candidate: str) -> None:
    """``{"summary": {...}, "changes": [...]}``, the changes streamed one by one."""
    out.write('{"summary": ')
    json.dump(impact_summary(impact, base, candidate), out, ensure_ascii=False)
    out.write(', "changes": [')
    for index, change in enumerate(impact.changes()):
        out.write(",\n" if index else "\n")
        json.dump(change, out, ensure_ascii=False)
    out.write("\n]}\n")


def impact_summary(impact: Impact, base: str, candidate: str) -> dict[str, Any]:
    return {
        "base": base, "candidate": candidate, "cases": impact.total, "changed": impact.changed,
        "transitions": [{"from": a, "to": b, "count": n} for a, b, n in impact.transitions],
        "unchanged": impact.unchanged,
        "reasons_changed_same_outcome": impact.reasons_changed_only,
        "changes_by_kind": dict(impact.kinds),
    }


def _case_lines(change: dict[str, Any]) -> Iterator[str]:
    before, after = change["before"], change["after"]
    label = change["case"] + (f" ({change['application_id']})" if change["application_id"] else "")
    arrow = f"{before['outcome']} -> {after['outcome']}"
    yield f"  {label}: {click.style(arrow, fg=_colour(before['outcome'], after['outcome']))}" \
          f"  [{', '.join(change['changes'])}]"
    yield f"    before: {_brief(before)}"
    yield f"    after:  {_brief(after)}"
    old, new = before.get("reasons", []), after.get("reasons", [])
    for reason in old:
        if reason not in new:
            yield click.style(f"    - {_reason(reason)}", fg="red")
    for reason in new:
        if reason not in old:
            yield click.style(f"    + {_reason(reason)}", fg="green")
    if before.get("decision_due") != after.get("decision_due"):
        yield f"    decision due: {before.get('decision_due')} -> {after.get('decision_due')}"


def _brief(side: dict[str, Any]) -> str:
    codes = ", ".join(side.get("codes", [])) or "no ground"
    version = f" (rule set {side['ruleset']})" if "ruleset" in side else ""
    return f"{side['outcome']}: {codes}{version}"


def _reason(reason: dict[str, Any]) -> str:
    return f"{reason['code']} [{', '.join(reason['rule_ids'])}] {', '.join(reason['pointers'])}: " \
           f"{reason['message']}"


def _colour(before: str, after: str) -> str | None:
    severity = {"register": 0, "return": 1, "refuse": 2}
    if before not in severity or after not in severity or before == after:
        return None
    return "red" if severity[after] > severity[before] else "green"
