from slack_bolt import App

from bot.listeners.commands import (
    customer_command,
    person_form,
    register_command,
    report_command,
    request_command,
    survey_command,
)


def register(app: App) -> None:
    register_command.register(app)
    report_command.register(app)
    customer_command.register(app)
    person_form.register(app)
    request_command.register(app)
    survey_command.register(app)
