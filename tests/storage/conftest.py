"""The migrations' tests: an empty database of the test's backend, for running revisions up
and down from nothing."""

from collections.abc import Iterator

import pytest

from storage.db import Database
from tests.databases import CHAIN_KEY, TemplateDatabases


@pytest.fixture
def empty_database(backend: str, templates: TemplateDatabases) -> Iterator[Database]:
    url = templates.empty(backend)
    database = Database(url, audit_chain_key=CHAIN_KEY)
    yield database
    database.dispose()
    templates.drop(url)
