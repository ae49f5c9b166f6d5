"""Batch screening: many applications, one answer line per input line, in order.

The portal re-screens the whole registry when the rules change; it sends the
applications as JSON lines (NDJSON). Each input line gets exactly one output
line at the same place, so the two files can be read side by side:
``{"line": N, "screening": {...}}`` with the single endpoint's 200 body, or
``{"line": N, "problem": {...}}`` with the problem document that endpoint
would have answered (bad JSON, a contract breach with every error, a
resubmission conflict). A bad line is never dropped and never stops the batch.

The command line (:mod:`specreg.cli.batch`) spreads the lines over worker
processes that share one :class:`Screener`, built once before they fork; the HTTP route
(:mod:`specreg.web.batch`) screens them in its own worker and streams the
answers back. Both go through :class:`LineScreener`.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from itertools import islice
from pathlib import Path
from typing import Any

from specreg.answering import Question, answer
from specreg.i18n import negotiate
from specreg.screening import InvalidApplication, Screener, Screening
from specreg.worker_pool import ordered_map

CHUNK_LINES = 128  # lines sent to a worker at once: each chunk costs the parent up to a millisecond
LAST_CHUNK_LINES = 8  # the last one or two chunks are cut this small: no worker waits long for another
CHUNKS_AHEAD = 4  # chunks in flight per worker: none waits for the parent, memory stays bounded
log = logging.getLogger("specreg.batch")


@dataclass(frozen=True)
class LineAnswer:
    """The answer to one input line, with what the metrics of the HTTP route read."""

    number: int
    document: dict[str, Any]
    screening: Screening | None = None
    invalid: InvalidApplication | None = None

    @property
    def screened(self) -> bool:
        return "screening" in self.document

    def json(self) -> str:
        """The output line (without its newline), in text every encoder takes.

        The validation makes every string of a screening encodable; should one slip
        through anyway, its character is escaped here rather than failing the stream.
        """
        text = json.dumps(self.document, ensure_ascii=False)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            return json.dumps(self.document)  # \uXXXX escapes: ASCII, always encodable
        return text

    def line(self) -> bytes:
        """The output line as a file takes it: UTF-8, with its line break."""
        return (self.json() + "\n").encode("utf-8")


class LineScreener:
    """Screens one line at a time as of one day, in the language the caller asked for.

    ``accept_language`` is negotiated per line against the line's own declared
    language, exactly as the single endpoint does with ``Accept-Language``;
    ``None`` answers each application in the language it was filed in. Each
    line goes through :func:`specreg.answering.answer`, as the single endpoint.
    """

    def __init__(self, screener: Screener, as_of: date, accept_language: str | None = None,
                 version: str | None = None, explain: bool = False) -> None:
        self.screener, self.as_of = screener, as_of
        self.accept_language, self.version, self.explain = accept_language, version, explain

    @classmethod
    def from_directory(cls, rules: Path, as_of: date, accept_language: str | None = None,
                       version: str | None = None) -> LineScreener:
        """Everything read from the rule directory once (raises DataFileError on a bad file)."""
        return cls(Screener.from_directory(rules), as_of, accept_language, version)

    def answer(self, number: int, line: bytes | str) -> LineAnswer:
        """The answer line for input line ``number`` (1-based); never raises for what a client sent."""
        raw = line.encode("utf-8", "surrogateescape") if isinstance(line, str) else line
        question = Question(raw, self.as_of, self.version, self.accept_language, self.explain)
        try:
            given = answer(self.screener, question)
        except Exception as error:  # one broken line must not lose the others' answers
            error_id = uuid.uuid4().hex
            log.error("internal error %s on batch line %d: %s", error_id, number, type(error).__name__)
            body = self.screener.directory.problems.body(
                "internal-error", negotiate(self.accept_language), error_id=error_id)
            return LineAnswer(number, {"line": number, "problem": body})
        key = "screening" if given.status == 200 else "problem"
        return LineAnswer(number, {"line": number, key: given.body}, given.screening, given.invalid)


@dataclass
class Tally:
    """What the last line of a complete batch answer says: ``{"summary": {lines, screened, problems}}``.

    A stream cut short (a killed worker, a dropped connection) lacks it, so a client
    can tell a complete answer from a truncated one.
    """

    lines: int = 0
    screened: int = 0

    def count(self, answer: LineAnswer) -> None:
        self.lines += 1
        self.screened += answer.screened

    def summary(self) -> str:
        return json.dumps({"summary": {"lines": self.lines, "screened": self.screened,
                                       "problems": self.lines - self.screened}})


def numbered(lines: Iterable[bytes], start: int = 1) -> Iterator[tuple[int, bytes]]:
    """Input lines with their 1-based numbers (the first is ``start``), each without its line break."""
    for number, line in enumerate(lines, start=start):
        yield number, line.rstrip(b"\r\n") if line.endswith(b"\n") else line


def split_lines(body: bytes) -> list[bytes]:
    """An NDJSON body's lines; a final line break ends the last line rather than opening one."""
    if not body:
        return []
    lines = body.split(b"\n")
    return lines[:-1] if body.endswith(b"\n") else lines


# --- a pool of worker processes -------------------------------------------------

Chunk = tuple[int, list[bytes]]  # the number of its first line, the lines as read
Answered = list[tuple[bytes, bool]]

_worker: LineScreener | None = None  # set in each worker process only, by _start_worker


def _start_worker(screener: LineScreener) -> None:
    """Keeps the screener the worker inherited at the fork (nothing is pickled for it)."""
    global _worker
    _worker = screener


def _answer_chunk(chunk: Chunk) -> Answered:
    """A chunk's output lines, numbered, made and encoded in the worker: the parent only passes
    the bytes on (bytes cross the pipe as they are; text would be decoded and encoded again)."""
    assert _worker is not None, "the pool was started without a screener"
    first, lines = chunk
    answers = (_worker.answer(number, line) for number, line in numbered(lines, first))
    return [(answer.line(), answer.screened) for answer in answers]


def screen_lines(
    lines: Iterable[bytes], rules: Path, as_of: date, accept_language: str | None = None,
    workers: int = 1, version: str | None = None,
) -> Iterator[tuple[bytes, bool]]:
    """(output line, screened?) for every input line, in input order; the line is
    :meth:`LineAnswer.line`, ready to write.

    The rule directory is read and compiled once, here, so a broken one fails
    before any line (DataFileError). With one worker the lines are screened in
    this process; with more, by a pool of forked processes that inherit that
    screener ready-made (durable-rules' C core holds no threads or locks, so it
    survives a fork: shared/notes/durable-rules.md, 9).
    """
    screener = LineScreener.from_directory(rules, as_of, accept_language, version)
    if workers <= 1:
        for number, line in numbered(lines):
            answer = screener.answer(number, line)
            yield answer.line(), answer.screened
        return
    yield from _in_pool(screener, lines, workers)


def _in_pool(screener: LineScreener, lines: Iterable[bytes], workers: int
             ) -> Iterator[tuple[bytes, bool]]:
    """The answers of a pool of ``workers`` forked processes, in input order.

    The parent only cuts the input into chunks and passes the workers' finished
    lines on: that is the serial part, so it is kept small. A chunk's answers
    come back as one message. At most ``CHUNKS_AHEAD`` chunks per worker are in
    flight, so a file of any size is streamed, not loaded. A worker that dies
    ends the batch with :class:`~specreg.worker_pool.WorkerDied`.
    """
    chunks = ordered_map(_answer_chunk, _chunks(lines), workers, multiprocessing.get_context("fork"),
                         _start_worker, (screener,), ahead=CHUNKS_AHEAD)
    for answered in chunks:
        yield from answered


def _chunks(lines: Iterable[bytes]) -> Iterator[Chunk]:
    """The lines in chunks of ``CHUNK_LINES``, the last one or two cut into ``LAST_CHUNK_LINES``.

    Big chunks keep the parent's share small; small ones at the end let the
    workers finish together instead of one waiting for another's last chunk.
    The input is read a chunk ahead, to know which chunk is the last full one.
    """
    lines, first = iter(lines), 1
    chunk = list(islice(lines, CHUNK_LINES))
    while len(following := list(islice(lines, CHUNK_LINES))) == CHUNK_LINES:
        yield first, chunk
        first, chunk = first + len(chunk), following
    last = chunk + following
    for start in range(0, len(last), LAST_CHUNK_LINES):
        yield first + start, last[start:start + LAST_CHUNK_LINES]
