"""Articles per second: eventwire's whole pipeline against plain spaCy on the same texts.

    .venv/bin/python bench/throughput.py            # ~40 articles
    .venv/bin/python bench/throughput.py --n 200

The texts are the shared seed article (when ../shared is present), examples/*.txt and the example
corpus examples/corpus/articles.jsonl (with their publication dates), repeated in turn up to --n. Both runs happen in this one process after a warm-up (model loaded,
gazetteer and lexicons opened), so the ratio (pipeline time / spaCy time) says what eventwire adds
on top of parsing on this machine; the CPU-time ratio is the steadier one on a busy machine. Peak RSS is the process high-water mark (getrusage ru_maxrss).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def articles(n: int, published: str) -> list[dict]:
    """The seed, examples/*.txt and the example corpus (with its dates), repeated in turn up to n."""
    base = []
    seed = SHARED / "corpus" / "seed" / "article.txt"
    if seed.is_file():
        base.append({"text": seed.read_text(encoding="utf-8"), "published": "2022-06-14"})
    for path in sorted((ROOT / "examples").glob("*.txt")):
        base.append({"text": path.read_text(encoding="utf-8"), "published": published})
    corpus = ROOT / "examples" / "corpus" / "articles.jsonl"
    if corpus.is_file():
        for line in corpus.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                base.append({"text": record["text"], "published": record.get("published") or published})
    if not base:
        sys.exit("bench/throughput.py: no texts (examples/ and ../shared/corpus/seed/article.txt are absent)")
    return [base[i % len(base)] for i in range(n)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=40, help="number of articles (default 40)")
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--stages", action="store_true",
                        help="also time each stage on the parsed texts (CPU), and the ratio without each")
    parser.add_argument("--published", default="2024-05-21", help="publication date of texts that carry none")
    args = parser.parse_args()
    if args.n < 1:
        parser.error("--n must be at least 1")

    from eventwire.nlp import get_nlp
    from eventwire.pipeline import extract_many

    items = articles(args.n, args.published)
    texts = [item["text"] for item in items]
    chars = sum(len(t) for t in texts)
    nlp = get_nlp()
    # warm-up: load the model and everything the stages open lazily
    list(extract_many(items[:1]))

    t0, c0 = time.perf_counter(), time.process_time()
    docs = list(nlp.pipe(texts, batch_size=args.batch_size))
    spacy_s, spacy_cpu = time.perf_counter() - t0, time.process_time() - c0
    assert len(docs) == len(items)

    t0, c0 = time.perf_counter(), time.process_time()
    reports = list(extract_many(items, batch_size=args.batch_size))
    pipe_s, pipe_cpu = time.perf_counter() - t0, time.process_time() - c0
    assert len(reports) == len(items)

    n = len(items)
    print(f"articles: {n} ({chars / n:.0f} characters on average, {len(set(texts))} distinct)")
    print(f"spaCy nlp.pipe:         {n / spacy_s:7.1f} articles/s  ({spacy_s:.2f} s wall, {spacy_cpu:.2f} s CPU)")
    print(f"eventwire extract_many: {n / pipe_s:7.1f} articles/s  ({pipe_s:.2f} s wall, {pipe_cpu:.2f} s CPU)")
    print(f"ratio pipeline/spaCy time: {pipe_s / spacy_s:.2f} wall, {pipe_cpu / spacy_cpu:.2f} CPU")
    print(f"events found: {sum(len(r.events) for r in reports)}, dates: {sum(len(r.dates) for r in reports)}")
    if args.stages:
        print_stage_times(docs, items, spacy_cpu, pipe_cpu)
    print(f"peak RSS: {peak_rss_mb():.0f} MB")
    return 0


def print_stage_times(docs, items, spacy_cpu: float, pipe_cpu: float) -> None:
    """CPU seconds of each stage over the parsed texts, so one run gives the pipeline/spaCy ratio
    with and without a stage (the 'before and after' of adding it)."""
    from eventwire.document import Document
    from eventwire.pipeline import _stages, check_published

    stages = _stages()
    totals = {name: 0.0 for name, _ in stages}
    for doc, item in zip(docs, items):
        document = Document.create(doc.text, doc, published=check_published(item.get("published")))
        for name, stage in stages:
            started = time.process_time()
            stage(document)
            totals[name] += time.process_time() - started
    print("stage CPU time (share of spaCy; pipeline/spaCy CPU ratio without the stage):")
    for name, seconds in totals.items():
        print(f"  {name:9} {seconds:6.2f} s  {seconds / spacy_cpu:6.1%}   without: {(pipe_cpu - seconds) / spacy_cpu:.2f}")


if __name__ == "__main__":
    raise SystemExit(main())
