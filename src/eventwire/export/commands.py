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
    from eventwire.store.commands import (COUNTRY_OPTION, DB_OPTION, NEAR_OPTION, SIDE_OPTION, SINCE_OPTION,
                                          SOURCE_OPTION, TYPE_OPTION, UNTIL_OPTION)

    @app.command("export")
    def export_command(
        format: str = typer.Option(..., "--format", "-f", help="plover-jsonl | acled-csv | geojson | parquet"),
        what: str = typer.Option("events", "--what", help="events | incidents"),
        output: Optional[str] = typer.Option(None, "--output", "-o", help="output file (default: standard output)"),
        db: Optional[str] = DB_OPTION,
        type: Optional[str] = TYPE_OPTION,
        country: Optional[str] = COUNTRY_OPTION,
        since: Optional[str] = SINCE_OPTION,
        until: Optional[str] = UNTIL_OPTION,
        near: Optional[str] = NEAR_OPTION,
        source: Optional[str] = SOURCE_OPTION,
        side: Optional[str] = SIDE_OPTION,
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
