"""A bot process for the endpoint benchmark: the real app, or a bare Bolt app whose `/asiakas`
listener only acks (the framework's floor), each on waitress as the Procfile serves it.

Run as `python -m benchmarks.endpoint_server bot|bare DATABASE_URL API_URL`; prints its port.
"""

import logging
import sys

import waitress
from slack_bolt import Ack, App
from slack_sdk import WebClient

from benchmarks.fill import CHAIN_KEY
from bot.app import create_app
from bot.runtime.serve import HTTP_THREADS
from bot.runtime.settings import Settings
from bot.runtime.web import WsgiApp, create_wsgi_app
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
    app = bare_app(api_url) if kind == "bare" else bot_app(database, api_url)
    return create_wsgi_app(app, database)


def main() -> None:
    kind, database_url, api_url = sys.argv[1:4]
    # Ten clients on eight threads queue by design; waitress would warn of every queued one.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    server = waitress.create_server(
        wsgi_app(kind, database_url, api_url),
        host="127.0.0.1",
        port=0,
        threads=HTTP_THREADS,
        ident="benchmark",
    )
    print(server.effective_port, flush=True)
    server.run()


if __name__ == "__main__":
    main()
