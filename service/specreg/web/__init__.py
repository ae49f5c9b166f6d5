"""The HTTP layer: one blueprint a module, registered by :mod:`specreg.web.app`."""

from __future__ import annotations

from flask import current_app

from specreg.screening import Screener
from specreg.web.reloading import holder_of


def screener() -> Screener:
    """The screener in force for this request (the one place that knows where it lives).

    A reload replaces it; take it once per request and keep it to the end.
    """
    return holder_of(current_app).screener()
