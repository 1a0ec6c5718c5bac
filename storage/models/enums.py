"""Enumerations stored as their string values."""

from enum import StrEnum


class Role(StrEnum):
    ADVISOR = "advisor"
    CONTROLLER = "controller"
    ADMIN = "admin"


class Gender(StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNDISCLOSED = "undisclosed"


class Education(StrEnum):
    BASIC = "basic"
    UPPER_SECONDARY = "upper_secondary"
    VOCATIONAL = "vocational"
    BACHELOR = "bachelor"
    MASTER = "master"
    DOCTORATE = "doctorate"
    OTHER = "other"


class EmploymentStatus(StrEnum):
    EMPLOYED = "employed"
    SELF_EMPLOYED = "self_employed"
    UNEMPLOYED = "unemployed"
    STUDENT = "student"
    RETIRED = "retired"
    ON_LEAVE = "on_leave"
    OTHER = "other"


class LabourMarketPosition(StrEnum):
    WAGE_EARNER = "wage_earner"
    ENTREPRENEUR = "entrepreneur"
    JOBSEEKER = "jobseeker"
    OUTSIDE_LABOUR_FORCE = "outside_labour_force"
    OTHER = "other"


class HeardFrom(StrEnum):
    EMPLOYMENT_OFFICE = "employment_office"
    INTERNET = "internet"
    SOCIAL_MEDIA = "social_media"
    FRIEND = "friend"
    EVENT = "event"
    FINANCIER = "financier"
    ACCOUNTANT = "accountant"
    PRESS = "press"
    OTHER = "other"


class DataSource(StrEnum):
    PERSON = "person"
    PUBLIC_REGISTER = "public_register"
    OTHER = "other"
    EARLIER_REGISTER = "earlier_register"  # brought in from the agency's earlier system


class RelationshipKind(StrEnum):
    CUSTOMER = "customer"
    MEMBER = "member"
    STAKEHOLDER = "stakeholder"


class LegalBasis(StrEnum):
    CONTRACT = "contract"
    CONSENT = "consent"
    LEGAL_OBLIGATION = "legal_obligation"
    LEGITIMATE_INTEREST = "legitimate_interest"


class ConsentPurpose(StrEnum):
    MARKETING = "marketing"
    SATISFACTION_SURVEY = "satisfaction_survey"
    DISCLOSURE_AUTHORITIES = "disclosure_authorities"
    DISCLOSURE_EXPERTS = "disclosure_experts"
    DISCLOSURE_FINANCIERS = "disclosure_financiers"


class MeetingKind(StrEnum):
    MEETING = "meeting"
    PHONE = "phone"
    VIDEO = "video"
    EMAIL = "email"
    EVENT = "event"


class RequestKind(StrEnum):
    ACCESS = "access"
    RECTIFICATION = "rectification"
    ERASURE = "erasure"
    RESTRICTION = "restriction"
    PORTABILITY = "portability"
    OBJECTION = "objection"


class RequestChannel(StrEnum):
    EMAIL = "email"
    LETTER = "letter"
    IN_PERSON = "in_person"
    PHONE = "phone"
    OTHER = "other"


class RequestStatus(StrEnum):
    RECEIVED = "received"
    IN_PROGRESS = "in_progress"
    # Done in the register; open until the contact person records that the answer reached the
    # data subject, which completes it.
    FULFILLED = "fulfilled"
    COMPLETED = "completed"
    REJECTED = "rejected"


class AnswerDelivery(StrEnum):
    """How the answer to a request reached the data subject."""

    EMAIL = "email"
    POST = "post"
    IN_PERSON = "in_person"


class ObjectionScope(StrEnum):
    """What an objection (Art 21) is to: direct marketing takes effect at once; other
    processing is the contact person's to decide."""

    DIRECT_MARKETING = "direct_marketing"
    OTHER = "other"


class RecipientKind(StrEnum):
    SURVEY_TOOL = "survey_tool"
    AUTHORITY = "authority"
    EXPERT = "expert"
    FINANCIER = "financier"
    OTHER = "other"


class AuditOutcome(StrEnum):
    ALLOWED = "allowed"
    DENIED = "denied"


class Purpose(StrEnum):
    """Why a person's data was consulted: written on each audit event, told in an access package."""

    CUSTOMER_SERVICE = "customer_service"
    MEETING_RECORD = "meeting_record"
    DATA_SUBJECT_REQUEST = "data_subject_request"
    RETENTION_REVIEW = "retention_review"
    REPORTING = "reporting"
    SATISFACTION_SURVEY = "satisfaction_survey"
    DUPLICATE_CHECK = "duplicate_check"
    IMPORT = "import"
    REGISTER_RETURN = "register_return"


class OutboxKind(StrEnum):
    """What a message in the outbox says; it is rendered from the ids it names when it goes."""

    REQUEST_ALERT = "request_alert"
    REQUEST_UPDATE = "request_update"
    FILER_OUTCOME = "filer_outcome"
    ACCESS_PACKAGE = "access_package"
    PORTABILITY_PACKAGE = "portability_package"
    RECIPIENTS_TO_TELL = "recipients_to_tell"
    FOLLOW_UPS = "follow_ups"
    REQUEST_DEADLINES = "request_deadlines"
    REQUEST_DEADLINE_COUNTS = "request_deadline_counts"
    RETENTION_REVIEW = "retention_review"
    AUDIT_BROKEN = "audit_broken"
    FILING_CONFIRMATION = "filing_confirmation"
    CONTROLLER_NOTICE = "controller_notice"
    SLACK_FILE_DELETE = "slack_file_delete"
    SLACK_MESSAGE_REDACT = "slack_message_redact"


class SlackFileKind(StrEnum):
    """What a file the bot uploaded to Slack holds."""

    ACCESS_PACKAGE = "access_package"
    PORTABILITY_PACKAGE = "portability_package"
    REPORT = "report"
    SURVEY_LIST = "survey_list"
    RECIPIENTS_LIST = "recipients_list"
    REGISTER_EXPORT = "register_export"  # the agency's whole register, for its admin


class OutboxStatus(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"  # Slack refused it for good (the recipient is gone, …)
    CANCELLED = "cancelled"  # nothing left to say when its turn came
