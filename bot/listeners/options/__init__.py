from slack_bolt import App

from bot.listeners.options import meeting_person


def register(app: App) -> None:
    meeting_person.register(app)
