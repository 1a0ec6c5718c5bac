"""The folded search key of a person, kept by the ORM, and the text indexes built on it.

`persons.search_name` holds the person's names lowercased, without accents, one space
before and after each word (" testi virtanen "), so that a word start or a whole word is a
plain substring too. The migration indexes it with each backend's own trigram index: a
pg_trgm GIN index on PostgreSQL, an FTS5 trigram table kept by triggers on SQLite; and
e-mail case-insensitively. Migration 0014 adds the search terms and words on it (see
storage.search_words). Those objects live outside the models, so model-to-database
comparisons skip them by name.
"""

import re
import unicodedata
from typing import Any

from sqlalchemy import event

from storage.models.agency import INSTALLATION_TABLES
from storage.models.person import Person

SEARCH_TABLE = "persons_search"
SEARCH_INDEXES = frozenset(
    {
        "ix_persons_search_name_trgm",
        "ix_persons_agency_id_email_lower",
        "ix_persons_agency_id_email_nocase",
    }
)

# Letters that Unicode does not decompose into a base letter and an accent.
_UNDECOMPOSED = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "þ": "th"})
_WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    """`Mäkinen-Öhman` → `["makinen", "ohman"]`: case and accents folded away."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_UNDECOMPOSED))
    bare = "".join(character for character in decomposed if not unicodedata.combining(character))
    return _WORD.findall(bare)


def search_name(first_name: str, last_name: str) -> str:
    return " " + " ".join(words(first_name) + words(last_name)) + " "


def is_compared(name: str | None, type_: str, parent_names: Any) -> bool:
    """Alembic `include_name`: leaves the search indexes, and the installation tables that
    slack_sdk defines, out of model comparisons."""
    if type_ == "table":
        return not (name or "").startswith(SEARCH_TABLE) and name not in INSTALLATION_TABLES
    if type_ == "index":
        return name not in SEARCH_INDEXES
    return True


@event.listens_for(Person, "before_insert")
@event.listens_for(Person, "before_update")
def _keep_search_name(_mapper: Any, _connection: Any, person: Person) -> None:
    person.search_name = search_name(person.first_name, person.last_name)
