from slack_bolt import App

from bot.listeners.actions import meeting_log


def register(app: App) -> None:
    meeting_log.register(app)
