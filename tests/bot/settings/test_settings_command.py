"""`/rekisteri asetukset` (`/register settings`): an admin shows and sets the agency's own
settings; a bad value is refused plainly; nobody else may."""

import json

from sqlalchemy import select

from storage.db import Database
from storage.models import AuditEvent
from storage.models.agency import THE_AGENCY, Agency
from storage.models.enums import AuditOutcome
from tests.e2e.harness import ADMIN, SlackSender
from tests.e2e.helpers.roles import CONTROLLER, grant


def shown(reply) -> str:  # type: ignore[no-untyped-def]
    return json.dumps(reply.json().get("blocks", []), ensure_ascii=False)


def the_agency(database: Database) -> Agency:
    with database.reading() as session:
        agency = session.get(Agency, THE_AGENCY)
        assert agency is not None
        return agency


def test_the_settings_are_shown_with_whose_each_is(slack: SlackSender) -> None:
    reply = slack.command("/register", "settings", user_id=ADMIN)

    assert reply.status == 200 and reply.json()["response_type"] == "ephemeral"
    blocks = shown(reply)
    assert "Keskuksen asetukset" in blocks  # the admin has chosen no language: the default
    assert "Europe/Helsinki" in blocks and "palvelun yhteinen" in blocks
    assert "`aikavyohyke`" in blocks


def test_an_admin_sets_a_value_and_gives_it_back(slack: SlackSender, database: Database) -> None:
    slack.command("/rekisteri", "kieli en", user_id=ADMIN)

    zone = slack.command("/register", "settings timezone America/New_York", user_id=ADMIN)
    channel = slack.command("/register", "settings channel <#C0NEWS|news>", user_id=ADMIN)
    months = slack.command("/register", "settings customers 24", user_id=ADMIN)

    assert zone.json()["text"] == "Saved."
    assert "America/New_York" in shown(zone) and "the agency's own" in shown(zone)
    assert "<#C0NEWS>" in shown(channel) and "24" in shown(months)
    agency = the_agency(database)
    assert (agency.timezone, agency.reminder_channel_id, agency.retention_customer_months) == (
        "America/New_York",
        "C0NEWS",
        24,
    )

    back = slack.command("/register", "settings timezone -", user_id=ADMIN)

    assert "Europe/Helsinki" in shown(back)
    assert the_agency(database).timezone is None
    with database.reading() as session:
        acts = session.execute(
            select(AuditEvent.action, AuditEvent.target)
            .where(AuditEvent.actor == ADMIN, AuditEvent.action.like("agency.settings.%"))
            .order_by(AuditEvent.id)
        )
        assert [tuple(act) for act in acts] == [
            ("agency.settings.set", "timezone"),
            ("agency.settings.set", "reminder_channel_id"),
            ("agency.settings.set", "retention_customer_months"),
            ("agency.settings.clear", "timezone"),
        ]


def test_a_bad_time_zone_or_channel_is_refused_plainly(
    slack: SlackSender, database: Database
) -> None:
    slack.command("/rekisteri", "kieli en", user_id=ADMIN)

    zone = slack.command("/register", "settings timezone Mars/Olympus", user_id=ADMIN)
    channel = slack.command("/register", "settings channel #news", user_id=ADMIN)
    months = slack.command("/register", "settings members 0", user_id=ADMIN)
    unknown = slack.command("/register", "settings colour blue", user_id=ADMIN)

    assert zone.json()["text"] == "Give a time zone by its name, such as `Europe/Helsinki`."
    assert channel.json()["text"].startswith("Give the channel as #channel")
    assert months.json()["text"] == "Give the months as a whole number from 1 to 1200."
    assert unknown.json()["text"].startswith("Usage: `/rekisteri asetukset`")
    assert "`kanava`/`channel`" in unknown.json()["text"]
    agency = the_agency(database)
    assert (agency.timezone, agency.reminder_channel_id, agency.retention_member_months) == (
        None,
        None,
        None,
    )


def test_the_finnish_words_set_values_too(slack: SlackSender, database: Database) -> None:
    reply = slack.command("/rekisteri", "asetukset jäsenet 6", user_id=ADMIN)

    assert reply.json()["text"] == "Tallennettu."
    assert the_agency(database).retention_member_months == 6


def test_the_settings_are_refused_to_non_admins(slack: SlackSender, database: Database) -> None:
    grant(slack, CONTROLLER, "contact")

    shown_to = slack.command("/rekisteri", "asetukset", user_id=CONTROLLER)
    set_by = slack.command("/rekisteri", "asetukset kieli en", user_id=CONTROLLER)

    for reply in (shown_to, set_by):
        assert reply.json()["text"].startswith("Valitettavasti")
        assert "blocks" not in reply.json()
    assert the_agency(database).default_language is None
    with database.reading() as session:
        denied = session.scalars(
            select(AuditEvent.action).where(
                AuditEvent.actor == CONTROLLER, AuditEvent.outcome == AuditOutcome.DENIED
            )
        )
        assert list(denied) == ["permission.settings:manage"] * 2


def test_the_agencys_language_is_the_default_of_whoever_chose_none(
    slack: SlackSender, database: Database
) -> None:
    slack.command("/rekisteri", "asetukset kieli en", user_id=ADMIN)

    reply = slack.command("/rekisteri", "asetukset", user_id=ADMIN)

    assert "The agency's settings" in shown(reply)
