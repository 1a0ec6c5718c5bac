from slack_bolt import App

from bot.listeners.commands import person_form, register_command


def register(app: App) -> None:
    register_command.register(app)
    person_form.register(app)
