"""The REST API over HTTP: a real uvicorn server on loopback, a store ingested from our own texts."""

from __future__ import annotations

import contextlib
import hashlib
import math
import socket
import threading
import time

import httpx
import pytest

# Short wire reports we wrote: two outlets on one shelling with different tolls, other days and places.
ARTICLES = [
    {"source": "Wire One", "published": "2022-05-10", "title": "Shelling in Kharkiv",
     "text": "Artillery shelling killed 12 civilians in Kharkiv on Monday, the regional governor Oleh "
             "Synehubov said. Russian forces also attacked the town of Izium."},
    {"source": "Daily Two", "published": "2022-05-10", "title": "Kharkiv toll rises",
     "text": "Russian troops shelled Kharkiv on Monday, killing 15 civilians, Ukrainian officials said."},
    {"source": "Wire One", "published": "2022-05-20", "title": "Mykolaiv hit",
     "text": "Russian forces shelled the southern city of Mykolaiv on Thursday, the mayor Oleksandr "
             "Senkevych told reporters."},
    {"source": "Coast Herald", "published": "2022-06-02", "title": "Rally in Kherson",
     "text": "Hundreds of residents protested in Kherson on Wednesday against the occupation, "
             "witnesses said."},
    {"source": "Daily Two", "published": "2022-06-14", "title": "Depot struck",
     "text": "Ukrainian forces attacked a Russian ammunition depot near Melitopol on Sunday, the "
             "Ukrainian military said in a statement."},
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serving(app):
    """Run `app` under a real uvicorn server on a free loopback port; yields its base URL."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


def build_store(url):
    """A store at `url` holding ARTICLES, extracted by the real pipeline, with incidents built."""
    from eventwire.pipeline import extract_many
    from eventwire.store import Store

    store = Store(url)
    for item, report in zip(ARTICLES, extract_many([dict(a) for a in ARTICLES])):
        store.add(report, item["text"])
    store.rebuild_incidents()
    return store


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def store(request, tmp_path_factory, nlp):
    """The same API tests on both backends (PostgreSQL from $EVENTWIRE_TEST_POSTGRES)."""
    from tests.test_store import make_database_url

    url, drop = make_database_url(request.param, tmp_path_factory.mktemp(request.param))
    store = build_store(url)
    yield store
    store.close()
    drop()


@pytest.fixture(scope="module")
def base(store):
    from eventwire.api.app import create_app

    with serving(create_app(store.url, max_body=200_000)) as url:
        yield url


@pytest.fixture(scope="module")
def client(base):
    with httpx.Client(base_url=base, timeout=30) as c:
        yield c


def ids(rows):
    return [r["id"] for r in rows]


# -- events and paging ---------------------------------------------------------------------------

def test_events_match_the_store_and_page_without_overlap(client, store):
    everything = store.events()
    assert len(everything) >= 4, "the test articles should give several events"
    body = client.get("/events", params={"limit": 1000}).json()
    assert body["total"] == len(everything)
    assert ids(body["items"]) == ids(everything)
    first = client.get("/events", params={"limit": 2, "offset": 0}).json()
    second = client.get("/events", params={"limit": 2, "offset": 2}).json()
    assert (first["limit"], first["offset"], second["offset"]) == (2, 0, 2)
    assert len(first["items"]) == 2 and first["total"] == len(everything)
    assert ids(first["items"]) + ids(second["items"]) == ids(everything)[:4]
    beyond = client.get("/events", params={"offset": len(everything)}).json()
    assert beyond["items"] == [] and beyond["total"] == len(everything)


def test_rows_carry_every_documented_field(client):
    from eventwire.api.models import EntityRow, EventRow, IncidentRow

    for path, model in (("/events", EventRow), ("/incidents", IncidentRow), ("/entities", EntityRow)):
        rows = client.get(path).json()["items"]
        assert rows, path
        for row in rows:
            assert set(model.model_fields) <= set(row), (path, set(model.model_fields) - set(row))


def test_filters_narrow_the_events(client, store):
    everything = store.events()
    types = {r["type"] for r in everything}
    wanted = sorted(types)[0]
    body = client.get("/events", params={"type": wanted.lower(), "limit": 1000}).json()
    assert body["total"] == sum(r["type"] == wanted for r in everything) == len(body["items"])

    dated = sorted(r["date"] for r in everything if r["date"])
    assert len(set(dated)) >= 2
    since = dated[-1]
    body = client.get("/events", params={"since": since}).json()
    assert body["items"] and all(r["date"] >= since for r in body["items"])
    assert body["total"] < len(everything)
    body = client.get("/events", params={"until": dated[0]}).json()
    assert body["items"] and all(r["date"] <= dated[0] for r in body["items"])

    outlet = "Coast Herald"
    body = client.get("/events", params={"source": outlet}).json()
    assert all(outlet in (r["outlet"], r["source"]) for r in body["items"])
    assert body["total"] == sum(outlet in (r["outlet"], r["source"]) for r in everything)


def test_near_keeps_events_within_the_radius(client, store):
    located = [r for r in store.events() if r["lat"] is not None]
    assert len({r["place"] for r in located}) >= 2
    anchor = located[0]
    body = client.get("/events", params={"near": f"{anchor['lat']},{anchor['lon']},40", "limit": 1000}).json()
    assert anchor["id"] in ids(body["items"])
    for row in body["items"]:
        dlat = math.radians(row["lat"] - anchor["lat"])
        assert abs(dlat) * 6371 <= 40.5
    assert body["total"] < len(store.events())
    # counter-case: nothing happened in the Gulf of Guinea
    assert client.get("/events", params={"near": "0,0,50"}).json()["total"] == 0


def test_country_and_side_filters_accept_codes(client, store):
    countries = {r["country"] for r in store.events() if r["country"]}
    assert countries
    code = sorted(countries)[0]
    body = client.get("/events", params={"country": code}).json()
    assert body["total"] >= 1 and all(r["country"] == code for r in body["items"])
    assert client.get("/events", params={"country": "NZ"}).json()["total"] == 0
    sides = {c for r in store.events() for c in f"{r['actor_country'] or ''};{r['recipient_country'] or ''}".split(";")}
    sides = sorted(c.strip() for c in sides if c.strip())
    assert sides, "the test articles name sides"
    body = client.get("/events", params={"side": sides[0], "limit": 1000}).json()
    assert body["total"] >= 1
    assert all(sides[0] in f"{r['actor_country']} {r['recipient_country']}" for r in body["items"])
    assert client.get("/events", params={"side": "NZL"}).json()["total"] == 0


@pytest.mark.parametrize("params, status, names", [
    ({"type": "FLY"}, 400, "type"),
    ({"since": "2022-13-01"}, 400, "since"),
    ({"until": "yesterday"}, 400, "until"),
    ({"since": "2022-06-01", "until": "2022-05-01"}, 400, "since"),
    ({"near": "49.9,36.2"}, 400, "near"),
    ({"near": "95,36,10"}, 400, "near"),
    ({"near": "49,36,-5"}, 400, "near"),
    ({"country": "Atlantis"}, 400, "country"),
    ({"limit": 0}, 422, "limit"),
    ({"limit": "ten"}, 422, "limit"),
    ({"limit": 999999}, 422, "limit"),
    ({"offset": -1}, 422, "offset"),
])
def test_bad_parameters_are_json_errors_naming_the_parameter(client, params, status, names):
    for path in ("/events", "/incidents", "/events.geojson"):
        res = client.get(path, params=params)
        assert res.status_code == status, (path, params, res.text)
        message = res.json()["error"]
        assert names in message and "\n" not in message


# -- other resources -----------------------------------------------------------------------------

def test_geojson_points_are_the_events_coordinates(client, store):
    body = client.get("/events.geojson", params={"limit": 1000}).json()
    assert body["type"] == "FeatureCollection"
    rows = {r["id"]: r for r in store.events()}
    located = [r for r in rows.values() if r["lat"] is not None]
    assert len(body["features"]) == len(located) and body["total"] == len(rows)
    for feature in body["features"]:
        row = rows[feature["properties"]["id"]]
        assert feature["geometry"] == {"type": "Point", "coordinates": [row["lon"], row["lat"]]}
        assert "lat" not in feature["properties"]


def test_incidents_page_and_count_outlets(client, store):
    everything = store.incidents()
    assert everything
    body = client.get("/incidents", params={"limit": 1}).json()
    assert body["total"] == len(everything) and ids(body["items"]) == ids(everything)[:1]
    full = client.get("/incidents", params={"limit": 1000}).json()["items"]
    for incident in full:
        assert incident["corroboration"] == len(set(incident["outlets"]))
        assert {r["event_id"] for r in incident["reports"]} <= set(incident["event_ids"])
    wanted = everything[0]["type"]
    assert all(i["type"] == wanted for i in client.get("/incidents", params={"type": wanted}).json()["items"])


def test_article_view_offsets_point_at_the_text(client, store):
    row = next(r for r in store.events() if r["place"])
    body = client.get(f"/articles/{row['article_id']}").json()
    stored = store.article(row["article_id"])
    assert body["text"] == stored["text"] and body["source"] == stored["source"]
    text = body["text"]
    for mark in body["entities"] + body["places"] + body["quotes"]:
        assert 0 <= mark["start"] < mark["end"] <= len(text)
    for mark in body["places"]:
        assert text[mark["start"]:mark["end"]].strip()
    event = next(e for e in body["events"] if e["id"] == row["id"])
    assert text[event["evidence"][0]["start"]:event["evidence"][0]["end"]] == row["evidence"]
    assert any(text[m["start"]:m["end"]] == row["place"] or row["place"] in text[m["start"]:m["end"]]
               for m in event["places"])


def test_article_view_marks_the_speaker(client, store):
    row = next((r for r in store.events() if r["source"]), None)
    assert row is not None, "a test article attributes an event to a speaker"
    body = client.get(f"/articles/{row['article_id']}").json()
    event = next(e for e in body["events"] if e["id"] == row["id"])
    assert event["speakers"], "the speaker of the event is marked"
    spoken = [body["text"][m["start"]:m["end"]] for m in event["speakers"]]
    assert any(s in row["source"] or row["source"] in s for s in spoken)


def test_unknown_article_and_path_are_404(client):
    missing = hashlib.sha256(b"never stored").hexdigest()
    res = client.get(f"/articles/{missing}")
    assert res.status_code == 404 and missing in res.json()["error"]
    res = client.get("/articles/not-a-hash")
    assert res.status_code == 400 and "article id" in res.json()["error"]
    res = client.get("/no/such/thing")
    assert res.status_code == 404 and "/no/such/thing" in res.json()["error"]


def test_entities_are_paged_with_a_total(client, store):
    body = client.get("/entities", params={"limit": 3}).json()
    assert body["total"] == store.stats()["entities"]
    assert ids(body["items"]) == ids(store.entities(limit=3))


def test_openapi_documents_every_endpoint(client):
    spec = client.get("/openapi.json").json()
    for path in ("/extract", "/events", "/events.geojson", "/incidents", "/articles/{article_id}",
                 "/entities", "/ingest"):
        operations = spec["paths"][path]
        assert all(op.get("summary") for op in operations.values()), path
    schemas = spec["components"]["schemas"]
    assert {"EventRow", "IncidentRow", "ArticleOut", "ErrorBody", "Report"} <= set(schemas)
    params = {p["name"] for p in spec["paths"]["/events"]["get"]["parameters"]}
    assert {"type", "country", "since", "until", "near", "source", "side", "limit", "offset"} <= params


# -- extraction, body limits, ingest ---------------------------------------------------------------

def test_extract_returns_a_report_of_the_text(client):
    text = "Russian forces shelled the city of Sumy on Tuesday, the regional governor said."
    res = client.post("/extract", json={"text": text, "published": "2022-05-11", "source": "Test Wire"})
    assert res.status_code == 200
    report = res.json()
    assert report["schema"] == "eventwire.report/1"
    assert report["article"]["id"] == hashlib.sha256(text.encode()).hexdigest()
    assert report["article"]["source"] == "Test Wire"
    assert any(p["name"] == "Sumy" for p in report["places"])


@pytest.mark.parametrize("body, status, field", [
    ({"text": "   "}, 400, "text"),
    ({"text": "Shelling hit Sumy.", "published": "last week"}, 400, "published"),
    ({"title": "no text"}, 422, "text"),
    ({"text": "Shelling hit Sumy.", "colour": "red"}, 422, "colour"),
    ({"text": 42}, 422, "text"),
])
def test_extract_rejects_bad_bodies(client, body, status, field):
    res = client.post("/extract", json=body)
    assert res.status_code == status and field in res.json()["error"]


def test_oversized_bodies_are_refused_with_413(client):
    big = {"text": "Shelling continued. " * 20_000}
    res = client.post("/extract", json=big)
    assert res.status_code == 413 and "limit" in res.json()["error"]

    def chunks():  # no Content-Length: the server counts while reading
        for _ in range(30):
            yield b"x" * 10_000

    res = client.post("/extract", content=chunks(), headers={"content-type": "application/json"})
    assert res.status_code == 413
    # a body under the limit still goes through after a refused one
    assert client.post("/extract", json={"text": "Troops shelled Sumy."}).status_code == 200


def test_ingest_is_forbidden_without_the_flag(client, store):
    before = store.stats()
    res = client.post("/ingest", json={"articles": [{"text": "Troops shelled Sumy on Friday."}]})
    assert res.status_code == 403 and "--allow-ingest" in res.json()["error"]
    assert store.stats() == before


def test_ingest_with_the_flag_stores_once(tmp_path, nlp):
    from eventwire.api.app import create_app
    from eventwire.store import Store

    db = f"sqlite:///{tmp_path / 'ingest.db'}"
    article = {"text": "Russian forces shelled the city of Sumy on Tuesday, the governor said.",
               "published": "2022-05-11", "source": "Test Wire"}
    with serving(create_app(db, allow_ingest=True)) as url, httpx.Client(base_url=url, timeout=60) as c:
        first = c.post("/ingest", json={"articles": [article]})
        assert first.status_code == 200, first.text
        assert first.json()["items"][0]["added"] is True
        again = c.post("/ingest", json={"articles": [article]}).json()
        assert again["items"][0]["added"] is False and again["incidents"] is None
        total = c.get("/events").json()["total"]
        assert c.get("/stats").json()["articles"] == 1
        assert c.post("/ingest", json={"articles": []}).status_code == 422
    with Store(db) as store:
        assert store.count_events() == total == first.json()["items"][0]["events"]


def test_page_and_assets_are_served(client):
    page = client.get("/")
    assert page.status_code == 200 and "leaflet.js" in page.text
    for path in ("/static/app.js", "/static/timeline.js", "/static/vendor/leaflet/leaflet.js",
                 "/static/vendor/world-atlas/countries-50m.json"):
        assert client.get(path).status_code == 200, path
    assert client.get("/config").json() == {"tiles": None, "allow_ingest": False, "max_body": 200_000}


def test_serve_rejects_bad_options_in_one_line(tmp_path):
    from typer.testing import CliRunner

    from eventwire.cli import app

    runner = CliRunner()
    res = runner.invoke(app, ["serve", "--db", str(tmp_path / "x.db"), "--tiles", "http://tiles.local/a.png"])
    assert res.exit_code == 2 and "--tiles" in res.output
    res = runner.invoke(app, ["serve", "--db", str(tmp_path / "x.db"), "--port", "70000"])
    assert res.exit_code == 2 and "--port" in res.output
    res = runner.invoke(app, ["serve", "--db", str(tmp_path / "x.db"), "--workers", "0"])
    assert res.exit_code == 2 and "--workers" in res.output
    port = free_port()  # nothing listens there
    res = runner.invoke(app, ["serve", "--db", f"postgresql://nobody@127.0.0.1:{port}/none"])
    assert res.exit_code == 2 and "--db" in res.output and len(res.output.strip().splitlines()) == 1


@pytest.mark.parametrize("workers", [1, 2])
def test_serve_command_answers_on_loopback(tmp_path, workers):
    import subprocess
    import sys
    from pathlib import Path

    port = free_port()
    exe = Path(sys.executable).with_name("eventwire")
    proc = subprocess.Popen([str(exe), "serve", "--db", str(tmp_path / "served.db"), "--port", str(port),
                             "--workers", str(workers)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while True:
            assert proc.poll() is None, proc.stderr.read().decode()[-400:]
            try:
                res = httpx.get(f"http://127.0.0.1:{port}/stats", timeout=1)
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline, "eventwire serve did not answer within 30 s"
                time.sleep(0.1)
        assert res.json() == {"articles": 0, "events": 0, "incidents": 0, "entities": 0}
        assert httpx.post(f"http://127.0.0.1:{port}/ingest", json={"articles": [{"text": "x"}]}).status_code == 403
    finally:
        proc.terminate()
        proc.wait(10)
