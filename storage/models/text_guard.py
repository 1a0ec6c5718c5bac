"""Every text a model writes is checked for control characters before the row is flushed: a
Text column (or one marked `info={"multiline": True}`) may hold line feeds and tabs, any other
string column none at all."""

from typing import Any

from sqlalchemy import String, Text, event
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapper

from storage.errors import ControlCharacters
from storage.models.base import Base
from storage.text_rules import has_control_characters


def refuse_control_characters(mapper: Mapper[Any], connection: Connection, target: Any) -> None:
    for attribute in mapper.column_attrs:
        for column in attribute.columns:
            if not isinstance(column.type, String):
                continue
            value = getattr(target, attribute.key, None)
            if not isinstance(value, str):
                continue
            multiline = isinstance(column.type, Text) or bool(column.info.get("multiline"))
            if has_control_characters(value, multiline=multiline):
                raise ControlCharacters(f"{mapper.persist_selectable.description}.{column.name}")


event.listen(Base, "before_insert", refuse_control_characters, propagate=True)
event.listen(Base, "before_update", refuse_control_characters, propagate=True)
