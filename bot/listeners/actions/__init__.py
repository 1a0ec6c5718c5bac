from slack_bolt import App

from bot.listeners.actions import (
    consent_record,
    disclosure_record,
    person_buttons,
    request_buttons,
    request_file,
    request_fulfil,
)


def register(app: App) -> None:
    disclosure_record.register(app)
    consent_record.register(app)
    person_buttons.register(app)
    request_buttons.register(app)
    request_file.register(app)
    request_fulfil.register(app)
