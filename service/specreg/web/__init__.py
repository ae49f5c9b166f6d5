"""The HTTP layer: one blueprint a module, registered by :mod:`specreg.app`."""

from __future__ import annotations

from flask import current_app

from specreg.screening import Screener


def screener() -> Screener:
    """The screener in force for this request (the one place that knows where it lives)."""
    return current_app.extensions["specreg.screener"]
