"""What the register calls each field and each stored value, in Finnish and English: the one
source for the person form and card on the Slack side and for the access package a data
subject reads. A code (`vocational`, `disclosure_financiers`) is never shown to a person."""

from dataclasses import dataclass
from enum import StrEnum

from storage.models.enums import (
    AnswerDelivery,
    ConsentPurpose,
    DataSource,
    Education,
    EmploymentStatus,
    Gender,
    HeardFrom,
    LabourMarketPosition,
    LegalBasis,
    MeetingKind,
    ObjectionScope,
    Purpose,
    RecipientKind,
    RelationshipKind,
    RequestChannel,
    RequestKind,
    RequestStatus,
    SlackFileKind,
)

LANGUAGES = ("fi", "en")


@dataclass(frozen=True)
class Words:
    en: str
    fi: str

    def in_(self, language: str) -> str:
        return self.fi if language == "fi" else self.en


OTHER = Words("Other", "Muu")

# The person's own fields, as the person form, the card and the access package name them.
PERSON_FIELDS: dict[str, Words] = {
    "first_name": Words("First name", "Etunimi"),
    "last_name": Words("Last name", "Sukunimi"),
    "email": Words("E-mail", "Sähköposti"),
    "phone_numbers": Words("Phone numbers", "Puhelinnumerot"),
    "street_address": Words("Street address", "Katuosoite"),
    "postal_code": Words("Postal code", "Postinumero"),
    "post_office": Words("Post office", "Postitoimipaikka"),
    "municipality": Words("Municipality of residence", "Kotikunta"),
    "nationality": Words("Nationality", "Kansalaisuus"),
    "gender": Words("Gender", "Sukupuoli"),
    "birth_date": Words("Date of birth", "Syntymäaika"),
    "education": Words("Education", "Koulutus"),
    "employment_status": Words("Employment status", "Työtilanne"),
    "labour_market_position": Words("Position in the labour market", "Asema työmarkkinoilla"),
    "heard_from": Words("Heard of us from", "Mistä kuuli meistä"),
    "heard_from_text": Words("Heard of us from, in more detail", "Mistä kuuli meistä, tarkemmin"),
    "source": Words("Source of the data", "Tietojen lähde"),
    "relationship_kind": Words("Relationship", "Suhde"),
    "legal_basis": Words("Legal basis", "Käsittelyperuste"),
}

# Each table's columns as the access package shows them, in the order shown. A column that is
# in neither this table nor INTERNAL_COLUMNS fails a test, so none reaches a person unnamed.
COLUMNS: dict[str, dict[str, Words]] = {
    "persons": {
        "reference": Words("Reference", "Viite"),
        **{name: words for name, words in PERSON_FIELDS.items() if name != "phone_numbers"},
        "restricted": Words("Processing restricted", "Käsittelyä rajoitettu"),
        "restriction_reason": Words("Reason for the restriction", "Rajoittamisen syy"),
        "restricted_since": Words("Restricted since", "Rajoitettu alkaen"),
        "retention_hold_until": Words("Retention ends on", "Säilytyksen päättymispäivä"),
        "retention_hold_reason": Words("Reason for keeping the data", "Säilyttämisen syy"),
        "created_at": Words("Added to the register", "Lisätty rekisteriin"),
        "updated_at": Words("Last changed", "Viimeksi muutettu"),
        "last_activity_at": Words("Last contact", "Viimeisin asiointi"),
    },
    "phone_numbers": {"number": Words("Phone number", "Puhelinnumero")},
    "relationships": {
        "kind": Words("Relationship", "Suhde"),
        "started_on": Words("Started on", "Alkanut"),
        "ended_on": Words("Ended on", "Päättynyt"),
        "legal_basis": Words("Legal basis", "Käsittelyperuste"),
    },
    "meetings": {
        "occurred_at": Words("Time", "Aika"),
        "kind": Words("Kind of contact", "Yhteydenoton tapa"),
        "duration_minutes": Words("Duration (minutes)", "Kesto (min)"),
        "topic": Words("Topic", "Aihe"),
        "notes": Words("Notes", "Muistiinpanot"),
        "follow_up_on": Words("Follow-up on", "Seuraava yhteydenotto"),
        "created_at": Words("Recorded", "Kirjattu"),
    },
    "consents": {
        "purpose": Words("Purpose", "Tarkoitus"),
        "given_at": Words("Given", "Annettu"),
        "withdrawn_at": Words("Withdrawn", "Peruutettu"),
    },
    "disclosures": {
        "disclosed_at": Words("Disclosed", "Luovutettu"),
        "recipient": Words("Recipient", "Vastaanottaja"),
        "recipient_kind": Words("Kind of recipient", "Vastaanottajan laji"),
        "categories": Words("Data disclosed", "Luovutetut tiedot"),
        "legal_basis": Words("Legal basis", "Luovutuksen peruste"),
    },
    "data_subject_requests": {
        "kind": Words("Kind of request", "Pyynnön laji"),
        "person_reference": Words("Reference", "Viite"),
        "requester_name": Words("Requester", "Pyytäjä"),
        "requester_contact": Words("Requester's contact details", "Pyytäjän yhteystiedot"),
        "channel": Words("Arrived by", "Saapumistapa"),
        "language": Words("Language", "Kieli"),
        "received_on": Words("Received on", "Vastaanotettu"),
        "due_on": Words("Due date", "Määräpäivä"),
        "extended_due_on": Words("Extended due date", "Jatkettu määräpäivä"),
        "extension_reason": Words("Reason for the extension", "Jatkamisen syy"),
        "status": Words("Status", "Tila"),
        "identity_verified_at": Words("Identity checked", "Henkilöllisyys tarkistettu"),
        "identity_verification": Words("How the identity was checked", "Tunnistamistapa"),
        "details": Words("The request", "Pyynnön sisältö"),
        "resolution": Words("Resolution", "Ratkaisu"),
        "objection_scope": Words("Objection to", "Vastustamisen kohde"),
        "fulfilled_at": Words("Fulfilled", "Toteutettu"),
        "answer_delivery": Words("Answer delivered", "Vastaus toimitettu"),
        "answered_on": Words("Answer delivered on", "Vastaus toimitettu päivänä"),
        "completed_at": Words("Completed", "Valmistunut"),
        "created_at": Words("Recorded", "Kirjattu"),
        "updated_at": Words("Last changed", "Viimeksi muutettu"),
    },
    "slack_files": {
        "kind": Words("File", "Tiedosto"),
        "uploaded_at": Words("Made", "Muodostettu"),
        "keep_until": Words("Deleted from Slack by", "Poistetaan Slackista viimeistään"),
        "deleted_at": Words("Deleted from Slack", "Poistettu Slackista"),
    },
    "slack_messages": {
        "posted_at": Words("Sent", "Lähetetty"),
        "redacted_at": Words("Name removed", "Nimi poistettu"),
    },
    "distinct_persons": {
        "accepted_at": Words(
            "Found to be another person than a record with similar details",
            "Todettu eri henkilöksi kuin samankaltaisin tiedoin kirjattu",
        ),
    },
}

# Kept in the machine-readable file (it keeps every value) but not shown to the person: keys
# that only link rows, technical keys against double entries, and who on the staff did what
# (CJEU C-579/21: a data subject is told when and why, not by whom); and the agency a row
# belongs to, which is the controller the whole package is from.
_INTERNAL_KEYS: dict[str, frozenset[str]] = {
    "persons": frozenset({"id", "responsible_advisor_id"}),
    "phone_numbers": frozenset({"id", "person_id"}),
    "relationships": frozenset({"id", "person_id"}),
    "meetings": frozenset({"id", "person_id", "advisor_id"}),
    "consents": frozenset({"id", "person_id"}),
    "disclosures": frozenset({"id", "person_id", "consent_id"}),
    "data_subject_requests": frozenset(
        {"id", "person_id", "filed_by_id", "handled_by_id", "filing_key"}
    ),
    "slack_file_persons": frozenset({"id", "file_id", "person_id"}),
    "slack_message_persons": frozenset({"id", "message_id", "person_id"}),
    "distinct_persons": frozenset({"id", "person_id", "other_person_id"}),
}
INTERNAL_COLUMNS = {table: keys | {"agency_id"} for table, keys in _INTERNAL_KEYS.items()}

# What a value of each enumeration is called, by its stored value.
VALUES: dict[type[StrEnum], dict[str, Words]] = {
    Gender: {
        "female": Words("Female", "Nainen"),
        "male": Words("Male", "Mies"),
        "other": OTHER,
        "undisclosed": Words("Prefers not to say", "Ei halua kertoa"),
    },
    Education: {
        "basic": Words("Basic education", "Perusaste"),
        "upper_secondary": Words("Upper secondary school", "Lukio"),
        "vocational": Words("Vocational qualification", "Ammatillinen tutkinto"),
        "bachelor": Words("Bachelor's degree", "Alempi korkeakoulututkinto"),
        "master": Words("Master's degree", "Ylempi korkeakoulututkinto"),
        "doctorate": Words("Doctorate", "Tohtorin tutkinto"),
        "other": OTHER,
    },
    EmploymentStatus: {
        "employed": Words("Employed", "Työssä"),
        "self_employed": Words("Self-employed", "Itsensä työllistäjä"),
        "unemployed": Words("Unemployed", "Työtön"),
        "student": Words("Student", "Opiskelija"),
        "retired": Words("Retired", "Eläkkeellä"),
        "on_leave": Words("On family or other leave", "Perhevapaalla tai muulla vapaalla"),
        "other": OTHER,
    },
    LabourMarketPosition: {
        "wage_earner": Words("Wage earner", "Palkansaaja"),
        "entrepreneur": Words("Entrepreneur", "Yrittäjä"),
        "jobseeker": Words("Jobseeker", "Työnhakija"),
        "outside_labour_force": Words("Outside the labour force", "Työvoiman ulkopuolella"),
        "other": OTHER,
    },
    HeardFrom: {
        "employment_office": Words("Employment services", "Työllisyyspalvelut (ent. TE-palvelut)"),
        "internet": Words("The internet", "Internet"),
        "social_media": Words("Social media", "Sosiaalinen media"),
        "friend": Words("A friend or acquaintance", "Ystävä tai tuttava"),
        "event": Words("An event", "Tapahtuma"),
        "financier": Words("A financier", "Rahoittaja"),
        "accountant": Words("An accountant", "Tilitoimisto"),
        "press": Words("The press", "Lehdistö"),
        "other": OTHER,
    },
    DataSource: {
        "person": Words("The person themselves", "Henkilö itse"),
        "public_register": Words("A public register", "Julkinen rekisteri"),
        "earlier_register": Words(
            "The agency's earlier register", "Yrityskeskuksen aiempi rekisteri"
        ),
        "other": OTHER,
    },
    RelationshipKind: {
        "customer": Words("Customer", "Asiakas"),
        "member": Words("Member", "Jäsen"),
        "stakeholder": Words("Stakeholder", "Sidosryhmä"),
    },
    LegalBasis: {
        "contract": Words("Contract", "Sopimus"),
        "consent": Words("Consent", "Suostumus"),
        "legal_obligation": Words("Legal obligation", "Lakisääteinen velvoite"),
        "legitimate_interest": Words("Legitimate interest", "Oikeutettu etu"),
    },
    ConsentPurpose: {
        "marketing": Words("Marketing", "Markkinointi"),
        "satisfaction_survey": Words("Satisfaction survey", "Asiakastyytyväisyyskysely"),
        "disclosure_authorities": Words("Disclosure to authorities", "Luovutus viranomaisille"),
        "disclosure_experts": Words("Disclosure to experts", "Luovutus asiantuntijoille"),
        "disclosure_financiers": Words("Disclosure to financiers", "Luovutus rahoittajille"),
    },
    MeetingKind: {
        "meeting": Words("Meeting", "Tapaaminen"),
        "phone": Words("Phone call", "Puhelu"),
        "video": Words("Video call", "Videopuhelu"),
        "email": Words("E-mail", "Sähköposti"),
        "event": Words("Event", "Tapahtuma"),
    },
    RequestKind: {
        "access": Words("Access request", "Tarkastuspyyntö"),
        "rectification": Words("Rectification request", "Oikaisupyyntö"),
        "erasure": Words("Erasure request", "Poistopyyntö"),
        "restriction": Words("Restriction request", "Käsittelyn rajoittamispyyntö"),
        "portability": Words("Data portability request", "Tietojen siirtopyyntö"),
        "objection": Words("Objection", "Käsittelyn vastustaminen"),
    },
    RequestStatus: {
        "received": Words("Received", "Vastaanotettu"),
        "in_progress": Words("In progress", "Käsittelyssä"),
        "fulfilled": Words(
            "Fulfilled, answer not yet recorded as delivered",
            "Toteutettu, vastauksen perillemenoa ei ole vielä kirjattu",
        ),
        "completed": Words("Completed", "Käsitelty"),
        "rejected": Words("Rejected", "Hylätty"),
    },
    RequestChannel: {
        "email": Words("By e-mail", "Sähköpostilla"),
        "letter": Words("By letter", "Kirjeellä"),
        "in_person": Words("In person", "Henkilökohtaisesti"),
        "phone": Words("By phone", "Puhelimitse"),
        "other": Words("Otherwise", "Muulla tavoin"),
    },
    AnswerDelivery: {
        "email": Words("By e-mail", "Sähköpostilla"),
        "post": Words("By post", "Postitse"),
        "in_person": Words("In person", "Henkilökohtaisesti"),
    },
    ObjectionScope: {
        "direct_marketing": Words("Direct marketing", "Suoramarkkinointi"),
        "other": Words("Other processing", "Muu käsittely"),
    },
    RecipientKind: {
        "survey_tool": Words("Satisfaction survey tool", "Asiakastyytyväisyyskyselyn työkalu"),
        "authority": Words("Authority", "Viranomainen"),
        "expert": Words("Expert", "Asiantuntija"),
        "financier": Words("Financier", "Rahoittaja"),
        "other": OTHER,
    },
    Purpose: {
        "customer_service": Words("customer service", "asiakaspalvelu"),
        "meeting_record": Words("recording a meeting", "tapaamisen kirjaaminen"),
        "data_subject_request": Words(
            "handling a data subject request", "rekisteröidyn pyynnön käsittely"
        ),
        "retention_review": Words("retention review", "säilytysajan tarkistus"),
        "reporting": Words("reporting", "raportointi"),
        "satisfaction_survey": Words("the satisfaction survey", "asiakastyytyväisyyskysely"),
        "duplicate_check": Words(
            "checking for duplicate records when a person was added or edited",
            "kaksoiskirjausten tarkistus henkilöä lisättäessä tai muokattaessa",
        ),
        "import": Words(
            "bringing in the data from the agency's earlier register",
            "tietojen siirto aiemmasta rekisteristä",
        ),
        "register_return": Words(
            "returning the whole register to the agency at the end of the service",
            "koko rekisterin palauttaminen rekisterinpitäjälle palvelun päättyessä",
        ),
    },
    SlackFileKind: {
        "access_package": Words("Copy of your data", "Jäljennös tiedoistasi"),
        "report": Words("Report", "Raportti"),
        "survey_list": Words("Satisfaction survey list", "Asiakaskyselyn vastaanottajaluettelo"),
        "portability_package": Words(
            "Data you provided, for transfer", "Antamasi tiedot siirtoa varten"
        ),
        "recipients_list": Words(
            "List of recipients to tell", "Luettelo vastaanottajista, joille on ilmoitettava"
        ),
    },
}

# The enumeration each column's values come from, where the column holds one.
COLUMN_VALUES: dict[tuple[str, str], type[StrEnum]] = {
    ("persons", "gender"): Gender,
    ("persons", "education"): Education,
    ("persons", "employment_status"): EmploymentStatus,
    ("persons", "labour_market_position"): LabourMarketPosition,
    ("persons", "heard_from"): HeardFrom,
    ("persons", "source"): DataSource,
    ("relationships", "kind"): RelationshipKind,
    ("relationships", "legal_basis"): LegalBasis,
    ("consents", "purpose"): ConsentPurpose,
    ("meetings", "kind"): MeetingKind,
    ("disclosures", "recipient_kind"): RecipientKind,
    ("disclosures", "legal_basis"): LegalBasis,
    ("data_subject_requests", "kind"): RequestKind,
    ("data_subject_requests", "channel"): RequestChannel,
    ("data_subject_requests", "status"): RequestStatus,
    ("data_subject_requests", "answer_delivery"): AnswerDelivery,
    ("data_subject_requests", "objection_scope"): ObjectionScope,
    ("slack_files", "kind"): SlackFileKind,
}

LANGUAGE_NAMES: dict[str, Words] = {
    "fi": Words("Finnish", "suomi"),
    "en": Words("English", "englanti"),
}

# What an audit action tells the person of a consultation of their data; an action not named
# here is told as a consultation in general, never by its code.
CONSULTATIONS: dict[str, Words] = {
    "person.view": Words("Your card was opened", "Korttisi avattiin"),
    "person.view_restricted": Words("Your card was opened", "Korttisi avattiin"),
    "person.search": Words("You were found in a search", "Sinut löydettiin haussa"),
    "person.create": Words("You were added to the register", "Sinut lisättiin rekisteriin"),
    "person.read_for_edit": Words(
        "Your data were opened for editing", "Tietosi avattiin muokattaviksi"
    ),
    "person.edit": Words("Your data were changed", "Tietojasi muutettiin"),
    "person.duplicate_shown": Words(
        "You were shown as a possible duplicate record",
        "Sinut näytettiin mahdollisena kaksoiskirjauksena",
    ),
    "person.duplicate_restricted": Words(
        "You were checked as a possible duplicate record",
        "Sinut tarkistettiin mahdollisena kaksoiskirjauksena",
    ),
    "person.duplicate_accepted": Words(
        "You were found not to be the same person as a similar record",
        "Sinut todettiin eri henkilöksi kuin samankaltainen kirjaus",
    ),
    "person.disclose": Words(
        "A disclosure of your data was recorded", "Tietojesi luovutus kirjattiin"
    ),
    "person.survey_export": Words(
        "You were listed for the satisfaction survey",
        "Sinut listattiin asiakastyytyväisyyskyselyyn",
    ),
    "person.restrict": Words(
        "The processing of your data was restricted", "Tietojesi käsittelyä rajoitettiin"
    ),
    "person.restriction_lift": Words(
        "The restriction of processing was lifted", "Käsittelyn rajoitus poistettiin"
    ),
    "person.retention_review": Words(
        "Your data were reviewed for retention", "Tietojesi säilyttäminen tarkistettiin"
    ),
    "person.retention_hold": Words(
        "A decision was made to keep your data", "Tietojesi säilyttämisestä päätettiin"
    ),
    "person.retention_refused": Words(
        "Your data were reviewed for retention", "Tietojesi säilyttäminen tarkistettiin"
    ),
    # An erased person gets no package; told all the same should a restore bring them back.
    "person.erase": Words("Your data were erased", "Tietosi poistettiin"),
    "person.erase_replay": Words("Your data were erased", "Tietosi poistettiin"),
    "person.portability_package": Words(
        "The data you provided were collected for transfer",
        "Antamasi tiedot koottiin siirtoa varten",
    ),
    "person.access_package": Words(
        "A copy of your data was made for you", "Tiedoistasi koottiin sinulle jäljennös"
    ),
    "consent.give": Words("A consent was recorded", "Suostumus kirjattiin"),
    "consent.withdraw": Words(
        "A withdrawal or objection was recorded", "Peruutus tai kielto kirjattiin"
    ),
    "meeting.form": Words(
        "You were chosen for a meeting record", "Sinut valittiin tapaamiskirjaukseen"
    ),
    "meeting.log": Words("A meeting with you was recorded", "Tapaaminen kanssasi kirjattiin"),
    "request.form": Words(
        "You were chosen for a data-subject request",
        "Sinut valittiin rekisteröidyn pyyntöön",
    ),
    "home.view": Words(
        "You were listed on a staff member's own page",
        "Sinut näytettiin työntekijän omalla sivulla",
    ),
    "request.file": Words("Your request was recorded", "Pyyntösi kirjattiin"),
    "request.view": Words("Your request was read", "Pyyntösi luettiin"),
    "request.start": Words("Work on your request began", "Pyyntösi käsittely aloitettiin"),
    "request.verify": Words("Your identity was checked", "Henkilöllisyytesi tarkistettiin"),
    "request.extend": Words(
        "The time to answer your request was extended", "Pyyntösi vastausaikaa jatkettiin"
    ),
    "request.reject": Words("Your request was refused", "Pyyntösi hylättiin"),
    "request.fulfil": Words("Your request was fulfilled", "Pyyntösi toteutettiin"),
    "person.import": Words(
        "Your data were brought in from the agency's earlier register",
        "Tietosi siirrettiin yrityskeskuksen aiemmasta rekisteristä",
    ),
    "person.import_duplicate": Words(
        "Your data were compared with the agency's earlier register",
        "Tietojasi verrattiin yrityskeskuksen aiempaan rekisteriin",
    ),
    "meeting.import": Words(
        "A meeting was brought in from the agency's earlier register",
        "Tapaaminen siirrettiin yrityskeskuksen aiemmasta rekisteristä",
    ),
    "request.complete": Words("Your request was completed", "Pyyntösi käsittely päättyi"),
    "follow_up.remind": Words(
        "A follow-up reminder named you", "Yhteydenottomuistutuksessa mainittiin nimesi"
    ),
}
CONSULTED = Words("Your data were consulted", "Tietojasi käsiteltiin")


def enum_label(value: StrEnum, language: str) -> str:
    return VALUES[type(value)][value.value].in_(language)


def value_label(enumeration: type[StrEnum], value: str, language: str) -> str:
    """The name of a stored value; the value itself if it is not (yet) one the register knows."""
    words = VALUES[enumeration].get(value)
    return words.in_(language) if words else value


def field_label(name: str, language: str) -> str:
    return PERSON_FIELDS[name].in_(language)


def consultation(action: str, language: str) -> str:
    return CONSULTATIONS.get(action, CONSULTED).in_(language)
