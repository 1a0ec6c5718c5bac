"""The scale-out web process: `waitress-serve --call bot.runtime.wsgi:create_application`.

It serves HTTP only and never migrates: the release phase runs `python -m bot db upgrade`.
"""

import sys

from bot.app import create_app
from bot.runtime.logs import configure_logging
from bot.runtime.startup import StartupError, prepare
from bot.runtime.web import WsgiApp, create_wsgi_app


def create_application() -> WsgiApp:
    configure_logging()
    try:
        runtime = prepare(for_slack=True, migrate=False)
    except StartupError as error:
        sys.exit(str(error))
    if runtime.settings.socket_mode:
        sys.exit("SLACK_APP_TOKEN is set: the web process serves HTTP only; unset it here.")
    return create_wsgi_app(create_app(runtime.settings, runtime.database), runtime.database)
