"""The API's description: ``GET /openapi.json`` and Swagger UI at ``GET /docs``.

``schemas/openapi.yaml`` describes every route; its request body refers to
``schemas/application.schema.json``, the one source of truth of the payload.
The served document bundles that schema in as ``components/schemas/Application``
(its ``$defs`` become ``Application.<name>`` beside it), so a reader needs no
second file. Both files are read when the app starts: a broken one stops it.

A generated client names its models after the component keys, or after a
schema's ``title``: the payload's title is a sentence, so the bundled copy is
titled ``Application``. ``POST /api/v1/screenings`` gets its request example
from the fixtures' base application (``fixtures/bases/full.json``, the one the
README's example sends), read at start-up too, so Swagger UI's "Try it out"
sends an application that answers 200 and the example cannot drift from the
fixtures. Without a fixture directory (an installed package) there is no
example.

Swagger UI's files come from the ``flask-swagger-ui`` package (its ``dist``
directory: Swagger UI 5, which reads OpenAPI 3.1) and are served from here,
with an initializer script of our own instead of an inline one (the page's
Content Security Policy forbids inline scripts) that also turns off Swagger
UI's online validator badge: the page fetches nothing from another host.
"""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any

import yaml
from flask import Blueprint, Response, current_app, jsonify, render_template_string
from flask.blueprints import BlueprintSetupState

from specreg.paths import DEFAULT_FIXTURES_DIR, SCHEMAS_DIR

SPEC_FILE = "openapi.yaml"
PAYLOAD_FILE = "application.schema.json"
PAYLOAD_NAME = "Application"
EXAMPLE_FILE = "bases/full.json"
SCREEN_PATH = "/api/v1/screenings"
SWAGGER_UI = files("flask_swagger_ui") / "dist"

bp = Blueprint("docs", __name__, static_folder=str(SWAGGER_UI), static_url_path="/docs/assets")

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>specreg API</title>
  <link rel="stylesheet" href="{{ url_for('docs.static', filename='swagger-ui.css') }}">
  <link rel="stylesheet" href="{{ url_for('docs.static', filename='index.css') }}">
</head>
<body>
  <div id="swagger-ui" data-spec-url="{{ url_for('docs.openapi') }}"></div>
  <script src="{{ url_for('docs.static', filename='swagger-ui-bundle.js') }}"></script>
  <script src="{{ url_for('docs.initializer') }}"></script>
</body>
</html>
"""

_INITIALIZER = """window.addEventListener("load", function () {
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.specUrl,
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout"
  });
});
"""


@bp.record_once
def load_spec(state: BlueprintSetupState) -> None:
    """Read and bundle the description once, at start-up."""
    state.app.extensions["specreg.openapi"] = bundled_spec()


def bundled_spec() -> dict[str, Any]:
    """``openapi.yaml`` with the payload schema bundled in under ``components/schemas``."""
    directory = SCHEMAS_DIR
    spec = yaml.safe_load((directory / SPEC_FILE).read_text(encoding="utf-8"))
    payload = json.loads((directory / PAYLOAD_FILE).read_text(encoding="utf-8"))
    defs = payload.pop("$defs", {})
    for key in ("$id", "$schema"):  # an $id would make the bundled refs resolve against it
        payload.pop(key, None)
    payload["title"] = PAYLOAD_NAME  # the model's name in a generated client
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    schemas[PAYLOAD_NAME] = _local_refs(payload)
    schemas.update({f"{PAYLOAD_NAME}.{name}": _local_refs(body) for name, body in defs.items()})
    spec = _file_refs(spec)
    _add_request_example(spec)
    return spec


def _add_request_example(spec: dict[str, Any]) -> None:
    """The screening route's request example: the fixtures' full application, as it is on disk."""
    example = DEFAULT_FIXTURES_DIR / EXAMPLE_FILE
    if not example.is_file():
        return
    value = json.loads(example.read_text(encoding="utf-8"))
    media = spec["paths"][SCREEN_PATH]["post"]["requestBody"]["content"]["application/json"]
    media["examples"] = {"full": {
        "summary": "A complete application (fixtures/bases/full.json); it answers 200.",
        "value": value,
    }}


def _local_refs(node: Any) -> Any:
    """The payload schema's ``#/$defs/NAME`` references, pointed at the bundled components."""
    if isinstance(node, list):
        return [_local_refs(item) for item in node]
    if not isinstance(node, dict):
        return node
    bundled = {key: _local_refs(value) for key, value in node.items()}
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        name = ref.removeprefix("#/$defs/")
        if "/" in name:
            raise ValueError(f"{PAYLOAD_FILE}: cannot bundle a reference into a definition: {ref}")
        bundled["$ref"] = f"#/components/schemas/{PAYLOAD_NAME}.{name}"
    return bundled


def _file_refs(node: Any) -> Any:
    """``openapi.yaml``'s references to the payload file, pointed at its bundled copy."""
    if isinstance(node, list):
        return [_file_refs(item) for item in node]
    if not isinstance(node, dict):
        return node
    if node.get("$ref") in (PAYLOAD_FILE, f"./{PAYLOAD_FILE}"):
        return {**node, "$ref": f"#/components/schemas/{PAYLOAD_NAME}"}
    return {key: _file_refs(value) for key, value in node.items()}


@bp.get("/openapi.json")
def openapi() -> Response:
    return jsonify(current_app.extensions["specreg.openapi"])


@bp.get("/docs")
def page() -> str:
    return render_template_string(_PAGE)


@bp.get("/docs/swagger-initializer.js")
def initializer() -> Response:
    return Response(_INITIALIZER, mimetype="text/javascript")

