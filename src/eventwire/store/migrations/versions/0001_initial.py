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
        sa.Column("item_id", sa.String(32), primary_key=True),
        *columns,
    )


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", HASH, primary_key=True),
        sa.Column("title", sa.Text), sa.Column("published", sa.String(10)), sa.Column("source", sa.Text),
        sa.Column("url", sa.Text), sa.Column("language", sa.String(16)),
        sa.Column("text", sa.Text, nullable=False), sa.Column("report", sa.JSON, nullable=False),
        sa.Column("ingested_at", sa.String(32), nullable=False),
    )
    _per_article(
        "entities",
        sa.Column("kind", sa.String(16)), sa.Column("name", sa.Text), sa.Column("title", sa.Text),
        sa.Column("country", sa.String(3)), sa.Column("sector", sa.String(16)),
        sa.Column("variants", sa.JSON), sa.Column("mentions", sa.JSON),
    )
    _per_article(
        "places",
        sa.Column("name", sa.Text), sa.Column("geonameid", sa.BigInteger), sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float), sa.Column("feature", sa.String(16)), sa.Column("country", sa.String(2)),
        sa.Column("admin1", sa.Text), sa.Column("confidence", sa.Float), sa.Column("mentions", sa.JSON),
    )
    _per_article(
        "quotes",
        sa.Column("kind", sa.String(16)), sa.Column("start_char", sa.Integer), sa.Column("end_char", sa.Integer),
        sa.Column("text", sa.Text), sa.Column("speaker", sa.Text), sa.Column("speaker_entity", sa.String(32)),
        sa.Column("cue", sa.Text), sa.Column("medium", sa.Text), sa.Column("date", sa.String(10)),
    )
    op.create_table(
        "events",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("article_id", HASH, _article_ref(), nullable=False),
        sa.Column("event_id", sa.String(32), nullable=False),
        sa.Column("type", sa.String(16)), sa.Column("mode", sa.String(32)), sa.Column("status", sa.String(16)),
        sa.Column("date", sa.String(10)), sa.Column("date_precision", sa.String(8)),
        sa.Column("actor", sa.Text), sa.Column("actor_country", sa.String(3)), sa.Column("actor_sector", sa.String(16)),
        sa.Column("recipient", sa.Text), sa.Column("recipient_country", sa.String(3)),
        sa.Column("recipient_sector", sa.String(16)),
        sa.Column("place", sa.Text), sa.Column("geonameid", sa.BigInteger), sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float), sa.Column("feature", sa.String(16)), sa.Column("country", sa.String(2)),
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
        sa.Column("type", sa.String(16)), sa.Column("mode", sa.String(32)),
        sa.Column("date_first", sa.String(10)), sa.Column("date_last", sa.String(10)),
        sa.Column("place", sa.Text), sa.Column("geonameid", sa.BigInteger), sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float), sa.Column("country", sa.String(2)), sa.Column("admin1", sa.Text),
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
