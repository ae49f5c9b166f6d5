"""``POST /api/v1/admin/reload``: re-read the rule directory without a restart.

The admin token guards it (:mod:`specreg.web.access`). This worker loads the
directory beside the rules in force and swaps them (:mod:`specreg.web.reloading`);
on success, under gunicorn, it asks the master to have every worker do the
same (SIGHUP), so the whole service moves to the new rules within moments.
A directory that fails answers 422 with its errors and changes nothing:
each error is ``{file, line, check, message, detail}``, ``message`` saying
what kind of error it is in the answer's language, ``check`` its stable
code and ``detail`` where to look (``specreg lint``), also in the answer's
language: the answer never quotes what a file says.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, request

from specreg.i18n import negotiate
from specreg.web.problems import problem, reload_error_detail, reload_error_text
from specreg.web.reloading import ReloadFailed, holder_of

bp = Blueprint("admin_api", __name__)


@bp.post("/api/v1/admin/reload")
def reload_rules() -> Response:
    holder = holder_of(current_app)
    try:
        screener = holder.reload("http")
    except ReloadFailed as failed:
        language = negotiate(request.headers.get("Accept-Language"))
        errors = [{"file": error.file, "line": error.line, "check": error.check,
                   "message": reload_error_text(error.check, language),
                   "detail": reload_error_detail(error.check, language)}
                  for error in failed.errors]
        return problem("reload-failed", language, extra={"errors": errors}, count=len(errors))
    if holder.notify_peers is not None:
        holder.notify_peers()
    rulesets = [{"id": r.id, "version": r.version, "effective_from": r.effective_from.isoformat()}
                for r in screener.rulesets]
    return jsonify(status="reloaded", digest=screener.digest, rulesets=rulesets)
