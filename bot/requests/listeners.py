"""Every listener of the feature, registered by kind."""

from slack_bolt import App

from bot.requests import actions, commands, views


def register(app: App) -> None:
    commands.register(app)
    actions.register(app)
    views.register(app)
