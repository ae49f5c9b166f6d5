"""Shared test set-up: one application (rules compiled once) and its client."""

from __future__ import annotations

import pytest

from specreg.app import create_app


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
