"""Ingest on Ray Data (`eventwire ingest --ray`) stores exactly what the normal path stores.

The same short wire-style texts (written for this test) go through `eventwire.ingest.ingest` in
this process and through `eventwire ingest --ray` on a local Ray with two actors; the two SQLite
stores must hold the same articles, events and failures, and a second --ray run must be a no-op
that does not even start Ray.
"""

from __future__ import annotations

import json
import socket

import pytest

pytest.importorskip("ray.data", reason="Ray Data is not installed (pip install 'eventwire[ray]')")

from typer.testing import CliRunner  # noqa: E402

from eventwire.cli import app  # noqa: E402
from eventwire.ingest import ingest  # noqa: E402
from eventwire.store import Store  # noqa: E402

TEXTS = {
    "harbour.txt": "Russian missiles struck the port of Odesa on Thursday, damaging two grain warehouses, "
                   "the regional governor said. Nobody was hurt.",
    "checkpoint.txt": "Gunmen attacked a police checkpoint near Maiduguri on Friday, killing four officers, "
                      "a military spokesman said.",
    "talks.txt": "Foreign ministers of Serbia and Kosovo met in Brussels on Monday for talks on vehicle "
                 "number plates, the European Union said.",
    "strike.txt": "Israeli aircraft bombed a weapons store in southern Lebanon overnight, the army said in a "
                  "statement on Saturday.",
    "protest.txt": "Several thousand people marched through Yerevan on Sunday to demand the resignation of "
                   "the prime minister, police said.",
    "ceasefire.txt": "Sudan's army and the Rapid Support Forces agreed on Tuesday to a seven-day ceasefire in "
                     "Khartoum, mediators in Jeddah said.",
}
PUBLISHED = "2023-06-01"


def _event_rows(store: Store) -> list[dict]:
    return sorted(store.rows("events"), key=lambda r: r["id"])


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """The folder of articles, a store filled by the normal path and one filled with --ray."""
    base = tmp_path_factory.mktemp("ray")
    articles = base / "articles"
    articles.mkdir()
    for name, text in TEXTS.items():
        (articles / name).write_text(text, encoding="utf-8")
    bad = base / "bad"
    bad.mkdir()
    (bad / "blank.txt").write_text("  \n", encoding="utf-8")
    (bad / "latin1.txt").write_bytes("Caf\xe9 bombed in the old town.".encode("latin-1"))
    (bad / "dump.jsonl").write_text(json.dumps({"text": TEXTS["talks.txt"], "published": "June"}) + "\n"
                                    + json.dumps({"text": TEXTS["strike.txt"]}) + "\n", encoding="utf-8")
    sources = [str(articles), str(bad)]

    plain_db = base / "plain.db"
    with Store(str(plain_db)) as store:
        plain = ingest(sources, store, workers=1, published=PUBLISHED)

    ray_db = base / "ray.db"
    result = CliRunner().invoke(app, ["ingest", *sources, "--db", str(ray_db), "--ray", "--workers", "2",
                                      "--published", PUBLISHED, "--quiet"])
    return {"articles": articles, "plain": plain, "plain_db": plain_db, "ray_db": ray_db, "result": result}


def test_ray_ingest_stores_what_the_normal_path_stores(runs):
    result = runs["result"]
    assert result.exit_code == 1, result.output  # the bad inputs are reported, the rest is stored
    plain = runs["plain"]
    # the JSONL line repeating talks.txt is a duplicate on both paths; the other one is new
    assert plain.ingested == len(TEXTS) and plain.duplicates == 1
    assert f"ingested {plain.ingested}, duplicates {plain.duplicates}, failed {len(plain.failed)}" in result.output
    for failure in plain.failed:
        assert f"failed: {failure}" in result.output
    with Store(str(runs["plain_db"])) as a, Store(str(runs["ray_db"])) as b:
        assert a.article_ids() == b.article_ids()
        assert len(a.article_ids()) == len(TEXTS)
        plain_events, ray_events = _event_rows(a), _event_rows(b)
        assert plain_events, "the texts should give events"
        assert ray_events == plain_events
        assert a.stats() == b.stats()


def test_ray_reingest_is_a_no_op(runs):
    with Store(str(runs["ray_db"])) as store:
        before, events_before = store.stats(), _event_rows(store)
    result = CliRunner().invoke(app, ["ingest", str(runs["articles"]), "--db", str(runs["ray_db"]), "--ray",
                                      "--quiet"])
    assert result.exit_code == 0, result.output
    assert f"ingested 0, duplicates {len(TEXTS)}, failed 0" in result.output
    with Store(str(runs["ray_db"])) as store:
        assert store.stats() == before
        assert _event_rows(store) == events_before


def test_ray_address_that_does_not_answer_is_one_line(tmp_path):
    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens there
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    article = tmp_path / "a.txt"
    article.write_text(TEXTS["harbour.txt"], encoding="utf-8")
    db = tmp_path / "x.db"
    result = CliRunner().invoke(app, ["ingest", str(article), "--db", str(db), "--ray-address", f"127.0.0.1:{port}"])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("eventwire: --ray-address:"), result.output
    assert not db.exists()  # checked before the store is opened
