"""What the person form and the card call each field and each value of an enumeration."""

from collections.abc import Iterable
from enum import StrEnum

from bot.meetings.blocks import KIND_NAMES
from bot.slack.i18n import N_, Translator
from bot.slack.ids import PersonField
from storage.enums import (
    ConsentPurpose,
    DataSource,
    Education,
    EmploymentStatus,
    Gender,
    HeardFrom,
    LabourMarketPosition,
    LegalBasis,
    MeetingKind,
    RelationshipKind,
    RequestKind,
    RequestStatus,
)

OTHER = N_("Other")

FIELD_LABELS: dict[str, str] = {
    PersonField.FIRST_NAME: N_("First name"),
    PersonField.LAST_NAME: N_("Last name"),
    PersonField.EMAIL: N_("E-mail"),
    PersonField.PHONE_NUMBERS: N_("Phone numbers"),
    PersonField.STREET_ADDRESS: N_("Street address"),
    PersonField.POSTAL_CODE: N_("Postal code"),
    PersonField.POST_OFFICE: N_("Post office"),
    PersonField.MUNICIPALITY: N_("Municipality of residence"),
    PersonField.NATIONALITY: N_("Nationality"),
    PersonField.GENDER: N_("Gender"),
    PersonField.BIRTH_DATE: N_("Date of birth"),
    PersonField.EDUCATION: N_("Education"),
    PersonField.EMPLOYMENT_STATUS: N_("Employment status"),
    PersonField.LABOUR_MARKET_POSITION: N_("Position in the labour market"),
    PersonField.HEARD_FROM: N_("Heard of us from"),
    PersonField.HEARD_FROM_TEXT: N_("Heard of us from, in more detail"),
    PersonField.SOURCE: N_("Source of the data"),
    PersonField.RELATIONSHIP_KIND: N_("Relationship"),
    PersonField.LEGAL_BASIS: N_("Legal basis"),
}

# What a rectification changed or a recipient received, besides the person form's fields: the
# relationship as a whole, and the name as the survey tool receives it.
DATA_LABELS: dict[str, str] = {
    **FIELD_LABELS,
    "relationship": N_("Relationship"),
    "name": N_("Name"),
}

ENUM_LABELS: dict[type[StrEnum], dict[str, str]] = {
    Gender: {
        Gender.FEMALE: N_("Female"),
        Gender.MALE: N_("Male"),
        Gender.OTHER: OTHER,
        Gender.UNDISCLOSED: N_("Prefers not to say"),
    },
    Education: {
        Education.BASIC: N_("Basic education"),
        Education.UPPER_SECONDARY: N_("Upper secondary school"),
        Education.VOCATIONAL: N_("Vocational qualification"),
        Education.BACHELOR: N_("Bachelor's degree"),
        Education.MASTER: N_("Master's degree"),
        Education.DOCTORATE: N_("Doctorate"),
        Education.OTHER: OTHER,
    },
    EmploymentStatus: {
        EmploymentStatus.EMPLOYED: N_("Employed"),
        EmploymentStatus.SELF_EMPLOYED: N_("Self-employed"),
        EmploymentStatus.UNEMPLOYED: N_("Unemployed"),
        EmploymentStatus.STUDENT: N_("Student"),
        EmploymentStatus.RETIRED: N_("Retired"),
        EmploymentStatus.ON_LEAVE: N_("On family or other leave"),
        EmploymentStatus.OTHER: OTHER,
    },
    LabourMarketPosition: {
        LabourMarketPosition.WAGE_EARNER: N_("Wage earner"),
        LabourMarketPosition.ENTREPRENEUR: N_("Entrepreneur"),
        LabourMarketPosition.JOBSEEKER: N_("Jobseeker"),
        LabourMarketPosition.OUTSIDE_LABOUR_FORCE: N_("Outside the labour force"),
        LabourMarketPosition.OTHER: OTHER,
    },
    HeardFrom: {
        HeardFrom.EMPLOYMENT_OFFICE: N_("Employment services"),
        HeardFrom.INTERNET: N_("The internet"),
        HeardFrom.SOCIAL_MEDIA: N_("Social media"),
        HeardFrom.FRIEND: N_("A friend or acquaintance"),
        HeardFrom.EVENT: N_("An event"),
        HeardFrom.FINANCIER: N_("A financier"),
        HeardFrom.ACCOUNTANT: N_("An accountant"),
        HeardFrom.PRESS: N_("The press"),
        HeardFrom.OTHER: OTHER,
    },
    DataSource: {
        DataSource.PERSON: N_("The person themselves"),
        DataSource.PUBLIC_REGISTER: N_("A public register"),
        DataSource.OTHER: OTHER,
    },
    RelationshipKind: {
        RelationshipKind.CUSTOMER: N_("Customer"),
        RelationshipKind.MEMBER: N_("Member"),
        RelationshipKind.STAKEHOLDER: N_("Stakeholder"),
    },
    LegalBasis: {
        LegalBasis.CONTRACT: N_("Contract"),
        LegalBasis.CONSENT: N_("Consent"),
        LegalBasis.LEGAL_OBLIGATION: N_("Legal obligation"),
        LegalBasis.LEGITIMATE_INTEREST: N_("Legitimate interest"),
    },
    ConsentPurpose: {
        ConsentPurpose.MARKETING: N_("Marketing"),
        ConsentPurpose.SATISFACTION_SURVEY: N_("Satisfaction survey"),
        ConsentPurpose.DISCLOSURE_AUTHORITIES: N_("Disclosure to authorities"),
        ConsentPurpose.DISCLOSURE_EXPERTS: N_("Disclosure to experts"),
        ConsentPurpose.DISCLOSURE_FINANCIERS: N_("Disclosure to financiers"),
    },
    MeetingKind: {kind.value: label for kind, label in KIND_NAMES.items()},
    RequestKind: {
        RequestKind.ACCESS: N_("Access request"),
        RequestKind.RECTIFICATION: N_("Rectification request"),
        RequestKind.ERASURE: N_("Erasure request"),
        RequestKind.RESTRICTION: N_("Restriction request"),
    },
    RequestStatus: {
        RequestStatus.RECEIVED: N_("Received"),
        RequestStatus.IN_PROGRESS: N_("In progress"),
        RequestStatus.COMPLETED: N_("Completed"),
        RequestStatus.REJECTED: N_("Rejected"),
    },
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
}


def field_label(name: str, t: Translator) -> str:
    return t(FIELD_LABELS[name])


def data_labels(names: Iterable[str], t: Translator) -> str:
    """Stored fields or categories of data as the reader calls them, in a sentence:
    "e-mail, phone numbers"; never the storage names."""
    return ", ".join(t(DATA_LABELS.get(name, OTHER)).lower() for name in names)


def enum_label(value: StrEnum, t: Translator) -> str:
    return t(ENUM_LABELS[type(value)][value])
