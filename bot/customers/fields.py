"""What the person form and the card call each field and each value of an enumeration: the
register's own vocabulary (storage.vocabulary), which the access package speaks too."""

from collections.abc import Iterable
from enum import StrEnum

from bot.slack.i18n import N_, Translator
from bot.slack.ids import PersonField
from storage import vocabulary
from storage.enums import (
    ConsentPurpose,
    DataSource,
    Education,
    EmploymentStatus,
    Gender,
    HeardFrom,
    LabourMarketPosition,
    LegalBasis,
    RelationshipKind,
)

OTHER = N_("Other")

# What a rectification changed or a recipient received, besides the person's own fields: the
# relationship as a whole, and the name as the survey tool receives it.
OTHER_DATA: dict[str, vocabulary.Words] = {
    "relationship": vocabulary.Words("Relationship", "Suhde"),
    "name": vocabulary.Words("Name", "Nimi"),
}

# The person form's fields that are not the person's own: a consent it records with them.
FORM_ONLY: dict[str, vocabulary.Words] = {
    PersonField.CONSENT_PURPOSE: vocabulary.Words("Consent given for", "Suostumuksen tarkoitus"),
    PersonField.CONSENT_GIVEN_ON: vocabulary.Words("Consent given on", "Suostumuksen antopäivä"),
}

# The enumeration each select of the person form offers.
FORM_ENUMS: dict[str, type[StrEnum]] = {
    PersonField.GENDER: Gender,
    PersonField.EDUCATION: Education,
    PersonField.EMPLOYMENT_STATUS: EmploymentStatus,
    PersonField.LABOUR_MARKET_POSITION: LabourMarketPosition,
    PersonField.HEARD_FROM: HeardFrom,
    PersonField.SOURCE: DataSource,
    PersonField.RELATIONSHIP_KIND: RelationshipKind,
    PersonField.LEGAL_BASIS: LegalBasis,
    PersonField.CONSENT_PURPOSE: ConsentPurpose,
}


def field_label(name: str, t: Translator) -> str:
    if name in FORM_ONLY:
        return FORM_ONLY[name].in_(t.language)
    return vocabulary.field_label(name, t.language)


def data_labels(names: Iterable[str], t: Translator) -> str:
    """Stored fields or categories of data as the reader calls them, in a sentence:
    "e-mail, phone numbers"; never the storage names."""
    return ", ".join(_data_label(name, t.language).lower() for name in names)


def _data_label(name: str, language: str) -> str:
    words = vocabulary.PERSON_FIELDS.get(name) or OTHER_DATA.get(name) or vocabulary.OTHER
    return words.in_(language)


def enum_label(value: StrEnum, t: Translator) -> str:
    return vocabulary.enum_label(value, t.language)
