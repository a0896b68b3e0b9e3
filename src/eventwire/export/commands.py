"""CLI commands of `eventwire.export`, registered on the main Typer app by `eventwire.cli`:

    eventwire export --format plover-jsonl|acled-csv|geojson|parquet [--what events|incidents] [-o FILE]
                     [--db URL] [--type T] [--country C] [--since D] [--until D] [--near LAT,LON,KM]
                     [--source S] [--side S] [--limit N]
"""

from __future__ import annotations

import sys
from typing import Optional

import typer


def register(app, fail) -> None:
    """Add this subsystem's commands to `app`; `fail(message)` prints one line and exits 2."""
    from eventwire.store.commands import DB_HELP

    @app.command("export")
    def export_command(
        format: str = typer.Option(..., "--format", "-f", help="plover-jsonl | acled-csv | geojson | parquet"),
        what: str = typer.Option("events", "--what", help="events | incidents"),
        output: Optional[str] = typer.Option(None, "--output", "-o", help="output file (default: standard output)"),
        db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
        type: Optional[str] = typer.Option(None, "--type", "-t", help="PLOVER type, e.g. ASSAULT"),
        country: Optional[str] = typer.Option(None, "--country", "-c", help="country of the place (UA, UKR or a name)"),
        since: Optional[str] = typer.Option(None, help="first event date YYYY-MM-DD"),
        until: Optional[str] = typer.Option(None, help="last event date YYYY-MM-DD"),
        near: Optional[str] = typer.Option(None, help="LAT,LON,KM: events within KM of a point"),
        source: Optional[str] = typer.Option(None, help="outlet or speaker"),
        side: Optional[str] = typer.Option(None, help="country of the actor or recipient (RUS, UA, a name)"),
        limit: int = typer.Option(0, help="at most this many records (0: all)"),
    ) -> None:
        """Write stored events or incidents as PLOVER JSONL, ACLED-style CSV, GeoJSON or Parquet.

        Incidents are those holding at least one event that matches the filters.
        """
        from eventwire.export.formats import FORMATS, export
        from eventwire.export.records import ExportError, check_what
        from eventwire.store import StoreError
        from eventwire.store.commands import open_store
        from eventwire.store.db import parse_near

        if format not in FORMATS:
            fail(f"--format: {format!r} is not one of {', '.join(FORMATS)}")
        if limit < 0:
            fail(f"--limit: {limit} is negative")
        try:
            check_what(what)
        except ExportError as exc:
            fail(str(exc))
        try:
            point = parse_near(near)
        except StoreError as exc:
            fail(f"--{exc}")
        if format == "parquet" and output in (None, "-") and sys.stdout.isatty():
            fail("--output: parquet is binary; give -o FILE or redirect standard output")
        filters = dict(type=type, country=country, since=since, until=until, near=point, source=source,
                       side=side, limit=limit or None)
        store = open_store(db, fail)
        try:
            items = store.incidents(**filters) if what == "incidents" else store.events(**filters)
        except StoreError as exc:
            fail(f"--{exc}")
        finally:
            store.close()
        try:
            count = export(items, format, output, what)
        except ExportError as exc:
            fail(str(exc))
        if output not in (None, "-"):
            print(f"eventwire: wrote {count} {what} to {output}", file=sys.stderr)
