"""The tables of the event store (SQLAlchemy Core).

The schema is created and changed only by the Alembic migrations under `store/migrations/`;
these table objects describe the current head revision for queries. Child rows (entities,
places, quotes, events) carry the id of their article and go away with it.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

#: The Alembic revision these tables describe (the newest under store/migrations/versions).
SCHEMA_REVISION = "0002"

HASH = sa.String(64)

articles = sa.Table(
    "articles", metadata,
    sa.Column("id", HASH, primary_key=True),  # sha256 of the text
    sa.Column("title", sa.Text),
    sa.Column("published", sa.Text),
    sa.Column("source", sa.Text),
    sa.Column("url", sa.Text),
    sa.Column("language", sa.Text),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("report", sa.JSON, nullable=False),
    sa.Column("ingested_at", sa.String(64), nullable=False),
)


def _child(name: str, *columns: sa.Column) -> sa.Table:
    """A table of per-article rows keyed by (article_id, item_id)."""
    return sa.Table(
        name, metadata,
        sa.Column("article_id", HASH, sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("item_id", sa.String(64), primary_key=True),
        *columns,
    )


entities = _child(
    "entities",
    sa.Column("kind", sa.Text),
    sa.Column("name", sa.Text),
    sa.Column("title", sa.Text),
    sa.Column("country", sa.Text),
    sa.Column("sector", sa.Text),
    sa.Column("variants", sa.JSON),
    sa.Column("mentions", sa.JSON),
)

places = _child(
    "places",
    sa.Column("name", sa.Text),
    sa.Column("geonameid", sa.BigInteger),
    sa.Column("lat", sa.Float),
    sa.Column("lon", sa.Float),
    sa.Column("feature", sa.Text),
    sa.Column("country", sa.Text),
    sa.Column("admin1", sa.Text),
    sa.Column("confidence", sa.Float),
    sa.Column("mentions", sa.JSON),
)

quotes = _child(
    "quotes",
    sa.Column("kind", sa.Text),
    sa.Column("start_char", sa.Integer),
    sa.Column("end_char", sa.Integer),
    sa.Column("text", sa.Text),
    sa.Column("speaker", sa.Text),
    sa.Column("speaker_entity", sa.String(64)),
    sa.Column("cue", sa.Text),
    sa.Column("medium", sa.Text),
    sa.Column("date", sa.Text),
)

events = sa.Table(
    "events", metadata,
    sa.Column("id", sa.String(64), primary_key=True),  # article_id[:12]-event_id
    sa.Column("article_id", HASH, sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("event_id", sa.String(64), nullable=False),
    sa.Column("type", sa.Text, index=True),
    sa.Column("mode", sa.Text),
    sa.Column("status", sa.Text),
    sa.Column("date", sa.Text, index=True),
    sa.Column("date_precision", sa.Text),
    sa.Column("actor", sa.Text),
    sa.Column("actor_country", sa.Text),
    sa.Column("actor_sector", sa.Text),
    sa.Column("recipient", sa.Text),
    sa.Column("recipient_country", sa.Text),
    sa.Column("recipient_sector", sa.Text),
    sa.Column("place", sa.Text),
    sa.Column("geonameid", sa.BigInteger),
    sa.Column("lat", sa.Float),
    sa.Column("lon", sa.Float),
    sa.Column("feature", sa.Text),
    sa.Column("country", sa.Text, index=True),
    sa.Column("admin1", sa.Text),
    sa.Column("source", sa.Text),
    sa.Column("evidence_start", sa.Integer),
    sa.Column("evidence_end", sa.Integer),
    sa.Column("evidence", sa.Text),
    sa.Column("quantities", sa.JSON),
    sa.Column("confidence", sa.Float),
    sa.Column("incident_id", sa.String(64), index=True),
)
# The order Store.events lists in: newest first, undated last (migration 0002).
sa.Index("ix_events_listing", sa.text("(date IS NULL)"), sa.text("date DESC"), events.c.article_id, events.c.event_id)

incidents = sa.Table(
    "incidents", metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("type", sa.Text),
    sa.Column("mode", sa.Text),
    sa.Column("date_first", sa.Text),
    sa.Column("date_last", sa.Text),
    sa.Column("place", sa.Text),
    sa.Column("geonameid", sa.BigInteger),
    sa.Column("lat", sa.Float),
    sa.Column("lon", sa.Float),
    sa.Column("country", sa.Text),
    sa.Column("admin1", sa.Text),
    sa.Column("articles", sa.Integer),
    sa.Column("corroboration", sa.Integer),
    sa.Column("data", sa.JSON, nullable=False),  # the whole incident dict
)

incident_events = sa.Table(
    "incident_events", metadata,
    sa.Column("incident_id", sa.String(64), sa.ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("event_id", sa.String(64), primary_key=True),
)
