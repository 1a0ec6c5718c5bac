"""The HTTP face: `POST /slack/events` for Slack, `GET /healthz` for the load balancer; in
multi-workspace mode also Bolt's install page and OAuth redirect (`GET /slack/install`,
`GET /slack/oauth_redirect`)."""

import json
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

from storage.db import Database

SLACK_EVENTS_PATH = "/slack/events"
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def create_wsgi_app(app: App, database: Database) -> WsgiApp:
    slack = SlackRequestHandler(app, path=SLACK_EVENTS_PATH)
    oauth_flow = app.oauth_flow
    oauth_paths = (
        {oauth_flow.install_path, oauth_flow.redirect_uri_path} if oauth_flow is not None else set()
    )

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "GET")
        if path == SLACK_EVENTS_PATH:
            if method != "POST":
                return _respond(start_response, "405 Method Not Allowed", {"error": "use POST"})
            return slack(environ, start_response)
        if path in oauth_paths:
            if method != "GET":
                return _respond(start_response, "405 Method Not Allowed", {"error": "use GET"})
            return slack(environ, start_response)
        if path == "/healthz" and method in ("GET", "HEAD"):
            if database.is_reachable():
                return _respond(start_response, "200 OK", {"status": "ok"})
            return _respond(
                start_response, "503 Service Unavailable", {"status": "database unreachable"}
            )
        return _respond(start_response, "404 Not Found", {"error": "not found"})

    return application


def _respond(start_response: Callable[..., Any], status: str, body: dict[str, str]) -> list[bytes]:
    payload = json.dumps(body).encode()
    start_response(
        status, [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))]
    )
    return [payload]
