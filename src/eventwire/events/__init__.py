"""PLOVER event coding (issue 5).

For every sentence, `detect.find_predicates` finds event predicates (verbs and event nouns from the
lexicon `data/plover_predicates.json`) and codes their PLOVER type, mode and status. `roles` adds
actor and recipient (mapped to entities), location (clause, then sentence, then the article's
focus; metonymic places never), date (clause, utterance, publication), source (the quote or
reported clause holding the event) and quantities.

Mentions of one incident become one event, with the other sentences as `also_evidence`:
- mentions of one type in one sentence join, unless they name different places or days;
- an anaphoric event noun ("the battle", "Monday's attack", "Pushilin's request") joins the incident
  of its type told for that day, else the one the article has said most about;
- attacks, protests and coercion told at the same place (a plant counts as its town) join, unless
  the mention is a bare plural ("stepped up raids"): a campaign, not the incident.
The event takes its evidence from the fullest mention and its place from the mention closest to
it (clause, then an anaphor, then the sentence, then the focus).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from eventwire.document import Document
from eventwire.events import roles
from eventwire.events.detect import Predicate, find_predicates, main_event
from eventwire.events.lexicon import Lexicon, load
from eventwire.schema import DateRef, Event, Evidence, LocationRef, Participant, Quantity, SpeakerRef

__all__ = ["annotate", "find_predicates", "main_event", "load"]

STATUS_GROUP = {"happened": "real", "ongoing": "real", "claimed": "real", "alleged": "alleged",
                "planned": "planned", "hypothetical": "hypothetical", "denied": "denied"}
MERGE_BY_PLACE = {"ASSAULT", "PROTEST", "COERCE"}
FIRM_HOWS = ("clause", "anaphor")
HOW_RANK = {"clause": 0, "anaphor": 1, "sentence": 2, "focus": 3}
STATUS_RANK = {"ongoing": 0, "happened": 1, "claimed": 2, "alleged": 3, "planned": 4, "denied": 5, "hypothetical": 6}


@dataclass
class Mention:
    pred: Predicate
    actors: list[Participant]
    recipients: list[Participant]
    location: Optional[LocationRef]
    locations: list[LocationRef]
    how: Optional[str]
    date: Optional[DateRef]
    source: Optional[SpeakerRef]
    quote_id: Optional[str]
    quantities: list[Quantity]
    sentence: tuple[int, int]
    area: frozenset[str] = frozenset()  # the place and the place holding it (a plant's town)

    @property
    def anaphoric(self) -> bool:
        tok = self.pred.token
        if tok.pos_ not in ("NOUN", "PROPN"):
            return False
        return any((c.dep_ == "det" and c.lower_ in ("the", "this", "that", "these", "those")) or c.dep_ == "poss"
                   for c in tok.children)

    @property
    def generic(self) -> bool:
        """A bare plural ('stepped up raids'): a kind of event or a campaign, not one incident."""
        tok = self.pred.token
        return tok.pos_ == "NOUN" and tok.tag_ == "NNS" and not any(
            c.dep_ in ("det", "poss", "nummod") for c in tok.children)

    @property
    def weight(self) -> tuple:
        tok = self.pred.token
        # 'the airstrike killed 12': an event noun heading its verb's clause counts as that verb
        clausal = tok.pos_ == "VERB" or (tok.dep_ in ("nsubj", "nsubjpass") and tok.head.pos_ == "VERB")
        depth = self.pred.depth - (1 if tok.pos_ != "VERB" and clausal else 0)
        roles = len(self.actors) + len(self.recipients)
        return (clausal, roles > 0, -depth, roles)


@dataclass
class Incident:
    members: list[Mention] = field(default_factory=list)

    @property
    def type(self) -> str:
        return self.members[0].pred.type

    @property
    def group(self) -> str:
        return STATUS_GROUP[self.members[0].pred.status]

    def firm_area(self) -> set[str]:
        return {p for m in self.members if m.how in FIRM_HOWS for p in m.area}

    def told_dates(self) -> set[tuple[str, str]]:
        return {d for d in (_told_date(m) for m in self.members) if d}

    def countries(self) -> set[str]:
        return {p.country for m in self.members for p in m.actors if p.country}


def _told_date(m: Mention) -> Optional[tuple[str, str]]:
    """(value, precision) of the date the text gives for the mention itself (not the publication date)."""
    if m.date is None or not m.date.text or not m.date.value:
        return None
    return m.date.value, m.date.precision or "day"


PRECISION_CHARS = {"year": 4, "month": 7}


def _same_time(a: tuple[str, str], b: tuple[str, str]) -> bool:
    """Whether two told dates can name the same time, at the coarser of their precisions."""
    n = min(PRECISION_CHARS.get(a[1], 10), PRECISION_CHARS.get(b[1], 10))
    return a[0][:n] == b[0][:n]


def _conflicts(inc: Incident, m: Mention) -> bool:
    """Another place, or another day, told both for the incident and for the mention."""
    if m.how in FIRM_HOWS and m.area and inc.firm_area() and not (m.area & inc.firm_area()):
        return True
    told = _told_date(m)
    return bool(told and inc.told_dates() and not any(_same_time(told, d) for d in inc.told_dates()))


def _compatible(inc: Incident, m: Mention) -> bool:
    if inc.type != m.pred.type:
        return False
    group = STATUS_GROUP[m.pred.status]
    firm = m.how in FIRM_HOWS
    if _conflicts(inc, m):
        return False
    if m.anaphoric and group != "hypothetical" and inc.group != "hypothetical":
        return True
    if group != inc.group:
        return False
    countries = {p.country for p in m.actors if p.country}
    if countries and inc.countries() and not (countries & inc.countries()) and not m.pred.entry.two_sided:
        return False
    if m.sentence == inc.members[-1].sentence:
        # 'police fired at protesters who stormed parliament': two acts when their doers differ in kind
        return not _other_doers(inc, m)
    # the same fighting told in several sentences: one incident per place
    if m.pred.type not in MERGE_BY_PLACE or m.generic:
        return False
    return bool(m.area & inc.firm_area()) and firm


def _other_doers(inc: Incident, m: Mention) -> bool:
    """Both name their doers, and no doer of one is of the other's country and sector."""
    if m.pred.entry.two_sided or any(x.pred.entry.two_sided for x in inc.members):
        return False
    mine = {(p.country, p.sector) for p in m.actors if p.country or p.sector}
    theirs = {(p.country, p.sector) for x in inc.members for p in x.actors if p.country or p.sector}
    if not mine or not theirs:
        return False
    sectors = {s for _, s in theirs if s}
    countries = {c for c, _ in theirs if c}
    return not any((c in countries) or (s in sectors) for c, s in mine)


def _join_incidents(incidents: list[Incident]) -> list[Incident]:
    """Join an incident into an earlier one when any of its mentions fits it: a sentence's first
    mention may say nothing of the place ('repelled an assault near the station') that a later
    mention of the same sentence ties to an earlier incident."""
    out: list[Incident] = []
    for inc in incidents:
        # an incident told in its own words is joined by those words: a later 'the strike' referring
        # back to it must not carry it into an earlier incident
        deciding = [m for m in inc.members if not m.anaphoric] or inc.members
        target = next((e for e in reversed(out) if any(_compatible(e, m) for m in deciding)
                       and not any(_conflicts(e, m) for m in inc.members)), None)
        if target is None:
            out.append(inc)
        else:
            target.members.extend(inc.members)
    return out


def _merge_participants(lists: list[list[Participant]]) -> list[Participant]:
    """The first list whole, then from the others those that name someone ('the enemy' adds nothing)."""
    out, seen = [], set()
    for n, parts in enumerate(lists):
        for p in parts:
            key = p.entity if p.entity else p.text.lower()
            if key in seen:
                continue
            if n > 0 and out and p.entity is None and p.country is None and p.sector is None:
                continue
            if p.entity is None and any(q.entity and q.text.lower() == p.text.lower() for q in out):
                continue
            seen.add(key)
            out.append(p)
    return out


def _area(loc: Optional[LocationRef], places: dict) -> frozenset[str]:
    if loc is None or not loc.place:
        return frozenset()
    place = places.get(loc.place)
    return frozenset({loc.place} | ({place.within} if place is not None and place.within else set()))


def _mentions(document: Document, lex: Lexicon) -> list[Mention]:
    places = {p.id: p for p in document.report.places}
    out = []
    for sent in document.doc.sents:
        preds = find_predicates(sent, lex)
        heads = {p.token.i for p in preds}
        for pred in preds:
            actors, recipients, used = roles.participants(pred, document)
            others = heads - {pred.token.i}
            loc, locs, how = roles.location(pred, document, used, others, lex)
            clause = roles._clause_tokens(pred, others, lex)
            date = roles.event_date(pred, document, clause, lex, frozenset(others))
            src, qid = roles.source(pred, document, lex)
            qty = roles.quantities(document, clause)
            out.append(Mention(pred, actors, recipients, loc, locs, how, date, src, qid, qty,
                               _paragraph_part(document.text, sent.start_char, sent.end_char, pred.token.idx),
                               _area(loc, places)))
    return out


def _paragraph_part(text: str, start: int, end: int, at: int) -> tuple[int, int]:
    """The part of a sentence holding offset `at` that lies in one paragraph: evidence never runs
    across a blank line, even where the sentence splitter joined two paragraphs."""
    cut = text.rfind("\n\n", start, at)
    if cut >= 0:
        start = cut + 2
    cut = text.find("\n\n", at, end)
    if cut >= 0:
        end = cut
    while start < at and text[start].isspace():
        start += 1
    return start, end


def _evidence(document: Document, span: tuple[int, int]) -> Evidence:
    start, end = span
    text = document.text[start:end]
    stripped = text.rstrip()
    return Evidence(start=start, end=start + len(stripped), text=stripped)


def annotate(document: Document) -> None:
    """Fill `document.report.events` and the `events` back-links of the quotes."""
    lex = load()
    incidents: list[Incident] = []
    for m in _mentions(document, lex):
        fitting = [inc for inc in reversed(incidents) if _compatible(inc, m)]
        if m.anaphoric:  # 'the attack' refers to the incident the article has said most about
            fitting.sort(key=lambda inc: -len(inc.members))
        # "Monday's attack" joins the incident told for Monday, not merely the latest attack
        target = next((inc for inc in fitting if _told_date(m) and any(
            _same_time(_told_date(m), d) for d in inc.told_dates())),
                      fitting[0] if fitting else None)
        if target is None:
            incidents.append(Incident([m]))
        else:
            target.members.append(m)
    incidents = _join_incidents(incidents)
    quotes = {q.id: q for q in document.report.quotes}
    events = []
    for inc in incidents:
        best = max(inc.members, key=lambda m: m.weight)
        pred = best.pred
        status = min((m.pred.status for m in inc.members if STATUS_GROUP[m.pred.status] == STATUS_GROUP[pred.status]),
                     key=lambda s: STATUS_RANK[s])
        # the place told closest to the event: its clause, an anaphor, the sentence, the focus
        placed = [m for m in inc.members if m.location is not None]
        where = min(placed, key=lambda m: (HOW_RANK.get(m.how, 9), m is not best), default=None)
        location, locations = (where.location, where.locations) if where is not None else (None, [])
        source = best.source or next((m.source for m in inc.members if m.source is not None), None)
        quantities = []
        for m in inc.members:
            for q in m.quantities:
                if all((q.kind, q.value) != (x.kind, x.value) for x in quantities):
                    quantities.append(q)
        also = []
        for m in sorted(inc.members, key=lambda m: m.sentence):
            if m.sentence != best.sentence and all(e.start != m.sentence[0] for e in also):
                also.append(_evidence(document, m.sentence))
        confidence = 0.8 if pred.token.pos_ == "VERB" else 0.65
        if len(inc.members) > 1:
            confidence = min(0.95, confidence + 0.1)
        event = Event(
            id=document.next_id("ev"),
            type=pred.type,
            mode=pred.mode,
            actor=_merge_participants([best.actors] + [m.actors for m in inc.members]),
            recipient=_merge_participants([best.recipients] + [m.recipients for m in inc.members]),
            location=location,
            locations=locations,
            date=best.date,
            status=status,
            quantities=quantities,
            source=source,
            evidence=_evidence(document, best.sentence),
            also_evidence=also,
            trigger=pred.token.text,
            confidence=confidence,
        )
        # an actor cannot also be the recipient of its own event
        actor_keys = {p.entity or p.text.lower() for p in event.actor}
        event.recipient = [p for p in event.recipient if (p.entity or p.text.lower()) not in actor_keys]
        events.append(event)
        # every quote holding one of the incident's mentions (nested quotes included) lists the event
        for m in inc.members:
            at = m.pred.token.idx
            for q in quotes.values():
                if (q.id == m.quote_id or q.start <= at < q.end) and event.id not in q.events:
                    q.events.append(event.id)
    document.report.events = events
