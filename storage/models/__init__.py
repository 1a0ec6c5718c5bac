"""Every table of the register, importable from one place.

Importing it also registers the listener that keeps persons.search_name (person_search), and
the one that refuses control characters in text (text_guard).
"""

from storage.models.agency import THE_AGENCY, Agency
from storage.models.audit_event import (
    AuditChainEpoch,
    AuditChainPruning,
    AuditEvent,
    AuditEventPerson,
    AuditPending,
    AuditSeal,
    JobRun,
)
from storage.models.base import Base
from storage.models.data_subject_request import (
    DataSubjectRequest,
    Disclosure,
    Erasure,
    RequestAlert,
)
from storage.models.meeting import Meeting
from storage.models.outbox import HandledEvent, OutboxMessage
from storage.models.person import Consent, DistinctPerson, Person, PhoneNumber, Relationship
from storage.models.person_search import search_name
from storage.models.slack_copy import SlackFile, SlackFilePerson, SlackMessage, SlackMessagePerson
from storage.models.staff import Staff
from storage.models.text_guard import refuse_control_characters

__all__ = [
    "THE_AGENCY",
    "Agency",
    "AuditChainEpoch",
    "AuditChainPruning",
    "AuditEvent",
    "AuditEventPerson",
    "AuditPending",
    "AuditSeal",
    "Base",
    "Consent",
    "DataSubjectRequest",
    "Disclosure",
    "DistinctPerson",
    "Erasure",
    "HandledEvent",
    "JobRun",
    "Meeting",
    "OutboxMessage",
    "Person",
    "PhoneNumber",
    "Relationship",
    "RequestAlert",
    "SlackFile",
    "SlackFilePerson",
    "SlackMessage",
    "SlackMessagePerson",
    "Staff",
    "refuse_control_characters",
    "search_name",
]
