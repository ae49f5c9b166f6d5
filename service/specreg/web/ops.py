"""Operations: ``GET /metrics`` (Prometheus) and ``GET /readyz``.

``/readyz`` answers 200 only while a screener whose rule sets are compiled
and warmed is in force, with the digest of its rule directory: asked of every
worker, it tells whether all serve the same rules. A reload builds the new one beside the old, so it
stays 200 through reloads, failed ones included.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, request

from specreg.i18n import negotiate
from specreg.web.metrics import exposition
from specreg.web.problems import problem
from specreg.web.reloading import RulesNotReady, holder_of

bp = Blueprint("ops", __name__)


@bp.get("/metrics")
def metrics() -> Response:
    body, content_type = exposition(current_app.config["METRICS_DIR"])
    return Response(body, content_type=content_type)


@bp.get("/readyz")
def readyz() -> Response:
    holder = holder_of(current_app)
    if not holder.ready:
        return not_ready(RulesNotReady())
    rulesets = [f"{r.id}@{r.version}" for r in holder.screener().rulesets]
    return jsonify(status="ready", rulesets=rulesets, digest=holder.digest)


@bp.app_errorhandler(RulesNotReady)
def not_ready(_: RulesNotReady) -> Response:
    """Any route that needs the rules before they are in force answers 503, not 500."""
    answer = problem("not-ready", negotiate(request.headers.get("Accept-Language")))
    answer.headers["Retry-After"] = "1"
    return answer
