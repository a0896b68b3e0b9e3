"""Ingest many articles into a store: read the sources, extract in worker processes, store.

    summary = ingest(["folder/", "dump.jsonl", "https://example.org/feed.xml"], store, workers=2)

The parent reads the inputs, skips texts already stored (content hash) and writes every report
in one transaction per article; extraction runs in this process (`workers=1`) or in `workers`
processes that each load the spaCy model once. An input that fails is recorded in the summary
with its file, line or URL and the batch goes on.
"""

from __future__ import annotations

import multiprocessing
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Callable, Iterable, Optional

import sqlalchemy as sa

from eventwire.document import text_id
from eventwire.ingest.sources import Failure, Item, Options, read_sources
from eventwire.schema import Report
from eventwire.store.db import StoreError


@dataclass
class Summary:
    ingested: int = 0
    duplicates: int = 0
    failed: list[Failure] = field(default_factory=list)
    incidents: Optional[int] = None
    incidents_note: Optional[str] = None
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        done = self.ingested + self.duplicates
        return done / self.seconds if self.seconds > 0 else 0.0


# -- extraction (runs in a worker process or in this one) ----------------------------------------

def _load_model() -> None:
    from eventwire.nlp import get_nlp

    get_nlp()


def extract_item(text: str, meta: dict, doc=None) -> tuple[Optional[str], Optional[str]]:
    """(report JSON, None) or (None, reason): never raises, so one bad article cannot stop a batch."""
    from eventwire.pipeline import ExtractError, build_document

    try:
        report = build_document(text, doc=doc, **{k: v for k, v in meta.items() if v is not None}).report
    except ExtractError as exc:
        return None, str(exc)
    except Exception as exc:  # a stage failing on one text is reported, not fatal
        first_line = str(exc).splitlines()[0] if str(exc) else ""
        return None, f"extraction failed: {type(exc).__name__}" + (f": {first_line}" if first_line else "")
    return report.to_json(indent=None), None


def extract_batch(batch: list[tuple[str, dict]]) -> list[tuple[Optional[str], Optional[str]]]:
    """`extract_item` over several articles, parsed together by spaCy's `nlp.pipe`."""
    from eventwire.nlp import get_nlp

    try:
        docs = list(get_nlp().pipe([text for text, _ in batch]))
    except Exception:  # one text spoils the batch: parse them one by one instead
        docs = [None] * len(batch)
    return [extract_item(text, meta, doc) for (text, meta), doc in zip(batch, docs)]


WORKER_DIED = "a worker process died while extracting it"


def _paired(items: list[Item], results):
    for item, (report_json, reason) in zip(items, results):
        yield item, report_json, reason


class _Extractor:
    """Runs `extract_batch` in this process or over a pool of `workers` processes.

    Articles go in batches of `batch_size`; with a pool at most two batches per worker are in
    flight, so memory stays bounded and results stream back while the inputs are still read.
    """

    def __init__(self, workers: int, batch_size: int = 4):
        self.workers = max(1, int(workers))
        self.batch_size = batch_size
        self.pool: Optional[ProcessPoolExecutor] = None
        self.batch: list[Item] = []
        self.pending: dict[Future, list[Item]] = {}

    def __enter__(self):
        if self.workers > 1:
            self.pool = self._new_pool()
        return self

    def _new_pool(self) -> ProcessPoolExecutor:
        context = multiprocessing.get_context("spawn")
        return ProcessPoolExecutor(self.workers, mp_context=context, initializer=_load_model)

    def __exit__(self, *exc):
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    def submit(self, item: Item):
        """Queue `item`; yields the (item, report JSON, reason) of articles finished meanwhile."""
        self.batch.append(item)
        if len(self.batch) >= self.batch_size:
            yield from self._flush()

    def drain(self):
        """Finish everything queued; yields as `submit` does."""
        if self.batch:
            yield from self._flush()
        while self.pending:
            yield from self._collect()

    def _flush(self):
        items, self.batch = self.batch, []
        payload = [(item.text, item.meta()) for item in items]
        if self.pool is None:
            yield from _paired(items, extract_batch(payload))
            return
        try:
            self.pending[self.pool.submit(extract_batch, payload)] = items
        except BrokenProcessPool:
            yield from ((item, None, WORKER_DIED) for item in items)
            self._restart()
        while len(self.pending) >= 2 * self.workers:
            yield from self._collect()

    def _collect(self):
        done, _ = wait(list(self.pending), return_when=FIRST_COMPLETED)
        broken = False
        for future in done:
            items = self.pending.pop(future)
            try:
                results = future.result()
            except BrokenProcessPool:
                broken = True
                yield from ((item, None, WORKER_DIED) for item in items)
            else:
                yield from _paired(items, results)
        if broken:
            for items in self.pending.values():
                yield from ((item, None, WORKER_DIED) for item in items)
            self.pending.clear()
            self._restart()

    def _restart(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.pool = self._new_pool()


# -- the run ---------------------------------------------------------------------------------

def ingest(sources: Iterable[str], store, *, workers: int = 1, published: Optional[str] = None,
           timeout: Optional[float] = None, max_bytes: Optional[int] = None,
           on_progress: Optional[Callable[[Summary], None]] = None, rebuild: bool = True,
           extractor=None) -> Summary:
    """Read, extract and store every article of `sources`; see the module docstring.

    `extractor` replaces the worker processes: a context manager with `submit(item)` and
    `drain()`, each yielding (item, report JSON or None, reason) of finished articles (the Ray
    path in `eventwire.ingest.distributed` is one).
    """
    options = Options(published=published)
    if timeout is not None:
        options.timeout = timeout
    if max_bytes is not None:
        options.max_bytes = max_bytes
    summary = Summary()
    started = time.perf_counter()
    seen: set[str] = set()

    def tick():
        summary.seconds = time.perf_counter() - started
        if on_progress is not None:
            on_progress(summary)

    def store_result(item: Item, report_json: Optional[str], reason: Optional[str]) -> None:
        if report_json is None:
            summary.failed.append(Failure(item.origin, reason or "extraction failed"))
        else:
            added, problem = store_report(store, report_json, item.text)
            if problem:
                summary.failed.append(Failure(item.origin, problem))
            elif added:
                summary.ingested += 1
            else:
                summary.duplicates += 1
        tick()

    with (extractor if extractor is not None else _Extractor(workers)) as extractor:
        for result in read_sources(sources, options):
            if isinstance(result, Failure):
                summary.failed.append(result)
                tick()
                continue
            if "\x00" in result.text:
                summary.failed.append(Failure(result.origin, "contains NUL characters (a UTF-16 or binary file?)"))
                tick()
                continue
            article_id = text_id(result.text)
            if article_id in seen or store.has(article_id):
                summary.duplicates += 1
                tick()
                continue
            seen.add(article_id)
            for finished in extractor.submit(result):
                store_result(*finished)
        for finished in extractor.drain():
            store_result(*finished)

    if rebuild and (summary.ingested or store.unclustered()):  # also after a run killed before its rebuild
        try:
            summary.incidents = store.rebuild_incidents()
        except ImportError as exc:
            summary.incidents_note = f"incidents not rebuilt: {exc}"
    summary.seconds = time.perf_counter() - started
    return summary


def store_report(store, report_json: str, text: str) -> tuple[bool, Optional[str]]:
    """(added, None), or (False, why it could not be stored) in one line; one transaction."""
    try:
        added = store.add(Report.model_validate_json(report_json), text).added
    except (StoreError, sa.exc.DataError, sa.exc.IntegrityError) as exc:  # this article only
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        return False, f"cannot store: {reason}"
    return added, None
