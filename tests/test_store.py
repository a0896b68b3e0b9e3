"""The event store on SQLite and PostgreSQL: the same tests for both.

PostgreSQL comes from $EVENTWIRE_TEST_POSTGRES (a server URL); each test module run creates its
own database there with a random name and drops it afterwards, so parallel runs do not collide.
Reports are built by hand here: these tests check storage, not extraction.
"""

from __future__ import annotations

import os
import uuid

import pytest
import sqlalchemy as sa

from eventwire.document import text_id
from eventwire.schema import (Article, DateRef, Entity, Event, Evidence, LocationRef, Participant, Place, Quantity,
                              Quote, Report, Span, SpeakerRef)
from eventwire.store import Store, StoreError
from eventwire.store.db import normalize_url
from tests.conftest import require

BACKENDS = ["sqlite", "postgresql"]


def _postgres_server() -> str:
    url = os.environ.get("EVENTWIRE_TEST_POSTGRES")
    require(bool(url), "EVENTWIRE_TEST_POSTGRES is not set: no PostgreSQL server for the store tests")
    return normalize_url(url)


def make_database_url(backend: str, tmp_path) -> tuple[str, object]:
    """A fresh database URL and a function that removes the database."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'events.db'}", lambda: None
    server = sa.engine.make_url(_postgres_server())
    name = "ew_test_" + uuid.uuid4().hex[:12]
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as exc:
        admin.dispose()
        require(False, f"PostgreSQL at {server.render_as_string()} does not answer: {str(exc.orig).splitlines()[0]}")

    def drop():
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return server.set(database=name).render_as_string(hide_password=False), drop


@pytest.fixture(scope="module", params=BACKENDS)
def backend_url(request, tmp_path_factory):
    url, drop = make_database_url(request.param, tmp_path_factory.mktemp(request.param))
    yield url
    drop()


@pytest.fixture
def db_url(backend_url):
    """The module's database, emptied for each test."""
    from eventwire.store.tables import metadata

    with Store(backend_url) as store, store.engine.begin() as conn:
        for table in reversed(metadata.sorted_tables):
            conn.execute(table.delete())
    return backend_url


@pytest.fixture
def store(db_url):
    s = Store(db_url)
    yield s
    s.close()


# -- reports built by hand -------------------------------------------------------------------

PLACES = {
    "Kramatorsk": (704147, 48.7233, 37.5562, "UA", "Donetsk"),
    "Sloviansk": (700646, 48.8532, 37.6053, "UA", "Donetsk"),
    "Odesa": (698740, 46.4775, 30.7326, "UA", "Odesa"),
    "Belgorod": (578072, 50.6107, 36.5802, "RU", "Belgorod"),
}


def report_for(text: str, *, outlet: str, published: str, events: list[dict]) -> Report:
    """A report for `text`: each event dict names its type, evidence phrase, place, date and figures."""
    places, built = {}, []
    for n, spec in enumerate(events, start=1):
        start = text.index(spec["phrase"])
        end = start + len(spec["phrase"])
        location = None
        if spec.get("place"):
            name = spec["place"]
            if name not in places:
                gid, lat, lon, cc, admin1 = PLACES[name]
                at = text.index(name)
                places[name] = Place(id=f"p{len(places) + 1}", name=name, geonameid=gid, lat=lat, lon=lon,
                                     feature="city", country=cc, admin1=admin1, confidence=0.9,
                                     mentions=[Span(start=at, end=at + len(name), text=name)])
            location = LocationRef(place=places[name].id, text=name)
        actors = [Participant(text=a, country=c, sector=s) for a, c, s in spec.get("actors", [])]
        figures = [Quantity(kind=k, value=v, text=f"{v:g} {k}") for k, v in spec.get("figures", [])]
        built.append(Event(
            id=f"e{n}", type=spec["type"], mode=spec.get("mode"), actor=actors, location=location,
            date=DateRef(value=spec.get("date"), precision="day" if spec.get("date") else None),
            quantities=figures, source=SpeakerRef(text=spec["speaker"]) if spec.get("speaker") else None,
            evidence=Evidence(start=start, end=end, text=text[start:end]), confidence=0.8,
        ))
    return Report(article=Article(id=text_id(text), source=outlet, published=published,
                                  title=text.split(".")[0][:60]),
                  places=list(places.values()), events=built)


KRAMATORSK_A = ("Two missiles struck the centre of Kramatorsk on Thursday, killing 4 people, "
                "the regional governor said. Russian forces also shelled Sloviansk overnight.")
KRAMATORSK_B = ("A missile attack on Kramatorsk killed six civilians on Thursday, local police said, "
                "giving a higher toll than officials had earlier.")
ODESA = "Drones hit port warehouses in Odesa on Friday; no one was hurt, the navy said."
BELGOROD = "Officials in Belgorod reported shelling of a border village on Wednesday."


def sample_reports() -> list[tuple[Report, str]]:
    russian = [("Russian forces", "RUS", "MIL")]
    return [
        (report_for(KRAMATORSK_A, outlet="Northern Wire", published="2023-04-14", events=[
            {"type": "ASSAULT", "mode": "missile", "phrase": "Two missiles struck the centre of Kramatorsk",
             "place": "Kramatorsk", "date": "2023-04-13", "figures": [("killed", 4)], "actors": russian,
             "speaker": "the regional governor"},
            {"type": "ASSAULT", "mode": "shelling", "phrase": "Russian forces also shelled Sloviansk overnight",
             "place": "Sloviansk", "date": "2023-04-13", "actors": russian},
        ]), KRAMATORSK_A),
        (report_for(KRAMATORSK_B, outlet="Daily Dispatch", published="2023-04-14", events=[
            {"type": "ASSAULT", "mode": "missile", "phrase": "A missile attack on Kramatorsk killed six civilians",
             "place": "Kramatorsk", "date": "2023-04-13", "figures": [("killed", 6)], "speaker": "local police"},
        ]), KRAMATORSK_B),
        (report_for(ODESA, outlet="Northern Wire", published="2023-04-15", events=[
            {"type": "ASSAULT", "mode": "drone", "phrase": "Drones hit port warehouses in Odesa", "place": "Odesa",
             "date": "2023-04-14", "speaker": "the navy"},
        ]), ODESA),
        (report_for(BELGOROD, outlet="Border Post", published="2023-04-13", events=[
            {"type": "ASSAULT", "mode": "shelling", "phrase": "shelling of a border village"},
        ]), BELGOROD),
    ]


@pytest.fixture
def filled(store):
    for report, text in sample_reports():
        assert store.add(report, text).added
    return store


# -- writing ---------------------------------------------------------------------------------

def test_add_stores_an_article_once(store):
    report, text = sample_reports()[0]
    first = store.add(report, text)
    second = store.add(report, text)
    assert first.added and not second.added
    assert first.article_id == second.article_id == text_id(text)
    assert store.stats() == {"articles": 1, "events": 2, "incidents": 0, "entities": 0}
    stored = store.article(first.article_id)
    assert stored["text"] == text
    assert stored["source"] == "Northern Wire" and stored["published"] == "2023-04-14"
    assert Report.model_validate(stored["report"]) == report
    assert store.has(first.article_id) and not store.has(text_id(text + " "))
    assert store.article(text_id("never stored")) is None


def test_add_refuses_a_report_of_another_text(store):
    report, text = sample_reports()[0]
    with pytest.raises(StoreError, match="report.article.id"):
        store.add(report, text + " Updated.")
    assert store.stats()["articles"] == 0


def test_an_article_that_fails_midway_leaves_no_rows(store):
    text = "Shelling hit Odesa on Friday. Shelling hit Odesa again on Saturday."
    report = report_for(text, outlet="Wire", published="2023-04-16", events=[
        {"type": "ASSAULT", "phrase": "Shelling hit Odesa on Friday", "place": "Odesa"},
        {"type": "ASSAULT", "phrase": "Shelling hit Odesa again", "place": "Odesa"},
    ])
    report.events[1].id = report.events[0].id  # the second event row collides with the first
    with pytest.raises(sa.exc.IntegrityError):
        store.add(report, text)
    assert not store.has(report.article.id)
    assert all(store.rows(name) == [] for name in ("articles", "places", "events"))
    report.events[1].id = "e2"
    assert store.add(report, text).added  # nothing half-written blocks the retry
    assert store.count_events() == 2


def test_child_rows_keep_entities_places_quotes(store):
    text = 'Governor Oleh Syniehubov said: "Kharkiv was shelled twice." Syniehubov asked people to stay inside.'
    quote_start = text.index('"') + 1
    quote_end = text.index('"', quote_start)
    report = Report(
        article=Article(id=text_id(text), source="Wire"),
        entities=[Entity(id="n1", kind="person", name="Oleh Syniehubov", title="Governor", country="UKR",
                         sector="GOV", variants=["Syniehubov"],
                         mentions=[Span(start=9, end=24, text=text[9:24])])],
        quotes=[Quote(id="q1", kind="direct", start=quote_start, end=quote_end, text=text[quote_start:quote_end],
                      speaker=SpeakerRef(entity="n1", text="Oleh Syniehubov"), cue="said")],
    )
    store.add(report, text)
    [entity] = store.entities()
    assert entity["id"] == f"{report.article.id[:12]}-n1"
    assert entity["name"] == "Oleh Syniehubov" and entity["variants"] == ["Syniehubov"]
    assert entity["mentions"] == [{"start": 9, "end": 24, "text": "Oleh Syniehubov"}]
    [quote] = store.rows("quotes")
    assert text[quote["start_char"]:quote["end_char"]] == quote["text"] == "Kharkiv was shelled twice."
    assert quote["speaker_entity"] == "n1"


# -- reading ---------------------------------------------------------------------------------

def test_event_rows_are_flat_and_point_into_the_text(filled):
    rows = filled.events()
    assert len(rows) == filled.count_events() == 5
    for row in rows:
        article = filled.article(row["article_id"])
        assert row["id"] == f"{row['article_id'][:12]}-{row['event_id']}"
        assert article["text"][row["evidence_start"]:row["evidence_end"]] == row["evidence"]
        assert row["outlet"] == article["source"] and row["published"] == article["published"]
    missile = [r for r in rows if r["mode"] == "missile" and r["outlet"] == "Northern Wire"][0]
    assert missile["actor"] == "Russian forces" and missile["actor_country"] == "RUS"
    assert (missile["place"], missile["geonameid"], missile["country"]) == ("Kramatorsk", 704147, "UA")
    assert missile["quantities"] == [{"kind": "killed", "value": 4.0, "text": "4 killed", "approximate": False}]
    assert missile["source"] == "the regional governor"
    # newest first, undated last
    dates = [r["date"] for r in rows]
    assert dates == ["2023-04-14", "2023-04-13", "2023-04-13", "2023-04-13", None]


def test_event_filters(filled):
    def outlets(**filters):
        rows = filled.events(**filters)
        assert filled.count_events(**filters) == len(rows)
        return sorted((r["outlet"], r["place"]) for r in rows)

    assert outlets(country="UA") == outlets(country="UKR") == outlets(country="Ukraine")
    assert len(outlets(country="UA")) == 4
    assert outlets(since="2023-04-14") == [("Northern Wire", "Odesa")]
    assert len(outlets(until="2023-04-13")) == 3  # the undated event is left out of date ranges
    assert outlets(near=(48.72, 37.55, 5)) == [("Daily Dispatch", "Kramatorsk"), ("Northern Wire", "Kramatorsk")]
    assert len(outlets(near=(48.72, 37.55, 25))) == 3  # Sloviansk is about 15 km away
    assert outlets(near=(40.0, 20.0, 50)) == []
    assert outlets(source="daily dispatch") == [("Daily Dispatch", "Kramatorsk")]
    assert outlets(source="the navy") == [("Northern Wire", "Odesa")]
    assert len(outlets(side="RUS")) == 2 and outlets(side="UKR") == []
    assert outlets(type="assault") == outlets()
    assert outlets(type="PROTEST") == []
    everything = filled.events()
    assert filled.events(limit=2, offset=1) == everything[1:3]
    assert filled.events(near=(48.72, 37.55, 25), limit=1, offset=1) == filled.events(near=(48.72, 37.55, 25))[1:2]


@pytest.mark.parametrize("filters, field", [
    ({"since": "13/04/2023"}, "since"), ({"until": "2023-02-30"}, "until"), ({"country": "Narnia"}, "country"),
    ({"type": "SHELL"}, "type"), ({"near": (95, 10, 5)}, "near"), ({"near": (45, 10, -1)}, "near"),
    ({"near": "here"}, "near"), ({"limit": -1}, "limit"), ({"side": "XYZ"}, "side"),
])
def test_bad_filters_name_the_field(tmp_path, filters, field):
    with Store(str(tmp_path / "filters.db")) as store, pytest.raises(StoreError, match=f"^{field}:"):
        store.events(**filters)


# -- incidents -------------------------------------------------------------------------------

def test_rebuild_incidents_links_events_and_is_stable(filled):
    count = filled.rebuild_incidents()
    incidents = filled.incidents()
    assert count == len(incidents) == filled.stats()["incidents"]
    rows = filled.events()
    assert all(r["incident_id"] for r in rows)
    # every event sits in the one incident that lists it
    links = {(link["incident_id"], link["event_id"]) for link in filled.rows("incident_events")}
    assert links == {(r["incident_id"], r["id"]) for r in rows}
    for incident in incidents:
        assert sorted(incident["event_ids"]) == sorted(r["id"] for r in rows if r["incident_id"] == incident["id"])
    # the two outlets' Kramatorsk reports form one incident with a disagreement on the toll
    kramatorsk = [i for i in incidents if len(i["event_ids"]) > 1]
    assert len(kramatorsk) == 1 and kramatorsk[0]["corroboration"] == 2
    [toll] = kramatorsk[0]["disagreements"]
    assert sorted(v["value"] for v in toll["values"]) == [4, 6]
    before = sorted(i["id"] for i in incidents)
    assert filled.rebuild_incidents() == count
    assert sorted(i["id"] for i in filled.incidents()) == before
    assert [i["id"] for i in filled.incidents(country="UA", near=(48.72, 37.55, 5))] == [kramatorsk[0]["id"]]
    assert filled.incidents(since="2023-04-14") == [i for i in incidents if i["date_first"] == "2023-04-14"]
    assert filled.incidents(type="PROTEST") == []


# -- opening ---------------------------------------------------------------------------------

def test_reopening_keeps_data_and_schema_is_at_head(db_url):
    report, text = sample_reports()[2]
    with Store(db_url) as first:
        first.add(report, text)
    with Store(db_url) as again:
        assert again.has(report.article.id)
        from alembic.config import Config
        from alembic.script import ScriptDirectory

        from eventwire.store.db import MIGRATIONS, schema_revision
        from eventwire.store.tables import SCHEMA_REVISION

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        head = ScriptDirectory.from_config(config).get_current_head()
        with again.engine.connect() as conn:
            assert schema_revision(conn) == SCHEMA_REVISION == head


def test_urls_are_normalised(tmp_path, monkeypatch):
    assert normalize_url("postgresql://u@h:5/db") == "postgresql+psycopg://u@h:5/db"
    assert normalize_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalize_url(str(tmp_path / "x.db")) == f"sqlite:///{tmp_path / 'x.db'}"
    monkeypatch.setenv("EVENTWIRE_DB", "sqlite:///from-env.db")
    assert normalize_url(None) == "sqlite:///from-env.db"
    monkeypatch.delenv("EVENTWIRE_DB")
    assert normalize_url(None) == "sqlite:///eventwire.db"


def test_sqlite_store_runs_in_wal_mode(tmp_path):
    with Store(str(tmp_path / "wal.db")) as store:
        with store.engine.connect() as conn:
            assert conn.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1


def test_bad_database_urls_fail_with_one_line(tmp_path):
    with pytest.raises(StoreError, match="^--db: 'mysql' databases are not supported"):
        Store("mysql://u@localhost/db")
    with pytest.raises(StoreError, match="^--db: cannot open"):
        Store(f"sqlite:///{tmp_path}/no/such/folder/x.db")


def test_migrations_build_exactly_the_tables_the_code_queries(db_url):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from eventwire.store.tables import metadata

    with Store(db_url) as store, store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []


def test_long_and_joined_values_fit_their_columns(store):
    text = "Belarusian and Russian troops held joint drills near Brest, the defence ministry in Minsk said."
    report = report_for(text, outlet="A very long outlet name " * 4, published="2023-02-01", events=[
        {"type": "COOPERATE", "mode": "joint military exercises with live fire", "phrase": "held joint drills",
         "actors": [("Belarusian troops", "BLR", "MIL"), ("Russian troops", "RUS", "MIL")]},
    ])
    store.add(report, text)
    [row] = store.events()
    assert row["actor_country"] == "BLR; RUS" and row["actor"] == "Belarusian troops; Russian troops"
    assert row["mode"] == "joint military exercises with live fire"
    assert store.count_events(side="RUS") == store.count_events(side="BY") == 1
