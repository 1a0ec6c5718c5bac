"""The one-process default: Socket Mode or HTTP, on the database the settings name."""

import logging

import waitress
from slack_bolt.adapter.socket_mode import SocketModeHandler

from bot.app import create_app
from bot.runtime.audit_sealer import AuditSealer
from bot.runtime.scheduler import build_scheduler
from bot.runtime.startup import Runtime
from bot.runtime.web import create_wsgi_app
from bot.runtime.web_server import HTTP_THREADS

logger = logging.getLogger(__name__)


def serve(runtime: Runtime) -> None:
    settings, database = runtime.settings, runtime.database
    app = create_app(settings, database)
    AuditSealer(database).start()
    build_scheduler(runtime, blocking=False).start()
    if settings.socket_mode:
        logger.info("Connecting to Slack in Socket Mode")
        SocketModeHandler(app, settings.slack_app_token).start()
        return
    logger.info("Serving Slack over HTTP on port %d", settings.port)
    waitress.serve(
        create_wsgi_app(app, database),
        host="0.0.0.0",
        port=settings.port,
        threads=HTTP_THREADS,
        ident="register-bot",
    )
