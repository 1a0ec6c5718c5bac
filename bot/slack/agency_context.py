"""Middleware: the settings in force for the request's agency (the session's), put into the
context by name: `agency_settings`, `clock`, `retention_policy`, and `translators` speaking the
agency's default language to whoever chose none; and `deployment_settings`, what an agency's
unset values fall back to."""

from collections.abc import Callable

from slack_bolt import BoltContext, BoltResponse

from bot.slack.clock import AgencyClock
from bot.slack.i18n import Translators
from bot.slack.middleware import Middleware
from bot.slack.transactions import begin_early
from storage import agency_settings
from storage.agency_settings import AgencySettings
from storage.db import Database
from storage.errors import NotFound


def provide_agency_settings(deployment: AgencySettings) -> Middleware:
    def put_agency_settings(context: BoltContext, next: Callable[[], None]) -> BoltResponse | None:
        database: Database = context["database"]  # acting for the request's agency
        try:
            its = agency_settings.effective(
                session=begin_early(context, database), deployment=deployment
            )
        except NotFound:  # a request for no agency: it sees nothing, and says it plainly
            its = deployment
        context["agency_settings"] = its
        context["deployment_settings"] = deployment
        context["clock"] = AgencyClock(its.zone)
        context["retention_policy"] = its.retention_policy
        context["translators"] = translators = Translators(its.default_language)
        context["t"] = translators()
        return next()  # type: ignore[func-returns-value]

    return put_agency_settings
