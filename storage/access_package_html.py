"""The access package as a person reads it: one self-contained HTML page (no scripts, no
external resources, everything escaped) in the requester's language, every field under its
label and every value under its name, times in the agency's time zone, in the order of the
register description. Staff members are never named, nor their ids shown (CJEU C-579/21)."""

from collections.abc import Iterable
from html import escape
from typing import Any

from storage.access_package import AccessPackage, Row, is_objection
from storage.models.enums import ConsentPurpose, Purpose
from storage.readable_values import cell, moment
from storage.register_description import Contact, Processor
from storage.vocabulary import COLUMNS, VALUES, Words, consultation

W = Words
HEADINGS = {
    "title": W("Your data in the register", "Tietosi rekisterissä"),
    "reference": W("Reference", "Viite"),
    "compiled": W("Compiled", "Koottu"),
    "times": W("Times are in the time zone %s.", "Ajat ovat aikavyöhykkeellä %s."),
    "person": W("You", "Perustietosi"),
    "relationships": W(
        "Customer, member and stakeholder relationships", "Asiakas-, jäsen- ja sidosryhmäsuhteet"
    ),
    "meetings": W("Meetings and other contacts", "Tapaamiset ja muut yhteydenotot"),
    "consents": W("Consents and objections", "Suostumukset ja kiellot"),
    "disclosures": W("Disclosures of your data", "Tietojesi luovutukset"),
    "requests": W("Your requests", "Pyyntösi"),
    "consultations": W("When and why your data were consulted", "Tietojesi käsittelykerrat"),
    "copies": W("Copies in Slack", "Kopiot Slackissa"),
    "files": W("Files that hold your data", "Tiedostot, joissa on tietojasi"),
    "messages": W("The bot's messages that name you", "Botin viestit, joissa nimesi mainitaan"),
    "other": W("Other data", "Muut tiedot"),
    "information": W("About the processing", "Tietoa käsittelystä"),
    "none": W("None.", "Ei tietoja."),
}
CONSULTATION_HEADINGS = (
    W("Time", "Aika"),
    W("What happened", "Tapahtuma"),
    W("Purpose", "Tarkoitus"),
)
IN_FORCE = W("in force", "voimassa")
OBJECTION_SINCE = W("%s since %s", "%s %s alkaen")
OBJECTIONS: dict[str, Words] = {
    ConsentPurpose.MARKETING: W("Objection to direct marketing", "Suoramarkkinoinnin kielto"),
    ConsentPurpose.SATISFACTION_SURVEY: W(
        "Objection to the satisfaction survey", "Asiakastyytyväisyyskyselyn kielto"
    ),
}
REFUSED = W("Consent refused: %s", "Suostumus evätty: %s")
INFORMATION = {
    "register_name": W("Register", "Rekisteri"),
    "controller": W("Controller", "Rekisterinpitäjä"),
    "contact_person": W("Contact person for register matters", "Rekisteriasioiden yhteyshenkilö"),
    "purposes": W("Purposes of processing", "Käsittelyn tarkoitukset"),
    "legal_bases": W("Legal bases", "Käsittelyn perusteet"),
    "categories": W("Categories of data", "Tietoryhmät"),
    "source": W("Source of the data", "Tietojen lähde"),
    "recipients": W("Recipients", "Vastaanottajat"),
    "processors": W("Processors and services used", "Käsittelijät ja käytetyt palvelut"),
    "transfers": W("Transfers outside the EU and EEA", "Siirrot EU:n ja ETA:n ulkopuolelle"),
    "retention": W("Retention periods", "Säilytysajat"),
    "copies_in_slack": W("Copies in Slack", "Kopiot Slackissa"),
    "security": W("How the data are protected", "Tietojen suojaaminen"),
    "rights": W("Your rights", "Oikeutesi"),
    "complaint": W("Right to complain", "Valitusoikeus"),
    "automated_decisions": W("Automated decision-making", "Automaattinen päätöksenteko"),
}
CONTACT = {
    "business_id": W("Business ID", "Y-tunnus"),
    "address": W("Address", "Osoite"),
    "phone": W("Phone", "Puhelin"),
    "email": W("E-mail", "Sähköposti"),
}
PROCESSOR = {
    "service": W("Service", "Palvelu"),
    "data": W("Data", "Tiedot"),
    "location": W("Where", "Sijainti"),
    "safeguard": W("Safeguard of the transfer", "Siirron suojatoimi"),
}
# Sections of the person's own data, in the order of the register description.
SECTIONS = (
    ("relationships", "relationships"),
    ("meetings", "meetings"),
    ("consents", "consents"),
    ("disclosures", "disclosures"),
    ("data_subject_requests", "requests"),
)
SHOWN_ELSEWHERE = frozenset(
    {"persons", "phone_numbers", *(table for table, _ in SECTIONS)}
    | {"slack_files", "slack_messages", "slack_file_persons", "slack_message_persons"}
)
STYLE = (
    "body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em}"
    "table{border-collapse:collapse;margin-bottom:1em}"
    "th,td{border:1px solid #999;padding:.2em .5em;text-align:left;vertical-align:top}"
    "dt{font-weight:bold}dd{margin:0 0 .5em 0}"
)


class _Page:
    def __init__(self, package: AccessPackage) -> None:
        self.package = package
        self.language = package.language

    def say(self, words: Words) -> str:
        return escape(words.in_(self.language))

    def value(self, table: str, column: str, value: Any) -> str:
        return escape(cell(table, column, value, self.package.zone, self.language))

    def shown_columns(self, table: str, rows: list[Row]) -> list[str]:
        """The labelled columns, in the vocabulary's order; the rest stays in the JSON."""
        present = set(rows[0]) if rows else set()
        return [c for c in COLUMNS.get(table, {}) if c in present]

    def none(self) -> str:
        return f"<p>{self.say(HEADINGS['none'])}</p>"

    def table(self, headings: Iterable[str], rows: list[list[str]]) -> str:
        if not rows:
            return self.none()
        head = "".join(f"<th>{h}</th>" for h in headings)
        body = "".join("<tr>" + "".join(f"<td>{v}</td>" for v in row) + "</tr>" for row in rows)
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    def rows_table(self, table: str, rows: list[Row]) -> str:
        """The labelled columns that hold something in at least one row."""
        cells = [
            {c: self.value(table, c, row[c]) for c in self.shown_columns(table, rows)}
            for row in rows
        ]
        columns = [c for c in self.shown_columns(table, rows) if any(row[c] for row in cells)]
        labels = COLUMNS.get(table, {})
        return self.table(
            [self.say(labels[c]) for c in columns], [[row[c] for c in columns] for row in cells]
        )

    def section(self, heading: str, body: str) -> str:
        return f"<h2>{self.say(HEADINGS[heading])}</h2>{body}"

    def person(self) -> str:
        (person,) = self.package.data["persons"] or [{}]
        labels = COLUMNS["persons"]
        numbers = [escape(str(r["number"])) for r in self.package.data.get("phone_numbers", [])]
        items = []
        for column in self.shown_columns("persons", [person]):
            shown = person[column] not in (None, "", False)
            if shown:
                value = self.value("persons", column, person[column])
                items.append(f"<dt>{self.say(labels[column])}</dt><dd>{value}</dd>")
            if column == "email" and numbers:
                label = self.say(COLUMNS["phone_numbers"]["number"])
                items.append(f"<dt>{label}</dt><dd>{'<br>'.join(numbers)}</dd>")
        return self.section("person", f"<dl>{''.join(items)}</dl>")

    def consents(self) -> str:
        rows = self.package.data.get("consents", [])
        given = [row for row in rows if not is_objection(row)]
        parts = []
        if given:
            labels = COLUMNS["consents"]
            headings = [self.say(labels[c]) for c in ("purpose", "given_at", "withdrawn_at")]
            parts.append(
                self.table(
                    headings,
                    [
                        [
                            self.value("consents", "purpose", row["purpose"]),
                            self.value("consents", "given_at", row["given_at"]),
                            self.value("consents", "withdrawn_at", row["withdrawn_at"])
                            or self.say(IN_FORCE),
                        ]
                        for row in given
                    ],
                )
            )
        objections = [self.objection(row) for row in rows if is_objection(row)]
        if objections:
            parts.append("<ul>" + "".join(f"<li>{o}</li>" for o in objections) + "</ul>")
        return self.section("consents", "".join(parts) or self.none())

    def objection(self, row: Row) -> str:
        purpose = str(row["purpose"])
        what = OBJECTIONS.get(purpose)
        name = (
            what.in_(self.language)
            if what
            else REFUSED.in_(self.language) % self.value("consents", "purpose", purpose)
        )
        since = cell("consents", "given_at", row["given_at"], self.package.zone, self.language)
        return escape(OBJECTION_SINCE.in_(self.language) % (name, since))

    def consultations(self) -> str:
        purposes = VALUES[Purpose]
        rows = [
            [
                escape(moment(c.at, self.package.zone, self.language)),
                escape(consultation(c.action, self.language)),
                self.say(purposes[c.purpose]) if c.purpose in purposes else "",
            ]
            for c in self.package.consultations
        ]
        headings = [self.say(h) for h in CONSULTATION_HEADINGS]
        return self.section("consultations", self.table(headings, rows))

    def copies(self) -> str:
        data = self.package.data
        body = f"<h3>{self.say(HEADINGS['files'])}</h3>" + self.rows_table(
            "slack_files", data.get("slack_files", [])
        )
        if data.get("slack_messages"):
            body += f"<h3>{self.say(HEADINGS['messages'])}</h3>" + self.rows_table(
                "slack_messages", data["slack_messages"]
            )
        return self.section("copies", body)

    def other(self) -> str:
        """A table added later and not yet placed: its labelled columns only."""
        parts = [
            self.rows_table(name, rows)
            for name, rows in self.package.data.items()
            if name not in SHOWN_ELSEWHERE and rows and self.shown_columns(name, rows)
        ]
        return self.section("other", "".join(parts)) if parts else ""

    def contact(self, contact: Contact) -> str:
        fields = contact.model_dump()
        lines = [escape(contact.name)] + [
            f"{self.say(label)}: {escape(str(fields[key]))}"
            for key, label in CONTACT.items()
            if key in fields
        ]
        return "<p>" + "<br>".join(lines) + "</p>"

    def processor(self, processor: Processor) -> str:
        fields = processor.model_dump()
        lines = [f"<b>{escape(processor.name)}</b>"] + [
            f"{self.say(label)}: {escape(str(fields[key]))}"
            for key, label in PROCESSOR.items()
            if fields.get(key)
        ]
        return "<li>" + "<br>".join(lines) + "</li>"

    def information(self) -> str:
        description = self.package.description
        information = self.package.information
        parts = []
        for key, heading in INFORMATION.items():
            if key == "register_name":
                continue
            parts.append(f"<h3>{self.say(heading)}</h3>")
            if key in ("controller", "contact_person"):
                parts.append(self.contact(getattr(description, key)))
            elif key == "processors":
                parts.append(
                    "<ul>" + "".join(self.processor(p) for p in description.processors) + "</ul>"
                )
            elif isinstance(information[key], list):
                items = "".join(f"<li>{escape(item)}</li>" for item in information[key])
                parts.append(f"<ul>{items}</ul>")
            else:
                parts.append(f"<p>{escape(str(information[key]))}</p>")
        return self.section("information", "".join(parts))

    def render(self) -> str:
        package = self.package
        data = package.data
        title = self.say(HEADINGS["title"])
        own = "".join(
            self.consents()
            if table == "consents"
            else self.section(heading, self.rows_table(table, data.get(table, [])))
            for table, heading in SECTIONS
        )
        compiled = escape(moment(package.generated_at, package.zone, self.language))
        zone = escape(HEADINGS["times"].in_(self.language) % package.zone)
        return (
            f'<!DOCTYPE html><html lang="{escape(self.language)}"><head><meta charset="utf-8">'
            f"<title>{title}</title><style>{STYLE}</style></head><body>"
            f"<h1>{title}</h1>"
            f"<p>{escape(package.description.register_name)}</p>"
            f"<p>{self.say(HEADINGS['reference'])}: {escape(package.person_reference)}<br>"
            f"{self.say(HEADINGS['compiled'])}: {compiled}<br>{zone}</p>"
            + self.person()
            + own
            + self.consultations()
            + self.copies()
            + self.other()
            + self.information()
            + "</body></html>"
        )


def to_html(package: AccessPackage) -> str:
    return _Page(package).render()
