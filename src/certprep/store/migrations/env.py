"""Alembic environment: the engine comes from certprep (config.attributes), never from an ini file."""

from alembic import context

from certprep.store.schema import Base

config = context.config
engine = config.attributes["engine"]

with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
