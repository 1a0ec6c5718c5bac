"""Every text a model writes is checked for control characters before the row is flushed: a
Text column (or one marked `info={"multiline": True}`) may hold line feeds and tabs, any other
string column none at all. A bulk insert, which the ORM's events do not see, checks its rows
with `refuse_control_characters_in`."""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import String, Text, event
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapper

from storage.errors import ControlCharacters
from storage.models.base import Base
from storage.text_rules import has_control_characters


@dataclass(frozen=True)
class _TextColumn:
    key: str
    multiline: bool
    name: str


@cache
def _text_columns(mapper: Mapper[Any]) -> tuple[_TextColumn, ...]:
    table = mapper.persist_selectable.description
    return tuple(
        _TextColumn(
            key=attribute.key,
            multiline=isinstance(column.type, Text) or bool(column.info.get("multiline")),
            name=f"{table}.{column.name}",
        )
        for attribute in mapper.column_attrs
        for column in attribute.columns
        if isinstance(column.type, String)
    )


def _check(columns: tuple[_TextColumn, ...], value_of: Callable[[str], Any]) -> None:
    for column in columns:
        value = value_of(column.key)
        if isinstance(value, str) and has_control_characters(value, multiline=column.multiline):
            raise ControlCharacters(column.name)


def refuse_control_characters(mapper: Mapper[Any], connection: Connection, target: Any) -> None:
    _check(_text_columns(mapper), lambda key: getattr(target, key, None))


def refuse_control_characters_in(model: type[Base], rows: Iterable[Mapping[str, Any]]) -> None:
    """The same check for rows a bulk insert writes, by attribute name."""
    columns = _text_columns(model.__mapper__)
    for values in rows:
        _check(columns, values.get)


event.listen(Base, "before_insert", refuse_control_characters, propagate=True)
event.listen(Base, "before_update", refuse_control_characters, propagate=True)
