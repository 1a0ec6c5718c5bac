from slack_bolt import App

from bot.listeners.commands import register_command


def register(app: App) -> None:
    register_command.register(app)
