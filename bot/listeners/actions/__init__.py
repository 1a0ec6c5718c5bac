from slack_bolt import App

from bot.listeners.actions import person_buttons


def register(app: App) -> None:
    person_buttons.register(app)
