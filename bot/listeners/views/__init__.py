from slack_bolt import App

from bot.listeners.views import request_form, request_fulfil, request_work


def register(app: App) -> None:
    request_form.register(app)
    request_work.register(app)
    request_fulfil.register(app)
