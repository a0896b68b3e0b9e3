"""Claims: every new figure in the article, the place it is about and who states it.

A figure is a quantity (`claims.quantities`) that counts something named and is not a
back-reference (`the two republics`).
Its claim covers the sentence; its source is the speaker of the innermost quote or reported
clause holding it (None in the article's own voice, `Russia is believed to control ...`).

The place is the nearest place mentioned in the figure's clause (the subtree of the verb it
belongs to), preferring anything over a country unless the country is inside the figure's own
phrase (`20% of Ukraine`); a plant or base with no GeoNames id of its own stands for the town
it lies in. A definite `the city` / `the town` / `the plant` with no name stands for
the most recent place of that kind before it.
"""

from __future__ import annotations

import re
from typing import Optional

from spacy.tokens import Span as SpacySpan, Token

from eventwire.claims.lexicon import lexicon
from eventwire.claims.quantities import definite_reference, find_quantities
from eventwire.document import Document
from eventwire.schema import Claim, Quantity

GLUED_UNIT = re.compile(r"^[\d.,]+[^\W\d_]")
PEOPLE_KINDS = {"killed", "injured", "people", "civilians", "soldiers", "arrested", "abducted", "displaced",
                "captured", "missing", "prisoners", "hostages", "casualties"}
ANAPHORIC_NOUNS = {
    "city": ("city",), "town": ("city",), "village": ("city",), "settlement": ("city",),
    "plant": ("facility",), "factory": ("facility",), "base": ("facility",), "airport": ("facility",),
    "region": ("admin1", "region"), "province": ("admin1",), "oblast": ("admin1",),
    "country": ("country",),
}


def build_claims(document: Document) -> list[Claim]:
    from eventwire.claims import quote_at

    claims: list[Claim] = []
    for q in find_quantities(document, 0, len(document.text)):
        if not is_figure(q) or definite_reference(document, q):
            continue
        sent = document.report.sentences[document.sentence_index(q.start)]
        quote = quote_at(document, q.start, q.end)
        source = quote.speaker if quote is not None and (quote.speaker.text or quote.speaker.entity) else None
        claims.append(
            Claim(
                id=document.next_id("c"),
                start=sent.start,
                end=sent.end,
                text=document.text[sent.start:sent.end],
                quantity=q,
                place=claim_place(document, q),
                source=source,
            )
        )
    return claims


def is_figure(q: Quantity) -> bool:
    """A number worth a claim: it counts something named (`12 people`, `70%`, a casualty verb);
    a bare number (`scored 53`), a measure (`155mm`, `40 kilometres`) or a single thing (`one
    kidney`) is not."""
    if q.kind == "count" or q.kind in lexicon().measures or GLUED_UNIT.match(q.text):
        return False
    return q.value != 1 or q.kind in PEOPLE_KINDS


def _clause(tok: Token) -> Token:
    """The verb whose clause holds the token (the token itself if it is a verb)."""
    head = tok
    for _ in range(8):
        if head.pos_ in ("VERB", "AUX") or head.head.i == head.i:
            return head
        head = head.head
    return head


def _place_mentions(document: Document, start: int, end: int):
    for place in document.report.places:
        if place.metonym:
            continue
        for m in place.mentions:
            if start <= m.start and m.end <= end:
                yield place, m


def _anaphoric_place(document: Document, clause: SpacySpan, before: int) -> Optional[tuple[str, int]]:
    """(place id, offset) for 'the city' in the clause: the latest earlier place of that kind."""
    for tok in clause:
        features = ANAPHORIC_NOUNS.get(tok.lemma_.lower())
        if features is None or tok.pos_ != "NOUN":
            continue
        det = [c for c in tok.children if c.dep_ in ("det", "poss")]
        if not det or det[0].lower_ not in ("the", "this", "that"):
            continue
        if document.place_at(tok.idx, tok.idx + len(tok.text)) is not None:
            continue
        best, best_start = None, -1
        for place in document.report.places:
            if place.feature not in features or place.metonym:
                continue
            for m in place.mentions:
                if best_start < m.start < min(before, tok.idx):
                    best, best_start = place, m.start
        if best is not None:
            return best.id, tok.idx
    return None


def claim_place(document: Document, q: Quantity) -> Optional[str]:
    doc = document.doc
    span = doc.char_span(q.start, q.end, alignment_mode="expand")
    if span is None:
        return None
    root = span.root
    own = doc[min(root.left_edge.i, span.start): max(root.right_edge.i, span.end - 1) + 1]
    verb = _clause(root)
    # the figure's clause, widened to the clause above it ('struck Kharkiv, killing 11') but
    # never to the speech verb reporting it
    for _ in range(2):
        found = _nearest_place(document, q, verb, own)
        if found is not None:
            return found
        head = _clause(verb.head) if verb.head.i != verb.i else verb
        if head.i == verb.i or lexicon().is_cue(head.lemma_.lower()):
            break
        verb = head
    clause = doc[verb.left_edge.i: verb.right_edge.i + 1]
    found = _anaphoric_place(document, own, q.start) or _anaphoric_place(document, clause, q.start)
    return found[0] if found else None


def _area_of(doc, offset: int) -> bool:
    """A place mention that names an area ('of Ukraine', 'in Ukraine'), not an actor."""
    span = doc.char_span(offset, offset + 1, alignment_mode="expand")
    if span is None:
        return False
    head = span.root
    while head.dep_ == "compound" and head.head.i != head.i:
        head = head.head
    return head.head.lower_ in ("of", "in", "across", "throughout")


def _nearest_place(document: Document, q: Quantity, verb: Token, own: SpacySpan) -> Optional[str]:
    doc = document.doc
    clause = doc[verb.left_edge.i: verb.right_edge.i + 1]
    best, best_distance = None, None
    for place, m in _place_mentions(document, clause.start_char, clause.end_char):
        inside_own = own.start_char <= m.start and m.end <= own.end_char
        if place.feature == "country" and not (inside_own and _area_of(doc, m.start)):
            continue  # 'drones launched by Russia' is no place; '20% of Ukraine' is
        distance = 0 if inside_own else min(abs(m.start - q.end), abs(q.start - m.end))
        if best_distance is None or distance < best_distance:
            best, best_distance = _settlement(document, place), distance
    return best


def _settlement(document: Document, place) -> str:
    """A facility known only by the town it lies in stands for that town."""
    if place.feature == "facility" and place.geonameid is None and place.within:
        return place.within
    return place.id
