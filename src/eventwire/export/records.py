"""What every export format needs from flat event rows and incident dicts.

Exports work on plain lists of dicts (the rows `Store.events()` returns, the dicts
`Store.incidents()` / `eventwire.store.incidents.cluster()` return), so they can be tested without
a database.
"""

from __future__ import annotations

from typing import Iterable, Optional

from eventwire.export.plover import SIZE_KINDS

WHATS = ("events", "incidents")

KILLED_KINDS = frozenset({"killed", "dead", "deaths", "fatalities"})
INJURED_KINDS = frozenset({"injured", "wounded", "hurt"})


class ExportError(ValueError):
    """Bad export input or options; the message is one line."""


def check_what(what: str) -> str:
    if what not in WHATS:
        raise ExportError(f"--what: {what!r} is not one of {', '.join(WHATS)}")
    return what


def number(value):
    """An int when the float is whole (568.0 -> 568), else the value."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _largest(quantities: Iterable[dict], kinds) -> Optional[float]:
    values = [q.get("value") for q in quantities or [] if (q.get("kind") or "").lower() in kinds
              and q.get("value") is not None]
    return number(max(values)) if values else None


def event_figures(quantities: Iterable[dict]) -> dict:
    """Dead, injured and size of one event: the largest figure of each kind it gives."""
    quantities = list(quantities or [])
    return {"dead": _largest(quantities, KILLED_KINDS), "injured": _largest(quantities, INJURED_KINDS),
            "size": _largest(quantities, SIZE_KINDS)}


def incident_figures(incident: dict) -> dict:
    """Dead, injured and size of an incident: the most conservative (lowest) of its reports' figures."""
    out: dict = {"dead": None, "injured": None, "size": None}
    for report in incident.get("reports") or []:
        for key, value in event_figures(report.get("quantities")).items():
            if value is not None and (out[key] is None or value < out[key]):
                out[key] = value
    return out


def split_list(value) -> list[str]:
    """A '; '-joined text as a list (actors are stored that way)."""
    if not value:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if v]
    return [part.strip() for part in str(value).split(";") if part.strip()]


def incident_as_row(incident: dict) -> dict:
    """An incident in the shape of an event row, for formats that have one row per record."""
    reports = incident.get("reports") or []
    first = reports[0] if reports else {}
    return {
        "id": incident.get("id"),
        "type": incident.get("type"),
        "mode": incident.get("mode"),
        "status": incident.get("status"),
        "date": incident.get("date_first"),
        "date_last": incident.get("date_last"),
        "date_precision": "day" if incident.get("date_first") == incident.get("date_last") else "range",
        "actor": incident.get("actor"),
        "actor_country": incident.get("actor_country"),
        "actor_sector": incident.get("actor_sector"),
        "recipient": incident.get("recipient"),
        "recipient_country": incident.get("recipient_country"),
        "recipient_sector": incident.get("recipient_sector"),
        "place": incident.get("place"),
        "geonameid": incident.get("geonameid"),
        "lat": incident.get("lat"),
        "lon": incident.get("lon"),
        "feature": incident.get("feature"),
        "country": incident.get("country"),
        "admin1": incident.get("admin1"),
        "source": "; ".join(dict.fromkeys(r["source"] for r in reports if r.get("source"))) or None,
        "outlet": "; ".join(incident.get("outlets") or []) or None,
        "evidence": first.get("evidence"),
        "incident_id": incident.get("id"),
        "corroboration": incident.get("corroboration"),
    }
