"""Recipients who got a person's data (Art 19: told of a rectification, erasure or restriction)."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Disclosure
from storage.models.enums import RecipientKind


@dataclass(frozen=True)
class Recipient:
    recipient: str
    kind: RecipientKind
    categories: tuple[str, ...]
    last_disclosed_at: datetime


def recipients_of(*, session: Session, person_id: int) -> list[Recipient]:
    """Each recipient once, with every category they got and when they last got any."""
    found: dict[tuple[str, RecipientKind], Recipient] = {}
    query = (
        select(Disclosure)
        .where(Disclosure.person_id == person_id)
        .order_by(Disclosure.disclosed_at, Disclosure.id)
    )
    for disclosure in session.scalars(query):
        key = (disclosure.recipient, disclosure.recipient_kind)
        earlier = found.get(key)
        categories = tuple(str(c) for c in disclosure.categories)
        if earlier:
            categories = earlier.categories + tuple(
                c for c in categories if c not in earlier.categories
            )
        found[key] = Recipient(
            disclosure.recipient, disclosure.recipient_kind, categories, disclosure.disclosed_at
        )
    return sorted(found.values(), key=lambda r: (r.recipient.casefold(), r.kind))
