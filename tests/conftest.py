"""Shared test set-up: one application (rules compiled once), its client, a screening call and an
editable copy of the rule directory."""

from __future__ import annotations

import pytest

from gunicorn_process import copy_rules
from specreg.web.app import create_app


@pytest.fixture(scope="session")
def app():
    return create_app()


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture(autouse=True)
def english_locale(monkeypatch):
    """The command line speaks LANG's language: tests that read its English run under C.UTF-8,
    whatever the developer's own locale (the kk and ru tests set theirs)."""
    monkeypatch.setenv("LANG", "C.UTF-8")


@pytest.fixture()
def rules(tmp_path):
    """A copy of the shipped rule directory that the test may edit, as an administrator would."""
    return copy_rules(tmp_path / "rules")


@pytest.fixture()
def screen(client):
    """POST an application to the screening route: ``screen(payload, as_of=..., ruleset=..., **headers)``."""

    def post(payload, as_of: str | None = "2026-03-20", ruleset: str | None = None, **headers):
        query = {key: value for key, value in (("as_of", as_of), ("ruleset", ruleset)) if value}
        return client.post("/api/v1/screenings", query_string=query, json=payload, headers=headers)

    return post
