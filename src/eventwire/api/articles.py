"""The article view: the stored text with the offsets of what was found in it.

`article_view(stored)` turns the store's article dict (`{id, title, published, source, url, text,
report}`) into marks the page can paint: every entity and place mention, every quote, and per event
its evidence spans, the mentions of whoever says so, and the mentions of its places.
"""

from __future__ import annotations

from typing import Any, Optional


def _mark(start: int, end: int, kind: str, ref: Optional[str] = None, label: Optional[str] = None) -> dict:
    return {"start": int(start), "end": int(end), "kind": kind, "ref": ref, "label": label}


def _mentions(item: dict, kind: str, label_key: str = "name") -> list[dict]:
    return [_mark(m["start"], m["end"], kind, item.get("id"), item.get(label_key))
            for m in item.get("mentions") or []]


def _inside(mark: dict, start: int, end: int) -> bool:
    return mark["start"] < end and mark["end"] > start


def _speaker_marks(event: dict, text: str, entities: dict[str, dict], spans: list[tuple[int, int]]) -> list[dict]:
    """Mentions of the event's source: the entity's mentions, else where its quote names the speaker."""
    source = event.get("source") or {}
    ref = source.get("entity")
    if ref and ref in entities:
        return _mentions(entities[ref], "speaker")
    name = source.get("text")
    if not name:
        return []
    # An unlinked speaker ("a senior commander"): mark where that phrase occurs nearest the evidence.
    found, pos = [], text.find(name)
    while pos >= 0:
        found.append(_mark(pos, pos + len(name), "speaker", None, name))
        pos = text.find(name, pos + 1)
    if not found:
        return []
    first = spans[0][0] if spans else 0
    return [min(found, key=lambda m: abs(m["start"] - first))]


def _place_marks(event: dict, places: dict[str, dict], spans: list[tuple[int, int]]) -> list[dict]:
    ids = []
    for ref in [event.get("location")] + list(event.get("locations") or []):
        if ref and ref.get("place") and ref["place"] not in ids:
            ids.append(ref["place"])
    marks = []
    for pid in ids:
        place = places.get(pid)
        if place is None:
            continue
        own = _mentions(place, "place")
        near = [m for m in own if any(_inside(m, s, e) for s, e in spans)]
        marks.extend(near or own)
    return marks


def article_view(stored: dict[str, Any]) -> dict[str, Any]:
    text = stored.get("text") or ""
    report = stored.get("report") or {}
    entities = {e["id"]: e for e in report.get("entities") or []}
    places = {p["id"]: p for p in report.get("places") or []}
    prefix = (stored.get("id") or "")[:12]

    events = []
    for event in report.get("events") or []:
        pieces = [event.get("evidence")] + list(event.get("also_evidence") or [])
        evidence = [_mark(p["start"], p["end"], "evidence", event["id"], event.get("type"))
                    for p in pieces if p]
        spans = [(m["start"], m["end"]) for m in evidence]
        events.append({
            "id": f"{prefix}-{event['id']}",
            "event_id": event["id"],
            "type": event.get("type", ""),
            "evidence": evidence,
            "speakers": _speaker_marks(event, text, entities, spans),
            "places": _place_marks(event, places, spans),
        })

    return {
        "id": stored.get("id"),
        "title": stored.get("title"),
        "published": stored.get("published"),
        "source": stored.get("source"),
        "url": stored.get("url"),
        "text": text,
        "entities": sorted((m for e in entities.values() for m in _mentions(e, "entity")),
                           key=lambda m: m["start"]),
        "places": sorted((m for p in places.values() for m in _mentions(p, "place")),
                         key=lambda m: m["start"]),
        "quotes": [_mark(q["start"], q["end"], "quote", q.get("id"), (q.get("speaker") or {}).get("text"))
                   for q in report.get("quotes") or []],
        "events": events,
    }
