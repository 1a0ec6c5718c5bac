from slack_bolt import App

from bot.listeners.views import person_form


def register(app: App) -> None:
    person_form.register(app)
