"""Every block, action and callback id the bot uses, in one place.

Action ids name their act in English snake case; the ones external tests press are a contract
(DESIGN.md). Input blocks use the storage field name as their block id.
"""

from enum import StrEnum

# Slash commands, Finnish names first.
COMMAND_CUSTOMER = ("/asiakas", "/customer")
COMMAND_MEETING = ("/tapaaminen", "/meeting")
COMMAND_REQUEST = ("/tietopyynto", "/dsr")
COMMAND_REGISTER = ("/rekisteri", "/register")
ALL_COMMANDS = COMMAND_CUSTOMER + COMMAND_MEETING + COMMAND_REQUEST + COMMAND_REGISTER

# Buttons (contract).
PERSON_OPEN = "person_open"
PERSON_EDIT = "person_edit"
PERSON_NEW = "person_new"
MEETING_LOG = "meeting_log"
REQUEST_START = "request_start"
REQUEST_VERIFY = "request_verify"
REQUEST_FULFIL = "request_fulfil"
REQUEST_EXTEND = "request_extend"
REQUEST_REJECT = "request_reject"
RETENTION_REVIEW = "retention_review"

# Home tab.
HOME_LANGUAGE = "home_language"

# Other buttons and selects.
PERSON_OPEN_EXISTING = "person_open_existing"
PERSON_SAVE_ANYWAY = "save_anyway"
MEETING_PERSON_SELECT = "meeting_person_select"

# Modals (callback ids).
PERSON_FORM = "person_form"
PERSON_CARD = "person_card"
MEETING_FORM = "meeting_form"

# Input blocks use the storage field name as block_id (contract); the element inside each
# carries the same name as its action_id.


class PersonField(StrEnum):
    FIRST_NAME = "first_name"
    LAST_NAME = "last_name"
    EMAIL = "email"
    PHONE_NUMBERS = "phone_numbers"
    STREET_ADDRESS = "street_address"
    POSTAL_CODE = "postal_code"
    POST_OFFICE = "post_office"
    MUNICIPALITY = "municipality"
    NATIONALITY = "nationality"
    GENDER = "gender"
    BIRTH_DATE = "birth_date"
    EDUCATION = "education"
    EMPLOYMENT_STATUS = "employment_status"
    LABOUR_MARKET_POSITION = "labour_market_position"
    HEARD_FROM = "heard_from"
    HEARD_FROM_TEXT = "heard_from_text"
    SOURCE = "source"
    RELATIONSHIP_KIND = "relationship_kind"
    LEGAL_BASIS = "legal_basis"
    CONSENT_PURPOSE = "consent_purpose"
    CONSENT_GIVEN_ON = "consent_given_on"


# The person form's input blocks in their order on the form.
PERSON_FIELDS = tuple(PersonField)


class MeetingField(StrEnum):
    PERSON_ID = "person_id"
    OCCURRED_AT = "occurred_at"
    DURATION_MINUTES = "duration_minutes"
    KIND = "kind"
    TOPIC = "topic"
    NOTES = "notes"
    FOLLOW_UP_ON = "follow_up_on"


# Data-subject requests: the filing modal, and the modals of a controller's alert buttons.
REQUEST_FORM = "request_form"
REQUEST_VERIFY_FORM = "request_verify_form"
REQUEST_EXTEND_FORM = "request_extend_form"
REQUEST_REJECT_FORM = "request_reject_form"
REQUEST_ACTIONS = "request_actions"
REQUEST_OPEN = "request_open"
REQUEST_FILE = "request_file"
# The filing modal shown again with what to check (a deadline already passed, an open request of
# the same kind): a box the advisor ticks to file it all the same.
REQUEST_FILE_ANYWAY = "file_anyway"


class RequestField(StrEnum):
    KIND = "kind"
    PERSON_ID = "person_id"
    REQUESTER_NAME = "requester_name"
    REQUESTER_CONTACT = "requester_contact"
    CHANNEL = "channel"
    RECEIVED_ON = "received_on"
    LANGUAGE = "language"
    DETAILS = "details"


# How the requester's identity was verified (the select, and the text when it is "other").
IDENTITY_VERIFICATION = "identity_verification"
IDENTITY_VERIFICATION_TEXT = "identity_verification_text"
EXTENSION_REASON = "extension_reason"
# A rejection's reasons are stored as the request's resolution.
REJECTION_REASON = "resolution"

# Fulfilling a request: the erasure confirmation and the restriction modal, the reason's block
# (the storage field name), and the card's button that lifts a restriction.
REQUEST_ERASURE_FORM = "request_erasure_form"
REQUEST_RESTRICTION_FORM = "request_restriction_form"
RESTRICTION_REASON = "restriction_reason"
RESTRICTION_LIFT = "restriction_lift"
# An objection decided: what it is to, and for other processing the decision and its reasons
# (stored as the request's resolution).
REQUEST_OBJECTION_FORM = "request_objection_form"
OBJECTION_SCOPE = "objection_scope"
OBJECTION_DECISION = "objection_decision"
OBJECTION_REASONS = "resolution"
# The answer reached the data subject: the button after fulfilment, its modal and its fields
# (storage field names). Recording it completes the request.
REQUEST_ANSWERED = "request_answered"
REQUEST_ANSWER_FORM = "request_answer_form"
ANSWER_DELIVERY = "answer_delivery"
ANSWERED_ON = "answered_on"

# Retention review: the modal the `retention_review` button opens. Each listed record has
# three input blocks named by the person's id: the decision (erase or hold), and for a hold
# its end date and reason.
RETENTION_REVIEW_FORM = "retention_review_form"
RETENTION_DECISION_PREFIX = "decision_"
RETENTION_HOLD_UNTIL_PREFIX = "hold_until_"
RETENTION_HOLD_REASON_PREFIX = "hold_reason_"


def retention_decision(person_id: int) -> str:
    return f"{RETENTION_DECISION_PREFIX}{person_id}"


def retention_hold_until(person_id: int) -> str:
    return f"{RETENTION_HOLD_UNTIL_PREFIX}{person_id}"


def retention_hold_reason(person_id: int) -> str:
    return f"{RETENTION_HOLD_REASON_PREFIX}{person_id}"


# Reports: the modal `/rekisteri raportti` opens.
REPORT_VIEW = "report_view"

# Consents on a person's card: the button and its modal; the modal's inputs.
CONSENT_RECORD = "consent_record"
CONSENT_FORM = "consent_form"


class ConsentField(StrEnum):
    PURPOSE = "purpose"
    STATUS = "status"
    DATE = "date"


# Disclosures on a person's card (controller): the button and its modal; the modal's inputs.
DISCLOSURE_RECORD = "disclosure_record"
DISCLOSURE_FORM = "disclosure_form"


class DisclosureField(StrEnum):
    RECIPIENT = "recipient"
    RECIPIENT_KIND = "recipient_kind"
    CATEGORIES = "categories"


# A list on a person's card longer than the card shows: the button that opens all of it, page
# by page, and the modal's page buttons. Value: `list:person id:page`.
CARD_LIST_OPEN = "card_list_open"
CARD_LIST_PAGE = "card_list_page"
CARD_LIST = "card_list"

# The hit list of `/asiakas`, page by page. Value: {"query": ..., "page": from 0} as JSON.
HIT_LIST_PAGE = "hit_list_page"

# The staff list of `/rekisteri henkilokunta`, page by page. Value: the page, from 0.
STAFF_PAGE = "staff_page"

# The Home tab's follow-ups, page by page. Value: the page, from 0.
HOME_PAGE = "home_page"
HOME_REQUESTS_PAGE = "home_requests_page"

# The duplicate warning's matches past those it lists: the button that opens them all (value:
# the matches, packed) and the pushed modal's page buttons (value: the page, from 0).
DUPLICATES_OPEN = "duplicates_open"
DUPLICATES_PAGE = "duplicates_page"
DUPLICATES = "duplicates"

# The end of the agency's service: the modal `/rekisteri tyhjennä` opens, and its one input,
# where the admin types the workspace's name (or the confirmation word) to erase the register.
REGISTER_ERASE_FORM = "register_erase_form"
REGISTER_ERASE_CONFIRMATION = "confirmation"
