"""The one answer path: a request's body, day, version, language and explain flag -> (status, body).

``POST /api/v1/screenings``, each line of a batch, ``specreg screen``, the
workbench (``specreg test``, the page's suite) all call :func:`answer`, so they
cannot drift apart. Transport (HTTP headers, query parameters, files) stays
with the callers; what a body means is decided here.

Domain exceptions become problem documents through one table, :data:`PROBLEMS`
(in the manner of httpx's exception map): an exception type, the problem kind
of ``rules/messages/problems.yaml`` and its placeholders. Anything else is a
fault of ours and propagates: the web layer answers it with an error id, the
batch with an ``internal-error`` line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from specreg.explain import explain as explain_trace
from specreg.i18n import DEFAULT_LANGUAGE, negotiate
from specreg.jsonbody import BadRequestBody, declared_language, parse_json
from specreg.registry import entry_for
from specreg.response import dump_decision
from specreg.resubmission import ResubmissionConflict, screen_resubmission
from specreg.screening import InvalidApplication, NoRuleSetInForce, Screener, Screening, UnknownRuleSet

MAX_LISTED_ERRORS = 100  # a 422 lists at most this many input errors; ``errors_omitted`` counts the rest

# Exception type -> (problem kind, its placeholders). The one place a domain error becomes a problem.
PROBLEMS: dict[type[Exception], Callable[[Any], tuple[str, dict[str, Any]]]] = {
    BadRequestBody: lambda error: (error.kind, error.params),
    InvalidApplication: lambda error: ("invalid-application", {"count": error.count}),
    NoRuleSetInForce: lambda error: ("no-ruleset-in-force", {"as_of": error.as_of}),
    UnknownRuleSet: lambda error: ("unknown-ruleset", {"known": ", ".join(error.known)}),
    ResubmissionConflict: lambda error: (error.kind, {}),
}
DOMAIN_ERRORS = tuple(PROBLEMS)


@dataclass(frozen=True)
class Question:
    """What a caller asks: a body (bytes to parse, or a parsed payload) and how to answer it."""

    body: bytes | Any
    as_of: date | None = None
    version: str | None = None
    accept_language: str | None = None  # an Accept-Language header, or a language a person chose
    explain: bool = False


@dataclass(frozen=True)
class Answer:
    """The status and JSON body of an answer, in ``language``, with what the metrics read."""

    status: int
    body: dict[str, Any]
    language: str
    screening: Screening | None = None
    invalid: InvalidApplication | None = None


def answer(screener: Screener, question: Question) -> Answer:
    """The answer to one question, as every entry point gives it."""
    language = negotiate(question.accept_language, DEFAULT_LANGUAGE)
    try:
        payload = parse_json(question.body) if isinstance(question.body, bytes) else question.body
        language = negotiate(question.accept_language, declared_language(payload))
        screening, resubmission = screen_resubmission(screener, payload, question.as_of, question.version)
    except DOMAIN_ERRORS as error:
        return problem_answer(screener, error, language)
    entry = entry_for(screening, screener.directory.registry_form, screener.reference)
    body = dump_decision(screening.decision, language, entry, resubmission)
    body["ruleset"]["digest"] = screener.digest
    if question.explain:
        body["explain"] = explain_trace(screening)
    return Answer(200, body, language, screening=screening)


def kind_answer(screener: Screener, kind: str, language: str, **params: Any) -> Answer:
    """A problem of one kind that a caller finds before a body is read (a bad ``as_of``)."""
    body = screener.directory.problems.body(kind, language, **params)
    return Answer(body["status"], body, language)


def problem_answer(screener: Screener, error: Exception, language: str) -> Answer:
    """A domain error as its problem document.

    A 422 lists the first ``MAX_LISTED_ERRORS`` input errors (in pointer order) and
    counts the others in ``errors_omitted``, so a body built to break the contract a
    hundred thousand times answers a small document.
    """
    kind, params = PROBLEMS[type(error)](error)
    body = screener.directory.problems.body(kind, language, **params)
    if isinstance(error, InvalidApplication):
        listed = error.errors[:MAX_LISTED_ERRORS]
        body["errors"] = screener.directory.input_errors.entries(listed, language)
        if error.count > len(listed):
            body["errors_omitted"] = error.count - len(listed)
        return Answer(body["status"], body, language, invalid=error)
    return Answer(body["status"], body, language)
