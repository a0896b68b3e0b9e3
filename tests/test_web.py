"""The page in a real browser: Debian's chromium driven by Playwright against a real server."""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import httpx
import pytest

from tests.conftest import ROOT, require
from tests.test_api import build_store, serving

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="module")
def site(tmp_path_factory, nlp):
    from eventwire.api.app import create_app

    store = build_store(f"sqlite:///{tmp_path_factory.mktemp('web') / 'events.db'}")
    with serving(create_app(store.url)) as url:
        with httpx.Client(base_url=url, timeout=30) as api:
            events = api.get("/events", params={"limit": 1000}).json()["items"]
            incidents = api.get("/incidents", params={"limit": 1000}).json()["items"]
            yield {"url": url, "api": api, "events": events, "incidents": incidents}
    store.close()


@pytest.fixture(scope="module")
def browser():
    require(CHROMIUM.exists() and os.access(CHROMIUM, os.X_OK), f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"],
        )
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def page(browser, site):
    context = browser.new_context(viewport={"width": 1300, "height": 800})
    page = context.new_page()
    page.requested = []
    page.errors = []
    page.on("request", lambda r: page.requested.append(r.url))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.goto(site["url"] + "/")
    page.wait_for_selector("body[data-ready]", timeout=20_000)
    assert page.get_attribute("body", "data-ready") == "1", page.inner_text("#status")
    yield page
    context.close()


def listed(page) -> list[str]:
    return page.eval_on_selector_all("#events li", "els => els.map(e => e.dataset.event)")


def reset(page):
    page.click("#f-reset")
    page.wait_for_function("document.querySelectorAll('#events li').length > 0")


def markers(page) -> dict[str, int]:
    pairs = page.eval_on_selector_all("path.ew-marker", "els => els.map(e => [e.dataset.event, e.dataset.count])")
    return {event: int(count) for event, count in pairs}


def test_map_shows_a_marker_per_place_with_its_events(page, site):
    located = [e for e in site["events"] if e["lat"] is not None]
    spots = {(e["lat"], e["lon"]) for e in located}
    assert len(spots) >= 3
    shown = markers(page)
    assert len(shown) == len(spots) and sum(shown.values()) == len(located)
    by_id = {e["id"]: e for e in located}
    assert {(by_id[i]["lat"], by_id[i]["lon"]) for i in shown} == spots
    assert sorted(listed(page)) == sorted(e["id"] for e in site["events"])
    # the bundled country outlines are drawn under the markers
    assert page.locator(".leaflet-basemap-pane path").count() > 100
    assert not page.errors


def test_clicking_a_marker_opens_its_highlighted_evidence(page, site):
    reset(page)
    located = [e for e in site["events"] if e["lat"] is not None]
    spots = [(e["lat"], e["lon"]) for e in located]
    event = next(e for e in located if spots.count((e["lat"], e["lon"])) == 1)
    page.click(f'path.ew-marker[data-event="{event["id"]}"]')
    page.wait_for_selector("#article .m-evidence")
    marks = site["api"].get(f"/articles/{event['article_id']}").json()
    own = next(e for e in marks["events"] if e["id"] == event["id"])
    highlighted = "".join(page.eval_on_selector_all("#article .m-evidence", "els => els.map(e => e.textContent)"))
    expected = "".join(marks["text"][m["start"]:m["end"]] for m in sorted(own["evidence"], key=lambda m: m["start"]))
    assert highlighted == expected and event["evidence"] in highlighted
    assert page.inner_text("#article") == marks["text"]
    if own["places"]:
        places = page.eval_on_selector_all("#article .m-place", "els => els.map(e => e.textContent)")
        assert event["place"] in " ".join(places) or any(p in event["place"] for p in places)
    assert page.get_attribute("#events li.selected", "data-event") == event["id"]
    assert event["type"] in page.inner_text("#detail-title")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "web.png"))


def test_a_marker_with_several_events_narrows_the_list_to_its_place(page, site):
    reset(page)
    crowded = [i for i, n in markers(page).items() if n > 1]
    assert crowded, "two test articles report the same city"
    event = next(e for e in site["events"] if e["id"] == crowded[0])
    here = sorted(e["id"] for e in site["events"] if (e["lat"], e["lon"]) == (event["lat"], event["lon"]))
    page.click(f'path.ew-marker[data-event="{event["id"]}"]')
    page.wait_for_function(f"document.querySelectorAll('#events li').length === {len(here)}")
    assert sorted(listed(page)) == here
    assert event["place"] in page.inner_text("#spot")
    page.wait_for_selector("#article .m-evidence")
    page.click("#spot-clear")
    page.wait_for_function(f"document.querySelectorAll('#events li').length === {len(site['events'])}")


def test_selecting_an_event_with_a_speaker_marks_the_speaker(page, site):
    reset(page)
    event = next((e for e in site["events"] if e["source"]), None)
    assert event is not None
    page.focus(f'#events li[data-event="{event["id"]}"]')  # from the keyboard
    page.keyboard.press("Enter")
    page.wait_for_selector(f'#events li.selected[data-event="{event["id"]}"]')
    page.wait_for_selector("#article .m-speaker")
    speakers = page.eval_on_selector_all("#article .m-speaker", "els => els.map(e => e.textContent)")
    assert any(s in event["source"] or event["source"] in s for s in speakers)
    assert event["source"] in page.inner_text("#detail-fields")


def test_timeline_range_filters_the_list_and_map(page, site):
    reset(page)
    days = sorted({e["date"] for e in site["events"] if e["date"]})
    assert len(days) >= 2
    first = page.locator(f'#timeline rect.bar[data-day="{days[0]}"]')
    box = first.bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + 1, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2, y, steps=3)
    page.mouse.move(box["x"] + box["width"] - 1, y, steps=3)
    page.mouse.up()
    that_day = sorted(e["id"] for e in site["events"] if e["date"] == days[0])
    page.wait_for_function(f"document.querySelectorAll('#events li').length === {len(that_day)}")
    assert sorted(listed(page)) == that_day
    assert page.input_value("#f-from") == days[0] == page.input_value("#f-to")
    assert sum(markers(page).values()) == sum(e["lat"] is not None for e in site["events"] if e["id"] in that_day)
    assert page.locator("#timeline rect.bar.out").count() == len(days) - 1
    # counter-case: a click without dragging clears the range
    page.mouse.click(box["x"] + box["width"] / 2, y)
    page.wait_for_function(f"document.querySelectorAll('#events li').length === {len(site['events'])}")
    assert page.input_value("#f-from") == ""


def test_type_and_source_filters(page, site):
    reset(page)
    types = sorted({e["type"] for e in site["events"]})
    wanted = types[0]
    page.select_option("#f-type", wanted)
    expected = sorted(e["id"] for e in site["events"] if e["type"] == wanted)
    page.wait_for_function(f"document.querySelectorAll('#events li').length === {len(expected)}")
    assert sorted(listed(page)) == expected
    reset(page)
    page.select_option("#f-source", "o:Coast Herald")
    expected = sorted(e["id"] for e in site["events"] if e["outlet"] == "Coast Herald")
    page.wait_for_function(f"document.querySelectorAll('#events li').length === {len(expected)}")
    assert sorted(listed(page)) == expected
    reset(page)
    def sides_of(e):
        return {c.strip() for c in f"{e['actor_country'] or ''};{e['recipient_country'] or ''}".split(";") if c.strip()}

    sides = sorted(set().union(*(sides_of(e) for e in site["events"])))
    assert sides
    page.select_option("#f-side", sides[-1])
    expected = sorted(e["id"] for e in site["events"] if sides[-1] in sides_of(e))
    page.wait_for_function(f"document.querySelectorAll('#events li').length === {len(expected)}")
    assert sorted(listed(page)) == expected
    reset(page)
    assert len(listed(page)) == len(site["events"])


def test_incidents_show_outlets_and_disagreements(page, site):
    reset(page)
    incidents = {i["id"]: i for i in site["incidents"]}
    grouped = [e for e in site["events"] if e["incident_id"] in incidents]
    assert grouped
    for event in grouped:
        text = page.inner_text(f'#events li[data-event="{event["id"]}"]')
        incident = incidents[event["incident_id"]]
        assert f"{incident['corroboration']} outlet" in text
        assert ("figures differ" in text) == bool(incident["disagreements"])
    event = max(grouped, key=lambda e: incidents[e["incident_id"]]["corroboration"])
    page.click(f'#events li[data-event="{event["id"]}"]')
    page.wait_for_selector("#incident:not([hidden])")
    box = page.inner_text("#incident")
    incident = incidents[event["incident_id"]]
    for outlet in incident["outlets"]:
        assert outlet in box
    for d in incident["disagreements"]:
        assert f"Figures differ on {d['kind']}" in box
    # another outlet's report opens that article with its own evidence
    other = next((r for r in incident["reports"] if r["article_id"] != event["article_id"]), None)
    if incident["corroboration"] > 1:
        assert other is not None
    if other is not None:
        page.click(f'#incident li[data-event="{other["event_id"]}"]')
        page.wait_for_function("(o) => document.getElementById('article-meta').textContent.includes(o)",
                               arg=other["outlet"])
        page.wait_for_selector(f'#events li.selected[data-event="{other["event_id"]}"]')
        assert other["evidence"] in "".join(
            page.eval_on_selector_all("#article .m-evidence", "els => els.map(e => e.textContent)"))


REGIONS = ROOT / "src" / "eventwire" / "web" / "static" / "vendor" / "admin1" / "admin1-10m.json"
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}


def region_paths(page) -> int:
    """Region outlines Leaflet actually drew (paths outside the view are kept with an empty `M0 0`)."""
    return page.eval_on_selector_all(".leaflet-regions-pane path", "els => els.filter(e => e.getAttribute('d') !== 'M0 0').length")


def test_vendored_regions_are_small_and_keep_names_and_codes():
    import json

    topo = json.loads(REGIONS.read_text(encoding="utf-8"))
    assert REGIONS.stat().st_size < 3_000_000
    regions = topo["objects"]["regions"]["geometries"]
    assert len(regions) > 3000, "first-level regions of every country"
    assert all(r["properties"]["adm0_a3"] for r in regions)
    assert sum(not r["properties"]["name"] for r in regions) < len(regions) / 100, "a few islets have no name"
    ukraine = {r["properties"]["iso_3166_2"] for r in regions if r["properties"]["adm0_a3"] == "UKR"}
    assert len(ukraine) >= 24 and all(code.startswith("UA-") for code in ukraine)
    assert (REGIONS.parent / "NOTICE.md").read_text(encoding="utf-8").count("public domain") == 1


def test_region_outlines_appear_when_zoomed_in_with_the_name_on_hover(page, site):
    import json
    from urllib.parse import urlsplit

    reset(page)
    view = page.evaluate("[ewMap.getCenter().lat, ewMap.getCenter().lng, ewMap.getZoom()]")
    # zoomed out to the whole world: no region lines
    page.evaluate("ewMap.setView([30, 20], 2, {animate: false}), 0")
    page.wait_for_function("document.body.dataset.regions === 'hidden'")
    assert region_paths(page) == 0
    # zoomed in on a reported place: the region lines are drawn, and hovering beside the marker names
    # the region it lies in, one of that country's
    event = next(e for e in site["events"] if e["lat"] is not None and e["country"])
    page.evaluate(f"ewMap.setView([{event['lat']}, {event['lon']}], 6, {{animate: false}}), 0")
    page.wait_for_function("document.body.dataset.regions === 'shown'")
    assert region_paths(page) > 10
    page.evaluate(f"ewMap.setView([{event['lat']}, {event['lon']}], 9, {{animate: false}}), 0")
    box = page.locator("#map").bounding_box()
    spot = page.evaluate(f"(p => [p.x, p.y])(ewMap.latLngToContainerPoint([{event['lat']}, {event['lon']}]))")
    page.mouse.move(box["x"] + spot[0] + 25, box["y"] + spot[1] + 5)   # beside the marker, a few km off
    tip = page.locator(".ew-region-tip")
    tip.wait_for()
    names = {f"{r['properties']['name']} ({r['properties']['iso_3166_2']})"
             for r in json.loads(REGIONS.read_text(encoding="utf-8"))["objects"]["regions"]["geometries"]
             if r["properties"]["iso_3166_2"].startswith(event["country"] + "-")}
    assert tip.inner_text() in names
    page.mouse.move(box["x"] + 5, box["y"] + box["height"] - 5)
    # and away again: the lines go
    page.evaluate("ewMap.setZoom(3, {animate: false}), 0")
    page.wait_for_function("document.body.dataset.regions === 'hidden'")
    assert region_paths(page) == 0
    page.evaluate(f"ewMap.setView([{view[0]}, {view[1]}], {view[2]}, {{animate: false}}), 0")
    # the outlines came from this server, and nothing left loopback
    assert site["url"] + "/static/vendor/admin1/admin1-10m.json" in page.requested
    assert {urlsplit(u).hostname for u in page.requested} <= LOOPBACK
    assert not page.errors


def test_a_page_that_stays_zoomed_out_never_fetches_the_regions(browser, tmp_path):
    from eventwire.api.app import create_app

    with serving(create_app(f"sqlite:///{tmp_path / 'empty.db'}")) as url:
        context = browser.new_context(viewport={"width": 800, "height": 600})
        page = context.new_page()
        requested = []
        page.on("request", lambda r: requested.append(r.url))
        page.goto(url + "/")
        page.wait_for_selector("body[data-ready]")
        page.wait_for_function("document.body.dataset.regions === 'hidden'")
        assert page.locator(".leaflet-basemap-pane path").count() > 100
        assert not [u for u in requested if "admin1" in u]
        page.evaluate("ewMap.setView([15.5, 32.5], 5, {animate: false}), 0")   # counter-case: zooming in fetches and draws them
        page.wait_for_function("document.body.dataset.regions === 'shown'")
        assert [u for u in requested if "admin1" in u] == [url + "/static/vendor/admin1/admin1-10m.json"]
        assert region_paths(page) > 10
        context.close()


def test_the_page_fetches_nothing_from_elsewhere(page, site):
    assert page.requested
    outside = [u for u in page.requested if not u.startswith(site["url"] + "/")]
    assert outside == []


def test_a_tile_url_replaces_the_bundled_outlines(browser, site, tmp_path):
    import base64

    from fastapi.responses import Response

    from eventwire.api.app import create_app

    png = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
    app = create_app(f"sqlite:///{tmp_path / 'empty.db'}", tiles="/tiles/{z}/{x}/{y}.png")
    served = []

    @app.get("/tiles/{z}/{x}/{y}.png", include_in_schema=False)
    def tile(z: int, x: int, y: int):
        served.append((z, x, y))
        return Response(png, media_type="image/png")

    with serving(app) as url:
        context = browser.new_context(viewport={"width": 800, "height": 600})
        page = context.new_page()
        page.goto(url + "/")
        page.wait_for_selector("body[data-ready]")
        page.wait_for_selector("img.leaflet-tile-loaded")
        assert served and page.locator(".leaflet-basemap-pane path").count() == 0
        assert "0 of 0 events" in page.inner_text("#status")
        assert "no dated events" in page.text_content("#timeline")
        context.close()


def test_api_docs_page_is_offline_and_lists_every_endpoint(browser, site):
    spec = site["api"].get("/openapi.json").json()
    context = browser.new_context()
    page = context.new_page()
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(site["url"] + "/docs")
    page.wait_for_selector("#models .op")
    shown = page.eval_on_selector_all("#ops .op", "els => els.map(e => e.id)")
    assert sorted(shown) == sorted(f"{m}-{p}" for p, ms in spec["paths"].items() for m in ms)
    assert "near" in page.inner_text('[id="get-/events"]') and "413" in page.inner_text('[id="post-/extract"]')
    assert "evidence_start" in page.inner_text("#model-EventRow")
    assert all(u.startswith(site["url"] + "/") for u in requested)
    context.close()


@pytest.fixture(scope="module")
def example_site(tmp_path_factory, nlp):
    """The bundled example corpus, ingested the way the README says, behind a real server."""
    from eventwire.api.app import create_app
    from eventwire.ingest.run import ingest
    from eventwire.store import Store

    corpus = ROOT / "examples" / "corpus" / "articles.jsonl"
    if not corpus.exists():
        pytest.skip(f"{corpus} is absent")
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('examples') / 'corpus.db'}")
    summary = ingest([str(corpus)], store)
    assert not summary.failed
    with serving(create_app(store.url)) as url, httpx.Client(base_url=url, timeout=30) as api:
        yield {"url": url, "events": api.get("/events", params={"limit": 5000}).json()["items"],
               "incidents": api.get("/incidents", params={"limit": 5000}).json()["items"]}
    store.close()


def test_the_example_corpus_shows_map_timeline_and_evidence_offline(browser, example_site):
    site = example_site
    context = browser.new_context(viewport={"width": 1300, "height": 800})
    page = context.new_page()
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(site["url"] + "/")
    page.wait_for_selector("body[data-ready]", timeout=20_000)
    located = [e for e in site["events"] if e["lat"] is not None]
    spots = {(e["lat"], e["lon"]) for e in located}
    assert len({e["country"] for e in located}) >= 3, "the corpus covers several countries"
    assert sum(markers(page).values()) == len(located) and len(markers(page)) == len(spots)
    counts = page.eval_on_selector_all("#timeline rect.bar", "els => els.map(e => +e.dataset.count)")
    assert sum(counts) == sum(1 for e in site["events"] if e["date"])
    dates = sorted(e["date"] for e in site["events"] if e["date"])
    span = (datetime.date.fromisoformat(dates[-1]) - datetime.date.fromisoformat(dates[0])).days + 1
    unit = "day" if span <= 180 else "week" if span <= 3 * 365 else "month"
    assert page.inner_text("#timeline-unit") == unit
    # the best-corroborated incident: its report opens with evidence and the outlets are listed
    incident = max(site["incidents"], key=lambda i: (i["corroboration"], i["id"]))
    assert incident["corroboration"] >= 2
    page.click(f'#events li[data-event="{incident["event_ids"][0]}"]')
    page.wait_for_selector("#incident:not([hidden])")
    page.wait_for_selector("#article .m-evidence")
    assert all(o in page.inner_text("#incident") for o in incident["outlets"])
    assert all(u.startswith(site["url"] + "/") for u in requested)
    context.close()


def test_incidents_tab_lists_incidents_with_outlets_and_disagreements(page, site):
    reset(page)
    incidents = {i["id"]: i for i in site["incidents"]}
    held = {e["incident_id"] for e in site["events"] if e["incident_id"] in incidents}
    page.click("#tab-incidents")
    page.wait_for_selector("#incidents:not([hidden])")
    assert page.locator("#events").is_hidden()
    shown = page.eval_on_selector_all("#incidents li", "els => els.map(e => e.dataset.incident)")
    assert sorted(shown) == sorted(held)
    counts = [incidents[i]["corroboration"] for i in shown]
    assert counts == sorted(counts, reverse=True), "most corroborated first"
    top = incidents[shown[0]]
    text = page.inner_text(f'#incidents li[data-incident="{top["id"]}"]')
    assert f"{top['corroboration']} outlet" in text and all(o in text for o in top["outlets"])
    for d in top["disagreements"]:
        figures = [int(v["value"]) if float(v["value"]).is_integer() else v["value"] for v in d["values"]]
        assert all(f"{f} (" in text for f in figures)
    page.click(f'#incidents li[data-incident="{top["id"]}"]')
    page.wait_for_selector(f'#incidents li.selected[data-incident="{top["id"]}"]')
    selected = page.get_attribute("#events li.selected", "data-event")
    assert selected in top["event_ids"]
    page.click("#tab-events")
    assert page.locator("#incidents").is_hidden() and page.locator("#events").is_visible()
