"""An impact replay as text for people and as one JSON document for machines.

The text is in the reader's language (:class:`specreg.workbench.texts.Texts`):
outcome codes such as ``bad_as_of`` or ``invalid`` appear with their label,
days as the language writes them; the JSON keeps the bare codes. Both read
the changed cases back from the replay's spool one at a time, so writing
the report of a 100k-application replay needs no more memory than the
replay did.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, TextIO

import click

from specreg.workbench.replay import Impact
from specreg.workbench.texts import Texts


def impact_lines(impact: Impact, base: str, candidate: str, texts: Texts) -> Iterator[str]:
    """The summary, then every changed case with its before and after."""
    yield click.style(texts("impact_head", candidate=candidate, base=base, total=impact.total,
                            changed=impact.changed), bold=True)
    yield texts("transitions") if impact.transitions else texts("transitions_none")
    for before, after, count in impact.transitions:
        arrow = f"  {texts.label(before)} -> {texts.label(after)}: {count}"
        yield click.style(arrow, fg=_colour(before, after))
    unchanged = ", ".join(f"{texts.label(o)} {n}" for o, n in impact.unchanged.items())
    yield texts("unchanged_outcome", list=unchanged or texts("nothing"))
    yield texts("reasons_changed_only", count=impact.reasons_changed_only)
    for kind in ("warnings", "decision_due"):
        if impact.kinds[kind]:
            kind_name = texts.name(kind) if texts.language != "en" else kind.replace("_", " ")
            yield texts("kind_changed", kind=kind_name, count=impact.kinds[kind])
    if impact.changed:
        yield click.style(texts("changed_cases"), bold=True)
    for change in impact.changes():
        yield from _case_lines(change, texts)


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


def _case_lines(change: dict[str, Any], texts: Texts) -> Iterator[str]:
    before, after = change["before"], change["after"]
    label = change["case"] + (f" ({change['application_id']})" if change["application_id"] else "")
    arrow = f"{texts.label(before['outcome'])} -> {texts.label(after['outcome'])}"
    kinds = ", ".join(texts.name(kind) if texts.language != "en" else kind for kind in change["changes"])
    yield f"  {label}: {click.style(arrow, fg=_colour(before['outcome'], after['outcome']))}  [{kinds}]"
    width = max(len(texts("before")), len(texts("after")))
    yield f"    {texts('before'):<{width}} {_brief(before, texts)}"
    yield f"    {texts('after'):<{width}} {_brief(after, texts)}"
    old, new = before.get("reasons", []), after.get("reasons", [])
    for reason in old:
        if reason not in new:
            yield click.style(f"    - {_reason(reason, texts)}", fg="red")
    for reason in new:
        if reason not in old:
            yield click.style(f"    + {_reason(reason, texts)}", fg="green")
    if before.get("decision_due") != after.get("decision_due"):
        yield "    " + texts("decision_due_changed", before=texts.day(before.get("decision_due")),
                              after=texts.day(after.get("decision_due")))


def _brief(side: dict[str, Any], texts: Texts) -> str:
    codes = ", ".join(texts.label(code) for code in side.get("codes", [])) or texts("no_ground")
    version = f" ({texts('ruleset_version', version=side['ruleset'])})" if "ruleset" in side else ""
    return f"{texts.label(side['outcome'])}: {codes}{version}"


def _reason(reason: dict[str, Any], texts: Texts) -> str:
    return f"{texts.label(reason['code'])} [{', '.join(reason['rule_ids'])}] " \
           f"{', '.join(reason['pointers'])}: {reason['message']}"


def _colour(before: str, after: str) -> str | None:
    severity = {"register": 0, "return": 1, "refuse": 2}
    if before not in severity or after not in severity or before == after:
        return None
    return "red" if severity[after] > severity[before] else "green"
