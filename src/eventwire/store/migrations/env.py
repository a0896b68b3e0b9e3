"""Alembic environment of the event store.

`eventwire.store.db.migrate()` runs the migrations programmatically on a connection it passes in
`config.attributes["connection"]`; `alembic -x url=...` from this folder works as well.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context

from eventwire.store.tables import metadata


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:  # command-line use: alembic -x url=sqlite:///eventwire.db upgrade head
    url = context.get_x_argument(as_dictionary=True).get("url") or context.config.get_main_option("sqlalchemy.url")
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        _run(conn)
