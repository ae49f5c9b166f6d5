"""Answers as JSON bytes: orjson behind Flask's JSON provider interface.

Flask's default provider runs the standard library's encoder. A screening
answer with eight reasons is 16 KB, and encoding it was about 7% of a
screening worker's time (bench/RESULTS.md); orjson writes the same bytes
(compact, UTF-8, keys in the order given: ``tests/test_json_answers.py`` pins
that on every fixture answer) in a fraction of it. Whatever orjson refuses (an
integer beyond 64 bits, a type it does not know) goes to the standard encoder
as before, so no answer fails that did not fail already.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import orjson
from flask import Flask, Response
from flask.json.provider import DefaultJSONProvider

COMPACT = (",", ":")


def answer_bytes(value: Any, default: Callable[[Any], Any] | None = None) -> bytes:
    """``value`` as compact UTF-8 JSON; the standard encoder (with ``default``) takes what orjson refuses."""
    try:
        return orjson.dumps(value)
    except orjson.JSONEncodeError:
        return json.dumps(value, ensure_ascii=False, separators=COMPACT, default=default).encode("utf-8")


class AnswerJSONProvider(DefaultJSONProvider):
    """``jsonify`` (and ``flask.json.dumps`` without options) through :func:`answer_bytes`."""

    ensure_ascii = False  # answers are UTF-8, Kazakh and Russian as written
    sort_keys = False  # keys in the contract's order

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        if kwargs:  # options orjson does not have: the standard encoder, as Flask does
            return super().dumps(obj, **kwargs)
        return answer_bytes(obj, self.default).decode("utf-8")

    def response(self, *args: Any, **kwargs: Any) -> Response:
        if self._app.debug or self.compact is False:  # indented, as Flask's own provider does then
            return super().response(*args, **kwargs)
        body = answer_bytes(self._prepare_response_obj(args, kwargs), self.default)
        return self._app.response_class(body + b"\n", mimetype=self.mimetype)


def init_app(app: Flask) -> None:
    app.json = AnswerJSONProvider(app)
