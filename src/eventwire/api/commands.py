"""CLI commands of `eventwire.api`, registered on the main Typer app by `eventwire.cli`."""

from __future__ import annotations


def register(app, fail) -> None:
    """Add this subsystem's commands to `app`; `fail(message)` prints one line and exits 2."""
