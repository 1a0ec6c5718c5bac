"""gunicorn's configuration for the Procfile's web process, from the bot's validated settings:
PORT, and WEB_CONCURRENCY worker processes. Read by `gunicorn --config
python:bot.runtime.gunicorn_config`; a malformed setting stops the master before any fork."""

import sys

from bot.runtime.settings import SettingsError, load_settings
from bot.runtime.web_server import server_options

try:
    _settings = load_settings()
except SettingsError as error:
    sys.exit(str(error))

globals().update(
    server_options(bind=f"0.0.0.0:{_settings.port}", workers=_settings.web_concurrency)
)
proc_name = "register-bot"
