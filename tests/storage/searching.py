"""Searching as an advisor or a controller, as the search tests do."""

from sqlalchemy.orm import Session

from storage.models.enums import Purpose, Role
from storage.search import search_persons
from storage.staff import StaffMember

ADVISOR = StaffMember(
    id=1, slack_user_id="UADVISOR", display_name="", role=Role.ADVISOR, active=True, language=None
)
CONTROLLER = StaffMember(
    id=2,
    slack_user_id="UCONTROL",
    display_name="",
    role=Role.CONTROLLER,
    active=True,
    language=None,
)


def names(session: Session, query: str, viewer: StaffMember = ADVISOR) -> list[str]:
    result = search_persons(
        session=session, viewer=viewer, query=query, purpose=Purpose.CUSTOMER_SERVICE
    )
    return [f"{hit.first_name} {hit.last_name}" for hit in result.hits]
