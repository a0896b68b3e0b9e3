"""CLI commands of `eventwire.export`, registered on the main Typer app by `eventwire.cli`."""

from __future__ import annotations

import sys
from typing import Optional

import typer


def parse_near(value: Optional[str]) -> Optional[tuple[float, float, float]]:
    """'LAT,LON,KM' as a tuple; raises ValueError with a one-line message."""
    if value is None:
        return None
    parts = value.split(",")
    try:
        if len(parts) != 3:
            raise ValueError
        lat, lon, km = (float(p) for p in parts)
    except ValueError:
        raise ValueError(f"--near: {value!r} is not LAT,LON,KM (e.g. 48.9,38.4,30)") from None
    return lat, lon, km


def register(app, fail) -> None:
    """Add this subsystem's commands to `app`; `fail(message)` prints one line and exits 2."""

    @app.command("export")
    def export_command(
        format: str = typer.Option(..., "--format", "-f", help="plover-jsonl | acled-csv | geojson | parquet"),
        what: str = typer.Option("events", "--what", help="events | incidents"),
        output: Optional[str] = typer.Option(None, "--output", "-o", help="output file (default: standard output)"),
        db: Optional[str] = typer.Option(None, "--db", help="database URL or SQLite file (default: $EVENTWIRE_DB or eventwire.db)"),
        type: Optional[str] = typer.Option(None, "--type", help="PLOVER event type"),
        country: Optional[str] = typer.Option(None, "--country", help="country of the place (ISO code or name)"),
        since: Optional[str] = typer.Option(None, "--since", help="first date YYYY-MM-DD"),
        until: Optional[str] = typer.Option(None, "--until", help="last date YYYY-MM-DD"),
        near: Optional[str] = typer.Option(None, "--near", help="LAT,LON,KM"),
        source: Optional[str] = typer.Option(None, "--source", help="outlet name"),
        side: Optional[str] = typer.Option(None, "--side", help="country of a participant"),
        limit: Optional[int] = typer.Option(None, "--limit", help="at most this many records"),
    ) -> None:
        """Write stored events or incidents as PLOVER JSONL, ACLED-style CSV, GeoJSON or Parquet."""
        from eventwire.export.formats import FORMATS, export
        from eventwire.export.records import ExportError, check_what
        from eventwire.store import Store, StoreError

        if format not in FORMATS:
            fail(f"--format: {format!r} is not one of {', '.join(FORMATS)}")
        try:
            check_what(what)
            near_value = parse_near(near)
        except (ExportError, ValueError) as exc:
            fail(str(exc))
        if format == "parquet" and output in (None, "-") and sys.stdout.isatty():
            fail("--output: parquet is binary; give -o FILE or redirect standard output")
        filters = dict(type=type, country=country, since=since, until=until, near=near_value, source=source,
                       side=side, limit=limit)
        try:
            store = Store(db)
        except StoreError as exc:
            fail(str(exc))
        try:
            items = store.incidents(**filters) if what == "incidents" else store.events(**filters)
            count = export(items, format, output, what)
        except (StoreError, ExportError) as exc:
            fail(str(exc))
        finally:
            store.close()
        if output not in (None, "-"):
            print(f"eventwire: wrote {count} {what} to {output}", file=sys.stderr)
