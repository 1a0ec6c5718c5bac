"""Each municipality spelt one way: the spellings already in `persons.municipality` that fold
alike ("hämeenlinna", "HÄMEENLINNA ", "Hämeenlinna") become one, so that a report counts the
municipality once. It is the spelling `storage.municipalities` gives, which every later save
uses; where that still leaves several (a name abroad typed "McAllen" and "mcallen"), the one
most persons have, the first in order on a tie.

Going back leaves the spellings as they are: the variants were mistakes, not data.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01 01:30:00
"""

from collections import Counter, defaultdict
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.municipalities import folded, normalised_municipality

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PERSONS = sa.table("persons", sa.column("municipality", sa.String))


def upgrade() -> None:
    connection = op.get_bind()
    counted = connection.execute(
        sa.select(PERSONS.c.municipality, sa.func.count())
        .where(PERSONS.c.municipality.is_not(None))
        .group_by(PERSONS.c.municipality)
    ).all()
    persons_by_spelling: dict[str, Counter[str]] = defaultdict(Counter)
    for spelling, persons in counted:
        one = normalised_municipality(spelling)
        if one is not None:
            persons_by_spelling[folded(one)][one] += persons
    chosen = {
        key: min(spellings, key=lambda name: (-spellings[name], name))
        for key, spellings in persons_by_spelling.items()
    }
    for spelling, _ in counted:
        one = normalised_municipality(spelling)
        one = chosen[folded(one)] if one is not None else None
        if one != spelling:
            connection.execute(
                sa.update(PERSONS)
                .where(PERSONS.c.municipality == spelling)
                .values(municipality=one)
            )


def downgrade() -> None:
    pass
