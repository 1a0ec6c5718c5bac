"""The scale-out web process: each gunicorn worker calls `create_application()` after the
fork (see the Procfile and bot/runtime/gunicorn_config.py), so each has its own engine, and
its own audit sealer thread.

It serves HTTP only and never migrates: the release phase runs `python -m bot db upgrade`.
"""

import sys
from typing import NoReturn

from gunicorn.arbiter import Arbiter

from bot.app import create_app
from bot.runtime.audit_sealer import AuditSealer
from bot.runtime.logs import configure_logging
from bot.runtime.startup import StartupError, prepare
from bot.runtime.web import WsgiApp, create_wsgi_app


def create_application() -> WsgiApp:
    configure_logging()
    try:
        runtime = prepare(for_slack=True, migrate=False)
    except StartupError as error:
        _stop(str(error))
    if runtime.settings.socket_mode:
        _stop("SLACK_APP_TOKEN is set: the web process serves HTTP only; unset it here.")
    AuditSealer(runtime.database).start()
    return create_wsgi_app(create_app(runtime.settings, runtime.database), runtime.database)


def _stop(message: str) -> NoReturn:
    """gunicorn stops the whole server on this exit code instead of forking the worker again."""
    print(message, file=sys.stderr, flush=True)
    sys.exit(Arbiter.WORKER_BOOT_ERROR)
