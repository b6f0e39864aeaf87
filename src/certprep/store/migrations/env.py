"""Alembic environment: the engine comes from certprep (config.attributes), never from an ini file."""

from alembic import context

from certprep.store.schema import Base

config = context.config
engine = config.attributes["engine"]

with engine.connect() as connection:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # A batch migration rebuilds a SQLite table (copy, drop, rename). With foreign keys on, dropping the old
        # table would cascade and delete every row that refers to it (a learner's attempts when "users" changes).
        # The pragma only works outside a transaction, hence the commit right after it.
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.commit()
    try:
        with connection.begin():
            context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()
