"""Exports of events and incidents, written to files and read back with csv, json and pyarrow."""

from __future__ import annotations

import csv
import json

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from eventwire.export.acled import ACLED_COLUMNS, COLUMNS, PLOVER_TO_ACLED, acled_type, country_name
from eventwire.export.formats import EVENT_SCHEMA, INCIDENT_SCHEMA, export
from eventwire.export.records import ExportError
from eventwire.store.incidents import cluster
from tests.test_incidents import DNIPRO, KHARKIV, row

ODESA = (46.4775, 30.7326, 698740)


@pytest.fixture
def events():
    """Wire-style events: a market airstrike told by two outlets, shelling, a protest, an exchange..."""
    strike_a = row(1, article="aa1", outlet="Black Sea Wire", mode="aerial", place=ODESA, name="Odesa",
                   quantities=[("killed", 12), ("injured", 30)], source="the regional governor")
    strike_b = row(2, article="bb2", outlet="Danube Daily", mode="aerial", place=ODESA, name="Odesa",
                   date="2024-03-11", quantities=[("killed", 15.0)])
    shelling = row(1, article="cc3", outlet="Black Sea Wire", mode="heavy-weapons", place=KHARKIV,
                   name="Kharkiv", recipient=None, date="2024-03-12")
    shelling["recipient_sector"] = None
    protest = row(1, article="dd4", outlet="Danube Daily", type="PROTEST", mode="demo", place=DNIPRO,
                  name="Dnipro", actor=None, recipient=None, quantities=[("protesters", 2000)])
    protest.update(actor="hundreds of residents", actor_sector="CVL", recipient_sector=None)
    swap = row(2, article="dd4", outlet="Danube Daily", type="COOPERATE", mode=None, place=None, name=None,
               recipient="UKR")
    swap.update(actor_sector="GOV", recipient_sector="GOV", feature=None, country=None, admin1=None)
    talks = row(3, article="dd4", outlet="Danube Daily", type="CONSULT", mode=None)
    planned = row(4, article="dd4", outlet="Danube Daily", status="planned")
    return [strike_a, strike_b, shelling, protest, swap, talks, planned]


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as fp:
        reader = csv.DictReader(fp)
        return reader.fieldnames, list(reader)


def test_acled_mapping_table_is_consistent():
    known_events = {"Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots",
                    "Strategic developments"}
    for p_type, mode, target, disorder, event_type, sub in PLOVER_TO_ACLED:
        assert event_type in known_events and sub
        assert disorder in ("Political violence", "Demonstrations", "Strategic developments")
    assert acled_type("ASSAULT", "aerial", "CVL")[2] == "Air/drone strike"
    assert acled_type("ASSAULT", None, "CVL")[1] == "Violence against civilians"
    assert acled_type("ASSAULT", None, "MIL")[1] == "Battles"
    assert acled_type("CONSULT", None, None) is None
    assert country_name("RUS") == "Russia" and country_name("UA") == "Ukraine" and country_name(None) == ""


def test_acled_csv_events(tmp_path, events):
    out = tmp_path / "events.csv"
    count = export(events, "acled-csv", out, what="events")
    header, rows = read_csv(out)
    assert tuple(header[:len(ACLED_COLUMNS)]) == ACLED_COLUMNS and tuple(header) == COLUMNS
    # the talks (no ACLED type) and the planned strike are left out
    assert count == len(rows) == 5
    by_id = {r["eventwire_id"]: r for r in rows}
    strike = by_id["aa1-ev1"]
    assert (strike["event_type"], strike["sub_event_type"]) == ("Explosions/Remote violence", "Air/drone strike")
    assert strike["actor1"] == "Military Forces of Russia" and strike["inter1"] == "8"
    assert strike["actor2"] == "Civilians (Ukraine)" and strike["inter2"] == "7"
    assert strike["interaction"] == "78" and strike["civilian_targeting"] == "Civilian targeting"
    assert strike["fatalities"] == "12" and strike["country"] == "Ukraine" and strike["iso"] == "804"
    assert strike["location"] == "Odesa" and float(strike["latitude"]) == pytest.approx(46.4775)
    assert strike["geo_precision"] == "1" and strike["event_date"] == "2024-03-10" and strike["year"] == "2024"
    assert strike["source"] == "Black Sea Wire" and strike["event_id_cnty"].startswith("UKR-")
    assert by_id["bb2-ev2"]["fatalities"] == "15"
    shelling = by_id["cc3-ev1"]
    assert shelling["sub_event_type"] == "Shelling/artillery/missile attack" and shelling["fatalities"] == "0"
    assert shelling["civilian_targeting"] == ""
    protest = by_id["dd4-ev1"]
    assert (protest["event_type"], protest["sub_event_type"]) == ("Protests", "Peaceful protest")
    assert protest["actor1"] == "Protesters (Ukraine)" and protest["inter1"] == "6"
    assert protest["tags"] == "crowd size=2000"
    swap = by_id["dd4-ev2"]
    assert swap["sub_event_type"] == "Agreement" and swap["actor1"] == "Government of Russia"
    assert swap["geo_precision"] == "" and swap["latitude"] == ""


def test_acled_csv_can_keep_unmapped(tmp_path, events):
    from eventwire.export.acled import write_acled_csv

    out = tmp_path / "all.csv"
    with open(out, "w", newline="", encoding="utf-8") as fp:
        write_acled_csv(events, fp, include_unmapped=True)
    _, rows = read_csv(out)
    talks = [r for r in rows if r["eventwire_type"] == "CONSULT"]
    assert len(talks) == 1 and talks[0]["event_type"] == ""
    assert not any(r["eventwire_status"] == "planned" for r in rows)


def test_acled_csv_incidents_use_lowest_fatalities_and_note_disagreement(tmp_path, events):
    incidents = cluster(events)
    out = tmp_path / "incidents.csv"
    export(incidents, "acled-csv", out, what="incidents")
    _, rows = read_csv(out)
    strike = next(r for r in rows if r["location"] == "Odesa")
    assert strike["fatalities"] == "12"
    assert strike["eventwire_corroboration"] == "2"
    assert strike["source"] == "Black Sea Wire; Danube Daily"
    assert "12 (Black Sea Wire)" in strike["notes"] and "15 (Danube Daily)" in strike["notes"]
    assert strike["eventwire_disagreements"].startswith("killed:")
    assert strike["event_date"] == "2024-03-10" and strike["time_precision"] == "2"


def test_geojson_events_with_coordinates(tmp_path, events):
    out = tmp_path / "events.geojson"
    count = export(events, "geojson", out)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection"
    ids = [f["id"] for f in data["features"]]
    assert count == len(ids) == len(events) - 1     # the exchange has no place
    assert "dd4-ev2" not in ids
    strike = data["features"][0]
    assert strike["geometry"] == {"type": "Point", "coordinates": [ODESA[1], ODESA[0]]}
    assert strike["properties"]["place"] == "Odesa" and "lat" not in strike["properties"]
    assert strike["properties"]["quantities"][0]["kind"] == "killed"


def test_geojson_incidents(tmp_path, events):
    out = tmp_path / "incidents.geojson"
    export(cluster(events), "geojson", out, what="incidents")
    data = json.loads(out.read_text(encoding="utf-8"))
    odesa = [f for f in data["features"] if f["properties"]["place"] == "Odesa" and f["properties"]["status"] == "happened"]
    assert len(odesa) == 1 and odesa[0]["properties"]["corroboration"] == 2
    assert odesa[0]["properties"]["disagreements"][0]["kind"] == "killed"


def test_parquet_events_round_trip(tmp_path, events):
    out = tmp_path / "events.parquet"
    assert export(events, "parquet", out) == len(events)
    table = pq.read_table(out)
    assert table.schema.equals(EVENT_SCHEMA)
    rows = table.to_pylist()
    strike = rows[0]
    assert strike["id"] == "aa1-ev1" and str(strike["date"]) == "2024-03-10"
    assert strike["quantities"][0] == {"kind": "killed", "value": 12.0, "text": "12", "approximate": False}
    assert strike["geonameid"] == ODESA[2]
    assert rows[4]["lat"] is None


def test_parquet_incidents_round_trip(tmp_path, events):
    out = tmp_path / "incidents.parquet"
    incidents = cluster(events)
    export(incidents, "parquet", out, what="incidents")
    table = pq.read_table(out)
    assert table.schema.equals(INCIDENT_SCHEMA)
    rows = {r["id"]: r for r in table.to_pylist()}
    assert set(rows) == {i["id"] for i in incidents}
    strike = next(r for r in rows.values() if r["corroboration"] == 2)
    assert strike["outlets"] == ["Black Sea Wire", "Danube Daily"]
    values = [(v["value"], v["outlet"]) for v in strike["disagreements"][0]["values"]]
    assert values == [(12.0, "Black Sea Wire"), (15.0, "Danube Daily")]
    assert len(strike["reports"]) == 2 and str(strike["date_last"]) == "2024-03-11"


def test_plover_jsonl(tmp_path, events):
    out = tmp_path / "events.jsonl"
    export(events, "plover-jsonl", out)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == len(events)
    strike = records[0]
    for field in ("id", "date", "actor", "recipient", "event", "mode", "context", "event_loc", "text", "size", "cite_info"):
        assert field in strike
    assert strike["event"] == "ASSAULT" and strike["mode"] == "aerial" and strike["dead"] == 12 and strike["injured"] == 30
    assert strike["actor"] == [{"actorText": "Russian forces", "code": "RUS", "sector": "MIL"}]
    assert strike["event_loc"]["geonameid"] == ODESA[2] and strike["cite_info"]["source"] == "Black Sea Wire"
    assert strike["source_of_claim"] == "the regional governor"
    assert records[3]["size"] == 2000


def test_plover_jsonl_incidents(tmp_path, events):
    out = tmp_path / "incidents.jsonl"
    export(cluster(events), "plover-jsonl", out, what="incidents")
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    strike = next(r for r in records if r["corroboration"] == 2)
    assert strike["dead"] == 12 and strike["event"] == "ASSAULT" and len(strike["reports"]) == 2
    assert strike["date"] == "2024-03-10" and strike["date_end"] == "2024-03-11"


def test_bad_options_and_paths(tmp_path, events):
    with pytest.raises(ExportError, match="--format"):
        export(events, "xlsx", tmp_path / "x")
    with pytest.raises(ExportError, match="--what"):
        export(events, "geojson", tmp_path / "x", what="articles")
    with pytest.raises(ExportError, match="no such directory"):
        export(events, "geojson", tmp_path / "missing" / "x.geojson")
    assert list(tmp_path.iterdir()) == []


def test_failed_write_leaves_no_file(tmp_path):
    broken = [{"id": "x", "lat": 1.0, "lon": 2.0, "quantities": [{"kind": "killed", "value": "many"}]}]
    out = tmp_path / "broken.parquet"
    with pytest.raises(Exception):
        export(broken, "parquet", out)
    assert list(tmp_path.iterdir()) == []


# -- the CLI, over a real SQLite store -------------------------------------------------------


def _report(text: str, outlet: str, killed: int):
    from eventwire.document import text_id
    from eventwire.schema import Article, Evidence, Event, LocationRef, Participant, Place, Quantity, Report

    start = text.index("An airstrike")
    return Report(
        article=Article(id=text_id(text), title="Strike on market", published="2024-03-10", source=outlet),
        places=[Place(id="p1", name="Odesa", geonameid=ODESA[2], lat=ODESA[0], lon=ODESA[1], feature="city",
                      country="UA", admin1="Odessa Oblast")],
        events=[Event(id="ev1", type="ASSAULT", mode="aerial",
                      actor=[Participant(text="Russian aircraft", country="RUS", sector="MIL")],
                      recipient=[Participant(text="shoppers", country="UKR", sector="CVL")],
                      location=LocationRef(place="p1", text="Odesa"),
                      quantities=[Quantity(kind="killed", value=killed, text=f"{killed} people")],
                      evidence=Evidence(start=start, end=len(text), text=text[start:]))],
    )


def test_cli_export_from_store(tmp_path):
    from eventwire.cli import app
    from eventwire.store import Store

    db = tmp_path / "ew.db"
    store = Store(str(db))
    try:
        for outlet, killed in (("Black Sea Wire", 12), ("Danube Daily", 15)):
            text = f"ODESA ({outlet}) - An airstrike on a market killed {killed} people on Sunday."
            store.add(_report(text, outlet, killed), text)
        store.rebuild_incidents()
    finally:
        store.close()
    runner = CliRunner()
    out = tmp_path / "inc.csv"
    result = runner.invoke(app, ["export", "--db", str(db), "-f", "acled-csv", "--what", "incidents", "-o", str(out)])
    assert result.exit_code == 0, result.output
    _, rows = read_csv(out)
    assert len(rows) == 1 and rows[0]["fatalities"] == "12" and rows[0]["eventwire_corroboration"] == "2"
    result = runner.invoke(app, ["export", "--db", str(db), "-f", "geojson", "--country", "UA", "--near", "46.5,30.7,20"])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)["features"]) == 2
    result = runner.invoke(app, ["export", "--db", str(db), "-f", "geojson", "--near", "46.5,30.7"])
    assert result.exit_code == 2 and "--near" in result.output
