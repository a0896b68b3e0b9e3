"""Ingest on Ray Data: extraction spread over the actors of a local Ray or of a Ray cluster.

    summary = ingest_ray(["folder/", "dump.jsonl"], store)                       # local Ray
    summary = ingest_ray(["folder/"], store, address="ray://head:10001", workers=16)

It is `eventwire.ingest.ingest` with another extractor; the rest is the same:

- the driver (this process) reads the inputs with the same readers and reports the same failures
  (file, line or URL with the reason); texts already stored or already seen in this run are
  counted as duplicates before anything is sent to Ray;
- the new articles go, a window of `window` articles at a time, into a Ray Dataset
  (`ray.data.from_items`); `map_batches` runs `RayExtractor` on a pool of `workers` actors, each
  of which loads the spaCy model once and extracts its batches with `extract_batch`, the function
  the worker processes of the normal path run (`nlp.pipe`, then the stages; a failing article
  comes back with its reason instead of stopping the batch);
- the report JSON of each article comes back to the driver, which stores it with `Store.add`, one
  transaction per article, in input order; incidents are rebuilt once at the end.

A window is extracted and stored before the next is read: the driver holds at most one window
of texts, and an interrupted run keeps every window stored so far (run it again to go on).
Ray is started only when there is something to extract, so a re-ingest of stored texts is quick.
Without `address` a local Ray is started with `num_cpus` CPUs (default: all) and no dashboard,
and shut down at the end; with `address` the cluster is joined and left running. A Ray that is
already initialised in this process (a notebook, a test) is used as it is.
"""

from __future__ import annotations

import json
import logging
import math
import os
from typing import Callable, Iterable, Iterator, Optional

from eventwire.ingest.run import Summary, _load_model, extract_batch, ingest
from eventwire.ingest.sources import Item

DEFAULT_WINDOW = 1000     # articles per Ray Dataset
DEFAULT_BATCH = 4         # articles per map_batches call (one nlp.pipe)
RAY_FAILED = "the Ray job failed while extracting it"


class RayUnavailable(ValueError):
    """Ray is not installed or cannot be started or reached; the message is one line."""


class RayExtractor:
    """The `map_batches` callable: one instance per Ray actor, so the model loads once per actor."""

    def __init__(self):
        _load_model()

    def __call__(self, batch: dict) -> dict:
        payload = [(str(text), json.loads(meta)) for text, meta in zip(batch["text"], batch["meta"])]
        results = extract_batch(payload)
        return {"n": [int(n) for n in batch["n"]],
                "report": [report for report, _ in results],
                "reason": [reason for _, reason in results]}


# -- Ray set-up ------------------------------------------------------------------------------

def import_ray():
    try:
        import ray
        import ray.data  # noqa: F401 - the Data extra, not only Ray core
    except ImportError as exc:
        raise RayUnavailable(f"--ray: Ray Data is not installed ({exc.name or exc}); "
                             "install it with pip install 'eventwire[ray]'") from None
    return ray


class RaySession:
    """`ray.init` on entry when Ray is not running yet, `ray.shutdown` on exit only if we started it."""

    def __init__(self, address: Optional[str] = None, num_cpus: Optional[int] = None):
        self.address = address
        self.num_cpus = num_cpus
        self.started = False
        self.ray = None

    def start(self):
        if self.ray is not None:
            return self.ray
        ray = import_ray()
        if not ray.is_initialized():
            kwargs = {"include_dashboard": False, "log_to_driver": False, "logging_level": logging.ERROR}
            if self.address:
                check_address(self.address)
                kwargs["address"] = self.address
            else:
                kwargs["num_cpus"] = self.num_cpus or os.cpu_count() or 1
            try:
                ray.init(**kwargs)
            except Exception as exc:  # ConnectionError, RuntimeError, ValueError... depending on the failure
                where = f"cannot connect to {self.address}" if self.address else "cannot start a local Ray"
                first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                option = "--ray-address" if self.address else "--ray"
                raise RayUnavailable(f"{option}: {where}: {first}") from None
            self.started = True
        logging.getLogger("ray.data").setLevel(logging.ERROR)  # no per-dataset INFO lines on the console
        context = ray.data.DataContext.get_current()
        context.execution_options.preserve_order = True  # store in input order, as the normal path does
        context.enable_progress_bars = False
        self.ray = ray
        return ray

    def actors(self, workers: Optional[int]) -> int:
        """`workers`, or one actor per CPU the Ray cluster has."""
        if workers:
            return max(1, int(workers))
        return max(1, int(self.ray.cluster_resources().get("CPU", 1)))

    def close(self) -> None:
        if self.started:
            self.ray.shutdown()
            self.started = False


def check_address(address: str, wait: float = 5.0) -> None:
    """RayUnavailable unless `address` (host:port or ray://host[:port]) answers on TCP within `wait` s.

    Ray itself retries an unreachable head for minutes; this makes a wrong address one quick line.
    "auto" and "local" are left to Ray.
    """
    import socket

    if address in ("auto", "local"):
        return
    client = address.startswith("ray://")
    if client:
        try:
            import grpc  # noqa: F401 - Ray Client's transport, in the ray[client] extra
        except ImportError:
            raise RayUnavailable(f"--ray-address: {address} needs the Ray Client: pip install 'ray[client]'") from None
    rest = address.split("://", 1)[-1].rstrip("/")
    host, sep, port = rest.rpartition(":")
    if not sep or not port.isdigit():
        if client:
            host, port = rest, "10001"
        else:
            raise RayUnavailable(f"--ray-address: {address!r} is not HOST:PORT, ray://HOST[:PORT] or auto")
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=wait).close()
    except OSError as exc:
        raise RayUnavailable(f"--ray-address: cannot connect to {address}: {exc.strerror or exc}") from None


def extract_window(ray, items: list[Item], actors: int, batch_size: int) -> Iterator[tuple[Item, Optional[str], Optional[str]]]:
    """(item, report JSON, reason) of every item, extracted on a pool of `actors` Ray actors.

    If the Ray job itself fails (a node lost, an actor that keeps dying), the items not yet back
    are yielded with RAY_FAILED and the run goes on with the next window.
    """
    rows = [{"n": n, "text": item.text, "meta": json.dumps(item.meta())} for n, item in enumerate(items)]
    blocks = max(1, min(len(rows), math.ceil(len(rows) / batch_size)))  # small blocks: every actor gets work
    dataset = ray.data.from_items(rows, override_num_blocks=blocks).map_batches(
        RayExtractor, batch_size=batch_size, batch_format="numpy",
        compute=ray.data.ActorPoolStrategy(size=min(actors, blocks)), num_cpus=1)
    done = [False] * len(items)
    try:
        for row in dataset.iter_rows():
            n = int(row["n"])
            done[n] = True
            yield items[n], row["report"], row["reason"]
    except Exception as exc:
        if isinstance(exc, (KeyboardInterrupt, GeneratorExit)):
            raise
        logging.getLogger(__name__).warning("Ray job failed: %s", str(exc).splitlines()[0] if str(exc) else exc)
        reason = f"{RAY_FAILED} ({type(exc).__name__})"
        yield from ((item, None, reason) for item, finished in zip(items, done) if not finished)


# -- the run ---------------------------------------------------------------------------------

class _RayWindows:
    """The extractor `run.ingest` drives: items are sent to Ray a window at a time."""

    def __init__(self, session: "RaySession", workers: Optional[int], window: int, batch_size: int):
        self.session, self.workers, self.window, self.batch_size = session, workers, window, batch_size
        self.pending: list[Item] = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.session.close()

    def submit(self, item: Item):
        self.pending.append(item)
        if len(self.pending) >= self.window:
            yield from self.drain()

    def drain(self):
        items, self.pending = self.pending, []
        if items:
            ray = self.session.start()  # only when there is something to extract
            yield from extract_window(ray, items, self.session.actors(self.workers), self.batch_size)


def ingest_ray(sources: Iterable[str], store, *, workers: Optional[int] = None, address: Optional[str] = None,
               num_cpus: Optional[int] = None, published: Optional[str] = None, timeout: Optional[float] = None,
               max_bytes: Optional[int] = None, window: int = DEFAULT_WINDOW, batch_size: int = DEFAULT_BATCH,
               on_progress: Optional[Callable[[Summary], None]] = None, rebuild: bool = True) -> Summary:
    """Read, extract on Ray and store every article of `sources`; see the module docstring.

    `workers` is the number of Ray actors (default: one per CPU of the Ray cluster).
    RayUnavailable (one line) when Ray is missing or cannot be started or reached.
    """
    windows = _RayWindows(RaySession(address, num_cpus), workers, window, batch_size)
    return ingest(sources, store, published=published, timeout=timeout, max_bytes=max_bytes,
                  on_progress=on_progress, rebuild=rebuild, extractor=windows)
