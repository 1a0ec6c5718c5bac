"""The Art 15 access package: every row the register holds about a person, the dates and
purposes of the consultations of their data, and what the privacy notice tells them, as JSON
for machines and as a self-contained HTML page for the person.

The rows are read column by column from the models (storage.personal_tables), so a column or a
table added later is in the package without anyone listing it here.
"""

import json
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from functools import cache
from html import escape
from importlib.resources import files
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from storage import audit
from storage.errors import NotFound, PermissionDenied
from storage.models import AuditEvent, Base, Person
from storage.models.base import utcnow
from storage.models.enums import AuditOutcome, Purpose
from storage.permissions import Permission
from storage.personal_tables import PERSON_TABLE, person_column, tables_about_a_person
from storage.slack_copies import DEFAULT_KEPT_DAYS
from storage.staff import StaffMember

LANGUAGES = ("fi", "en")
# The description's part that says how long a file stays in Slack: `{days}` is filled in.
COPIES_IN_SLACK = "copies_in_slack"
# Not the person's data: a folded copy of their name kept only for search, the random key an
# erasure record names the person by (never shown), and the technical keys that stop a retried
# request from creating a person or logging a meeting twice.
LEFT_OUT = frozenset(
    {
        ("persons", "search_name"),
        ("persons", "person_key"),
        ("persons", "creation_key"),
        ("meetings", "idempotency_key"),
    }
)

Row = dict[str, Any]


@dataclass(frozen=True)
class Consultation:
    at: datetime
    action: str
    purpose: str | None


@dataclass(frozen=True)
class AccessPackage:
    person_reference: str
    language: str
    generated_at: datetime
    data: dict[str, list[Row]]  # table name → rows, column name → value as JSON has it
    consultations: list[Consultation]
    information: dict[str, Any]  # the register description in the package's language


@cache
def register_description(language: str) -> dict[str, Any]:
    """The Art 15(1) information, from the register description the project ships."""
    name = language if language in LANGUAGES else LANGUAGES[0]
    text = files("storage").joinpath("register_description", f"{name}.json").read_text("utf-8")
    description: dict[str, Any] = json.loads(text)
    return description


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _rows(session: Session, table: Table, condition: Any) -> list[Row]:
    columns = [c for c in table.columns if (table.name, c.name) not in LEFT_OUT]
    query = select(*columns).where(condition).order_by(*table.primary_key.columns)
    return [
        {name: _plain(value) for name, value in row._mapping.items()}
        for row in session.execute(query)
    ]


def record_access_package(*, session: Session, actor: StaffMember, person_id: int) -> None:
    """Audits the package as one read with purpose data_subject_request, when it is decided on:
    building it again to deliver it is not another consultation."""
    if not actor.can(Permission.REQUEST_WORK):
        raise PermissionDenied(Permission.REQUEST_WORK.value)
    audit.record(
        session=session,
        actor=actor.slack_user_id,
        action="person.access_package",
        person_id=person_id,
        purpose=Purpose.DATA_SUBJECT_REQUEST,
    )


def build_access_package(
    *,
    session: Session,
    actor: StaffMember,
    person_id: int,
    language: str,
    audited: bool = True,
    slack_file_days: int = DEFAULT_KEPT_DAYS,
) -> AccessPackage:
    """Everything about the person; the read is audited (record_access_package) unless
    `audited` is False. `slack_file_days`: how long a file stays in Slack, as the description
    tells the person."""
    if not actor.can(Permission.REQUEST_WORK):
        raise PermissionDenied(Permission.REQUEST_WORK.value)
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound("person")
    if audited:
        record_access_package(session=session, actor=actor, person_id=person_id)
    persons = Base.metadata.tables[PERSON_TABLE]
    data = {PERSON_TABLE: _rows(session, persons, persons.c.id == person_id)}
    for table in tables_about_a_person():
        column = person_column(table)
        data[table.name] = _rows(session, table, column == person_id)
    events = session.execute(
        select(AuditEvent.at, AuditEvent.action, AuditEvent.purpose)
        .where(
            AuditEvent.person_id == person_id,
            AuditEvent.outcome == AuditOutcome.ALLOWED,
            # An id once held by someone else (a restored sequence) brings none of theirs.
            AuditEvent.at >= person.created_at,
        )
        .order_by(AuditEvent.id)
    )
    return AccessPackage(
        person_reference=person.reference,
        language=language if language in LANGUAGES else LANGUAGES[0],
        generated_at=utcnow(),
        data=data,
        consultations=[Consultation(at, action, purpose) for at, action, purpose in events],
        information=_information(language, slack_file_days),
    )


def _information(language: str, slack_file_days: int) -> dict[str, Any]:
    information = dict(register_description(language))
    information[COPIES_IN_SLACK] = information[COPIES_IN_SLACK].format(days=slack_file_days)
    return information


def to_json(package: AccessPackage) -> str:
    information = {k: v for k, v in package.information.items() if k != "labels"}
    document = {
        "person_reference": package.person_reference,
        "language": package.language,
        "generated_at": package.generated_at.isoformat(),
        "data": package.data,
        "consultations": [
            {"at": c.at.isoformat(), "action": c.action, "purpose": c.purpose}
            for c in package.consultations
        ],
        "information": information,
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | dict):
        value = json.dumps(value, ensure_ascii=False)
    return escape(str(value))


def _table(headings: list[str], rows: list[list[Any]], none: str) -> str:
    if not rows:
        return f"<p>{escape(none)}</p>"
    head = "".join(f"<th>{escape(h)}</th>" for h in headings)
    body = "".join("<tr>" + "".join(f"<td>{_cell(v)}</td>" for v in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _data_section(name: str, rows: list[Row], labels: dict[str, Any]) -> str:
    title = labels["tables"].get(name, name)
    if not rows:
        return f"<h3>{escape(title)}</h3><p>{escape(labels['none'])}</p>"
    headings = list(rows[0])
    return f"<h3>{escape(title)}</h3>" + _table(
        headings, [[row[h] for h in headings] for row in rows], labels["none"]
    )


def _information_section(information: dict[str, Any], labels: dict[str, Any]) -> str:
    parts = []
    for key, value in information.items():
        if key in ("labels", "register"):
            continue
        parts.append(f"<h3>{escape(labels.get(key, key))}</h3>")
        if isinstance(value, list):
            parts.append("<ul>" + "".join(f"<li>{escape(item)}</li>" for item in value) + "</ul>")
        else:
            parts.append(f"<p>{escape(str(value))}</p>")
    return "".join(parts)


STYLE = (
    "body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em}"
    "table{border-collapse:collapse;margin-bottom:1em}"
    "th,td{border:1px solid #999;padding:.2em .5em;text-align:left;vertical-align:top}"
)


def to_html(package: AccessPackage) -> str:
    """A page that stands alone: no scripts, no external resources, everything escaped."""
    labels = package.information["labels"]
    purposes = labels["purpose_names"]
    consultations = [
        [c.at.isoformat(timespec="seconds"), c.action, purposes.get(c.purpose, c.purpose)]
        for c in package.consultations
    ]
    sections = "".join(_data_section(name, rows, labels) for name, rows in package.data.items())
    return (
        f'<!DOCTYPE html><html lang="{escape(package.language)}"><head><meta charset="utf-8">'
        f"<title>{escape(labels['title'])}</title><style>{STYLE}</style></head><body>"
        f"<h1>{escape(labels['title'])}</h1>"
        f"<p>{escape(package.information['register'])}</p>"
        f"<p>{escape(labels['reference'])}: {escape(package.person_reference)}<br>"
        f"{escape(labels['generated_at'])}: "
        f"{escape(package.generated_at.isoformat(timespec='seconds'))}</p>"
        f"<h2>{escape(labels['data'])}</h2>{sections}"
        f"<h2>{escape(labels['consultations'])}</h2>"
        + _table([labels["at"], labels["action"], labels["purpose"]], consultations, labels["none"])
        + f"<h2>{escape(labels['information'])}</h2>"
        + _information_section(package.information, labels)
        + "</body></html>"
    )
