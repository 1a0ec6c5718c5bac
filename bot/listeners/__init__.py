"""Listeners, one package per kind, each with `register(app)`."""

from slack_bolt import App

from bot.listeners import actions, commands, views


def register(app: App) -> None:
    commands.register(app)
    actions.register(app)
    views.register(app)
