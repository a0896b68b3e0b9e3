"""Ingest: every kind of input, bad inputs that never stop a batch, re-ingest as a no-op.

Pages and feeds are served from a local HTTP server on loopback in a thread. The articles are
short wire-style texts written for these tests; extraction runs for real (the shared model).
"""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from typer.testing import CliRunner

from eventwire.cli import app
from eventwire.document import text_id
from eventwire.ingest import ingest, read_sources
from eventwire.ingest.sources import Failure, Item, Options
from eventwire.store import Store

DEPOT = "Ukrainian artillery struck a Russian ammunition depot near Izium on Sunday, the General Staff said."
CONVOY = "Rebels ambushed an army convoy on the road to Goma on Monday, killing three soldiers, a spokesman said."
PROTEST = "Thousands of people protested in Tbilisi on Saturday against a draft law on foreign agents."
TALKS = "Negotiators from Armenia and Azerbaijan met in Brussels on Tuesday to discuss the border, diplomats said."
BRIDGE = "A drone attack damaged a road bridge in Kherson region overnight, the regional governor said on Telegram."
PORT = ("Missiles hit grain silos in the port of Izmail on Wednesday, the Ukrainian navy said, adding that "
        "two workers were injured and the fire was put out by the morning. Ships kept loading at other berths.")

HTML_PAGE = """<html><head><title>Convoy ambushed near Goma | Lakes Courier</title>
<meta property="og:site_name" content="Lakes Courier">
<meta property="article:published_time" content="2023-05-08T09:30:00Z"></head>
<body><nav><a href="/">Home</a> <a href="/africa">Africa</a></nav>
<article><h1>Convoy ambushed near Goma</h1><p>{body}</p>
<p>The army said reinforcements had been sent to the area and the road was closed.</p></article>
<footer>Lakes Courier. All rights reserved.</footer></body></html>"""


def rss(items: list[dict], title: str = "Frontline Times") -> str:
    entries = "".join(
        f"<item><title>{i['title']}</title><link>{i.get('link', '')}</link><pubDate>{i['date']}</pubDate>"
        f"<description><![CDATA[{i['text']}]]></description></item>"
        for i in items
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>{entries}</channel></rss>'


class Pages(BaseHTTPRequestHandler):
    routes: dict[str, tuple[int, str, bytes]] = {}

    def do_GET(self):  # noqa: N802 - http.server's naming
        status, content_type, body = self.routes.get(self.path, (404, "text/plain", b"not here"))
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Pages)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    Pages.routes = {
        "/convoy": (200, "text/html; charset=utf-8", HTML_PAGE.format(body=CONVOY).encode()),
        "/port.txt": (200, "text/plain; charset=utf-8", PORT.encode()),
        "/big": (200, "text/html", b"<html><body><p>" + b"word " * 40_000 + b"</p></body></html>"),
        "/feed": (200, "application/rss+xml", rss([
            {"title": "Talks in Brussels", "date": "Tue, 09 May 2023 10:00:00 GMT", "text": TALKS + " " + PROTEST,
             "link": base + "/talks"},
            {"title": "Convoy", "date": "Mon, 08 May 2023 18:00:00 GMT", "text": "Rebels ambushed a convoy.",
             "link": base + "/convoy"},
            {"title": "Gone", "date": "Mon, 08 May 2023 19:00:00 GMT", "text": "", "link": base + "/missing"},
        ]).encode()),
    }
    yield base
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def store(tmp_path):
    s = Store(str(tmp_path / "ingest.db"))
    yield s
    s.close()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def reasons(summary) -> dict[str, str]:
    return {f.origin: f.reason for f in summary.failed}


# -- reading inputs --------------------------------------------------------------------------

def test_folder_is_read_recursively_in_order_skipping_hidden_and_other_files(tmp_path):
    (tmp_path / "b" / "deep").mkdir(parents=True)
    (tmp_path / "a.txt").write_text(DEPOT)
    (tmp_path / "b" / "deep" / "c.txt").write_text(PROTEST)
    (tmp_path / "b" / ".hidden.txt").write_text(TALKS)
    (tmp_path / "b" / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "notes.txt").write_text(BRIDGE)
    items = list(read_sources([str(tmp_path)], Options(published="2023-05-10")))
    assert [i.text for i in items] == [DEPOT, PROTEST]
    assert all(isinstance(i, Item) and i.published == "2023-05-10" for i in items)


def test_html_file_gives_main_text_and_metadata(tmp_path):
    (tmp_path / "convoy.html").write_text(HTML_PAGE.format(body=CONVOY))
    [item] = read_sources([str(tmp_path / "convoy.html")], Options(published="2020-01-01"))
    assert item.text.startswith(CONVOY)
    assert "Home" not in item.text and "rights reserved" not in item.text
    assert (item.title, item.published, item.source) == ("Convoy ambushed near Goma", "2023-05-08", "Lakes Courier")


def test_jsonl_lines_carry_metadata_and_bad_lines_are_named(tmp_path):
    lines = [
        json.dumps({"text": DEPOT, "title": "Depot", "published": "2023-05-07", "source": "Wire", "url": "u1"}),
        "",
        '{"text": "unterminated',
        json.dumps({"title": "no text here"}),
        json.dumps({"text": PROTEST, "published": "last Saturday"}),
        json.dumps(["a", "list"]),
        json.dumps({"text": TALKS}),
    ]
    (tmp_path / "dump.jsonl").write_text("\n".join(lines) + "\n")
    results = list(read_sources([str(tmp_path / "dump.jsonl")], Options(published="2023-05-10")))
    items = [r for r in results if isinstance(r, Item)]
    failures = {r.origin.rsplit(":", 1)[1]: r.reason for r in results if isinstance(r, Failure)}
    assert [(i.text, i.published, i.source) for i in items] == [(DEPOT, "2023-05-07", "Wire"), (TALKS, "2023-05-10", None)]
    assert items[0].origin.endswith("dump.jsonl:1") and items[1].origin.endswith("dump.jsonl:7")
    assert failures["3"].startswith("bad JSON")
    assert failures["4"] == "text: missing or empty"
    assert failures["5"].startswith("published:")
    assert failures["6"].startswith("expected a JSON object")


def test_rss_file_entries_take_feed_dates_and_title(tmp_path):
    (tmp_path / "feed.xml").write_text(rss([
        {"title": "Bridge", "date": "Thu, 11 May 2023 06:15:00 GMT", "text": f"<p>{BRIDGE}</p><p>{PORT}</p>"},
        {"title": "Port", "date": "Fri, 12 May 2023 22:00:00 +0000", "text": PORT},
    ], title="River Gazette"))
    items = list(read_sources([str(tmp_path / "feed.xml")]))
    assert [(i.title, i.published, i.source) for i in items] == [
        ("Bridge", "2023-05-11", "River Gazette"), ("Port", "2023-05-12", "River Gazette")]
    assert items[0].text == BRIDGE + "\n" + PORT  # markup gone, paragraphs kept apart
    assert items[0].origin.endswith("feed.xml entry 1")


def test_feed_url_fetches_short_entries_from_their_links(server):
    results = list(read_sources([server + "/feed"]))
    talks, convoy, gone = results
    assert talks.text.startswith(TALKS) and talks.published == "2023-05-09" and talks.source == "Frontline Times"
    assert talks.url.endswith("/talks")  # long enough: taken from the feed, the link is not fetched
    assert convoy.text.startswith(CONVOY)  # the one-line teaser was replaced by the linked page
    assert convoy.published == "2023-05-08" and convoy.title == "Convoy" and convoy.source == "Frontline Times"
    assert isinstance(gone, Failure) and "HTTP 404" in gone.reason and gone.origin.endswith("/missing)")


def test_urls_and_their_failures(server):
    port = closed_port()
    results = list(read_sources([server + "/convoy", server + "/port.txt", server + "/nowhere",
                                 f"http://127.0.0.1:{port}/x", server + "/big"], Options(max_bytes=100_000)))
    page, text, missing, refused, big = results
    assert page.text.startswith(CONVOY) and page.source == "Lakes Courier" and page.url == server + "/convoy"
    assert text.text == PORT and text.source == "127.0.0.1"
    assert (missing.origin, missing.reason) == (server + "/nowhere", "HTTP 404 Not Found")
    assert refused.origin.endswith(f":{port}/x") and refused.reason.startswith("cannot fetch")
    assert "byte cap" in big.reason
    assert isinstance(list(read_sources([server + "/big"]))[0], Item)  # under the default cap it is read


# -- ingesting into a store --------------------------------------------------------------------

@pytest.fixture
def mixed_folder(tmp_path):
    folder = tmp_path / "in"
    (folder / "feeds").mkdir(parents=True)
    (folder / "depot.txt").write_text(DEPOT)
    (folder / "copy-of-depot.txt").write_text(DEPOT)  # same text twice: stored once
    (folder / "latin1.txt").write_bytes("Shelling hit Kramatorsk, said the mayor, Andri\xef.".encode("latin-1"))
    (folder / "broken.html").write_text("<html><body><div><p><span></div>")
    (folder / "convoy.html").write_text(HTML_PAGE.format(body=CONVOY))
    (folder / "empty.txt").write_text("  \n")
    (folder / "utf16.txt").write_text("Troops shelled the town of Vuhledar on Monday.", encoding="utf-16-le")
    (folder / "dump.jsonl").write_text(
        json.dumps({"text": PROTEST, "source": "Caucasus Daily", "published": "2023-05-06"}) + "\n{oops\n"
        + json.dumps({"text": TALKS, "source": "Caucasus Daily"}) + "\n")
    (folder / "feeds" / "river.rss").write_text(rss([
        {"title": "Bridge", "date": "Thu, 11 May 2023 06:15:00 GMT", "text": BRIDGE + " " + PORT}]))
    return folder


def test_ingest_stores_good_inputs_and_reports_bad_ones(mixed_folder, store):
    summary = ingest([str(mixed_folder)], store, published="2023-05-10", rebuild=False)
    assert summary.ingested == 5 and summary.duplicates == 1
    failed = {name.rsplit("/", 1)[1]: why for name, why in reasons(summary).items()}
    assert set(failed) == {"latin1.txt", "broken.html", "empty.txt", "dump.jsonl:2", "utf16.txt"}
    assert failed["latin1.txt"].startswith("not UTF-8 text")
    assert failed["utf16.txt"].startswith("contains NUL characters")
    assert failed["broken.html"] == "no article text found in the HTML"
    stored = {store.article(a)["text"].split("\n")[0]: store.article(a) for a in store.article_ids()}
    assert stored[DEPOT]["published"] == "2023-05-10"
    assert stored[PROTEST]["source"] == "Caucasus Daily" and stored[PROTEST]["published"] == "2023-05-06"
    assert stored[CONVOY]["title"] == "Convoy ambushed near Goma"
    assert stored[BRIDGE + " " + PORT]["published"] == "2023-05-11"
    # the stored report is the extraction of the stored text
    for article in stored.values():
        assert article["report"]["article"]["id"] == article["id"] == text_id(article["text"])


def test_reingest_is_a_no_op(mixed_folder, store):
    first = ingest([str(mixed_folder)], store, rebuild=False)
    before = {name: store.rows(name) for name in ("articles", "events", "places", "entities", "quotes")}
    again = ingest([str(mixed_folder)], store, rebuild=False)
    assert again.ingested == 0 and again.duplicates == first.ingested + first.duplicates
    assert {name: store.rows(name) for name in before} == before


def test_ingest_with_two_workers_stores_the_same_articles(tmp_path):
    folder = tmp_path / "texts"
    folder.mkdir()
    for n, text in enumerate([DEPOT, CONVOY, PROTEST, TALKS, BRIDGE, PORT]):
        (folder / f"{n}.txt").write_text(text)
    with Store(str(tmp_path / "one.db")) as one, Store(str(tmp_path / "two.db")) as two:
        ingest([str(folder)], one, rebuild=False)
        summary = ingest([str(folder)], two, workers=2, rebuild=False)
        assert summary.ingested == 6 and not summary.failed
        assert one.article_ids() == two.article_ids()
        assert ([a["report"] for a in map(one.article, one.article_ids())]
                == [a["report"] for a in map(two.article, two.article_ids())])


# -- the command line --------------------------------------------------------------------------

runner = CliRunner()


def test_ingest_command_summarises_and_then_lists_events(mixed_folder, tmp_path):
    db = str(tmp_path / "cli.db")
    result = runner.invoke(app, ["ingest", str(mixed_folder), "--db", db, "--published", "2023-05-10"])
    assert result.exit_code == 1  # some inputs failed; the rest is stored
    assert "ingested 5, duplicates 1, failed 5" in result.stdout
    assert "dump.jsonl:2: bad JSON" in result.stdout
    listed = runner.invoke(app, ["events", "--db", db, "--json", "--limit", "0"])
    assert listed.exit_code == 0
    with Store(db) as store:
        assert json.loads(listed.stdout) == store.events()
    again = runner.invoke(app, ["ingest", str(mixed_folder / "depot.txt"), "--db", db])
    assert again.exit_code == 0 and "ingested 0, duplicates 1, failed 0" in again.stdout


@pytest.mark.parametrize("args, message", [
    (["ingest", "no/such/folder"], "eventwire: no/such/folder: no such file, folder or URL"),
    (["ingest", ".", "--published", "May 5"], "eventwire: --published: 'May 5' is not a date"),
    (["ingest", ".", "--workers", "0"], "eventwire: --workers: 0 is not a positive number"),
    (["events", "--near", "48.5,37"], "eventwire: --near: '48.5,37' is not LAT,LON,KM"),
    (["events", "--since", "yesterday"], "eventwire: --since: 'yesterday' is not a date"),
    (["events", "--country", "Atlantis"], "eventwire: --country: 'Atlantis' is not a country"),
    (["events", "--type", "BOMBING"], "eventwire: --type: 'BOMBING' is not a PLOVER type"),
    (["events", "--db", "oracle://x"], "eventwire: --db: 'oracle' databases are not supported"),
])
def test_bad_options_fail_with_one_line(args, message, tmp_path):
    if "--db" not in args:
        args = args + ["--db", str(tmp_path / "x.db")]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert result.stderr.startswith(message) and result.stderr.count("\n") == 1


def test_sqlite_and_postgresql_end_with_the_same_events_and_incidents(mixed_folder, tmp_path):
    from tests.test_store import make_database_url

    pg_url, drop = make_database_url("postgresql", tmp_path)
    try:
        results = []
        for url in (f"sqlite:///{tmp_path / 'same.db'}", pg_url):
            with Store(url) as store:
                summary = ingest([str(mixed_folder)], store, published="2023-05-10")
                results.append((summary.ingested, summary.duplicates, sorted(reasons(summary).values()),
                                store.events(), store.incidents(), store.entities(), store.stats()))
        assert results[0][3], "no events were extracted: nothing to compare"
        assert results[0] == results[1]
    finally:
        drop()


def test_a_rerun_with_nothing_new_still_clusters_events_left_unclustered(tmp_path, store):
    (tmp_path / "depot.txt").write_text(DEPOT)
    (tmp_path / "port.txt").write_text(PORT)
    first = ingest([str(tmp_path)], store, rebuild=False)  # as if killed before the rebuild
    assert first.ingested == 2 and store.unclustered() == store.count_events() > 0
    again = ingest([str(tmp_path)], store)
    assert again.ingested == 0 and again.incidents == store.stats()["incidents"] > 0
    assert store.unclustered() == 0
    third = ingest([str(tmp_path)], store)
    assert third.incidents is None  # nothing new and nothing left over: no rebuild


def test_a_worker_killed_midway_fails_its_articles_and_a_rerun_stores_them(tmp_path, store):
    import multiprocessing
    import os
    import signal
    import time

    texts = [DEPOT, CONVOY, PROTEST, TALKS, BRIDGE, PORT]
    for n, text in enumerate(texts):
        (tmp_path / f"{n}.txt").write_text(text)
    killed = []
    others = {child.pid for child in multiprocessing.active_children()}  # servers of other tests

    def kill_first_worker():
        deadline = time.monotonic() + 60
        while not killed and time.monotonic() < deadline:
            for child in multiprocessing.active_children():
                if child.pid in others:
                    continue
                os.kill(child.pid, signal.SIGKILL)  # a worker of this test's pool, still loading or extracting
                killed.append(child.pid)
                break
            time.sleep(0.01)

    watcher = threading.Thread(target=kill_first_worker)
    watcher.start()
    summary = ingest([str(tmp_path)], store, workers=2, rebuild=False)
    watcher.join()
    assert killed, "no worker process was seen"
    assert summary.failed and all(f.reason == "a worker process died while extracting it" for f in summary.failed)
    assert summary.ingested + len(summary.failed) == len(texts)
    assert store.stats()["articles"] == summary.ingested
    again = ingest([str(tmp_path)], store, rebuild=False)
    assert again.ingested == len(summary.failed) and not again.failed
    assert sorted(store.article_ids()) == sorted(text_id(t) for t in texts)
