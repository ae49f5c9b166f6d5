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
