"""Throughput and latency of `GET /events` over HTTP with 10,000 stored events.

    .venv/bin/python bench/api.py [--events 10000] [--seconds 5] [--clients 8] [--workers 1] [--order-index] [--json]

Builds a temporary SQLite store from synthetic reports (built directly, no NLP: the bench measures
the API and the store, not extraction) through `Store.add`, starts `eventwire serve` on it in a
separate process on a free loopback port, and drives it with CLIENTS threads for SECONDS per query.
For each query it prints requests per second, median and p95 latency, and beside it the same query
called in-process on `Store.events` + `Store.count_events` (the baseline: what HTTP, JSON and
FastAPI add on top of the database).

`--order-index` runs everything a second time after adding ORDER_INDEX, an expression index that
matches the store's sort order (`date IS NULL, date DESC, article_id, event_id`), to show what it
saves; the store's migrations decide whether to keep it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

from eventwire.schema import (Article, DateRef, Event, Evidence, LocationRef, Participant, Place, Report, Span)
from eventwire.store import Store

PLACES = [  # name, geonameid, lat, lon, admin1 (real coordinates, used as synthetic event places)
    ("Kharkiv", 706483, 49.98081, 36.25272, "Kharkiv Oblast"),
    ("Izium", 707292, 49.20697, 37.27679, "Kharkiv Oblast"),
    ("Mykolaiv", 700569, 46.96591, 31.9974, "Mykolaiv Oblast"),
    ("Kherson", 706448, 46.63695, 32.61458, "Kherson Oblast"),
    ("Melitopol", 701404, 46.84891, 35.36533, "Zaporizhzhia Oblast"),
    ("Sumy", 692194, 50.9216, 34.80029, "Sumy Oblast"),
    ("Lysychansk", 702658, 48.90485, 38.44207, "Luhansk Oblast"),
    ("Bakhmut", 712451, 48.59441, 37.99983, "Donetsk Oblast"),
]
TYPES = ["ASSAULT", "ASSAULT", "ASSAULT", "COERCE", "ACCUSE", "MOBILIZE", "REQUEST", "AID"]
OUTLETS = ["Wire One", "Daily Two", "Coast Herald", "Evening Post"]
ORDER_INDEX = ("CREATE INDEX IF NOT EXISTS ix_bench_events_order "
               "ON events((date IS NULL), date DESC, article_id, event_id)")
QUERIES = [
    ("first page (limit 100)", {}),
    ("type + since, limit 100", {"type": "ASSAULT", "since": "2022-06-01"}),
    ("near Kharkiv 50 km", {"near": "49.98,36.25,50"}),
    ("deep page (offset 9000)", {"offset": 9000}),
    ("limit 1000", {"limit": 1000}),
]


def synthetic_report(i: int, per_article: int, rng: random.Random) -> tuple[Report, str]:
    sentences, events, places = [], [], []
    offset = 0
    for k in range(per_article):
        name, gid, lat, lon, admin1 = rng.choice(PLACES)
        day = f"2022-{rng.randint(3, 9):02d}-{rng.randint(1, 28):02d}"
        sentence = f"Report {i}.{k}: forces shelled positions near {name} on {day}, officials said. "
        start = offset + sentence.index(name)
        pid = f"p{k + 1}"
        places.append(Place(id=pid, name=name, geonameid=gid, lat=lat, lon=lon, feature="city", country="UA",
                            admin1=admin1, mentions=[Span(start=start, end=start + len(name), text=name)]))
        end = offset + len(sentence) - 1
        events.append(Event(
            id=f"ev{k + 1}", type=rng.choice(TYPES), status="happened",
            actor=[Participant(text="Russian forces", country="RUS", sector="MIL")],
            location=LocationRef(place=pid, text=name), date=DateRef(value=day, precision="day"),
            evidence=Evidence(start=offset, end=end, text=sentence[:-1]), confidence=0.8,
        ))
        sentences.append(sentence)
        offset += len(sentence)
    text = "".join(sentences)
    article = Article(id=hashlib.sha256(text.encode()).hexdigest(), title=f"Synthetic report {i}",
                      published="2022-10-01", source=OUTLETS[i % len(OUTLETS)])
    return Report(article=article, places=places, events=events), text


def fill(store: Store, n_events: int, per_article: int = 5) -> float:
    rng = random.Random(7)
    started = time.perf_counter()
    for i in range(n_events // per_article):
        report, text = synthetic_report(i, per_article, rng)
        store.add(report, text)
    return time.perf_counter() - started


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: str, port: int, workers: int = 1) -> subprocess.Popen:
    exe = Path(sys.executable).with_name("eventwire")
    cmd = [str(exe), "serve", "--db", db, "--port", str(port), "--workers", str(workers)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/stats", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.1)
        if proc.poll() is not None:
            raise SystemExit(f"bench/api.py: server exited: {proc.stderr.read().decode()[-500:]}")
    proc.kill()
    raise SystemExit("bench/api.py: the server did not start within 30 s")


def drive(url: str, params: dict, seconds: float, clients: int) -> dict:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def worker():
        nonlocal errors
        mine, bad = [], 0
        with httpx.Client(timeout=30) as client:
            while time.perf_counter() < stop_at:
                t0 = time.perf_counter()
                res = client.get(url, params=params)
                mine.append(time.perf_counter() - t0)
                bad += res.status_code != 200
        with lock:
            latencies.extend(mine)
            errors += bad

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {"requests": len(latencies), "errors": errors, "rps": len(latencies) / elapsed,
            "p50_ms": 1000 * statistics.median(latencies),
            "p95_ms": 1000 * latencies[int(0.95 * (len(latencies) - 1))]}


def in_process(store: Store, params: dict, repeat: int = 30) -> float:
    filters = dict(params)
    if "near" in filters:
        filters["near"] = tuple(float(x) for x in filters["near"].split(","))
    page = {"limit": filters.pop("limit", 100), "offset": filters.pop("offset", 0)}
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        if "near" in filters:  # as the API does it: one distance pass gives the page and the total
            store.events(**filters)
        else:
            store.events(**filters, **page)
            store.count_events(**filters)
        times.append(time.perf_counter() - t0)
    return 1000 * statistics.median(times)


def measure(store: Store, db: str, args) -> list[dict]:
    """Every query of QUERIES against a fresh server process on `db`."""
    port = free_port()
    server = start_server(db, port, args.workers)
    results = []
    try:
        url = f"http://127.0.0.1:{port}/events"
        for name, params in QUERIES:
            check = httpx.get(url, params=params, timeout=30).json()
            row = drive(url, params, args.seconds, args.clients)
            row.update(query=name, params=params, total=check["total"], items=len(check["items"]),
                       store_ms=in_process(store, params))
            results.append(row)
    finally:
        server.terminate()
        server.wait(10)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=1, help="server processes (serve --workers)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--order-index", action="store_true", help="run again with an index on the sort order")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        db = f"sqlite:///{os.path.join(tmp, 'bench.db')}"
        store = Store(db)
        fill_s = fill(store, args.events)
        stored = store.stats()["events"]
        runs = {"as stored": measure(store, db, args)}
        if args.order_index:
            import sqlalchemy as sa

            with store.engine.begin() as conn:
                conn.execute(sa.text(ORDER_INDEX))
            runs["with order index"] = measure(store, db, args)
        store.close()

    summary = {"events": stored, "fill_seconds": round(fill_s, 1), "clients": args.clients, "workers": args.workers,
               "seconds_per_query": args.seconds, "cpus": os.cpu_count(), "runs": runs}
    if args.json:
        print(json.dumps(summary, indent=2))
        return
    print(f"GET /events over HTTP: {stored} events in SQLite (filled in {fill_s:.1f} s), {args.workers} server "
          f"process(es), {args.clients} client threads, {args.seconds:g} s per query, {os.cpu_count()} CPUs")
    for label, results in runs.items():
        print(f"-- {label}")
        print(f"{'query':28} {'total':>6} {'items':>5} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'store ms':>8} {'errors':>6}")
        for r in results:
            print(f"{r['query']:28} {r['total']:>6} {r['items']:>5} {r['rps']:>8.1f} {r['p50_ms']:>7.1f} "
                  f"{r['p95_ms']:>7.1f} {r['store_ms']:>8.1f} {r['errors']:>6}")
    print("store ms: Store.events + Store.count_events called in-process (median), the floor under HTTP.")


if __name__ == "__main__":
    main()
