"""Ingest speed on Ray Data beside the process pool and plain spaCy, measured in one run.

    .venv/bin/python bench/ray_ingest.py [--articles 40] [--actors 2] [--corpus DIR ...]

The articles are the texts of bench/ingest.py (examples/*.txt and ../shared/corpus/**/*.txt),
repeated with a numbered line until there are `--articles` of them, written to a folder once.
Each row reads that folder into a fresh SQLite store (incidents not rebuilt):

- spaCy: `nlp.pipe` over the same texts, model loaded (mean of a pass before and one after);
- ingest --workers 1 / --workers 2: `eventwire.ingest.ingest` (pool start-up and model loads included);
- ingest --ray, cold: `ingest_ray` starting and stopping a local Ray itself, as the CLI does;
- ingest --ray, Ray up: the same with Ray already initialised (actor start and model loads included).

Rates depend on the machine and its load: compare the ratios of one run.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=40, help="number of articles (default 40)")
    parser.add_argument("--actors", type=int, default=2, help="Ray actors and pool processes (default 2)")
    parser.add_argument("--corpus", type=Path, nargs="*",
                        default=[ROOT / "examples", ROOT.parent / "shared" / "corpus"])
    args = parser.parse_args()

    from ingest import corpus_texts, spacy_rate, write_folder  # bench/ingest.py

    from eventwire.ingest import ingest
    from eventwire.ingest.distributed import import_ray, ingest_ray
    from eventwire.nlp import get_nlp
    from eventwire.store import Store

    base = corpus_texts(args.corpus)
    if not base:
        sys.exit("bench/ray_ingest.py: no .txt files under " + ", ".join(map(str, args.corpus)))
    texts = [f"{base[n % len(base)]}\n\n(Copy {n // len(base) + 1}.)" for n in range(args.articles)]
    print(f"{len(texts)} articles, {sum(map(len, texts)) / len(texts):.0f} chars each on average; "
          f"{os.cpu_count()} CPUs; {args.actors} workers/actors")

    nlp = get_nlp()
    spacy_rates = [spacy_rate(nlp, texts)]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_folder(tmp, texts)

        def run(name: str, function, **kwargs) -> None:
            with Store(str(Path(tmp) / f"{len(rows)}.db")) as store:
                summary = function([str(folder)], store, rebuild=False, **kwargs)
                events = store.stats()["events"]
            note = f"{summary.ingested} stored, {events} events, {summary.seconds:.1f} s"
            if summary.failed:
                note += f", {len(summary.failed)} failed (first: {summary.failed[0]})"
            rows.append((name, summary.rate, note))

        run("ingest --workers 1", ingest, workers=1)
        run(f"ingest --workers {args.actors}", ingest, workers=args.actors)
        run("ingest --ray, cold", ingest_ray, workers=args.actors, num_cpus=args.actors)
        ray = import_ray()
        started = time.perf_counter()
        ray.init(num_cpus=args.actors, include_dashboard=False, log_to_driver=False, logging_level="ERROR")
        ray_start = time.perf_counter() - started
        try:
            run("ingest --ray, Ray up", ingest_ray, workers=args.actors)
        finally:
            ray.shutdown()
        rows[-1] = rows[-1][:2] + (rows[-1][2] + f"; ray.init took {ray_start:.1f} s before",)

    spacy_rates.append(spacy_rate(nlp, texts))
    spacy_mean = sum(spacy_rates) / len(spacy_rates)
    rows.insert(0, ("spaCy nlp.pipe", spacy_mean, "passes before/after: " + " / ".join(f"{r:.2f}" for r in spacy_rates)))
    print(f"{'':24}{'articles/s':>12}{'x spaCy':>10}")
    for name, rate, note in rows:
        print(f"{name:24}{rate:12.2f}{rate / spacy_mean:10.3f}   {note}")


if __name__ == "__main__":
    main()
