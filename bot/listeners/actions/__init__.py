from slack_bolt import App

from bot.listeners.actions import request_buttons, request_file, request_fulfil


def register(app: App) -> None:
    request_buttons.register(app)
    request_file.register(app)
    request_fulfil.register(app)
