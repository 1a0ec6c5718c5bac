from slack_bolt import App

from bot.listeners.commands import request_command


def register(app: App) -> None:
    request_command.register(app)
