"""Ingest speed: articles per second into SQLite with 1 and 2 workers, beside plain spaCy.

    .venv/bin/python bench/ingest.py [--copies N] [--workers 1,2] [--corpus DIR ...]

The texts are examples/*.txt and the shared corpus (../shared/corpus/**/*.txt). Each text is used
`--copies` times with a numbered line appended, so every copy is a new article to the store
(identical texts would be skipped as duplicates). In the same run the script measures:

- spaCy: `nlp.pipe` over the same texts (model already loaded), before and after the ingests
  (their mean is the reference): the floor of any extraction;
- ingest, N workers: `eventwire.ingest.ingest` into a fresh SQLite file, reading the files,
  extracting, storing one transaction per article (worker start-up and model loading included
  for N > 1; incidents are rebuilt separately and timed on their own).

It prints articles/second for each and the ratios against spaCy. Numbers depend on the machine
and its load; compare ratios measured in one run.

Measured 2026-11-25 on the 2-core development machine while other test runs kept its load at
4-6, 204 articles (34 texts x 6 copies, about 1,150 characters each): spaCy 27.9 articles/s;
ingest with 1 worker 17.2 (0.62 x spaCy), with 2 workers 24.7 (0.89 x spaCy, 1.44 x one worker).
Runs of 136 articles under heavier load gave 0.33-0.75 x spaCy for one worker and 0.19-0.54 x
for two: starting two worker processes (each loads the model) costs about 4-6 s, which short
runs on a busy machine do not win back.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def corpus_texts(folders: list[Path]) -> list[str]:
    texts = []
    for folder in folders:
        if folder.is_dir():
            for path in sorted(folder.rglob("*.txt")):
                if path.name.lower() == "readme.txt":
                    continue
                text = path.read_text(encoding="utf-8").strip()
                if text:
                    texts.append(text)
    return texts


def spacy_rate(nlp, texts: list[str]) -> float:
    """Articles per second of plain spaCy `nlp.pipe` over `texts` (after a short warm-up)."""
    list(nlp.pipe(texts[:4]))
    started = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=16):
        pass
    return len(texts) / (time.perf_counter() - started)


def write_folder(tmp: str, texts: list[str]) -> Path:
    """The texts as numbered .txt files in a new folder under `tmp`."""
    folder = Path(tmp) / "articles"
    folder.mkdir()
    for n, text in enumerate(texts):
        (folder / f"{n:04d}.txt").write_text(text, encoding="utf-8")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copies", type=int, default=15, help="copies of each text (default 15)")
    parser.add_argument("--workers", default="1,2", help="worker counts to measure (default 1,2)")
    parser.add_argument("--corpus", type=Path, nargs="*",
                        default=[ROOT / "examples", ROOT.parent / "shared" / "corpus"])
    args = parser.parse_args()

    from eventwire.ingest import ingest
    from eventwire.nlp import get_nlp
    from eventwire.store import Store

    base = corpus_texts(args.corpus)
    if not base:
        sys.exit("bench/ingest.py: no .txt files under " + ", ".join(map(str, args.corpus)))
    texts = [f"{text}\n\n(Copy {n + 1}.)" for n in range(args.copies) for text in base]
    chars = sum(len(t) for t in texts)
    print(f"{len(texts)} articles ({len(base)} texts x {args.copies} copies), {chars / len(texts):.0f} chars each on average")

    nlp = get_nlp()
    spacy_rates = [spacy_rate(nlp, texts)]
    results = []

    with tempfile.TemporaryDirectory() as tmp:
        folder = write_folder(tmp, texts)
        for workers in (int(w) for w in args.workers.split(",")):
            with Store(str(Path(tmp) / f"bench-{workers}.db")) as store:
                summary = ingest([str(folder)], store, workers=workers, rebuild=False)
                if summary.failed or summary.ingested != len(texts):
                    print(f"  warning: {summary.ingested} stored, {len(summary.failed)} failed"
                          + (f" (first: {summary.failed[0]})" if summary.failed else ""))
                started = time.perf_counter()
                incidents = store.rebuild_incidents()
                rebuild = time.perf_counter() - started
                stats = store.stats()
            results.append((f"ingest, {workers} worker{'s' if workers > 1 else ''}", summary.rate,
                            f"{stats['events']} events, {incidents} incidents rebuilt in {rebuild:.2f} s"))

    spacy_rates.append(spacy_rate(nlp, texts))  # again after the ingests: the machine's load may have changed
    spacy_mean = sum(spacy_rates) / len(spacy_rates)
    results.insert(0, ("spaCy nlp.pipe", spacy_mean, "passes before/after: "
                       + " / ".join(f"{r:.2f}" for r in spacy_rates)))
    print(f"{'':24}{'articles/s':>12}{'x spaCy':>10}")
    for name, rate, note in results:
        print(f"{name:24}{rate:12.2f}{rate / spacy_mean:10.3f}" + (f"   {note}" if note else ""))
    ingest_rates = {name: rate for name, rate, _ in results[1:]}
    if len(ingest_rates) >= 2:
        (n1, r1), (n2, r2) = list(ingest_rates.items())[:2]
        print(f"{n2} / {n1}: {r2 / r1:.2f}")


if __name__ == "__main__":
    main()
