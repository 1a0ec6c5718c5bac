"""Alembic environment: runs on the connection that storage.migrate hands it."""

from alembic import context

from storage.models import Base
from storage.models.person_search import is_compared

config = context.config
connection = config.attributes["connection"]

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    include_name=is_compared,
)

with context.begin_transaction():
    context.run_migrations()
