from slack_bolt import App

from bot.listeners.views import (
    consent_form,
    disclosure_form,
    person_form,
    request_form,
    request_fulfil,
    request_work,
)


def register(app: App) -> None:
    disclosure_form.register(app)
    consent_form.register(app)
    person_form.register(app)
    request_form.register(app)
    request_work.register(app)
    request_fulfil.register(app)
