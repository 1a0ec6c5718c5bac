from slack_bolt import App

from bot.listeners.commands import customer_command, person_form, request_command


def register(app: App) -> None:
    customer_command.register(app)
    person_form.register(app)
    request_command.register(app)
