"""The `eventwire` command line.

Every command that fails on its input prints one line to stderr, `eventwire: <what>: <why>`,
and exits with code 2. Command bodies stay thin: they parse options and call the package.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Turn news reports about armed conflict into PLOVER-coded events, offline.",
    pretty_exceptions_enable=False,
)


def fail(message: str, code: int = 2) -> None:
    """Print one clear line on stderr and exit."""
    print(f"eventwire: {message}", file=sys.stderr)
    raise typer.Exit(code)


def read_text_arg(path: str) -> str:
    """The text of PATH, or of standard input for '-'. Fails with one line naming the file."""
    if path == "-":
        data = sys.stdin.buffer.read()
        name = "<stdin>"
    else:
        p = Path(path)
        name = str(p)
        if not p.exists():
            fail(f"{name}: no such file")
        if p.is_dir():
            fail(f"{name}: is a directory (use `eventwire ingest` for folders)")
        try:
            data = p.read_bytes()
        except OSError as exc:
            fail(f"{name}: cannot read: {exc.strerror}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        fail(f"{name}: not UTF-8 text (undecodable byte at offset {exc.start})")
    if not text.strip():
        fail(f"{name}: the file is empty")
    return text


@app.command()
def extract(
    path: str = typer.Argument(..., help="article text file, or - for standard input"),
    published: Optional[str] = typer.Option(None, help="publication date YYYY-MM-DD (anchors relative dates)"),
    title: Optional[str] = typer.Option(None, help="article title"),
    source: Optional[str] = typer.Option(None, help="outlet name"),
    url: Optional[str] = typer.Option(None, help="article URL"),
    format: str = typer.Option("json", "--format", "-f", help="json | text | plover"),
    include_text: bool = typer.Option(False, "--include-text", help="put the article text in the JSON"),
) -> None:
    """Extract entities, places, dates, quotes and events from one article."""
    from eventwire.pipeline import ExtractError, extract as run

    if format not in FORMATS:
        fail(f"--format: {format!r} is not one of {', '.join(FORMATS)}")
    text = read_text_arg(path)
    try:
        report = run(text, published=published, title=title, source=source, url=url,
                     include_text=include_text)
    except ExtractError as exc:
        fail(str(exc))
    FORMATS[format](report, text)


def _print_json(report, text) -> None:
    print(report.to_json())


def _print_text(report, text) -> None:
    from eventwire.textview import render

    render(report, text)


def _print_plover(report, text) -> None:
    from eventwire.export.plover import report_to_plover

    import json

    for record in report_to_plover(report, text):
        print(json.dumps(record, ensure_ascii=False))


FORMATS = {"json": _print_json, "text": _print_text, "plover": _print_plover}


@app.command("eval")
def evaluate(
    gold: List[Path] = typer.Argument(..., help="gold/v1 JSON files"),
    as_json: bool = typer.Option(False, "--json", help="print scores as JSON"),
    shared: Optional[Path] = typer.Option(None, help="folder that gold text_path is relative to (default: the gold file's parent's parent)"),
) -> None:
    """Score extraction against gold annotations (format in shared/gold/README.md)."""
    from eventwire.evaluate import GoldError, run_cli

    try:
        code = run_cli(gold, as_json=as_json, shared=shared)
    except GoldError as exc:
        fail(str(exc))
    raise typer.Exit(code)


@app.command()
def geocode(
    text: str = typer.Argument(..., help="the text, or @FILE to read a file (@- for standard input)"),
    as_json: bool = typer.Option(False, "--json", help="print the places as JSON"),
) -> None:
    """Print the places of a text, resolved offline to GeoNames."""
    from eventwire.geo.cli import run as run_geocode

    if text.startswith("@"):
        text = read_text_arg(text[1:])
    elif not text.strip():
        fail("TEXT: the text is empty")
    run_geocode(text, as_json=as_json)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the report."""
    import json

    from eventwire.schema import json_schema

    print(json.dumps(json_schema(), indent=2))


def _register_subcommands() -> None:
    """Commands that live with their subsystem: each module has `register(app, fail)`."""
    from eventwire.api import commands as api_commands
    from eventwire.export import commands as export_commands
    from eventwire.store import commands as store_commands

    for module in (store_commands, export_commands, api_commands):
        module.register(app, fail)


_register_subcommands()


def main() -> None:
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
