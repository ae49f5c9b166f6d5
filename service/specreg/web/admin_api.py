"""``POST /api/v1/admin/reload``: re-read the rule directory without a restart.

The admin token guards it (:mod:`specreg.access`). This worker loads the
directory beside the rules in force and swaps them (:mod:`specreg.reloading`);
on success, under gunicorn, it asks the master to have every worker do the
same (SIGHUP), so the whole service moves to the new rules within moments.
A directory that fails answers 422 with its errors and changes nothing.
"""

from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, Response, current_app, jsonify, request

from specreg.i18n import negotiate
from specreg.problems import problem
from specreg.reloading import ReloadFailed, holder_of

bp = Blueprint("admin_api", __name__)


@bp.post("/api/v1/admin/reload")
def reload_rules() -> Response:
    holder = holder_of(current_app)
    try:
        screener = holder.reload("http")
    except ReloadFailed as failed:
        errors = [asdict(error) for error in failed.errors]
        language = negotiate(request.headers.get("Accept-Language"))
        return problem("reload-failed", language, extra={"errors": errors}, count=len(errors))
    if holder.notify_peers is not None:
        holder.notify_peers()
    rulesets = [{"id": r.id, "version": r.version, "effective_from": r.effective_from.isoformat()}
                for r in screener.rulesets]
    return jsonify(status="reloaded", digest=screener.digest, rulesets=rulesets)
