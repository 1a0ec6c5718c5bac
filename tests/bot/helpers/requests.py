"""A data-subject request as the alert builders receive it, of an obviously made-up person."""

from datetime import date

from storage.enums import RequestChannel, RequestKind, RequestStatus
from storage.requests import RequestView

RECEIVED = RequestView(
    id=12,
    kind=RequestKind.ACCESS,
    status=RequestStatus.RECEIVED,
    channel=RequestChannel.EMAIL,
    person_id=3,
    person_reference="R-7K3Q9",
    requester_name="Maija Mallikas",
    requester_contact="maija.mallikas@example.fi",
    details="Haluan kopion tiedoistani.",
    language="fi",
    received_on=date(2025, 11, 25),
    due_on=date(2025, 12, 29),
    extended_due_on=None,
    extension_reason=None,
    identity_verified_at=None,
    identity_verification=None,
    filed_by="UADVISOR1",
    handled_by=None,
    resolution=None,
    completed_at=None,
)
