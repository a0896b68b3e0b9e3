"""A readable summary of a report for the terminal (`eventwire extract --format text`)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from eventwire.schema import Report


def _table(title: str, columns: list[str], rows: list[list[str]]) -> Table:
    table = Table(title=title, title_justify="left", show_lines=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*[("" if cell is None else str(cell)) for cell in row])
    return table


def _side(country, sector) -> str:
    return "/".join(x for x in (country, sector) if x)


def _participants(parts) -> str:
    return "; ".join(f"{p.text} ({_side(p.country, p.sector)})" if _side(p.country, p.sector) else p.text
                     for p in parts) or "-"


def _event_lines(e, names: dict) -> Text:
    """One event as a short block that reads at any terminal width."""
    head = Text()
    head.append(f"{e.id} ", style="dim")
    head.append(e.type, style="bold")
    if e.mode:
        head.append(f"/{e.mode}")
    head.append(f"  {e.status}", style="yellow" if e.status != "happened" else "green")
    if e.date and e.date.value:
        head.append(f"  {e.date.value}")
    if e.location:
        head.append(f"  @ {e.location.text}", style="cyan")
    head.append(f"\n    {_participants(e.actor)} -> {_participants(e.recipient)}")
    if e.quantities:
        head.append("\n    " + ", ".join(f"{q.kind} {q.value:g}{'~' if q.approximate else ''}" for q in e.quantities))
    if e.source:
        head.append(f"\n    according to {names.get(e.source.entity) or e.source.text}", style="magenta")
    evidence = e.evidence.text if len(e.evidence.text) <= 160 else e.evidence.text[:157] + "..."
    head.append(f"\n    [{e.evidence.start}-{e.evidence.end}] {evidence}", style="dim")
    if e.also_evidence:
        head.append(f" (+{len(e.also_evidence)} more sentences)", style="dim")
    return head


def render(report: Report, text: str, console: Console | None = None) -> None:
    if console is None:
        console = Console()
        if not console.is_terminal:  # piped: tables wider than the 80-column default
            console.width = max(console.width, 120)
    a = report.article
    console.print(f"[bold]{a.title or 'Untitled article'}[/bold]  published {a.published or 'unknown'}"
                  f"  id {a.id[:12]}  {len(report.sentences)} sentences")
    names = {e.id: e.name for e in report.entities}
    if report.events:
        console.rule("Events", align="left")
        for e in report.events:
            console.print(_event_lines(e, names))
    if report.entities:
        console.print(_table("Entities", ["id", "kind", "name", "title", "side", "mentions"], [
            [e.id, e.kind, e.name, e.title, _side(e.country, e.sector), ", ".join(sorted({m.text for m in e.mentions}))]
            for e in report.entities]))
    if report.places:
        console.print(_table("Places", ["id", "name", "feature", "geonameid", "lat,lon", "country", "admin1", "conf"], [
            [p.id, p.name + (" (metonym)" if p.metonym else ""), p.feature, p.geonameid,
             f"{p.lat:.3f},{p.lon:.3f}" if p.lat is not None else "", p.country, p.admin1, f"{p.confidence:.2f}"]
            for p in report.places]))
    if report.dates:
        console.print(_table("Dates", ["text", "value", "precision"], [[d.text, d.value, d.precision] for d in report.dates]))
    if report.quotes:
        console.print(_table("Quotes", ["kind", "speaker", "cue", "text"], [
            [q.kind, names.get(q.speaker.entity) or q.speaker.text, q.cue, q.text[:100]] for q in report.quotes]))
    if report.flags:
        console.print(_table("Flags", ["kind", "message"], [[f.kind, f.message] for f in report.flags]))
    if not (report.events or report.entities or report.places):
        console.print("places: none")
