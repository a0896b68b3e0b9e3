"""PLOVER JSONL records for one report (`eventwire extract --format plover`).

One record per event with the PLOVER manual's field names: `id`, `date`, `actor`, `recipient`,
`event`, `mode`, `context`, `event_loc` (`geonameid`, `lat`, `lon`, `resolution`, `name`),
`event_text`, `size`, `text`, `cite_info`. Actors and recipients are lists of
`{actorText, code, sector}` as in the PLOVER project's gold-standard records (code: ISO 3166
alpha-3). Extra fields keep what PLOVER has no slot for: `status`, `source_of_claim`, `date_precision`,
`dead`, `injured`, `quantities`, `also_text`, `confidence`.
"""

from __future__ import annotations

from typing import Optional

from eventwire.schema import Event, Participant, Place, Report

SIZE_KINDS = {"people", "civilians", "protesters", "demonstrators", "troops", "soldiers", "battalions",
              "fighters", "displaced", "sheltering", "abducted", "units"}


def _actor(p: Participant) -> dict:
    return {"actorText": p.text, "code": p.country, "sector": p.sector, "entity": p.entity}


def _event_loc(event: Event, places: dict[str, Place]) -> Optional[dict]:
    if event.location is None or event.location.place is None:
        return None
    place: Optional[Place] = places.get(event.location.place)
    if place is None:
        return None
    lat, lon, geonameid = place.lat, place.lon, place.geonameid
    parent = places.get(place.within) if place.within else None
    if parent is not None:
        lat = lat if lat is not None else parent.lat
        lon = lon if lon is not None else parent.lon
    return {
        "geonameid": geonameid if geonameid is not None else (parent.geonameid if parent else None),
        "lat": lat,
        "lon": lon,
        "resolution": place.feature,
        "name": place.name,
        "country": place.country,
        "admin1": place.admin1,
        "within": parent.name if parent else None,
    }


def report_to_plover(report: Report, text: Optional[str] = None) -> list[dict]:
    """PLOVER records (dicts, ready for `json.dumps`) for the report's events."""
    art = report.article
    places = {p.id: p for p in report.places}
    records = []
    for ev in report.events:
        dead = next((q.value for q in ev.quantities if q.kind == "killed"), None)
        injured = next((q.value for q in ev.quantities if q.kind == "injured"), None)
        size = next((q.value for q in ev.quantities if q.kind in SIZE_KINDS), None)
        if isinstance(size, float) and size.is_integer():
            size = int(size)
        records.append({
            "id": f"{art.id[:16]}-{ev.id}",
            "date": ev.date.value if ev.date else art.published,
            "date_precision": ev.date.precision if ev.date else None,
            "actor": [_actor(p) for p in ev.actor],
            "recipient": [_actor(p) for p in ev.recipient],
            "event": ev.type,
            "mode": ev.mode or "",
            "context": "",
            "event_loc": _event_loc(ev, places),
            "event_text": ev.trigger or "",
            "size": size,
            "dead": dead,
            "injured": injured,
            "text": ev.evidence.text,
            "also_text": [e.text for e in ev.also_evidence],
            "status": ev.status,
            "source_of_claim": ev.source.text if ev.source else None,
            "quantities": [q.model_dump(mode="json") for q in ev.quantities],
            "confidence": ev.confidence,
            "cite_info": {
                "article_id": art.id,
                "title": art.title,
                "source": art.source,
                "url": art.url,
                "published": art.published,
                "evidence_start": ev.evidence.start,
                "evidence_end": ev.evidence.end,
            },
            "language": art.language,
        })
    return records
