"""From resolved mentions to the report's `places`."""

from __future__ import annotations

from typing import Iterable, Optional

from eventwire.document import Document
from eventwire.geo.fold import fold
from eventwire.geo.gazetteer import Entry, get_gazetteer
from eventwire.geo.parse import Facility, Mention, recognize, resolve
from eventwire.schema import Candidate, Place, Span


def _candidate(e: Entry, confidence: float) -> Candidate:
    return Candidate(geonameid=e.geonameid, name=e.name, lat=e.lat, lon=e.lon, feature=e.feature,
                     country=e.country, admin1=e.admin1_name, confidence=round(confidence, 3))


def _place_fields(e: Entry) -> dict:
    return dict(geonameid=e.geonameid, lat=e.lat, lon=e.lon, feature=e.feature, country=e.country,
                admin1=e.admin1_name if e.feature != "country" else None)


def _span(text: str, start: int, end: int) -> Span:
    return Span(start=start, end=end, text=text[start:end])


def places_from(text: str, mentions: list[Mention], facilities: list[Facility],
                next_id) -> tuple[list[Place], dict[int, str]]:
    """Group mentions into places (one per referent) and add facilities. Returns places and
    a map from mention index to place id."""
    places: list[Place] = []
    by_key: dict[tuple, Place] = {}
    of_mention: dict[int, str] = {}
    for idx, m in enumerate(mentions):
        if m.choice is not None:
            key = ("p", m.choice.pid, m.metonym)
        else:
            key = ("u", m.key)
        place = by_key.get(key)
        if place is None:
            if m.choice is not None:
                place = Place(id=next_id("p"), name=m.text, confidence=round(m.confidence, 3),
                              metonym=m.metonym, reason=m.reason, **_place_fields(m.choice))
            else:
                place = Place(id=next_id("p"), name=m.text, confidence=0.0, reason=m.reason)
            if m.runner_up is not None:
                place.runner_up = _candidate(m.runner_up, m.runner_conf)
            by_key[key] = place
            places.append(place)
        else:
            place.confidence = round(max(place.confidence, m.confidence), 3)
            if len(m.text) > len(place.name):
                place.name = m.text
        place.mentions.append(_span(text, m.start, m.end))
        of_mention[idx] = place.id

    place_by_id = {p.id: p for p in places}

    def mention_at(start: int, end: int) -> Optional[int]:
        for idx, m in enumerate(mentions):
            if m.start < end and start < m.end:
                return idx
        return None

    fac_places: dict[str, Place] = {}
    for f in facilities:
        # a phrase the gazetteer knows as a feature was resolved as a mention already
        idx_self = mention_at(f.start, f.end)
        if idx_self is not None and mentions[idx_self].choice is not None and \
                mentions[idx_self].choice.feature == "facility":
            continue
        known = [c for c in get_gazetteer().lookup(f.text, loose=False) if c.feature == "facility"]
        if known and f.key not in fac_places:
            place = Place(id=next_id("p"), name=f.text, confidence=0.9, reason="a facility the gazetteer lists",
                          **_place_fields(known[0]))
            fac_places[f.key] = place
            places.append(place)
        if f.key in fac_places and fac_places[f.key].reason == "a facility the gazetteer lists":
            fac_places[f.key].mentions.append(_span(text, f.start, f.end))
            continue
        within_idx, how = None, None
        if f.owner and f.owner.lower() not in ("the city", "the town", "the village"):
            ostart = text.rfind(f.owner, 0, f.start)
            within_idx = mention_at(ostart, ostart + len(f.owner)) if ostart >= 0 else None
            how = f"'{f.owner}'s'"
        if within_idx is None:
            i = mention_at(*f.name_span)
            if i is not None and mentions[i].choice is not None and mentions[i].choice.feature == "city":
                within_idx, how = i, "named after the place"
        if within_idx is None and f.owner:
            kind = f.owner.lower().split()[-1]
            prev = [i for i, m in enumerate(mentions) if m.end <= f.start and m.choice is not None
                    and m.choice.feature == "city" and not m.metonym]
            if prev:
                within_idx, how = prev[-1], f"'{f.owner}'s': the {kind} named last"
        if within_idx is None and f.after:
            i = mention_at(*f.after)
            if i is not None and mentions[i].choice is not None:
                within_idx, how = i, "'in' the place named after it"
        if within_idx is None:
            prev = [i for i, m in enumerate(mentions) if m.end <= f.start and m.sent == f.sent
                    and m.choice is not None and m.choice.feature == "city" and not m.metonym]
            if prev:
                within_idx, how = prev[-1], "the city named before it in the sentence"
        name = f.text
        place = fac_places.get(f.key)
        if place is None:
            place = Place(id=next_id("p"), name=name, feature="facility")
            if within_idx is not None:
                host = place_by_id[of_mention[within_idx]]
                place.within = host.id
                place.lat, place.lon = host.lat, host.lon
                place.country, place.admin1 = host.country, host.admin1
                place.confidence = round(0.8 * (host.confidence or 0.0), 3)
                place.reason = f"inside {host.name} ({how})"
            else:
                place.reason = "facility: no place in the text locates it"
            fac_places[f.key] = place
            places.append(place)
        elif len(name) > len(place.name):
            place.name = name
        place.mentions.append(_span(text, f.start, f.end))
    return places, of_mention


def annotate(document: Document) -> None:
    """Fill `document.report.places` (see the package docstring)."""
    gaz = get_gazetteer()
    mentions, facilities = recognize(document.doc, gaz)
    resolve(mentions, gaz, document.doc)
    places, of_mention = places_from(document.text, mentions, facilities, document.next_id)
    document.report.places = places
    document.notes["geo"] = {
        "mentions": [(m.start, m.end, of_mention.get(i)) for i, m in enumerate(mentions)],
        "metonyms": [p.id for p in places if p.metonym],
    }


def geocode(text: str) -> list[Place]:
    """The places of a text (runs spaCy and the geoparser only)."""
    from eventwire.nlp import get_nlp
    from eventwire.pipeline import check_text

    text = check_text(text)
    document = Document.create(text, get_nlp()(text))
    annotate(document)
    return document.report.places


def resolve_spans(text: str, spans: Iterable[tuple[int, int]], doc=None) -> list[Optional[Entry]]:
    """Resolve given toponym spans (for evaluation with gold toponyms): the chosen entry per span.

    Cues, containers and the article's other places are used as in `annotate`; recognition is
    replaced by the given spans."""
    from eventwire.geo.parse import _read_cues

    spans = list(spans)
    gaz = get_gazetteer()
    order = sorted(range(len(spans)), key=lambda i: spans[i])
    mentions = [Mention(start=spans[i][0], end=spans[i][1], text=text[spans[i][0]:spans[i][1]],
                        key=fold(text[spans[i][0]:spans[i][1]])) for i in order]
    if doc is not None:
        _read_cues(doc, mentions)
    resolve(mentions, gaz, doc)
    out: list[Optional[Entry]] = [None] * len(spans)
    for pos, i in enumerate(order):
        out[i] = mentions[pos].choice
    return out
