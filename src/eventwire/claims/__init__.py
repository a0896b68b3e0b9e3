"""Quotes, reported speech, speakers and quantities (issue: who said it).

`annotate(document)` runs after dates, places and entities and before events. It fills
`report.quotes` (direct quotes and reported clauses with speaker, cue, medium, date, the
quantities and places inside) and `report.claims` (every new figure, with the place it is about
and who states it). For the events stage it leaves `document.notes["claims"]`:

    quote_at(start, end)   the innermost quote or reported clause holding the span, or None
    cues                   quote id -> token index of its speech verb (None when inherited)

Module `quote_at(document, start, end)` does the same lookup for any document.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Optional

from spacy.tokens import Token

from eventwire.claims import direct, reported
from eventwire.claims.figures import build_claims
from eventwire.claims.lexicon import ClaimsLexicon, lexicon
from eventwire.claims.quantities import find_quantities
from eventwire.claims.speakers import SPEAKING, Speaker, date_of, make_speaker, medium_of, subject_of
from eventwire.document import Document
from eventwire.schema import Quote, SpeakerRef

__all__ = ["annotate", "find_quantities", "quote_at"]

AGENT_SUFFIXES = ("er", "or", "ist", "ian", "ant", "ent", "man", "woman", "person")
CONTINUATION_SENTENCES = 2
PRONOUN_WINDOW_SENTENCES = 4


@dataclass
class _Found:
    kind: str
    start: int
    end: int
    cue: Optional[Token]
    cue_text: Optional[str]
    speaker_tok: Optional[Token]
    inherit: Optional["_Found"] = None  # the quote or clause this quote continues
    speaker: Optional[Speaker] = None


def annotate(document: Document) -> None:
    """Fill `report.quotes` and `report.claims`; leave `notes["claims"]` for the events stage."""
    lex = lexicon()
    pairs = direct.pair_quotes(document.doc)
    indirect = _reported(document, lex)
    found = _direct_quotes(document, pairs, indirect, lex) + indirect
    # reported clauses that are a direct quote already (`"A," X said`) are dropped
    directs = [f for f in found if f.kind == "direct"]
    kept = [f for f in found if f.kind == "direct" or not _inside_direct(f, directs)]
    kept.sort(key=lambda f: (f.start, -f.end))
    _resolve_speakers(document, kept, lex)
    _first_person_in_quotes(kept)
    quotes: list[Quote] = []
    cues: dict[str, Optional[int]] = {}
    for f in kept:
        if f.speaker is None and f.kind == "indirect":
            continue
        qid = document.next_id("q")
        medium = date = None
        if f.cue is not None:
            medium, date = _medium_and_date(document, f, lex)
        quotes.append(
            Quote(
                id=qid,
                kind=f.kind,
                start=f.start,
                end=f.end,
                text=document.text[f.start:f.end],
                speaker=f.speaker.ref() if f.speaker else SpeakerRef(),
                cue=f.cue_text,
                medium=medium,
                date=date,
                quantities=find_quantities(document, f.start, f.end),
                places=_places_inside(document, f.start, f.end),
            )
        )
        cues[qid] = f.cue.i if f.cue is not None else None
    document.report.quotes = quotes
    document.report.claims = build_claims(document)
    document.notes["claims"] = {"quote_at": partial(quote_at, document), "cues": cues}


def quote_at(document: Document, start: int, end: Optional[int] = None) -> Optional[Quote]:
    """The innermost quote or reported clause containing the characters [start, end)."""
    end = start + 1 if end is None else end
    best = None
    for q in document.report.quotes:
        if q.start <= start and end <= q.end and (best is None or q.end - q.start < best.end - best.start):
            best = q
    return best


# -- direct quotes ----------------------------------------------------------------------------

def _direct_quotes(document: Document, pairs: list[direct.QuotePair], indirect: list[_Found],
                   lex: ClaimsLexicon) -> list[_Found]:
    doc = document.doc
    out: list[_Found] = []
    for pair in pairs:
        full = direct.is_full(doc, pair)
        cue = direct.governing_cue(doc, pair, lex, full)
        if not full:
            naming = direct.naming_governor(doc, pair, lex)
            if naming is not None:
                cue = naming
            elif cue is None or direct.is_term(doc, pair):
                continue  # a scare quote or a name in quotation marks
        elif cue is None:
            cue = direct.sentence_cue(doc, pair, lex)
        speaker = subject_of(cue) if cue is not None else None
        if speaker is not None:
            out.append(_Found("direct", pair.start, pair.end, cue, cue.text, speaker))
            continue
        # the quote or reported clause just before (`The mayor said A. "B."`)
        before = [f for f in out + [r for r in indirect if _container(r, out) is None]
                  if f.end <= pair.start and (f.speaker_tok is not None or f.inherit)]
        previous = max(before, key=lambda f: f.end, default=None)
        if previous is not None and _sentences_between(document, previous.end, pair.start) <= CONTINUATION_SENTENCES:
            # a quote with no speaker of its own continues the one before it
            out.append(_Found("direct", pair.start, pair.end, cue, cue.text if cue is not None else None, None,
                              inherit=previous))
        elif cue is not None and full:
            out.append(_Found("direct", pair.start, pair.end, cue, cue.text, None))  # speaker unknown
    return out


def _sentences_between(document: Document, a: int, b: int) -> int:
    return document.sentence_index(b) - document.sentence_index(a)


# -- reported speech --------------------------------------------------------------------------

def _reported(document: Document, lex: ClaimsLexicon) -> list[_Found]:
    found = [
        _Found("indirect", r.start, r.end, r.cue, r.cue_text, r.speaker)
        for r in reported.find_reported(document.doc, lex)
    ]
    # '... said A. <broken> but that B': B continues the reported clause just before it
    for start, end in reported.orphan_that_clauses(document.doc, lex):
        before = [f for f in found if f.end <= start and f.speaker_tok is not None]
        previous = max(before, key=lambda f: f.end, default=None)
        if previous is not None and _sentences_between(document, previous.end, start) <= 1:
            found.append(_Found("indirect", start, end, previous.cue, previous.cue_text, None, inherit=previous))
    return found


def _container(f: _Found, directs: list[_Found]) -> Optional[_Found]:
    """The direct quote holding most of a reported clause, if any."""
    length = max(1, f.end - f.start)
    return next((d for d in directs if min(f.end, d.end) - max(f.start, d.start) >= 0.5 * length), None)


def _inside_direct(f: _Found, directs: list[_Found]) -> bool:
    """A reported clause that lies mostly inside a direct quote; the quote takes its speech verb
    when it has none and the verb is outside it."""
    d = _container(f, directs)
    if d is None:
        return False
    if d.cue is None and f.cue is not None and not (d.start <= f.cue.idx < d.end):
        d.cue, d.cue_text, d.speaker_tok, d.inherit = f.cue, f.cue_text, f.speaker_tok, None
    return True


# -- speakers ---------------------------------------------------------------------------------

def _resolve_speakers(document: Document, found: list[_Found], lex: ClaimsLexicon) -> None:
    """Speakers in text order: names as they are, pronouns to the most recent compatible one."""
    doc = document.doc
    quoted = set()
    for f in found:
        if f.kind == "direct":
            span = doc.char_span(f.start, f.end, alignment_mode="expand")
            if span is not None:
                quoted.update(range(span.start, span.end))
    resolved: dict[int, Speaker] = {}
    for f in sorted(found, key=lambda f: f.speaker_tok.i if f.speaker_tok is not None else -1):
        if f.speaker_tok is not None:
            f.speaker = _speaker_for(document, f.speaker_tok, lex, quoted, resolved)
    for f in sorted(found, key=lambda f: f.start):  # continuations after what they continue
        if f.inherit is not None:
            f.speaker = f.inherit.speaker


def _first_person_in_quotes(found: list[_Found]) -> None:
    """`"... I told them we would stay," the mayor said`: a first-person speaker inside a quote or
    a reported clause is the speaker of that quote; anywhere else (the writer's voice, quotation
    marks that are no quote) the clause has no speaker and is dropped."""
    directs = [f for f in found if f.kind == "direct"]
    for f in found:
        if f.kind != "indirect" or f.speaker is None or f.speaker.pronoun != "self" or f.cue is None:
            continue
        where = f.cue.idx
        enclosing = next((d for d in directs if d.start <= where < d.end), None)
        if enclosing is None:  # 'He said I don't know ...': speech reported without marks
            enclosing = next((r for r in found if r.kind == "indirect" and r is not f and r.start <= where < r.end
                              and r.speaker is not None and r.speaker.pronoun != "self"), None)
        # inside marks that are no quote, or in the writer's own voice, nobody else is speaking
        f.speaker = enclosing.speaker if enclosing is not None else None


def _speaker_for(document: Document, tok: Token, lex: ClaimsLexicon, quoted: set[int],
                 resolved: dict[int, Speaker]) -> Optional[Speaker]:
    if tok.i in resolved:
        return resolved[tok.i]
    speaker = make_speaker(document, tok, lex)
    if speaker.pronoun in ("person", "plural", "thing"):
        antecedent = _antecedent(document, tok, speaker.pronoun, lex, quoted, resolved)
        if antecedent is not None:
            speaker = antecedent
    resolved[tok.i] = speaker
    return speaker


def _antecedent(document: Document, pronoun: Token, cls: str, lex: ClaimsLexicon, quoted: set[int],
                resolved: dict[int, Speaker]) -> Optional[Speaker]:
    """The most recent subject before the pronoun that fits it (person for he/she, ...); for
    he/she, failing a known person, the most recent singular speaker not known to be a thing."""
    doc = document.doc
    outer = _outer_speaker(pronoun, lex)
    if outer is not None and outer.i not in quoted:
        candidate = resolved.get(outer.i) or make_speaker(document, outer, lex)
        if candidate.pronoun is None and not candidate.plural and cls == "person" and \
                not _known_non_person(document, candidate):
            return candidate  # 'One expert said he doubted ...': he is the expert
    sent_index = document.sentence_index(pronoun.idx)
    floor_sent = max(0, sent_index - PRONOUN_WINDOW_SENTENCES)
    floor = document.report.sentences[floor_sent].start
    fallback: Optional[Speaker] = None
    i = pronoun.i - 1
    while i >= 0 and doc[i].idx >= floor:
        tok = doc[i]
        i -= 1
        if tok.i in resolved:
            candidate = resolved[tok.i]
        elif tok.i in quoted or tok.dep_ not in ("nsubj", "nsubjpass"):
            continue
        elif tok.pos_ in ("PROPN", "NOUN"):
            candidate = make_speaker(document, tok, lex)
        else:
            continue
        if candidate.pronoun is not None:
            continue
        if candidate.fits(cls):
            return candidate
        if cls == "person" and fallback is None and tok.i in resolved and not candidate.plural and \
                _agent_noun(tok) and not _known_non_person(document, candidate):
            fallback = candidate  # 'the reviewer said. He added: ...'
    return fallback


def _outer_speaker(pronoun: Token, lex: ClaimsLexicon) -> Optional[Token]:
    """The subject of the speech verb whose reported clause the pronoun's verb belongs to."""
    verb = pronoun.head
    for _ in range(3):
        if verb.dep_ != "ccomp" or verb.head.i == verb.i:
            verb = verb.head if verb.dep_ in ("xcomp", "conj") and verb.head.i != verb.i else None
            if verb is None:
                return None
            continue
        cue = verb.head
        if cue.pos_ == "VERB" and lex.is_cue(cue.lemma_.lower()):
            return subject_of(cue)
        verb = cue
    return None


def _agent_noun(tok: Token) -> bool:
    """A name, or a noun that names a doer ('reviewer', 'commentator', 'economist')."""
    if tok.pos_ == "PROPN":
        return True
    return tok.pos_ == "NOUN" and tok.tag_ == "NN" and tok.lower_.endswith(AGENT_SUFFIXES)


def _known_non_person(document: Document, speaker: Speaker) -> bool:
    if speaker.entity is None:
        return False
    entity = next((e for e in document.report.entities if e.id == speaker.entity), None)
    return entity is not None and entity.kind != "person"


def _medium_and_date(document: Document, f: _Found, lex: ClaimsLexicon) -> tuple[Optional[str], Optional[str]]:
    """Medium and date of the cue verb, else of the speech verb it continues ('told TV, adding')."""
    medium = date = None
    verb: Optional[Token] = f.cue
    for _ in range(2):
        if verb is None:
            break
        medium = medium or medium_of(verb, lex)
        date = date or date_of(document, verb, (f.start, f.end))
        head = verb.head
        if verb.dep_ not in ("advcl", "conj") or head.i == verb.i or not lex.is_cue(head.lemma_.lower()):
            break
        if _token_index(subject_of(verb)) != _token_index(subject_of(head)):
            break  # a second speaker: 'X said ..., while Y said ...'
        verb = head
    if medium is None and f.speaker_tok is not None:
        # '..., said the minister, speaking at a briefing'
        for child in f.speaker_tok.children:
            if child.dep_ in ("acl", "relcl", "advcl") and child.lemma_.lower() in SPEAKING:
                medium = medium_of(child, lex)
                break
    return medium, date


def _token_index(tok: Optional[Token]) -> Optional[int]:
    return tok.i if tok is not None else None


def _places_inside(document: Document, start: int, end: int) -> list[str]:
    ids: list[str] = []
    for place in document.report.places:
        if any(start <= m.start and m.end <= end for m in place.mentions) and place.id not in ids:
            ids.append(place.id)
    return ids
