"""Kill an ingest mid-run with SIGKILL, run it again, and check that nothing is half-written.

Every article is stored in one transaction, so after the re-run each article is there exactly
once and every stored report has all its rows (events, places, entities, quotes), no more and no
less, and no row points at a missing article.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest
import sqlalchemy as sa

from eventwire.document import text_id
from eventwire.store import Store
from tests.test_store import BACKENDS, make_database_url

TOWNS = ["Kupiansk", "Bakhmut", "Avdiivka", "Nikopol", "Kherson"]
ACTS = [
    "Russian troops shelled {town} on {day}, damaging {n} houses, the regional governor said.",
    "A missile struck an apartment block in {town} on {day}, killing {n} people, emergency services said.",
    "Ukrainian forces said they repelled {n} attacks near {town} on {day}.",
    "Drones attacked the power station in {town} on {day}, leaving {n} thousand homes without electricity.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
CHILD_TABLES = {"events": "events", "places": "places", "entities": "entities", "quotes": "quotes"}


def articles(count: int) -> list[str]:
    texts = []
    for n in range(count):
        act = ACTS[n % len(ACTS)]
        town = TOWNS[n % len(TOWNS)]
        day = DAYS[(n // len(TOWNS)) % len(DAYS)]
        first = act.format(town=town, day=day, n=n + 2)
        texts.append(first + f" Officials in {TOWNS[(n + 2) % len(TOWNS)]} reported no damage overnight.")
    return texts


def run_ingest(folder, url) -> subprocess.Popen:
    command = [sys.executable, "-m", "eventwire.cli", "ingest", str(folder), "--db", url, "--quiet"]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def stored_count(engine) -> int:
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text("SELECT count(*) FROM articles")).scalar_one()
    except sa.exc.DatabaseError:  # tables not created yet
        return 0


@pytest.mark.parametrize("backend", BACKENDS)
def test_ingest_killed_midway_resumes_without_half_written_articles(backend, tmp_path):
    url, drop = make_database_url(backend, tmp_path)
    try:
        folder = tmp_path / "articles"
        folder.mkdir()
        texts = articles(20)
        for n, text in enumerate(texts):
            (folder / f"{n:02d}.txt").write_text(text)

        proc = run_ingest(folder, url)
        engine = sa.create_engine(url)
        deadline = time.monotonic() + 120
        while stored_count(engine) < 3:
            assert proc.poll() is None, f"ingest ended before it could be killed: {proc.communicate()}"
            assert time.monotonic() < deadline, "ingest stored nothing within 120 s"
            time.sleep(0.01)
        os.killpg(proc.pid, signal.SIGKILL)  # the ingest and anything it started
        proc.wait()
        assert proc.returncode == -signal.SIGKILL
        engine.dispose()
        killed_at = stored_count(engine)
        assert 3 <= killed_at < len(texts), "the kill did not land mid-run"

        again = run_ingest(folder, url)
        out, err = again.communicate(timeout=300)
        assert again.returncode == 0, err
        assert f"ingested {len(texts) - killed_at}, duplicates {killed_at}, failed 0" in out

        with Store(url) as store:
            ids = Counter(row["id"] for row in store.rows("articles"))
            assert set(ids) == {text_id(t) for t in texts} and set(ids.values()) == {1}
            for table, key in CHILD_TABLES.items():
                rows = store.rows(table)
                per_article = Counter(row["article_id"] for row in rows)
                assert set(per_article) <= set(ids), f"{table} rows without their article"
                for article_id in ids:
                    report = store.article(article_id)["report"]
                    assert per_article.get(article_id, 0) == len(report[key]), f"{table} of {article_id[:12]}"
            events = store.events()
            assert events and all(e["incident_id"] for e in events)  # the re-run rebuilt incidents
            linked = {link["event_id"] for link in store.rows("incident_events")}
            assert linked == {e["id"] for e in events}
    finally:
        drop()
