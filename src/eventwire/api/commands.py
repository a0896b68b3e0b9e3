"""CLI commands of `eventwire.api`, registered on the main Typer app by `eventwire.cli`."""

from __future__ import annotations

import json
import os
from typing import Optional

import typer


def register(app, fail) -> None:
    """Add this subsystem's commands to `app`; `fail(message)` prints one line and exits 2."""

    @app.command()
    def serve(
        db: Optional[str] = typer.Option(None, "--db", help="database URL or SQLite file (default: $EVENTWIRE_DB or ./eventwire.db)"),
        host: str = typer.Option("127.0.0.1", help="address to listen on"),
        port: int = typer.Option(8000, help="port to listen on"),
        allow_ingest: bool = typer.Option(False, "--allow-ingest", help="accept POST /ingest (read-only without it)"),
        tiles: Optional[str] = typer.Option(None, "--tiles", help="tile URL template for the page's basemap, e.g. http://localhost:8080/{z}/{x}/{y}.png (default: bundled country outlines only)"),
        max_body: int = typer.Option(1_000_000, "--max-body", help="largest request body in bytes (413 above it)"),
        workers: int = typer.Option(1, "--workers", help="server processes (each opens the store and loads the model on first extraction)"),
    ) -> None:
        """Serve the REST API and the map page (http://HOST:PORT/, API docs at /docs)."""
        import uvicorn

        from eventwire.api.app import SETTINGS_ENV, create_app
        from eventwire.store import StoreError

        if not 0 < port < 65536:
            fail(f"--port: {port} is not a TCP port (1..65535)")
        if max_body < 1:
            fail(f"--max-body: {max_body} must be at least 1")
        if not 1 <= workers <= 64:
            fail(f"--workers: {workers} is not between 1 and 64")
        if tiles is not None and not all(k in tiles for k in ("{z}", "{x}", "{y}")):
            fail(f"--tiles: {tiles!r} needs {{z}}, {{x}} and {{y}} placeholders")
        try:
            application = create_app(db, allow_ingest=allow_ingest, tiles=tiles, max_body=max_body)
        except StoreError as exc:  # names the database and why it cannot be opened
            fail(str(exc))
        if workers == 1:
            uvicorn.run(application, host=host, port=port, log_level="info")
            return
        # Several processes: uvicorn imports the app in each; the store was opened once above to check
        # (and migrate) it before any worker starts.
        application.state.store.close()
        os.environ[SETTINGS_ENV] = json.dumps({"db": db, "allow_ingest": allow_ingest, "tiles": tiles,
                                               "max_body": max_body})
        uvicorn.run("eventwire.api.app:app_from_env", factory=True, host=host, port=port, workers=workers,
                    log_level="info")
