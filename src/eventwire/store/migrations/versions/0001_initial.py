"""The first schema: articles, entities, places, quotes, events, incidents.

Revision ID: 0001
Revises:
"""

from alembic import op
import sqlalchemy as sa

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

HASH = sa.String(64)


def _article_ref():
    return sa.ForeignKey("articles.id", ondelete="CASCADE")


def _per_article(name, *columns):
    op.create_table(
        name,
        sa.Column("article_id", HASH, _article_ref(), primary_key=True),
        sa.Column("item_id", sa.String(64), primary_key=True),
        *columns,
    )


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", HASH, primary_key=True),
        sa.Column("title", sa.Text), sa.Column("published", sa.Text), sa.Column("source", sa.Text),
        sa.Column("url", sa.Text), sa.Column("language", sa.Text),
        sa.Column("text", sa.Text, nullable=False), sa.Column("report", sa.JSON, nullable=False),
        sa.Column("ingested_at", sa.String(64), nullable=False),
    )
    _per_article(
        "entities",
        sa.Column("kind", sa.Text), sa.Column("name", sa.Text), sa.Column("title", sa.Text),
        sa.Column("country", sa.Text), sa.Column("sector", sa.Text),
        sa.Column("variants", sa.JSON), sa.Column("mentions", sa.JSON),
    )
    _per_article(
        "places",
        sa.Column("name", sa.Text), sa.Column("geonameid", sa.BigInteger), sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float), sa.Column("feature", sa.Text), sa.Column("country", sa.Text),
        sa.Column("admin1", sa.Text), sa.Column("confidence", sa.Float), sa.Column("mentions", sa.JSON),
    )
    _per_article(
        "quotes",
        sa.Column("kind", sa.Text), sa.Column("start_char", sa.Integer), sa.Column("end_char", sa.Integer),
        sa.Column("text", sa.Text), sa.Column("speaker", sa.Text), sa.Column("speaker_entity", sa.String(64)),
        sa.Column("cue", sa.Text), sa.Column("medium", sa.Text), sa.Column("date", sa.Text),
    )
    op.create_table(
        "events",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("article_id", HASH, _article_ref(), nullable=False),
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("type", sa.Text), sa.Column("mode", sa.Text), sa.Column("status", sa.Text),
        sa.Column("date", sa.Text), sa.Column("date_precision", sa.Text),
        sa.Column("actor", sa.Text), sa.Column("actor_country", sa.Text), sa.Column("actor_sector", sa.Text),
        sa.Column("recipient", sa.Text), sa.Column("recipient_country", sa.Text),
        sa.Column("recipient_sector", sa.Text),
        sa.Column("place", sa.Text), sa.Column("geonameid", sa.BigInteger), sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float), sa.Column("feature", sa.Text), sa.Column("country", sa.Text),
        sa.Column("admin1", sa.Text), sa.Column("source", sa.Text),
        sa.Column("evidence_start", sa.Integer), sa.Column("evidence_end", sa.Integer),
        sa.Column("evidence", sa.Text), sa.Column("quantities", sa.JSON), sa.Column("confidence", sa.Float),
        sa.Column("incident_id", sa.String(64)),
    )
    for column in ("article_id", "type", "date", "country", "incident_id"):
        op.create_index(f"ix_events_{column}", "events", [column])
    op.create_table(
        "incidents",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("type", sa.Text), sa.Column("mode", sa.Text),
        sa.Column("date_first", sa.Text), sa.Column("date_last", sa.Text),
        sa.Column("place", sa.Text), sa.Column("geonameid", sa.BigInteger), sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float), sa.Column("country", sa.Text), sa.Column("admin1", sa.Text),
        sa.Column("articles", sa.Integer), sa.Column("corroboration", sa.Integer),
        sa.Column("data", sa.JSON, nullable=False),
    )
    op.create_table(
        "incident_events",
        sa.Column("incident_id", sa.String(64), sa.ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("event_id", sa.String(64), primary_key=True),
    )


def downgrade() -> None:
    for name in ("incident_events", "incidents", "events", "quotes", "places", "entities", "articles"):
        op.drop_table(name)
