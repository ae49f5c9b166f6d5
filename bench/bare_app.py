"""The bare Flask endpoint of http_vs_bare_flask: parse the JSON body and echo it back."""

from __future__ import annotations

from flask import Flask, Response, jsonify, request

app = Flask(__name__)


@app.post("/echo")
def echo() -> Response:
    return jsonify(request.get_json())


@app.get("/echo-ready")
def ready() -> str:
    return "ok"
