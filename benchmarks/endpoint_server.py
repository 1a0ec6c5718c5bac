"""A web process for the endpoint benchmark: the real app, or a bare Bolt app whose `/asiakas`
listener only acks (the framework's floor), each on gunicorn as the Procfile serves it, with
the number of worker processes given; each worker builds its app and engine after the fork.

Run as `python -m benchmarks.endpoint_server bot|bare DATABASE_URL API_URL WORKERS`; prints
its port once it listens.
"""

import sys
from typing import Any

from gunicorn.app.base import BaseApplication
from slack_bolt import Ack, App
from slack_sdk import WebClient

from benchmarks.fill import CHAIN_KEY
from bot.app import create_app
from bot.runtime.audit_sealer import AuditSealer
from bot.runtime.settings import Settings
from bot.runtime.web import WsgiApp, create_wsgi_app
from bot.runtime.web_server import server_options
from bot.slack.ids import COMMAND_CUSTOMER
from storage.db import Database

SIGNING_SECRET = "benchmark-signing-secret"
BOT_TOKEN = "xoxb-benchmark"


def bare_app(api_url: str) -> App:
    app = App(
        client=WebClient(token=BOT_TOKEN, base_url=api_url),
        signing_secret=SIGNING_SECRET,
        token_verification_enabled=False,
        process_before_response=True,
    )

    def only_ack(ack: Ack) -> None:
        ack()

    for name in COMMAND_CUSTOMER:
        app.command(name)(only_ack)
    return app


def bot_app(database: Database, api_url: str) -> App:
    settings = Settings(
        _env_file=None,
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=api_url,
        database_url=database.url,
    )
    return create_app(settings, database, token_verification_enabled=False)


def wsgi_app(kind: str, database_url: str, api_url: str) -> WsgiApp:
    database = Database(database_url, audit_chain_key=CHAIN_KEY)
    if kind == "bot":
        AuditSealer(database).start()  # as each web worker of the Procfile runs one
    app = bare_app(api_url) if kind == "bare" else bot_app(database, api_url)
    return create_wsgi_app(app, database)


def print_port(server: Any) -> None:
    print(server.LISTENERS[0].sock.getsockname()[1], flush=True)


class WebProcess(BaseApplication):
    def __init__(self, kind: str, database_url: str, api_url: str, workers: int) -> None:
        self.kind, self.database_url, self.api_url = kind, database_url, api_url
        self.workers = workers
        super().__init__()

    def load_config(self) -> None:
        for name, value in server_options(bind="127.0.0.1:0", workers=self.workers).items():
            self.cfg.set(name, value)
        self.cfg.set("when_ready", print_port)

    def load(self) -> WsgiApp:
        return wsgi_app(self.kind, self.database_url, self.api_url)


def main() -> None:
    kind, database_url, api_url, workers = sys.argv[1:5]
    WebProcess(kind, database_url, api_url, int(workers)).run()


if __name__ == "__main__":
    main()
