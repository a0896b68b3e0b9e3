"""The seed article's places against shared/gold/seed.json (read through the shared_dir fixture)."""

from __future__ import annotations

import json
import re

from eventwire.document import Document
from eventwire.geo import annotate
from eventwire.geo.gazetteer import distance_km


def _occurrences(text: str, mention: str) -> list[int]:
    return [m.start() for m in re.finditer(r"\b" + re.escape(mention) + r"\b", text)]


def test_seed_places_match_gold(shared_dir, nlp):
    gold = json.loads((shared_dir / "gold" / "seed.json").read_text(encoding="utf-8"))
    text = (shared_dir / gold["article"]["text_path"]).read_text(encoding="utf-8")
    document = Document.create(text, nlp(text))
    annotate(document)
    places = document.report.places
    by_id = {p.id: p for p in places}

    def place_at(start: int, end: int):
        for p in places:
            for m in p.mentions:
                if m.start < end and start < m.end:
                    return p
        return None

    misses = []
    for entry in gold["places"]:
        starts = _occurrences(text, entry["mention"])
        wanted = range(1, len(starts) + 1) if entry["occurrence"] == "all" else entry["occurrence"]
        for k in wanted:
            start = starts[k - 1]
            p = place_at(start, start + len(entry["mention"]))
            label = f"{entry['mention']}#{k}"
            if p is None:
                if not entry.get("optional"):
                    misses.append(f"{label}: not found")
                continue
            if p.metonym:
                misses.append(f"{label}: marked as metonym")
                continue
            ok = False
            if entry.get("geonameid") and p.geonameid == entry["geonameid"]:
                ok = True
            lat, lon = p.lat, p.lon
            if entry.get("within") and p.within:
                host = by_id[p.within]
                ok = ok or host.geonameid == entry["within"]
            if entry.get("tolerance_km") and lat is not None:
                ok = ok or distance_km(lat, lon, entry["lat"], entry["lon"]) <= entry["tolerance_km"]
            if entry.get("within") and p.geonameid == entry["within"]:
                ok = True
            if entry.get("feature") in ("city", "admin1") and p.feature != entry["feature"]:
                ok = False
            if not ok and not (entry.get("optional") and p.geonameid is None):
                misses.append(f"{label}: got {p.name} {p.feature} {p.geonameid} {p.country}")
    assert not misses, misses
    # no Donetsk in Russia, and the capital named as an actor is not a location
    assert not any(p.country == "RU" and p.feature == "city" for p in places)
    for np_ in gold.get("not_places", []):
        for start in _occurrences(text, np_["mention"]):
            p = place_at(start, start + len(np_["mention"]))
            assert p is None or p.metonym, np_["mention"]
