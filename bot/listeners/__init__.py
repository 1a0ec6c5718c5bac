"""Listeners, one package per kind, each with `register(app)`."""

from slack_bolt import App

from bot.listeners import commands, events


def register(app: App) -> None:
    commands.register(app)
    events.register(app)
