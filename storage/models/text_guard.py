"""Every text a model writes is checked for control characters before the row is flushed: a
Text column (or one marked `info={"multiline": True}`) may hold line feeds and tabs, any other
string column none at all. A bulk insert, which the ORM's events do not see, checks its rows
with `refuse_control_characters_in`."""

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import String, Text, event
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapper

from storage.errors import ControlCharacters
from storage.models.base import Base
from storage.text_rules import has_control_characters


def _check(mapper: Mapper[Any], values: Mapping[str, Any]) -> None:
    for attribute in mapper.column_attrs:
        for column in attribute.columns:
            if not isinstance(column.type, String):
                continue
            value = values.get(attribute.key)
            if not isinstance(value, str):
                continue
            multiline = isinstance(column.type, Text) or bool(column.info.get("multiline"))
            if has_control_characters(value, multiline=multiline):
                raise ControlCharacters(f"{mapper.persist_selectable.description}.{column.name}")


def refuse_control_characters(mapper: Mapper[Any], connection: Connection, target: Any) -> None:
    _check(mapper, {key: getattr(target, key, None) for key in mapper.column_attrs.keys()})  # noqa: SIM118


def refuse_control_characters_in(model: type[Base], rows: Iterable[Mapping[str, Any]]) -> None:
    """The same check for rows a bulk insert writes, by attribute name."""
    mapper: Mapper[Any] = model.__mapper__
    for values in rows:
        _check(mapper, values)


event.listen(Base, "before_insert", refuse_control_characters, propagate=True)
event.listen(Base, "before_update", refuse_control_characters, propagate=True)
