"""Ids never given twice, and a key per person that an erasure names the person by.

SQLite gives the highest id again once its row is deleted, unless the table says AUTOINCREMENT:
every table is rebuilt with it, keeping its rows, constraints, indexes and triggers (the search
index's among them). PostgreSQL's sequences never go back by themselves.

`persons.person_key` is a random key per person. A person already here gets a key derived from
their id, public reference and creation time, so that a backup from before this revision,
restored and migrated again, gives each person the same key as before. `erasures.person_key`
names the erased person's key (none for erasures recorded before). The persons' id sequence is
raised past every id an erasure or the audit trail has named, so that no id erased before this
revision is given again.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 18:00:00
"""

import re
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.engine import Connection

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY_NAMESPACE = uuid.UUID("6f0c1d1e-3b52-4c6e-9a57-0e6c2f1f4b8a")
OLD = "_old_"
# SQLAlchemy's DDL of a table whose id is not AUTOINCREMENT: `id INTEGER NOT NULL,` and,
# further on, `CONSTRAINT pk_<table> PRIMARY KEY (id)`.
NAMED_PRIMARY_KEY = re.compile(r",\s*CONSTRAINT \w+ PRIMARY KEY \((\w+)\)")


def upgrade() -> None:
    op.add_column("persons", sa.Column("person_key", sa.Uuid(), nullable=True))
    op.add_column("erasures", sa.Column("person_key", sa.Uuid(), nullable=True))
    connection = op.get_bind()
    _fill_person_keys(connection)
    if connection.dialect.name == "sqlite":
        _rebuild_sqlite_tables(
            connection, {"persons": ("person_key CHAR(32)", "person_key CHAR(32) NOT NULL")}
        )
    else:
        op.alter_column("persons", "person_key", existing_type=sa.Uuid(), nullable=False)
    op.create_index(op.f("ix_persons_person_key"), "persons", ["person_key"], unique=True)
    _raise_person_ids_past_erased_ones(connection)


def downgrade() -> None:
    # AUTOINCREMENT stays on SQLite: it only stops ids from being given twice.
    op.drop_index(op.f("ix_persons_person_key"), table_name="persons")
    for table in ("erasures", "persons"):
        op.execute(f"ALTER TABLE {table} DROP COLUMN person_key")


def _fill_person_keys(connection: Connection) -> None:
    persons = sa.table(
        "persons",
        sa.column("id", sa.Integer),
        sa.column("reference", sa.String),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("person_key", sa.Uuid),
    )
    rows = connection.execute(
        sa.select(persons.c.id, persons.c.reference, persons.c.created_at)
    ).all()
    if not rows:
        return
    connection.execute(
        persons.update()
        .where(persons.c.id == sa.bindparam("person_id"))
        .values(person_key=sa.bindparam("key")),
        [
            {"person_id": person_id, "key": _derived_key(person_id, reference, created_at)}
            for person_id, reference, created_at in rows
        ],
    )


def _derived_key(person_id: int, reference: str, created_at: datetime) -> uuid.UUID:
    if created_at.tzinfo is not None:
        created_at = created_at.astimezone(UTC).replace(tzinfo=None)
    return uuid.uuid5(KEY_NAMESPACE, f"{person_id}:{reference}:{created_at.isoformat()}")


def _rebuild_sqlite_tables(connection: Connection, tweaks: dict[str, tuple[str, str]]) -> None:
    """Every table again, from its own DDL with AUTOINCREMENT added. With foreign keys enforced
    (they cannot be turned off inside a transaction), a parent table must never be dropped
    while a table refers to it by name: so the old tables are renamed out of the way (their
    children's references follow them), the new ones created and filled parents first, and the
    old ones dropped children first."""
    schema = connection.exec_driver_sql("SELECT type, name, tbl_name, sql FROM sqlite_master").all()
    virtual = {
        name
        for kind, name, _, sql in schema
        if kind == "table" and sql.upper().startswith("CREATE VIRTUAL TABLE")
    }
    tables = {
        name: sql
        for kind, name, _, sql in schema
        if kind == "table"
        and not name.startswith("sqlite_")
        and name != "alembic_version"
        and not any(name == v or name.startswith(v + "_") for v in virtual)
    }
    indexes_and_triggers = [
        sql
        for kind, _, table, sql in schema
        if kind in ("index", "trigger") and table in tables and sql
    ]
    order = _parents_first(connection, set(tables))
    for name in order:
        op.execute(f'ALTER TABLE "{name}" RENAME TO "{OLD}{name}"')
    for name in order:
        ddl = _with_autoincrement(tables[name])
        if name in tweaks:
            old, new = tweaks[name]
            ddl = ddl.replace(old, new, 1)
        op.execute(ddl)
        columns = ", ".join(
            f'"{row[1]}"' for row in connection.exec_driver_sql(f'PRAGMA table_info("{name}")')
        )
        op.execute(f'INSERT INTO "{name}" ({columns}) SELECT {columns} FROM "{OLD}{name}"')
    for name in reversed(order):
        op.execute(f'DROP TABLE "{OLD}{name}"')
    for sql in indexes_and_triggers:
        op.execute(sql)
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    if broken:
        raise RuntimeError(f"foreign keys broken by the rebuild: {sorted({b[0] for b in broken})}")


def _parents_first(connection: Connection, names: set[str]) -> list[str]:
    parents = {
        name: {
            row[2]
            for row in connection.exec_driver_sql(f'PRAGMA foreign_key_list("{name}")')
            if row[2] in names and row[2] != name
        }
        for name in names
    }
    order: list[str] = []
    while parents:
        ready = sorted(name for name, needs in parents.items() if needs <= set(order))
        if not ready:
            raise RuntimeError(f"foreign keys in a cycle: {sorted(parents)}")
        order.extend(ready)
        for name in ready:
            del parents[name]
    return order


def _with_autoincrement(ddl: str) -> str:
    key = NAMED_PRIMARY_KEY.search(ddl)
    if key is None:
        return ddl
    column = re.compile(rf"(\n\s*{key.group(1)} INTEGER NOT NULL),")
    if column.search(ddl) is None:
        return ddl
    ddl = ddl[: key.start()] + ddl[key.end() :]
    return column.sub(r"\1 PRIMARY KEY AUTOINCREMENT,", ddl, count=1)


def _raise_person_ids_past_erased_ones(connection: Connection) -> None:
    named = connection.execute(
        sa.text(
            "SELECT max(id) FROM (SELECT max(person_id) AS id FROM erasures "
            "UNION ALL SELECT max(person_id) FROM audit_events) AS named"
        )
    ).scalar()
    if not named:
        return
    if connection.dialect.name == "sqlite":
        connection.execute(
            sa.text("UPDATE sqlite_sequence SET seq = :id WHERE name = 'persons' AND seq < :id"),
            {"id": named},
        )
        connection.execute(
            sa.text(
                "INSERT INTO sqlite_sequence (name, seq) SELECT 'persons', :id "
                "WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'persons')"
            ),
            {"id": named},
        )
        return
    sequence = "pg_get_serial_sequence('persons', 'id')::regclass"
    current = connection.execute(sa.text(f"SELECT pg_sequence_last_value({sequence})")).scalar()
    if current is None or current < named:
        connection.execute(sa.text(f"SELECT setval({sequence}, :id)"), {"id": named})
