"""Body of `eventwire geocode`."""

from __future__ import annotations

import json


def run(text: str, as_json: bool = False) -> None:
    from eventwire.geo.build import geocode

    places = geocode(text)
    if as_json:
        print(json.dumps([p.model_dump(mode="json") for p in places], indent=2, ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{len(places)} places")
    for col in ("id", "name", "feature", "geonameid", "lat", "lon", "country", "admin1", "conf", "mentions", "note"):
        table.add_column(col, overflow="fold")
    for p in places:
        note = []
        if p.metonym:
            note.append("metonym")
        if p.within:
            note.append(f"within {p.within}")
        if p.reason:
            note.append(p.reason)
        if p.runner_up is not None:
            note.append(f"runner-up: {p.runner_up.name} ({p.runner_up.feature}, {p.runner_up.country}, "
                        f"{p.runner_up.confidence:.2f})")
        table.add_row(p.id, p.name, p.feature or "", str(p.geonameid or ""),
                      "" if p.lat is None else f"{p.lat:.3f}", "" if p.lon is None else f"{p.lon:.3f}",
                      p.country or "", p.admin1 or "", f"{p.confidence:.2f}", str(len(p.mentions)),
                      "; ".join(note))
    console = Console()
    if console.width < 160:
        console = Console(width=160)      # piped or narrow: keep names on one line
    console.print(table)
