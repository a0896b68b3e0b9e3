"""CLI commands of `eventwire.store`, registered on the main Typer app by `eventwire.cli`:

    eventwire ingest SOURCE... [--db URL] [--workers N] [--published D] [--ray [--ray-address ADDR]]
    eventwire events [--type T] [--country C] [--since D] [--until D] [--near LAT,LON,KM] [--json]
"""

from __future__ import annotations

import json
import sys
from typing import List, Optional

import typer

DB_HELP = "database URL (sqlite:///FILE, postgresql://...) or a file path; default $EVENTWIRE_DB or eventwire.db"

# The options of the store's filters (Store.events/incidents), shared by every command that queries.
DB_OPTION = typer.Option(None, "--db", help=DB_HELP)
TYPE_OPTION = typer.Option(None, "--type", "-t", help="PLOVER type, e.g. ASSAULT")
COUNTRY_OPTION = typer.Option(None, "--country", "-c", help="country of the place (UA, UKR or a name)")
SINCE_OPTION = typer.Option(None, "--since", help="first event date YYYY-MM-DD")
UNTIL_OPTION = typer.Option(None, "--until", help="last event date YYYY-MM-DD")
NEAR_OPTION = typer.Option(None, "--near", help="LAT,LON,KM: events within KM of a point")
SOURCE_OPTION = typer.Option(None, "--source", help="outlet or speaker")
SIDE_OPTION = typer.Option(None, "--side", help="country of the actor or recipient (RUS, UA, a name)")


def open_store(url: Optional[str], fail):
    """The store at `url`, or one failing line naming --db."""
    from eventwire.store import Store, StoreError

    try:
        return Store(url)
    except StoreError as exc:
        fail(str(exc))


def register(app, fail) -> None:
    """Add this subsystem's commands to `app`; `fail(message)` prints one line and exits 2."""

    @app.command()
    def ingest(
        sources: List[str] = typer.Argument(..., help="text/HTML/JSONL files, folders, RSS/Atom feeds or http(s) URLs"),
        db: Optional[str] = DB_OPTION,
        workers: Optional[int] = typer.Option(None, "--workers", "-w",
                                              help="extraction processes, or Ray actors with --ray (each loads the model"
                                                   " once); default 1, with --ray one per CPU of the Ray cluster"),
        published: Optional[str] = typer.Option(None, help="publication date YYYY-MM-DD for inputs that give none"),
        timeout: float = typer.Option(20.0, help="seconds to wait for one URL"),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="no progress bar"),
        ray: bool = typer.Option(False, "--ray", help="extract on Ray Data (a local Ray unless --ray-address)"),
        ray_address: Optional[str] = typer.Option(None, "--ray-address", help="Ray cluster to join, e.g. ray://head:10001"
                                                  " or auto (implies --ray)"),
    ) -> None:
        """Extract and store many articles; texts already stored are skipped."""
        from eventwire.ingest.run import ingest as run_ingest
        from eventwire.ingest.sources import check_sources
        from eventwire.pipeline import ExtractError, check_published

        if workers is not None and workers < 1:
            fail(f"--workers: {workers} is not a positive number of processes")
        if timeout <= 0:
            fail(f"--timeout: {timeout:g} is not a positive number of seconds")
        try:
            published = check_published(published)
        except ExtractError as exc:
            fail(f"--{exc}")
        missing = check_sources(sources)
        if missing:
            fail(missing)
        ray_errors: tuple = ()
        if ray or ray_address:
            from functools import partial

            from eventwire.ingest.distributed import RayUnavailable, check_address, import_ray, ingest_ray

            try:  # fail before anything is read when Ray is missing or the cluster does not answer
                import_ray()
                if ray_address:
                    check_address(ray_address)
            except RayUnavailable as exc:
                fail(str(exc))
            run_ingest = partial(ingest_ray, address=ray_address)
            ray_errors = (RayUnavailable,)
        elif workers is None:
            workers = 1
        store = open_store(db, fail)
        try:
            summary = _run_with_progress(run_ingest, sources, store, workers, published, timeout, quiet)
        except KeyboardInterrupt:
            stored = store.stats()["articles"]
            print(f"eventwire: interrupted; {stored} articles are stored, run the same command again to go on",
                  file=sys.stderr)
            raise typer.Exit(130)
        except ray_errors as exc:  # Ray cannot be started or reached: one line
            fail(str(exc))
        finally:
            store.close()
        _print_summary(summary)
        raise typer.Exit(1 if summary.failed else 0)

    @app.command()
    def events(
        type: Optional[str] = TYPE_OPTION,
        country: Optional[str] = COUNTRY_OPTION,
        since: Optional[str] = SINCE_OPTION,
        until: Optional[str] = UNTIL_OPTION,
        near: Optional[str] = NEAR_OPTION,
        source: Optional[str] = SOURCE_OPTION,
        side: Optional[str] = SIDE_OPTION,
        db: Optional[str] = DB_OPTION,
        limit: int = typer.Option(50, help="rows to show (0: all)"),
        as_json: bool = typer.Option(False, "--json", help="print the rows as JSON"),
    ) -> None:
        """List stored events, newest first."""
        from eventwire.store import StoreError
        from eventwire.store.db import parse_near

        if limit < 0:
            fail(f"--limit: {limit} is negative")
        try:
            point = parse_near(near)
        except StoreError as exc:
            fail(f"--{exc}")
        store = open_store(db, fail)
        try:
            rows = store.events(type=type, country=country, since=since, until=until, near=point, source=source,
                                side=side, limit=limit or None)
        except StoreError as exc:
            fail(f"--{exc}")
        finally:
            store.close()
        if as_json:
            print(json.dumps(rows, ensure_ascii=False, indent=2))
        else:
            _print_events(rows)


def _run_with_progress(run_ingest, sources, store, workers, published, timeout, quiet):
    from rich.console import Console
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    if quiet or not console.is_terminal:
        return run_ingest(sources, store, workers=workers, published=published, timeout=timeout)
    columns = (
        SpinnerColumn(), TextColumn("[bold]ingest"), BarColumn(),
        TextColumn("{task.fields[done]} stored, {task.fields[dups]} duplicates, {task.fields[failed]} failed"),
        TextColumn("[cyan]{task.fields[rate]:.2f} articles/s"), TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task("ingest", total=None, done=0, dups=0, failed=0, rate=0.0)

        def update(summary):
            progress.update(task, done=summary.ingested, dups=summary.duplicates, failed=len(summary.failed),
                            rate=summary.rate)

        summary = run_ingest(sources, store, workers=workers, published=published, timeout=timeout,
                             on_progress=update)
        progress.update(task, total=1, completed=1)
        update(summary)
    return summary


def _print_summary(summary) -> None:
    lines = [
        f"ingested {summary.ingested}, duplicates {summary.duplicates}, failed {len(summary.failed)}"
        f" in {summary.seconds:.1f} s ({summary.rate:.2f} articles/s)"
    ]
    if summary.incidents is not None:
        lines.append(f"incidents: {summary.incidents}")
    if summary.incidents_note:
        lines.append(summary.incidents_note)
    for failure in summary.failed:
        lines.append(f"failed: {failure}")
    print("\n".join(lines))
    sys.stdout.flush()


def _print_events(rows: list[dict]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if not console.is_terminal:
        console = Console(width=200)  # piped: do not squeeze the table into 80 columns
    table = Table(title=f"{len(rows)} events")
    for name in ("date", "type", "mode", "actor", "recipient", "place", "country", "outlet", "source", "figures"):
        table.add_column(name, overflow="fold", no_wrap=name in ("date", "type", "country"))
    for row in rows:
        figures = ", ".join(f"{q['kind']} {q['value']:g}" for q in row.get("quantities") or [])
        table.add_row(*(str(v) if v is not None else "" for v in (
            row["date"], row["type"], row["mode"], row["actor"], row["recipient"], row["place"],
            row["country"], row["outlet"], row["source"], figures)))
    console.print(table)
