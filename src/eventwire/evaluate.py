"""Score a run against gold annotations (format gold/v1, described in shared/gold/README.md).

    eventwire eval ../shared/gold/seed.json            # Rich tables and a summary line
    eventwire eval ../shared/gold/*.json --json        # machine-readable scores

`score(gold, report, text)` compares one report with one gold dict and returns a dict of areas:
places, entities, dates, quotes, events, claims, flags, not_places. Each area has `required`
(non-optional gold items), `found` (of those, the ones the run got right), `optional_found`,
`recall`, and `items`, one row per gold item with what was expected and what the run gave.
Optional items are credited in `optional_found` and never counted as misses.

Units and rules:
* places: one item per covered occurrence of the mention in the text. Correct when the place the
  run put on that occurrence has the gold GeoNames id (or the id of the place it lies `within`), or
  lies within `tolerance_km` of the gold point where the entry gives one; where the gold feature is
  city or admin1 the run's feature must agree. `acc161` counts resolutions within 161 km.
  `precision`: correct / resolved among the occurrences gold covers.
* entities: one report entity must hold every gold spelling (as a mention, its name or a variant),
  with the right country and sector (`alt_country` / `alt_sector` also accepted); title and kind
  are shown, not required.
* dates: the date mention over the gold `mention` must carry the gold value.
* quotes: a quote of the gold kind containing `text_contains`, said by the gold speaker.
* events: a run event matches when the sentence of its evidence (or also-evidence) contains the
  gold `evidence_contains` or one of its `also_evidence`; found when one matched event has an
  acceptable type. Fields are then scored one by one (type, actor, recipient, location, date,
  status, source, and mode/quantity where gold gives them). `precision` counts run events that
  match no gold event (optional ones included) or are located at a not_place as wrong.
* claims: a claim containing `text_contains` with the gold value; place and source are fields.
* flags: a flag of the gold kind covering the gold mentions or sentence.
* not_places: one item per entry; found when no event is located at it.
The overall recall is the mean of the area recalls (not_places, a constraint, and areas without
required items left out); `overall.micro` pools their items.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from pathlib import Path
from typing import Any, Optional

from eventwire.schema import Report
from eventwire.store.incidents import haversine_km

FORMAT = "gold/v1"
AREAS = ("places", "entities", "dates", "quotes", "events", "claims", "flags", "not_places")
EVENT_FIELDS = ("type", "actor", "recipient", "location", "date", "status", "source", "mode", "quantity")
ACC_KM = 161.0
# what a gold status accepts from a run
STATUS_ACCEPTS = {
    "reported": {"happened", "ongoing", "planned", "claimed", "alleged", "denied"},
    "past": {"happened", "claimed", "alleged"},
}


class GoldError(ValueError):
    """A gold file that cannot be read or does not follow gold/v1. The message is one line."""


# -- reading and checking gold ---------------------------------------------------------------------

def load_gold(path: Path) -> dict:
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise GoldError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldError(f"{path}: cannot read: {exc}") from None
    try:
        gold = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise GoldError(f"{path}: not JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    check_gold(gold, str(path))
    return gold


def _fail(where: str, field: str, why: str):
    raise GoldError(f"{where}: {field}: {why}")


def _need(item: dict, key: str, kinds, where: str, field: str, optional: bool = False):
    if key not in item or item[key] is None:
        if optional:
            return None
        _fail(where, f"{field}.{key}", "missing")
    value = item[key]
    if not isinstance(value, kinds) or isinstance(value, bool) and bool not in _as_tuple(kinds):
        names = "/".join(k.__name__ for k in _as_tuple(kinds))
        _fail(where, f"{field}.{key}", f"expected {names}, got {type(value).__name__}")
    return value


def _as_tuple(kinds) -> tuple:
    return kinds if isinstance(kinds, tuple) else (kinds,)


def _entries(gold: dict, key: str, where: str) -> list:
    value = gold.get(key, [])
    if value is None:
        return []
    if not isinstance(value, list):
        _fail(where, key, f"expected a list, got {type(value).__name__}")
    for i, item in enumerate(value):
        if not isinstance(item, dict):
            _fail(where, f"{key}[{i}]", f"expected an object, got {type(item).__name__}")
    return value


NUMBER = (int, float)


def check_gold(gold: Any, where: str = "<gold>") -> None:
    """Raise GoldError naming the first field that does not follow gold/v1."""
    if not isinstance(gold, dict):
        _fail(where, "(top level)", "expected a JSON object")
    if gold.get("format") != FORMAT:
        _fail(where, "format", f"expected {FORMAT!r}, got {gold.get('format')!r}")
    article = gold.get("article")
    if not isinstance(article, dict):
        _fail(where, "article", "missing or not an object")
    _need(article, "text_path", str, where, "article")
    published = _need(article, "published", str, where, "article", optional=True)
    if published is not None:
        try:
            dt.date.fromisoformat(published)
        except ValueError:
            _fail(where, "article.published", f"{published!r} is not a date (YYYY-MM-DD)")
    for i, p in enumerate(_entries(gold, "places", where)):
        f = f"places[{i}]"
        _need(p, "mention", str, where, f)
        occ = p.get("occurrence", "all")
        if occ != "all" and not (isinstance(occ, list) and occ and all(isinstance(n, int) and n >= 1 for n in occ)):
            _fail(where, f"{f}.occurrence", "expected \"all\" or a list of 1-based indexes")
        gid = _need(p, "geonameid", int, where, f, optional=True)
        lat = _need(p, "lat", NUMBER, where, f, optional=True)
        lon = _need(p, "lon", NUMBER, where, f, optional=True)
        if gid is None and (lat is None or lon is None):
            _fail(where, f, "needs a geonameid or lat and lon")
        _need(p, "tolerance_km", NUMBER, where, f, optional=True)
        _need(p, "feature", str, where, f, optional=True)
    for i, p in enumerate(_entries(gold, "not_places", where)):
        _need(p, "mention", str, where, f"not_places[{i}]")
    for i, e in enumerate(_entries(gold, "entities", where)):
        f = f"entities[{i}]"
        _need(e, "name", str, where, f)
        mentions = _need(e, "mentions", list, where, f)
        if not mentions or not all(isinstance(m, str) for m in mentions):
            _fail(where, f"{f}.mentions", "expected a non-empty list of strings")
    for i, d in enumerate(_entries(gold, "dates", where)):
        f = f"dates[{i}]"
        _need(d, "mention", str, where, f)
        value = _need(d, "value", str, where, f)
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            _fail(where, f"{f}.value", f"{value!r} is not a date (YYYY-MM-DD)")
    for i, q in enumerate(_entries(gold, "quotes", where)):
        f = f"quotes[{i}]"
        _need(q, "text_contains", str, where, f)
        _need(q, "speaker", str, where, f)
        if q.get("kind") not in ("direct", "indirect"):
            _fail(where, f"{f}.kind", f"expected 'direct' or 'indirect', got {q.get('kind')!r}")
    for i, e in enumerate(_entries(gold, "events", where)):
        f = f"events[{i}]"
        types = _need(e, "types", list, where, f)
        if not types or not all(isinstance(t, str) for t in types):
            _fail(where, f"{f}.types", "expected a non-empty list of event types")
        _need(e, "evidence_contains", str, where, f)
        for key in ("actor", "recipient", "recipient_or_coactor"):
            descs = _need(e, key, list, where, f, optional=True) or []
            if not all(isinstance(x, dict) for x in descs):
                _fail(where, f"{f}.{key}", "expected a list of objects")
    for i, c in enumerate(_entries(gold, "claims", where)):
        f = f"claims[{i}]"
        _need(c, "text_contains", str, where, f)
        quantity = _need(c, "quantity", dict, where, f)
        _need(quantity, "value", NUMBER, where, f"{f}.quantity")
    for i, fl in enumerate(_entries(gold, "flags", where)):
        f = f"flags[{i}]"
        _need(fl, "kind", str, where, f)
        if not fl.get("mentions") and not fl.get("sentence_contains"):
            _fail(where, f, "needs mentions or sentence_contains")


# -- small helpers -------------------------------------------------------------------------------

_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})


def norm(s: Optional[str]) -> str:
    """Lower case, straight quotes, single spaces; no leading 'the', no possessive 's."""
    s = " ".join((s or "").translate(_QUOTES).lower().split())
    s = re.sub(r"^the\s+", "", s)
    return re.sub(r"'s$", "", s)


def contains(haystack: Optional[str], needle: str) -> bool:
    return norm(needle) in norm(haystack)


def occurrences(text: str, mention: str) -> list[tuple[int, int]]:
    """Spans of `mention` as a whole word in `text` (case-sensitive, then case-insensitive)."""
    pattern = r"(?<!\w)" + re.escape(mention) + r"(?!\w)"
    spans = [m.span() for m in re.finditer(pattern, text)]
    if not spans:
        spans = [m.span() for m in re.finditer(pattern, text, flags=re.IGNORECASE)]
    return spans


def _overlaps(a: int, b: int, c: int, d: int) -> bool:
    return a < d and c < b


def _alpha3(code: Optional[str]) -> Optional[str]:
    if not code:
        return None
    code = code.upper()
    if len(code) == 2:
        import pycountry

        country = pycountry.countries.get(alpha_2=code)
        return country.alpha_3 if country else code
    return code


def _ratio(found: int, total: int) -> Optional[float]:
    return round(found / total, 4) if total else None


class _Index:
    """Lookups over one report."""

    def __init__(self, report: Report, gold: dict, text: str = ""):
        self.report = report
        self.text = text
        self.sentence_bounds = sorted((s.start, s.end) for s in report.sentences)
        self.entities = {e.id: e for e in report.entities}
        self.places = {p.id: p for p in report.places}
        # spellings of each gold entity, to recognise speakers and sources by name
        self.gold_names: dict[str, set[str]] = {}
        for e in gold.get("entities") or []:
            self.gold_names[norm(e["name"])] = {norm(e["name"]), *(norm(m) for m in e["mentions"])}

    def sentence_text(self, start: int, end: int, fallback: str) -> str:
        """The text of the report's sentences overlapping [start, end); `fallback` without sentences."""
        inside = [(a, b) for a, b in self.sentence_bounds if a < max(end, start + 1) and start < b]
        if not inside or not self.text:
            return fallback
        return self.text[inside[0][0]:inside[-1][1]]

    def entity_strings(self, entity) -> set[str]:
        return {norm(entity.name), *(norm(m.text) for m in entity.mentions), *(norm(v) for v in entity.variants)}

    def place_on(self, start: int, end: int):
        best, best_len = None, 0
        for p in self.report.places:
            for m in p.mentions:
                overlap = min(end, m.end) - max(start, m.start)
                if overlap > best_len:
                    best, best_len = p, overlap
        return best

    def speaker_strings(self, ref) -> set[str]:
        if ref is None:
            return set()
        out = {norm(ref.text)} if ref.text else set()
        entity = self.entities.get(ref.entity) if ref.entity else None
        if entity is not None:
            out |= self.entity_strings(entity)
        return {s for s in out if s}

    def speaker_label(self, ref) -> str:
        entity = self.entities.get(ref.entity) if ref is not None and ref.entity else None
        text = ref.text if ref is not None and ref.text else "?"
        return f"{text} ({entity.name})" if entity is not None and entity.name != text else text

    def speaker_is(self, ref, gold_speaker: Optional[str]) -> bool:
        """Does the run's speaker/source `ref` name `gold_speaker` (an entity name or a group)?"""
        if gold_speaker is None:
            return ref is None or (ref.entity is None and not ref.text)
        names = self.gold_names.get(norm(gold_speaker), {norm(gold_speaker)})
        got = self.speaker_strings(ref)
        if names & got:
            return True
        # a group named by a longer phrase: 'the Ukrainian military' for 'Ukrainian military'
        return any(len(n) > 3 and (n in g or (len(g) > 3 and g in n and " " in g)) for n in names for g in got)

    def participant_fits(self, participant, desc: dict) -> bool:
        entity = self.entities.get(participant.entity) if participant.entity else None
        country = _alpha3(participant.country or (entity.country if entity else None))
        sector = participant.sector or (entity.sector if entity else None)
        if "country" in desc and country != _alpha3(desc["country"]):
            return False
        if "sector" in desc and (sector or "").upper() != desc["sector"].upper():
            return False
        if "text_contains" in desc:
            texts = [participant.text] + ([entity.name] + [m.text for m in entity.mentions] if entity else [])
            if not any(contains(t, desc["text_contains"]) for t in texts):
                return False
        return True

    def event_geonameids(self, event) -> list[Optional[int]]:
        refs = ([event.location] if event.location else []) + list(event.locations)
        ids = []
        for ref in refs:
            place = self.places.get(ref.place) if ref.place else None
            ids.append(place.geonameid if place else None)
        return ids

    def event_places(self, event) -> list:
        refs = ([event.location] if event.location else []) + list(event.locations)
        return [self.places[r.place] for r in refs if r.place and r.place in self.places]


def _area(items: list[dict], **extra) -> dict:
    required = [i for i in items if not i.get("optional")]
    found = sum(1 for i in required if i["ok"])
    area = {
        "required": len(required),
        "found": found,
        "optional_found": sum(1 for i in items if i.get("optional") and i["ok"]),
        "recall": _ratio(found, len(required)),
        "items": items,
    }
    area.update(extra)
    return area


# -- the areas ------------------------------------------------------------------------------------

def score_places(gold: dict, ix: _Index, text: str) -> dict:
    items = []
    resolved = correct_resolved = near = 0
    for entry in gold.get("places") or []:
        spans = occurrences(text, entry["mention"])
        wanted = entry.get("occurrence", "all")
        indexes = range(1, max(1, len(spans)) + 1) if wanted == "all" else wanted
        for n in indexes:
            item = {"mention": entry["mention"], "occurrence": n, "optional": bool(entry.get("optional")),
                    "expected": entry.get("geonameid") or f"{entry.get('lat')},{entry.get('lon')}",
                    "feature": entry.get("feature"), "ok": False, "got": None, "km": None, "acc161": False}
            if n > len(spans):
                item["got"] = "mention not in text"
                items.append(item)
                continue
            place = ix.place_on(*spans[n - 1])
            if place is not None and (place.geonameid is not None or place.lat is not None):
                resolved += 1
                item["got"] = f"{place.name} ({place.geonameid}, {place.feature})"
                item["ok"], item["km"] = _place_correct(entry, place)
                item["acc161"] = place.geonameid is not None and place.geonameid == entry.get("geonameid") or (
                    item["km"] is not None and item["km"] <= ACC_KM)
                correct_resolved += item["ok"]
                near += item["acc161"] and not item["optional"]
            elif place is not None:
                item["got"] = f"{place.name} (unresolved)"
            items.append(item)
    required = sum(1 for i in items if not i["optional"])
    return _area(items, acc161=_ratio(near, required), precision=_ratio(correct_resolved, resolved))


def _place_correct(entry: dict, place) -> tuple[bool, Optional[float]]:
    km = None
    if entry.get("lat") is not None and place.lat is not None and place.lon is not None:
        km = round(haversine_km(entry["lat"], entry["lon"], place.lat, place.lon), 1)
    if entry.get("feature") in ("city", "admin1") and place.feature != entry["feature"]:
        return False, km
    ids = {entry.get("geonameid"), entry.get("within")} - {None}
    if place.geonameid is not None and place.geonameid in ids:
        return True, km
    tolerance = entry.get("tolerance_km")
    return (tolerance is not None and km is not None and km <= tolerance), km


def score_not_places(gold: dict, ix: _Index, text: str) -> tuple[dict, set[str]]:
    """Items per not_place, and the ids of run events located at one."""
    items, bad_events = [], set()
    for entry in gold.get("not_places") or []:
        spans = occurrences(text, entry["mention"])
        hits = []
        for event in ix.report.events:
            for place in ix.event_places(event):
                at_mention = any(_overlaps(m.start, m.end, s, e) for m in place.mentions for s, e in spans)
                if at_mention or norm(place.name) == norm(entry["mention"]):
                    hits.append(event.id)
                    bad_events.add(event.id)
                    break
        items.append({"mention": entry["mention"], "optional": bool(entry.get("optional")), "ok": not hits,
                      "got": ", ".join(hits) or "no event located there"})
    return _area(items), bad_events


def score_entities(gold: dict, ix: _Index) -> dict:
    items = []
    for entry in gold.get("entities") or []:
        spellings = {norm(m) for m in entry["mentions"]}
        holders = [e for e in ix.report.entities if spellings & ix.entity_strings(e)]
        whole = next((e for e in holders if spellings <= ix.entity_strings(e)), None)
        best = whole or (max(holders, key=lambda e: len(spellings & ix.entity_strings(e))) if holders else None)
        countries = {_alpha3(entry.get("country")), _alpha3(entry.get("alt_country"))} - {None}
        sectors = {entry.get("sector"), entry.get("alt_sector")} - {None}
        fields = {
            "merged": whole is not None,
            "country": best is not None and (not countries or _alpha3(best.country) in countries),
            "sector": best is not None and (not sectors or best.sector in sectors),
        }
        if entry.get("title_contains"):
            fields["title"] = best is not None and contains(best.title, entry["title_contains"])
        if entry.get("kind"):
            fields["kind"] = best is not None and best.kind == entry["kind"]
        items.append({
            "name": entry["name"], "mentions": entry["mentions"], "optional": bool(entry.get("optional")),
            "variant": len(spellings) > 1, "fields": fields,
            "ok": fields["merged"] and fields["country"] and fields["sector"],
            "got": None if best is None else f"{best.name} [{best.country}/{best.sector}]"
                   + (f", spellings spread over {len(holders)} entities" if len(holders) > 1 else ""),
        })
    variant_items = [i for i in items if i["variant"]]
    return _area(items, variants_merged=sum(i["fields"]["merged"] for i in variant_items),
                 variants=len(variant_items))


def score_dates(gold: dict, ix: _Index, text: str) -> dict:
    items = []
    for entry in gold.get("dates") or []:
        spans = occurrences(text, entry["mention"])
        got = []
        for s, e in spans[:1]:
            got = [d.value for d in ix.report.dates if _overlaps(d.start, d.end, s, e)]
        items.append({"mention": entry["mention"], "expected": entry["value"], "optional": bool(entry.get("optional")),
                      "got": ", ".join(str(v) for v in got) or None, "ok": entry["value"] in got})
    return _area(items)


def score_quotes(gold: dict, ix: _Index) -> dict:
    items = []
    for entry in gold.get("quotes") or []:
        cands = [q for q in ix.report.quotes if contains(q.text, entry["text_contains"])]
        kind_ok = [q for q in cands if q.kind == entry["kind"]]
        best = next((q for q in kind_ok if ix.speaker_is(q.speaker, entry["speaker"])), None)
        pick = best or (kind_ok or cands or [None])[0]
        fields = {"found": bool(cands), "kind": bool(kind_ok), "speaker": best is not None}
        got = None if pick is None else f"{pick.kind}, speaker {ix.speaker_label(pick.speaker)}"
        items.append({"text_contains": entry["text_contains"], "speaker": entry["speaker"], "kind": entry["kind"],
                      "optional": bool(entry.get("optional")), "fields": fields, "got": got, "ok": best is not None})
    return _area(items)


def _evidence_texts(event, ix: "_Index") -> list[str]:
    """The sentences holding the event's evidence and also-evidence."""
    return [ix.sentence_text(e.start, e.end, e.text) for e in [event.evidence, *event.also_evidence]]


def _gold_evidence(entry: dict) -> list[str]:
    return [entry["evidence_contains"]] + list(entry.get("also_evidence") or [])


def score_events(gold: dict, ix: _Index, bad_events: set[str]) -> dict:
    items, matched_ids = [], set()
    for entry in gold.get("events") or []:
        needles = _gold_evidence(entry)
        cands = [ev for ev in ix.report.events if any(contains(t, n) for t in _evidence_texts(ev, ix) for n in needles)]
        matched_ids |= {ev.id for ev in cands}
        typed = [ev for ev in cands if ev.type in entry["types"]]
        best = max(typed, key=lambda ev: _event_fields_right(entry, ev, ix)[1], default=None)
        pick = best or (cands[0] if cands else None)
        fields = _event_fields_right(entry, pick, ix)[0] if pick is not None else {}
        items.append({
            "id": entry.get("id"), "evidence_contains": entry["evidence_contains"], "types": entry["types"],
            "optional": bool(entry.get("optional")), "ok": best is not None, "fields": fields,
            "got": None if pick is None else f"{pick.id} {pick.type} {pick.status}",
        })
    field_totals = {}
    for name in EVENT_FIELDS:
        scored = [i["fields"][name] for i in items if name in i["fields"] and not i["optional"] and i["ok"]]
        if scored:
            field_totals[name] = {"correct": sum(scored), "scored": len(scored), "accuracy": _ratio(sum(scored), len(scored))}
    unmatched = [ev.id for ev in ix.report.events if ev.id not in matched_ids]
    wrong = set(unmatched) | bad_events
    n = len(ix.report.events)
    return _area(items, fields=field_totals, unmatched=unmatched, at_not_place=sorted(bad_events),
                 precision=_ratio(n - len(wrong), n), run_events=n)


def _event_fields_right(entry: dict, ev, ix: _Index) -> tuple[dict, int]:
    fields: dict[str, bool] = {"type": ev.type in entry["types"]}
    if entry.get("actor"):
        fields["actor"] = any(ix.participant_fits(p, d) for p in ev.actor for d in entry["actor"])
    if entry.get("recipient"):
        fields["recipient"] = any(ix.participant_fits(p, d) for p in ev.recipient for d in entry["recipient"])
    elif entry.get("recipient_or_coactor"):
        fields["recipient"] = any(ix.participant_fits(p, d) for p in ev.recipient + ev.actor
                                  for d in entry["recipient_or_coactor"]
                                  if not any(ix.participant_fits(p, a) for a in entry.get("actor") or []))
    elif entry.get("recipient_text"):
        fields["recipient"] = any(contains(p.text, entry["recipient_text"]) for p in ev.recipient)
    ids = ix.event_geonameids(ev)
    if entry.get("locations"):
        fields["location"] = set(entry["locations"]) <= set(ids)
    elif entry.get("location") is not None:
        fields["location"] = bool({entry["location"], *(entry.get("alt_locations") or [])} & set(ids))
    if entry.get("date"):
        fields["date"] = ev.date is not None and ev.date.value == entry["date"]
    if entry.get("status"):
        accepts = STATUS_ACCEPTS.get(entry["status"], {entry["status"]})
        fields["status"] = ev.status in accepts
    if "source" in entry:
        fields["source"] = ix.speaker_is(ev.source, entry["source"])
    if entry.get("mode"):
        fields["mode"] = ev.mode == entry["mode"]
    if entry.get("quantity"):
        fields["quantity"] = any(q.value == entry["quantity"]["value"] for q in ev.quantities)
    return fields, sum(fields.values())


def _kind_agrees(run_kind: str, gold_kind: Optional[str]) -> bool:
    if not gold_kind:
        return True
    words = set(re.split(r"[_\s-]+", gold_kind.lower()))
    return bool(set(re.split(r"[_\s-]+", run_kind.lower())) & words)


def score_claims(gold: dict, ix: _Index) -> dict:
    items = []
    for entry in gold.get("claims") or []:
        value = entry["quantity"]["value"]
        cands = [c for c in ix.report.claims if contains(c.text, entry["text_contains"]) and c.quantity.value == value]
        pick = cands[0] if cands else None
        fields = {}
        if pick is not None:
            fields["kind"] = _kind_agrees(pick.quantity.kind, entry["quantity"].get("kind"))
            if entry.get("place") is not None:
                place = ix.places.get(pick.place) if pick.place else None
                fields["place"] = place is not None and place.geonameid == entry["place"]
            if "source" in entry:
                fields["source"] = ix.speaker_is(pick.source, entry["source"])
        items.append({"text_contains": entry["text_contains"], "value": value, "optional": bool(entry.get("optional")),
                      "fields": fields, "ok": pick is not None,
                      "got": None if pick is None else f"{pick.quantity.kind}={pick.quantity.value:g}"})
    return _area(items)


def score_flags(gold: dict, ix: _Index, text: str) -> dict:
    items = []
    for entry in gold.get("flags") or []:
        flags = [f for f in ix.report.flags if f.kind == entry["kind"]]
        ok = False
        for flag in flags:
            covered = " ".join([flag.message] + [s.text for s in flag.spans])
            if entry.get("mentions"):
                ok = all(contains(covered, m) for m in entry["mentions"])
            else:
                target = entry["sentence_contains"]
                where = occurrences(text, target)[:1] or []
                ok = contains(covered, target) or any(_overlaps(s.start, s.end, a, b) for s in flag.spans for a, b in where)
            if ok:
                break
        items.append({"kind": entry["kind"], "about": ", ".join(entry.get("mentions") or []) or entry.get("sentence_contains"),
                      "optional": bool(entry.get("optional")), "ok": ok, "got": f"{len(flags)} flag(s) of this kind"})
    return _area(items)


def score(gold: dict, report: Report, text: str) -> dict:
    """Scores of one report against one gold dict (see the module docstring)."""
    check_gold(gold)
    ix = _Index(report, gold, text)
    not_places, bad_events = score_not_places(gold, ix, text)
    areas = {
        "places": score_places(gold, ix, text),
        "entities": score_entities(gold, ix),
        "dates": score_dates(gold, ix, text),
        "quotes": score_quotes(gold, ix),
        "events": score_events(gold, ix, bad_events),
        "claims": score_claims(gold, ix),
        "flags": score_flags(gold, ix, text),
        "not_places": not_places,
    }
    return {"article": gold["article"]["text_path"], "areas": areas, "overall": overall(areas)}


RECALL_AREAS = tuple(a for a in AREAS if a != "not_places")  # not_places is a constraint, not recall


def overall(by_area: dict[str, dict]) -> dict:
    areas = [by_area[name] for name in RECALL_AREAS]
    recalls = [a["recall"] for a in areas if a["recall"] is not None]
    found = sum(a["found"] for a in areas)
    required = sum(a["required"] for a in areas)
    return {"recall": round(sum(recalls) / len(recalls), 4) if recalls else None,
            "found": found, "required": required, "micro": _ratio(found, required)}


# -- the command -----------------------------------------------------------------------------------

def run_cli(gold_paths: list[Path], as_json: bool = False, shared: Optional[Path] = None) -> int:
    from eventwire.pipeline import extract

    results = []
    for path in gold_paths:
        gold = load_gold(path)
        base = Path(shared) if shared is not None else Path(path).resolve().parent.parent
        text_file = base / gold["article"]["text_path"]
        try:
            text = text_file.read_text(encoding="utf-8")
        except OSError:
            raise GoldError(f"{path}: article.text_path: cannot read {text_file}") from None
        report = extract(text, published=gold["article"].get("published"))
        result = score(gold, report, text)
        result["gold"] = str(path)
        results.append(result)
    totals = _totals(results)
    if as_json:
        print(json.dumps({"files": results, "total": totals}, indent=2))
    else:
        from rich.console import Console

        console = Console(width=None if sys.stdout.isatty() else 120)
        for result in results:
            print_tables(result, console)
        if len(results) > 1:
            console.print(f"[bold]all {len(results)} files[/bold]: " + summary_line(totals))
    return 0


def _totals(results: list[dict]) -> dict:
    areas = {}
    for name in AREAS:
        found = sum(r["areas"][name]["found"] for r in results)
        required = sum(r["areas"][name]["required"] for r in results)
        areas[name] = {"found": found, "required": required, "recall": _ratio(found, required),
                       "optional_found": sum(r["areas"][name]["optional_found"] for r in results)}
    return {"areas": areas, "overall": overall(areas)}


def summary_line(result: dict) -> str:
    parts = []
    for name in AREAS:
        a = result["areas"][name]
        part = f"{name} {a['found']}/{a['required']}"
        if a.get("precision") is not None:
            part += f" (p {a['precision']:.2f})"
        parts.append(part)
    o = result["overall"]
    recall = "n/a" if o["recall"] is None else f"{o['recall']:.3f}"
    return " | ".join(parts) + f" | overall recall {recall}"


def _mark(ok: Optional[bool]) -> str:
    return "-" if ok is None else ("[green]yes[/green]" if ok else "[red]no[/red]")


SHORT = {"type": "typ", "actor": "act", "recipient": "rcp", "location": "loc", "status": "st", "source": "src",
         "quantity": "qty"}


def _tick(ok: Optional[bool]) -> str:
    return "" if ok is None else ("[green]+[/green]" if ok else "[red]x[/red]")


def _clip(s: str, n: int = 34) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def _state(item: dict) -> str:
    if item["ok"]:
        return "[green]found[/green]"
    return "[dim]optional[/dim]" if item.get("optional") else "[red]MISSED[/red]"


def print_tables(result: dict, console) -> None:
    from rich.table import Table

    areas = result["areas"]
    console.rule(f"[bold]{result.get('gold') or result['article']}")

    def table(title: str, columns: list[str], rows: list[list[str]]) -> None:
        t = Table(title=title, title_justify="left", show_lines=False)
        for c in columns:
            t.add_column(c, overflow="fold")
        for row in rows:
            t.add_row(*[str(x) if x is not None else "" for x in row])
        console.print(t)

    a = areas["places"]
    table(f"places {a['found']}/{a['required']}  acc@161km {a['acc161']}  precision {a['precision']}",
          ["mention", "#", "state", "expected", "got", "km"],
          [[i["mention"], i["occurrence"], _state(i), f"{i['expected']} {i['feature'] or ''}", i["got"], i["km"]]
           for i in a["items"]])
    a = areas["entities"]
    table(f"entities {a['found']}/{a['required']}  variants merged {a['variants_merged']}/{a['variants']}",
          ["name", "state", "merged", "country", "sector", "title", "kind", "got"],
          [[i["name"], _state(i), *(_mark(i["fields"].get(k)) for k in ("merged", "country", "sector", "title", "kind")),
            i["got"]]
           for i in a["items"]])
    a = areas["dates"]
    table(f"dates {a['found']}/{a['required']}", ["mention", "state", "expected", "got"],
          [[i["mention"], _state(i), i["expected"], i["got"]] for i in a["items"]])
    a = areas["quotes"]
    table(f"quotes {a['found']}/{a['required']}", ["contains", "state", "kind", "speaker", "got"],
          [[i["text_contains"], _state(i), f"{i['kind']} {_mark(i['fields']['kind'])}",
            f"{i['speaker']} {_mark(i['fields']['speaker'])}", i["got"]] for i in a["items"]])
    a = areas["events"]
    table(f"events {a['found']}/{a['required']}  precision {a['precision']} ({a['run_events']} run events, "
          f"unmatched {', '.join(a['unmatched']) or 'none'}; at a not_place {', '.join(a['at_not_place']) or 'none'})",
          ["id", "evidence", "state", *(SHORT.get(k, k) for k in EVENT_FIELDS), "got"],
          [[i["id"], _clip(i["evidence_contains"]), _state(i), *(_tick(i["fields"].get(k)) for k in EVENT_FIELDS),
            i["got"]] for i in a["items"]])
    if a["fields"]:
        console.print("event fields: " + ", ".join(f"{k} {v['correct']}/{v['scored']}" for k, v in a["fields"].items()))
    a = areas["claims"]
    table(f"claims {a['found']}/{a['required']}", ["contains", "value", "state", "kind", "place", "source", "got"],
          [[i["text_contains"], i["value"], _state(i), *(_mark(i["fields"].get(k)) for k in ("kind", "place", "source")),
            i["got"]] for i in a["items"]])
    a = areas["flags"]
    table(f"flags {a['found']}/{a['required']}", ["kind", "about", "state", "got"],
          [[i["kind"], i["about"], _state(i), i["got"]] for i in a["items"]])
    a = areas["not_places"]
    table(f"not_places {a['found']}/{a['required']}", ["mention", "state", "events located there"],
          [[i["mention"], _state(i), i["got"]] for i in a["items"]])
    console.print("[bold]summary[/bold]: " + summary_line(result))
