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


def extract_item(text: str, meta: dict) -> tuple[Optional[str], Optional[str]]:
    """(report JSON, None) or (None, reason): never raises, so one bad article cannot stop a batch."""
    from eventwire.pipeline import ExtractError, build_document

    try:
        report = build_document(text, **{k: v for k, v in meta.items() if v is not None}).report
    except ExtractError as exc:
        return None, str(exc)
    except Exception as exc:  # a stage failing on one text is reported, not fatal
        return None, f"extraction failed: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}".rstrip(": ")
    return report.to_json(indent=None), None


class _Extractor:
    """Runs `extract_item` in this process or over a pool, at most `window` articles in flight."""

    def __init__(self, workers: int):
        self.workers = max(1, int(workers))
        self.pool: Optional[ProcessPoolExecutor] = None
        self.pending: dict[Future, Item] = {}
        self.window = self.workers * 3

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
        """Start `item`; yields the (item, report JSON, reason) of articles finished meanwhile."""
        if self.pool is None:
            yield (item, *extract_item(item.text, item.meta()))
            return
        try:
            self.pending[self.pool.submit(extract_item, item.text, item.meta())] = item
        except BrokenProcessPool:
            yield item, None, "a worker process died"
            self.pool = self._new_pool()
        if len(self.pending) >= self.window:
            yield from self._collect(FIRST_COMPLETED)

    def drain(self):
        while self.pending:
            yield from self._collect(FIRST_COMPLETED)

    def _collect(self, how):
        done, _ = wait(list(self.pending), return_when=how)
        broken = False
        for future in done:
            item = self.pending.pop(future)
            try:
                yield (item, *future.result())
            except BrokenProcessPool:
                broken = True
                yield item, None, "a worker process died while extracting it"
        if broken:
            self.pool.shutdown(wait=False, cancel_futures=True)
            for future, item in list(self.pending.items()):
                yield item, None, "a worker process died while extracting it"
            self.pending.clear()
            self.pool = self._new_pool()


# -- the run ---------------------------------------------------------------------------------

def ingest(sources: Iterable[str], store, *, workers: int = 1, published: Optional[str] = None,
           timeout: Optional[float] = None, max_bytes: Optional[int] = None,
           on_progress: Optional[Callable[[Summary], None]] = None, rebuild: bool = True) -> Summary:
    """Read, extract and store every article of `sources`; see the module docstring."""
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
            try:
                added = store.add(Report.model_validate_json(report_json), item.text).added
            except (StoreError, sa.exc.DataError, sa.exc.IntegrityError) as exc:  # this article only
                reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
                summary.failed.append(Failure(item.origin, f"cannot store: {reason}"))
            else:
                if added:
                    summary.ingested += 1
                else:
                    summary.duplicates += 1
        tick()

    with _Extractor(workers) as extractor:
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
