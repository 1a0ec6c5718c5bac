"""Watches the cards a staff member opens: past the threshold of `BULK_LOOKUP_THRESHOLD` cards
in `BULK_LOOKUP_WINDOW_MINUTES`, the controllers are told, once per window (ASVS V8.1.4)."""

from slack_bolt import BoltContext
from sqlalchemy.orm import Session

from bot.slack.controller_notices import ControllerNotice, tell_controllers
from bot.slack.i18n import Nn_
from storage import bulk_lookups
from storage.bulk_lookups import BulkLookup
from storage.staff import StaffMember

BULK_LOOKUP, BULK_LOOKUPS = Nn_(
    "<@%(staff)s> opened %(cards)s person card within %(minutes)s min. Check that each "
    "look-up had a purpose. You hear of this at most once per %(minutes)s min.",
    "<@%(staff)s> opened %(cards)s person cards within %(minutes)s min. Check that each "
    "look-up had a purpose. You hear of this at most once per %(minutes)s min.",
)


def bulk_lookup_notice(found: BulkLookup) -> ControllerNotice:
    return ControllerNotice(
        kind="bulk_lookup",
        key=f"bulk-lookup:{found.report_id}",
        message=BULK_LOOKUP,
        plural=BULK_LOOKUPS,
        counted="cards",
        params={
            "staff": found.slack_user_id,
            "cards": found.cards,
            "minutes": int(found.window.total_seconds() // 60),
        },
    )


def watch_card_opened(context: BoltContext, *, session: Session, staff: StaffMember) -> None:
    """After a card was opened in this transaction: the controllers told (through the outbox,
    with this transaction), if that card made the staff member's look-ups a bulk look-up."""
    found = bulk_lookups.note_card_opened(
        session=session, actor=staff.slack_user_id, limit=context["bulk_lookup_limit"]
    )
    if found is None:
        return
    tell_controllers(session=session, notice=bulk_lookup_notice(found))
