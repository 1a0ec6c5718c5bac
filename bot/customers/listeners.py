"""Every listener of the feature, registered by kind."""

from slack_bolt import App

from bot.customers import actions, commands, options, views


def register(app: App) -> None:
    commands.register(app)
    actions.register(app)
    views.register(app)
    options.register(app)
