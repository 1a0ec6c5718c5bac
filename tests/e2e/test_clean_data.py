"""The person form keeps the register clean, through the HTTP endpoint and the Slack double:
the municipality offered from the register and saved in one spelling, a date of birth within
120 years, and a relationship on consent only with its consent."""

from typing import Any

from sqlalchemy import select, update

from storage.consents import consents_of
from storage.db import Database
from storage.models import Person, Staff
from storage.models.enums import ConsentPurpose, LegalBasis, RelationshipKind, Role
from tests.doubles.slack_web_api import SlackWebApiDouble
from tests.e2e.harness import TEAM_ID, SlackSender, opened_view
from tests.e2e.helpers.person_form import (
    ADVISOR,
    TESTI,
    add_person,
    add_staff,
    open_new_form,
    persons_named,
    press,
    submit,
    user,
    values_shown,
)

CONSENT_NEEDED_FI = (
    "Käsittelyperuste on suostumus: valitse, mihin henkilö on suostunut, ja anna alla "
    "suostumuksen päivä."
)


def suggest(slack: SlackSender, view: dict[str, Any], action_id: str, typed: str) -> list[dict]:
    """What the select offers as the staff member types, as Slack asks for it."""
    reply = slack.interaction(
        {
            "type": "block_suggestion",
            "team": {"id": TEAM_ID, "domain": "agency"},
            "user": user(ADVISOR),
            "api_app_id": "A0TEST",
            "token": "legacy",
            "container": {"type": "view", "view_id": "V0PERSON"},
            "action_id": action_id,
            "block_id": action_id,
            "value": typed,
            "view": {"id": "V0PERSON", "type": "modal", "callback_id": view["callback_id"]},
        }
    )
    assert reply.status == 200
    options: list[dict] = reply.json()["options"]
    return options


def speaks_english(database: Database, user_id: str) -> None:
    with database.transaction() as session:
        session.execute(update(Staff).where(Staff.slack_user_id == user_id).values(language="en"))


def test_the_municipality_is_offered_from_the_register_and_saved_in_one_spelling(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    advisor = add_staff(database, ADVISOR, Role.ADVISOR)
    add_person(database, advisor, municipality="sankt petersburg")
    hidden = add_person(
        database, advisor, email="toinen@example.fi", phone_numbers=[], municipality="Pälkäneä"
    )
    with database.transaction() as session:
        session.execute(update(Person).where(Person.id == hidden).values(restricted=True))
    view = open_new_form(slack, slack_api, user_id=ADVISOR)
    municipality = next(b for b in view["blocks"] if b.get("block_id") == "municipality")
    assert municipality["element"]["type"] == "external_select"

    offered = suggest(slack, view, "municipality", "sankt")
    assert [(o["value"], o["text"]["text"]) for o in offered] == [
        ("Sankt Petersburg", "Sankt Petersburg"),
        ("Sankt", "Sankt (uusi)"),
    ]
    offered = suggest(slack, view, "municipality", "HÄMEENL")
    assert [o["value"] for o in offered] == ["Hämeenlinna", "Hämeenl"]
    # A restricted person's municipality is only stored: it is offered to no one.
    offered = suggest(slack, view, "municipality", "pälkäneä")
    assert [(o["value"], o["text"]["text"]) for o in offered] == [("Pälkäneä", "Pälkäneä (uusi)")]
    offered = suggest(slack, view, "municipality", "uusikylä")
    assert [(o["value"], o["text"]["text"]) for o in offered] == [("Uusikylä", "Uusikylä (uusi)")]

    answer = submit(slack, view, TESTI | {"municipality": "HÄMEENLINNA"}, user_id=ADVISOR).json()

    assert answer["response_action"] == "update"
    (person,) = persons_named(database, "Testi")
    assert person.municipality == "Hämeenlinna"


def test_a_date_of_birth_120_years_ago_is_refused_in_the_staff_members_language(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    add_staff(database, ADVISOR, Role.ADVISOR)
    view = open_new_form(slack, slack_api, user_id=ADVISOR)

    answer = submit(slack, view, TESTI | {"birth_date": "1900-01-01"}, user_id=ADVISOR).json()

    assert answer == {
        "response_action": "errors",
        "errors": {"birth_date": "Syntymäajasta on oltava alle 120 vuotta; tarkista vuosi."},
    }
    speaks_english(database, ADVISOR)
    answer = submit(slack, view, TESTI | {"birth_date": "1900-01-01"}, user_id=ADVISOR).json()
    assert answer["errors"] == {
        "birth_date": "A date of birth must be less than 120 years ago; check the year."
    }
    assert persons_named(database, "Testi") == []


def test_a_new_person_on_consent_is_saved_with_the_consent_asked_in_the_same_form(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    add_staff(database, ADVISOR, Role.ADVISOR)
    view = open_new_form(slack, slack_api, user_id=ADVISOR)
    blocks = [b["block_id"] for b in view["blocks"] if b["type"] == "input"]
    assert blocks[-3:] == ["legal_basis", "consent_purpose", "consent_given_on"]
    on_consent = TESTI | {"legal_basis": "consent"}

    answer = submit(slack, view, on_consent, user_id=ADVISOR).json()
    assert answer == {"response_action": "errors", "errors": {"consent_purpose": CONSENT_NEEDED_FI}}
    answer = submit(slack, view, on_consent | {"consent_purpose": "marketing"}, user_id=ADVISOR)
    assert answer.json()["errors"] == {"consent_given_on": "Anna päivä, jona suostumus annettiin."}
    assert persons_named(database, "Testi") == []

    given = on_consent | {"consent_purpose": "marketing", "consent_given_on": "2026-11-02"}
    answer = submit(slack, view, given, user_id=ADVISOR).json()

    assert answer["response_action"] == "update"
    (person,) = persons_named(database, "Testi")
    assert [(r.kind, r.legal_basis) for r in person.relationships] == [
        (RelationshipKind.CUSTOMER, LegalBasis.CONSENT)
    ]
    with database.reading() as session:
        in_force = [c for c in consents_of(session=session, person_id=person.id) if c.in_force]
    assert [(c.purpose, c.given_on.isoformat()) for c in in_force if c.given_on] == [
        (ConsentPurpose.MARKETING, "2026-11-02")
    ]


def test_an_edit_to_the_basis_of_consent_asks_for_the_consent_unless_one_is_in_force(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    advisor = add_staff(database, ADVISOR, Role.ADVISOR)
    speaks_english(database, ADVISOR)
    person_id = add_person(database, advisor)
    press(slack, "person_edit", str(person_id), user_id=ADVISOR)
    form = opened_view(slack_api)
    to_consent = values_shown(form) | {"legal_basis": "consent"}

    answer = submit(slack, form, to_consent, user_id=ADVISOR).json()

    assert answer["response_action"] == "errors"
    assert answer["errors"] == {
        "consent_purpose": "The legal basis is consent: choose what the person consented to, "
        "and give the date below."
    }
    with database.reading() as session:
        person = session.get(Person, person_id)
        assert person is not None
        assert [r.legal_basis for r in person.relationships] == [LegalBasis.CONTRACT]

    survey = {"consent_purpose": "satisfaction_survey", "consent_given_on": "2026-11-02"}
    answer = submit(slack, form, to_consent | survey, user_id=ADVISOR).json()

    assert answer["response_action"] == "update"
    with database.reading() as session:
        bases = session.scalars(select(Person).where(Person.id == person_id)).one().relationships
        assert [r.legal_basis for r in bases] == [LegalBasis.CONSENT]
