"""Liveness: ``GET /healthz`` answers 200 once the service can screen."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from specreg.web import screener

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> Response:
    rulesets = [f"{r.id}@{r.version}" for r in screener().rulesets]
    return jsonify(status="ok", rulesets=rulesets)
