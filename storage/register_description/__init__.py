"""The register description (Art 13-15 information) the access package quotes: the shipped one
(from the agency's privacy notice) or the agency's own file (REGISTER_DESCRIPTION_PATH), one
description per language, validated when it is loaded, with the retention periods filled in
from the settings actually in force.

A value the agency has still to fill in is written `[[like this]]`; each such value (or an
empty one) is an open item, shown to the contact person before a package goes out.
"""

import json
import re
import string
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from storage.retention import DEFAULT_POLICY, RetentionPolicy
from storage.slack_copies import DEFAULT_KEPT_DAYS

LANGUAGES = ("fi", "en")
PLACEHOLDER = re.compile(r"\[\[.*?\]\]")
DEFAULT_REQUEST_YEARS = 5
DEFAULT_AUDIT_YEARS = 5
# Reads the `{months}`, `{years}` and `{days}` the sentences hold.
_formatter = string.Formatter()


class DescriptionError(ValueError):
    """The description file cannot be used: the message names the file and what is wrong."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Contact(_Strict):
    name: str
    address: str
    phone: str
    email: str


class Controller(Contact):
    business_id: str


class Processor(_Strict):
    """A processor or recipient: who, for what, which data, where; outside the EU/EEA with
    the safeguard of the transfer (Art 15(2), 46)."""

    name: str
    service: str
    data: str
    location: str
    outside_eea: bool
    safeguard: str | None = None

    @model_validator(mode="after")
    def needs_safeguard(self) -> "Processor":
        if self.outside_eea and not (self.safeguard or "").strip():
            raise ValueError("a processor outside the EU/EEA needs its safeguard")
        return self


class Retention(_Strict):
    """Each period's sentence, with its length as `{months}` or `{years}` from the settings."""

    customers: str
    members: str
    stakeholders: str
    requests: str
    audit_events: str
    general: str

    @model_validator(mode="after")
    def periods_come_from_settings(self) -> "Retention":
        for name, unit in RETENTION_UNITS.items():
            sentence = getattr(self, name)
            fields = {field for _, field, _, _ in _formatter.parse(sentence) if field is not None}
            if fields != {unit}:
                raise ValueError(f"retention.{name} must say its length as {{{unit}}} only")
        return self


RETENTION_UNITS = {
    "customers": "months",
    "members": "months",
    "stakeholders": "months",
    "requests": "years",
    "audit_events": "years",
}


class RegisterDescription(_Strict):
    register_name: str
    controller: Controller
    contact_person: Contact
    purposes: list[str] = Field(min_length=1)
    legal_bases: list[str] = Field(min_length=1)
    categories: list[str] = Field(min_length=1)
    source: str
    recipients: list[str]
    processors: list[Processor] = Field(min_length=1)
    transfers: str
    retention: Retention
    copies_in_slack: str
    security: str
    rights: list[str] = Field(min_length=1)
    complaint: str
    automated_decisions: str

    @model_validator(mode="after")
    def slack_days_come_from_settings(self) -> "RegisterDescription":
        fields = {f for _, f, _, _ in _formatter.parse(self.copies_in_slack) if f is not None}
        if fields != {"days"}:
            raise ValueError("copies_in_slack must say how long a file stays as {days} only")
        return self


class Descriptions(_Strict):
    fi: RegisterDescription
    en: RegisterDescription

    def in_(self, language: str) -> RegisterDescription:
        return self.en if language == "en" else self.fi


@dataclass(frozen=True)
class PeriodsInForce:
    """The retention periods the settings set, told to the person as they are."""

    policy: RetentionPolicy = DEFAULT_POLICY
    request_years: int = DEFAULT_REQUEST_YEARS
    audit_years: int = DEFAULT_AUDIT_YEARS
    slack_file_days: int = DEFAULT_KEPT_DAYS


def _shipped() -> dict[str, Any]:
    folder = files("storage").joinpath("register_description")
    return {
        language: json.loads(folder.joinpath(f"{language}.json").read_text("utf-8"))
        for language in LANGUAGES
    }


def _problems(error: ValidationError) -> str:
    lines = []
    for problem in error.errors():
        where = ".".join(str(part) for part in problem["loc"]) or "(the whole file)"
        message = problem["msg"].removeprefix("Value error, ")
        lines.append(f"{where}: {message}")
    return "; ".join(lines)


@cache
def load_descriptions(path: Path | None = None) -> Descriptions:
    """The agency's file at `path`, `{"fi": {...}, "en": {...}}`, each shaped as the shipped
    storage/register_description/fi.json; without a path, the shipped ones."""
    if path is None:
        return Descriptions.model_validate(_shipped())
    try:
        document = json.loads(Path(path).read_text("utf-8"))
    except OSError as error:
        raise DescriptionError(f"{path}: cannot be read ({error.strerror})") from None
    except (ValueError, UnicodeDecodeError) as error:
        raise DescriptionError(f"{path}: not JSON ({error})") from None
    try:
        return Descriptions.model_validate(document)
    except ValidationError as error:
        raise DescriptionError(f"{path}: {_problems(error)}") from None


@cache
def descriptions_from_text(text: str) -> Descriptions:
    """An agency's own description document, kept as JSON text: validated as a file is."""
    try:
        return Descriptions.model_validate_json(text)
    except ValidationError as error:
        raise DescriptionError(f"the register description: {_problems(error)}") from None


def register_description(language: str, path: Path | None = None) -> RegisterDescription:
    return load_descriptions(path).in_(language)


@dataclass(frozen=True)
class OpenItem:
    language: str
    where: str  # e.g. processors.1.name
    value: str  # the placeholder as written, or "" for an empty value


def _walk(value: Any, where: str) -> list[tuple[str, str]]:
    if isinstance(value, dict):
        return [item for key, inner in value.items() for item in _walk(inner, f"{where}.{key}")]
    if isinstance(value, list):
        return [item for i, inner in enumerate(value) for item in _walk(inner, f"{where}.{i}")]
    if isinstance(value, str):
        return [(where, value)]
    return []


def open_items(descriptions: Descriptions) -> list[OpenItem]:
    """Every value still empty or holding a `[[placeholder]]`, in both languages."""
    items = []
    for language in LANGUAGES:
        document = descriptions.in_(language).model_dump()
        for where, value in _walk(document, ""):
            if not value.strip():
                items.append(OpenItem(language, where.lstrip("."), ""))
            for placeholder in PLACEHOLDER.findall(value):
                items.append(OpenItem(language, where.lstrip("."), placeholder))
    return items


def retention_sentences(description: RegisterDescription, periods: PeriodsInForce) -> list[str]:
    """The retention periods in force, each in the description's own words."""
    retention = description.retention
    policy = periods.policy
    return [
        retention.customers.format(months=policy.customer_months),
        retention.members.format(months=policy.member_months),
        retention.stakeholders.format(months=policy.stakeholder_months),
        retention.requests.format(years=periods.request_years),
        retention.audit_events.format(years=periods.audit_years),
        retention.general,
    ]
