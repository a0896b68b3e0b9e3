"""The event store: reports of many articles in SQLite or PostgreSQL, through SQLAlchemy Core.

    store = Store("sqlite:///events.db")      # or "postgresql://user@host/db", or a file path
    store.add(report, text)                   # one transaction per article; a no-op when stored
    store.events(type="ASSAULT", country="UA", since="2022-06-01", near=(48.9, 38.4, 30))

The schema is created and kept current by Alembic migrations (`store/migrations/`), run when a
store is opened. Articles are keyed by the sha256 of their text (`report.article.id`), so
ingesting the same text again stores nothing.
"""

from __future__ import annotations

import datetime as _dt
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from eventwire.schema import Event, Participant, Report
from eventwire.store import tables as t
from eventwire.store.incidents import haversine_km

DEFAULT_URL = "sqlite:///eventwire.db"
MIGRATIONS = Path(__file__).with_name("migrations")
_PG_MIGRATION_LOCK = 0x65766E74  # advisory lock id taken while migrating PostgreSQL


class StoreError(ValueError):
    """A bad store URL or filter value. The message is one line naming the field."""


@dataclass(frozen=True)
class AddResult:
    article_id: str
    added: bool


def normalize_url(url: Optional[str]) -> str:
    """The SQLAlchemy URL for `url`: None -> $EVENTWIRE_DB or the default file, bare paths -> SQLite."""
    url = url or os.environ.get("EVENTWIRE_DB") or DEFAULT_URL
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    if "://" not in url:
        return "sqlite:///" + str(Path(url).expanduser().resolve())
    return url


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def create_engine(url: str) -> sa.Engine:
    try:
        sa_url = sa.engine.make_url(url)
    except sa.exc.ArgumentError:
        raise StoreError(f"--db: {url!r} is not a database URL") from None
    if sa_url.get_backend_name() == "sqlite":
        engine = sa.create_engine(sa_url, connect_args={"timeout": 60})
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if sa_url.get_backend_name() != "postgresql":
        raise StoreError(f"--db: {sa_url.get_backend_name()!r} databases are not supported (use sqlite or postgresql)")
    return sa.create_engine(sa_url, pool_pre_ping=True)


def schema_revision(conn) -> Optional[str]:
    """The Alembic revision of the database, or None when it has none yet."""
    if not sa.inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def migrate(engine: sa.Engine) -> None:
    """Bring the schema to the newest migration (no-op when it is current)."""
    with engine.connect() as conn:
        if schema_revision(conn) == t.SCHEMA_REVISION:
            return
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_MIGRATION_LOCK})
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


# -- report -> rows ----------------------------------------------------------------------------

def _join(parts: list[Participant], attr: str) -> Optional[str]:
    values = []
    for p in parts:
        value = getattr(p, attr)
        if value and value not in values:
            values.append(value)
    return "; ".join(values) or None


def event_row(article_id: str, event: Event, places: dict) -> dict:
    """The flat row of one event (without the article's columns)."""
    place = None
    location = event.location or (event.locations[0] if event.locations else None)
    if location is not None and location.place:
        place = places.get(location.place)
    source = None
    if event.source is not None:
        source = event.source.text
    return {
        "id": f"{article_id[:12]}-{event.id}",
        "article_id": article_id,
        "event_id": event.id,
        "type": event.type,
        "mode": event.mode,
        "status": event.status,
        "date": event.date.value if event.date else None,
        "date_precision": event.date.precision if event.date else None,
        "actor": _join(event.actor, "text"),
        "actor_country": _join(event.actor, "country"),
        "actor_sector": _join(event.actor, "sector"),
        "recipient": _join(event.recipient, "text"),
        "recipient_country": _join(event.recipient, "country"),
        "recipient_sector": _join(event.recipient, "sector"),
        "place": place.name if place else (location.text if location else None),
        "geonameid": place.geonameid if place else None,
        "lat": place.lat if place else None,
        "lon": place.lon if place else None,
        "feature": place.feature if place else None,
        "country": place.country if place else None,
        "admin1": place.admin1 if place else None,
        "source": source,
        "evidence_start": event.evidence.start,
        "evidence_end": event.evidence.end,
        "evidence": event.evidence.text,
        "quantities": [
            {"kind": q.kind, "value": q.value, "text": q.text, "approximate": q.approximate}
            for q in event.quantities
        ],
        "confidence": event.confidence,
        "incident_id": None,
    }


def _spans(spans) -> list[dict]:
    return [{"start": s.start, "end": s.end, "text": s.text} for s in spans]


def _child_rows(report: Report) -> dict[sa.Table, list[dict]]:
    aid = report.article.id
    places = {p.id: p for p in report.places}
    return {
        t.entities: [
            {"article_id": aid, "item_id": e.id, "kind": e.kind, "name": e.name, "title": e.title,
             "country": e.country, "sector": e.sector, "variants": list(e.variants), "mentions": _spans(e.mentions)}
            for e in report.entities
        ],
        t.places: [
            {"article_id": aid, "item_id": p.id, "name": p.name, "geonameid": p.geonameid, "lat": p.lat,
             "lon": p.lon, "feature": p.feature, "country": p.country, "admin1": p.admin1,
             "confidence": p.confidence, "mentions": _spans(p.mentions)}
            for p in report.places
        ],
        t.quotes: [
            {"article_id": aid, "item_id": q.id, "kind": q.kind, "start_char": q.start, "end_char": q.end,
             "text": q.text, "speaker": q.speaker.text, "speaker_entity": q.speaker.entity, "cue": q.cue,
             "medium": q.medium, "date": q.date}
            for q in report.quotes
        ],
        t.events: [event_row(aid, e, places) for e in report.events],
    }


# -- filters -----------------------------------------------------------------------------------

def check_date(value, field: str) -> Optional[str]:
    from eventwire.pipeline import ExtractError, check_published

    try:
        return check_published(value)
    except ExtractError:
        raise StoreError(f"{field}: {value!r} is not a date (expected YYYY-MM-DD)") from None


def check_near(near) -> Optional[tuple[float, float, float]]:
    if near is None:
        return None
    try:
        lat, lon, km = (float(v) for v in near)
    except (TypeError, ValueError):
        raise StoreError(f"near: {near!r} is not (LAT, LON, KM)") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise StoreError(f"near: {lat},{lon} is not a coordinate (latitude -90..90, longitude -180..180)")
    if not km > 0:
        raise StoreError(f"near: the radius must be a positive number of km, not {km:g}")
    return lat, lon, km


def parse_near(value: Optional[str]) -> Optional[tuple[float, float, float]]:
    """'LAT,LON,KM' (as the command line gives it) as a checked (lat, lon, km)."""
    if value is None or value == "":
        return None
    parts = str(value).split(",")
    try:
        if len(parts) != 3:
            raise ValueError
        point = tuple(float(p) for p in parts)
    except ValueError:
        raise StoreError(f"near: {value!r} is not LAT,LON,KM (e.g. 48.59,38.00,25)") from None
    return check_near(point)


def check_country(value, field: str = "country") -> Optional[str]:
    """ISO 3166 alpha-2 for an alpha-2 or alpha-3 code or a country name."""
    if value is None or value == "":
        return None
    import pycountry

    text = str(value).strip()
    try:
        if len(text) == 2:
            country = pycountry.countries.get(alpha_2=text.upper())
        elif len(text) == 3:
            country = pycountry.countries.get(alpha_3=text.upper())
        else:
            country = pycountry.countries.lookup(text)
    except LookupError:
        country = None
    if country is None:
        raise StoreError(f"{field}: {value!r} is not a country code or name")
    return country.alpha_2


def check_side(value) -> Optional[str]:
    """ISO 3166 alpha-3 of a side (participant country); accepts alpha-2 and names too."""
    alpha2 = check_country(value, "side")
    if alpha2 is None:
        return None
    import pycountry

    return pycountry.countries.get(alpha_2=alpha2).alpha_3


def check_type(value) -> Optional[str]:
    from eventwire.schema import PLOVER_TYPES

    if value is None or value == "":
        return None
    upper = str(value).strip().upper()
    if upper not in PLOVER_TYPES:
        raise StoreError(f"type: {value!r} is not a PLOVER type ({', '.join(PLOVER_TYPES)})")
    return upper


def _bbox(lat: float, lon: float, km: float) -> tuple[float, float, float, float]:
    dlat = km / 111.0
    coslat = max(math.cos(math.radians(lat)), 0.01)
    dlon = min(180.0, km / (111.0 * coslat))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


def _limit(limit) -> Optional[int]:
    if limit is None:
        return None
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 0:
        raise StoreError(f"limit: {limit!r} is not a non-negative whole number")
    return limit


EVENT_COLUMNS = [c for c in t.events.c]
ARTICLE_COLUMNS = [
    t.articles.c.source.label("outlet"),
    t.articles.c.title,
    t.articles.c.url,
    t.articles.c.published,
]


class Store:
    """A database of article reports, events and incidents. See the module docstring."""

    def __init__(self, url: Optional[str] = None):
        self.url = normalize_url(url)
        self.engine = create_engine(self.url)
        try:
            migrate(self.engine)
        except sa.exc.OperationalError as exc:
            self.engine.dispose()
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc).splitlines()[0]
            raise StoreError(f"--db: cannot open {self.safe_url}: {reason}") from None

    @property
    def safe_url(self) -> str:
        return sa.engine.make_url(self.url).render_as_string(hide_password=True)

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.engine.dispose()

    # -- writing -------------------------------------------------------------------------------

    def add(self, report: Report, text: str) -> AddResult:
        """Store one article with everything extracted from it, in one transaction."""
        from eventwire.document import text_id  # imports spaCy: only where it is needed

        article = report.article
        if article.id != text_id(text):
            raise StoreError(f"report.article.id: {article.id[:12]}... is not the sha256 of the text given")
        if self.has(article.id):
            return AddResult(article.id, False)
        stored_report = report.model_copy(update={"text": None}).to_dict()
        stored_report.pop("text", None)
        row = {
            "id": article.id, "title": article.title, "published": article.published, "source": article.source,
            "url": article.url, "language": article.language, "text": text, "report": stored_report,
            "ingested_at": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        }
        try:
            with self.engine.begin() as conn:
                conn.execute(t.articles.insert(), row)
                for table, rows in _child_rows(report).items():
                    if rows:
                        conn.execute(table.insert(), rows)
        except IntegrityError:
            if self.has(article.id):  # stored meanwhile by another writer
                return AddResult(article.id, False)
            raise
        return AddResult(article.id, True)

    def rebuild_incidents(self, config=None) -> int:
        """Cluster every stored event into incidents again; returns the number of incidents."""
        from eventwire.store.incidents import cluster

        found = cluster(self.events(), config)
        with self.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(sa.text("LOCK TABLE incidents IN EXCLUSIVE MODE"))
            conn.execute(t.incident_events.delete())
            conn.execute(t.incidents.delete())
            conn.execute(t.events.update().values(incident_id=None))
            if found:
                conn.execute(t.incidents.insert(), [self._incident_row(i) for i in found])
                links = [{"incident_id": i["id"], "event_id": e} for i in found for e in dict.fromkeys(i["event_ids"])]
                conn.execute(t.incident_events.insert(), links)
                conn.execute(
                    t.events.update().where(t.events.c.id == sa.bindparam("eid")).values(incident_id=sa.bindparam("iid")),
                    [{"eid": link["event_id"], "iid": link["incident_id"]} for link in links],
                )
        return len(found)

    @staticmethod
    def _incident_row(incident: dict) -> dict:
        row = {c.name: incident.get(c.name) for c in t.incidents.c if c.name != "data"}
        row["data"] = incident
        return row

    # -- reading -------------------------------------------------------------------------------

    def has(self, article_id: str) -> bool:
        with self.engine.connect() as conn:
            found = conn.execute(sa.select(t.articles.c.id).where(t.articles.c.id == article_id)).first()
        return found is not None

    def article(self, article_id: str) -> Optional[dict]:
        a = t.articles
        query = sa.select(a.c.id, a.c.title, a.c.published, a.c.source, a.c.url, a.c.text, a.c.report)
        with self.engine.connect() as conn:
            row = conn.execute(query.where(a.c.id == article_id)).mappings().first()
        return dict(row) if row is not None else None

    def article_ids(self) -> list[str]:
        with self.engine.connect() as conn:
            return list(conn.execute(sa.select(t.articles.c.id).order_by(t.articles.c.id)).scalars())

    def _event_filters(self, *, type=None, country=None, since=None, until=None, near=None, source=None,
                       side=None) -> tuple[list, Optional[tuple[float, float, float]]]:
        e, a = t.events, t.articles
        where = []
        if (value := check_type(type)) is not None:
            where.append(e.c.type == value)
        if (value := check_country(country)) is not None:
            where.append(e.c.country == value)
        if (value := check_date(since, "since")) is not None:
            where.append(e.c.date >= value)
        if (value := check_date(until, "until")) is not None:
            where.append(e.c.date <= value)
        if source:
            wanted = str(source).strip().lower()
            where.append(sa.or_(sa.func.lower(a.c.source) == wanted, sa.func.lower(e.c.source) == wanted))
        if (value := check_side(side)) is not None:
            pattern = f"%{value}%"
            where.append(sa.or_(e.c.actor_country.like(pattern), e.c.recipient_country.like(pattern)))
        near = check_near(near)
        if near is not None:
            lat_min, lat_max, lon_min, lon_max = _bbox(*near)
            where += [e.c.lat.between(lat_min, lat_max), e.c.lon.is_not(None)]
            if lon_max - lon_min < 360:
                where.append(e.c.lon.between(lon_min, lon_max))
        return where, near

    def _event_query(self, filters: dict):
        where, near = self._event_filters(**filters)
        e, a = t.events, t.articles
        query = sa.select(*EVENT_COLUMNS, *ARTICLE_COLUMNS).select_from(e.join(a, e.c.article_id == a.c.id))
        return query.where(*where), near

    def events(self, *, limit=None, offset: int = 0, **filters) -> list[dict]:
        """Flat event rows matching the filters, newest first."""
        query, near = self._event_query(filters)
        e = t.events
        query = query.order_by(e.c.date.is_(None), e.c.date.desc(), e.c.article_id, e.c.event_id)
        return self._page(query, near, limit, offset)

    def _page(self, query, near, limit, offset) -> list[dict]:
        """Rows of `query` from `offset`, at most `limit`; with `near`, those within the radius."""
        limit = _limit(limit)
        if near is None:
            query = query.offset(offset or 0)
            if limit is not None:
                query = query.limit(limit)
        with self.engine.connect() as conn:
            rows = [dict(r) for r in conn.execute(query).mappings()]
        if near is not None:
            rows = _within(rows, near)[offset or 0:]
            rows = rows if limit is None else rows[:limit]
        return rows

    def count_events(self, **filters) -> int:
        query, near = self._event_query(filters)
        with self.engine.connect() as conn:
            if near is None:
                return conn.execute(sa.select(sa.func.count()).select_from(query.subquery())).scalar_one()
            rows = [dict(r) for r in conn.execute(query).mappings()]
        return len(_within(rows, near))

    def incidents(self, *, limit=None, offset: int = 0, **filters) -> list[dict]:
        """Incidents that hold at least one event matching the filters, newest first."""
        i = t.incidents
        query = sa.select(i.c.data, i.c.lat, i.c.lon).order_by(i.c.date_last.is_(None), i.c.date_last.desc(), i.c.id)
        near = None
        if any(v is not None for v in filters.values()):
            where, near = self._event_filters(**filters)
            e, a = t.events, t.articles
            matching = sa.select(e.c.incident_id).select_from(e.join(a, e.c.article_id == a.c.id)).where(*where)
            query = query.where(i.c.id.in_(matching))
        return [r["data"] for r in self._page(query, near, limit, offset)]

    def entities(self, *, limit=None, offset: int = 0) -> list[dict]:
        limit = _limit(limit)
        en = t.entities
        query = sa.select(en).order_by(en.c.article_id, en.c.item_id).offset(offset or 0)
        if limit is not None:
            query = query.limit(limit)
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return [
            {"id": f"{r['article_id'][:12]}-{r['item_id']}", "article_id": r["article_id"], "name": r["name"],
             "kind": r["kind"], "title": r["title"], "country": r["country"], "sector": r["sector"],
             "variants": r["variants"] or [], "mentions": r["mentions"] or []}
            for r in rows
        ]

    def stats(self) -> dict:
        counts = {}
        with self.engine.connect() as conn:
            for name, table in (("articles", t.articles), ("events", t.events), ("incidents", t.incidents),
                                ("entities", t.entities)):
                counts[name] = conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
        return counts

    def unclustered(self) -> int:
        """How many events belong to no incident (new since the last `rebuild_incidents`)."""
        e = t.events
        with self.engine.connect() as conn:
            return conn.execute(sa.select(sa.func.count()).where(e.c.incident_id.is_(None))).scalar_one()

    def rows(self, table_name: str) -> list[dict]:
        """Every row of one table (for checks and debugging)."""
        table = t.metadata.tables[table_name]
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(sa.select(table)).mappings()]


def _within(rows: Iterable[dict], near: tuple[float, float, float]) -> list[dict]:
    lat, lon, km = near
    return [r for r in rows if r.get("lat") is not None and r.get("lon") is not None
            and haversine_km(lat, lon, r["lat"], r["lon"]) <= km]
