"""Swagger UI at ``/docs`` works offline: every file it loads is served by specreg itself."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

_TYPES = {".js": "text/javascript", ".css": "text/css"}


class _Links(HTMLParser):
    """Every URL the page loads or names (src, href, data-*-url)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and (name in ("src", "href") or name.endswith("-url")):
                self.urls.append(value)


@pytest.fixture()
def page(client):
    answer = client.get("/docs")
    links = _Links()
    links.feed(answer.get_data(as_text=True))
    return answer, links.urls


def test_the_page_references_no_other_host(page):
    answer, urls = page
    assert (answer.status_code, answer.mimetype) == (200, "text/html")
    assert urls, "the page loads nothing?"
    for url in urls:
        parts = urlsplit(url)
        assert not parts.scheme and not parts.netloc, url
    assert "http://" not in answer.get_data(as_text=True)
    assert "https://" not in answer.get_data(as_text=True)


def test_every_script_and_style_sheet_is_served_here(client, page):
    _, urls = page
    assets = [url for url in urls if url.endswith((".js", ".css"))]
    assert {url.rsplit(".", 1)[1] for url in assets} == {"js", "css"}
    assert any(url.endswith("swagger-ui-bundle.js") for url in assets)
    for url in assets:
        answer = client.get(url)
        assert answer.status_code == 200, url
        assert answer.mimetype == _TYPES["." + url.rsplit(".", 1)[1]], url
        assert len(answer.data) > 100, url


def test_swagger_ui_reads_our_document_and_no_online_validator(client, page):
    _, urls = page
    spec_url = next(url for url in urls if url.endswith("openapi.json"))
    spec = client.get(spec_url)
    script = next(url for url in urls if url.endswith("swagger-initializer.js"))
    initializer = client.get(script).get_data(as_text=True)
    assert spec.status_code == 200 and spec.get_json()["openapi"].startswith("3.1")
    assert "validatorUrl: null" in initializer  # Swagger UI's default badge calls validator.swagger.io
    assert "SwaggerUIBundle(" in initializer


def test_the_bundled_swagger_ui_reads_openapi_3_1(client, page):
    """Swagger UI 4 shows an error for an OpenAPI 3.1 document; the bundle must be version 5."""
    _, urls = page
    bundle = next(url for url in urls if url.endswith("swagger-ui-bundle.js"))
    text = client.get(bundle).get_data(as_text=True)
    assert "isOAS31" in text  # the OpenAPI 3.1 support Swagger UI 5 added
