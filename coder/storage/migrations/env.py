"""Alembic environment: coder always passes an open connection in `config.attributes`."""

from alembic import context

from coder.storage.schema import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("coder migrations run through coder.storage.migrate, not the alembic CLI")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
