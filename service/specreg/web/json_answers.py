"""Answers as JSON bytes: orjson behind Flask's JSON provider interface.

Flask's default provider runs the standard library's encoder. A screening
answer with eight reasons is 16 KB, and encoding it was about 7% of a
screening worker's time (bench/RESULTS.md); :func:`specreg.compact_json.compact_json`
writes the same bytes (``tests/test_json_answers.py`` pins that on every fixture
answer) in a fraction of it, and takes Flask's ``default`` for what orjson refuses.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response
from flask.json.provider import DefaultJSONProvider

from specreg.compact_json import compact_json


class AnswerJSONProvider(DefaultJSONProvider):
    """``jsonify`` (and ``flask.json.dumps`` without options) through :func:`compact_json`."""

    ensure_ascii = False  # answers are UTF-8, Kazakh and Russian as written
    sort_keys = False  # keys in the contract's order

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        if kwargs:  # options orjson does not have: the standard encoder, as Flask does
            return super().dumps(obj, **kwargs)
        return compact_json(obj, self.default).decode("utf-8")

    def response(self, *args: Any, **kwargs: Any) -> Response:
        if self._app.debug or self.compact is False:  # indented, as Flask's own provider does then
            return super().response(*args, **kwargs)
        body = compact_json(self._prepare_response_obj(args, kwargs), self.default)
        return self._app.response_class(body + b"\n", mimetype=self.mimetype)


def init_app(app: Flask) -> None:
    app.json = AnswerJSONProvider(app)
