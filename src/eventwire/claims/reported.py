"""Reported speech from the dependency parse.

A speech or cognition verb of the lexicon with a subject reports the clause it governs:

- `X said (that) ...`, `X told Ukrainian television ...`: its clausal complement (`ccomp`);
- `X urged Y to ...`, `X called on Y to ...`: the infinitive complement (`xcomp`) for the verbs
  listed under `xcomp_content`;
- `X accused Y of ...`, `X warned of ...`, `pointing to ...`: the object of the prepositions
  listed under `prepositional` (verbs under `needs_preposition` report nothing without one);
- `according to X, ...` (before or after the clause) and the parenthetical `..., X said, ...`:
  the clause the phrase hangs from, without the phrase when it stands at an end;
- `Interfax quoted X as saying ...`: X is the speaker (see `speakers.subject_of`).

A reported clause never leaves the paragraph of its speech verb, and a wire dateline
(`KYIV, March 3 (Reuters) -`) is not part of it.

The content span is the reported clause, not the sentence: a leading `that`/`whether` is
dropped, and a trailing `, although ...` / `, as ...` clause or `, a figure that could not be
verified` (the writer's voice) is cut off.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Optional

from spacy.tokens import Doc, Token

from eventwire.claims.lexicon import ClaimsLexicon
from eventwire.claims.speakers import owner_of_medium, subject_of

LEADING_MARKS = {"that", "whether", "if"}
WRITER_CLAUSES = {"although", "though", "whereas", "while", "as"}
DATELINE_DASHES = {"-", "--", "—", "–"}
QUOTE_CHARS = "\"“”«»„'’‘"


@dataclass
class Reported:
    cue: Token
    cue_text: str
    speaker: Optional[Token]
    start: int
    end: int
    first: int  # token index range of the content
    last: int


def _trim(doc: Doc, first: int, last: int, head: Token, lex: ClaimsLexicon) -> Optional[tuple[int, int]]:
    """Token range of a reported clause without leading marks and trailing writer's clauses
    (`, although ...`, `, a figure that could not be verified`)."""
    while first <= last and (doc[first].lower_ in LEADING_MARKS and doc[first].dep_ == "mark" or doc[first].is_punct
                             and doc[first].text not in QUOTE_CHARS or doc[first].is_space):
        first += 1
    for i in range(max(first, head.i + 1), last):
        tok = doc[i]
        nxt = doc[i + 1]
        if tok.text == "," and nxt.lower_ in WRITER_CLAUSES and nxt.dep_ in ("mark", "prep", "advmod", "cc"):
            last = i - 1
            break
        if tok.text == "," and nxt.pos_ == "DET" and nxt.head.dep_ == "appos" and \
                nxt.head.lemma_.lower() in lex.writer_appositives:
            last = i - 1
            break
    while last >= first and (doc[last].is_punct and doc[last].text not in QUOTE_CHARS or doc[last].is_space):
        last -= 1
    # an opening quotation mark inside takes its closing one after the clause's final stop
    marks = sum(1 for t in doc[first:last + 1] if t.text in QUOTE_CHARS)
    if marks % 2 == 1 and doc[last].text not in QUOTE_CHARS:
        k = last + 1
        while k < len(doc) and k <= last + 2 and doc[k].is_punct and doc[k].text not in QUOTE_CHARS:
            k += 1
        if k < len(doc) and doc[k].text in QUOTE_CHARS:
            return first, k
    # a closing quotation mark whose opening one is outside the clause belongs to the sentence
    if last >= first and doc[last].text in QUOTE_CHARS:
        opened = sum(1 for t in doc[first:last] if t.text in QUOTE_CHARS)
        if opened % 2 == 0:
            last -= 1
            while last >= first and doc[last].is_punct and doc[last].text not in QUOTE_CHARS:
                last -= 1
    if last < first:
        return None
    return first, last


def _coordinated_cue(tok: Token, lex: ClaimsLexicon) -> Optional[Token]:
    """For a subjectless speech verb the parse hung inside another's clause (`X warned that A
    and urged Y to ...`: `urged` conjoined to A's verb), the speech verb it really joins."""
    if tok.dep_ != "conj" or any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children):
        return None
    head = tok.head
    if head.dep_ == "ccomp" and head.head.pos_ == "VERB" and lex.is_cue(head.head.lemma_.lower()):
        return head.head
    return None


def _speaker(tok: Token, lex: ClaimsLexicon) -> Optional[Token]:
    outer = _coordinated_cue(tok, lex)
    if outer is not None:
        return _speaker(outer, lex)
    return subject_of(tok, inherit=tok.lemma_.lower() in lex.speech)


def _before_coordinated_cue(doc: Doc, head_i: int, last: int, lex: ClaimsLexicon) -> int:
    """End a reported clause before a speech verb coordinated with its own verb."""
    for i in range(head_i + 1, last + 1):
        if doc[i].pos_ == "VERB" and lex.is_cue(doc[i].lemma_.lower()) and _coordinated_cue(doc[i], lex):
            j = i - 1  # back over 'and', commas and the cue's own adverbs ('and again claimed')
            while j > head_i and (doc[j].pos_ == "CCONJ" or doc[j].is_punct or doc[j].head.i == i):
                j -= 1
            return j
    return last


def _content_heads(verb: Token, lex: ClaimsLexicon) -> tuple[list[Token], str]:
    """The heads of the reported content of a speech verb, and the cue text."""
    lemma = verb.lemma_.lower()
    preps = lex.prepositional.get(lemma, frozenset())
    used_prep: Optional[Token] = None
    heads: list[Token] = []
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ in preps:
            used_prep = child
            obj = [c for c in child.children if c.dep_ in ("pobj", "pcomp")]
            # 'called on the West to supply ...': the object is the addressee, the content follows
            if lemma in lex.xcomp_content and any(c.dep_ == "xcomp" for c in verb.children):
                continue
            heads.extend(obj)
    if lemma in lex.needs_preposition and used_prep is None:
        return [], verb.text
    heads.extend(c for c in verb.children if c.dep_ == "ccomp")
    if lemma in lex.xcomp_content:
        heads.extend(c for c in verb.children if c.dep_ == "xcomp")
    cue = verb.text if used_prep is None or lemma not in lex.needs_preposition else f"{verb.text} {used_prep.text}"
    return sorted(heads, key=lambda t: t.i), cue


def _according(tok: Token, lex: ClaimsLexicon) -> Optional[tuple[Token, Token, str]]:
    """(phrase head, source token, cue) for 'according to X' / 'citing X', else None."""
    doc = tok.doc
    for phrase in lex.according:
        if tok.i + len(phrase) > len(doc):
            continue
        if tuple(t.lower_ for t in doc[tok.i: tok.i + len(phrase)]) != phrase:
            continue
        last = doc[tok.i + len(phrase) - 1]
        source = next((c for c in last.children if c.dep_ in ("pobj", "dobj")), None)
        if source is None:
            source = next((c for c in tok.children if c.dep_ in ("pobj", "dobj")), None)
        if source is None:
            continue
        return tok, owner_of_medium(source), " ".join(t.text for t in doc[tok.i: tok.i + len(phrase)])
    return None


def _paragraphs(doc: Doc) -> list[tuple[int, int]]:
    """Token ranges [first, last] of the paragraphs (lines) of the document."""
    ranges, first = [], 0
    for tok in doc:
        if tok.is_space and "\n" in tok.text:
            if tok.i > first:
                ranges.append((first, tok.i - 1))
            first = tok.i + 1
    if first < len(doc):
        ranges.append((first, len(doc) - 1))
    return ranges


def _paragraph(paragraphs: list[tuple[int, int]], tok: Token) -> tuple[int, int]:
    """Token range [first, last] of the paragraph holding the token."""
    k = bisect.bisect_right([p[0] for p in paragraphs], tok.i) - 1
    return paragraphs[max(0, k)]


def _after_dateline(doc: Doc, first: int, last: int) -> int:
    """Skip a wire dateline at the start of a clause: `KYIV, March 3 (Reuters) - ...`."""
    window = doc[first: min(last, first + 12) + 1]
    for tok in window:
        if tok.text in DATELINE_DASHES and tok.i > first:
            head = doc[first]
            if head.text.isupper() and len(head.text) > 1 or doc[tok.i - 1].text == ")":
                return tok.i + 1
    return first


def in_dateline(tok: Token) -> bool:
    """Whether a token belongs to the wire dateline opening its sentence (`GOMA, July 2 (AFP) -`):
    the place there says where the report was filed; it neither acts nor names an event."""
    sent = tok.sent
    return tok.i < _after_dateline(tok.doc, sent.start, sent.end - 1)


def find_reported(doc: Doc, lex: ClaimsLexicon) -> list[Reported]:
    found: list[Reported] = []
    paragraphs = _paragraphs(doc)
    starters = {phrase[0] for phrase in lex.according}
    for tok in doc:
        if tok.pos_ == "VERB" and lex.is_cue(tok.lemma_.lower()):
            heads, cue = _content_heads(tok, lex)
            if not heads and tok.dep_ == "parataxis" and tok.head.pos_ in ("VERB", "AUX"):
                # 'Russian forces, the governor said, shelled the town': the clause around it
                found.extend(_around(doc, tok, tok, cue, subject_of(tok), paragraphs, lex))
                continue
            speaker = _speaker(tok, lex) if heads else None
            if speaker is None:
                continue  # impersonal ('is believed to'): nobody to attribute it to
            # a reported clause stays in the cue's paragraph and on one side of the speaker
            par_first, par_last = _paragraph(paragraphs, tok)
            heads = [h for h in heads if par_first <= h.i <= par_last
                     and not (h.left_edge.i <= speaker.i <= h.right_edge.i)]
            if not heads:
                continue
            heads = [h for h in heads if (h.i < speaker.i) == (heads[0].i < speaker.i)]
            first = max(par_first, min(h.left_edge.i for h in heads))
            last = min(par_last, max(h.right_edge.i for h in heads))
            last = _before_coordinated_cue(doc, heads[0].i, last, lex)
            first = _after_dateline(doc, first, last)
            if first <= speaker.i <= last:
                continue
            trimmed = _trim(doc, first, last, heads[0], lex)
            if trimmed is None:
                continue
            a, b = trimmed
            found.append(Reported(tok, cue, speaker, doc[a].idx, doc[b].idx + len(doc[b].text), a, b))
            continue
        according = _according(tok, lex) if tok.lower_ in starters else None
        if according is None:
            continue
        phrase, source, cue = according
        head = phrase.head
        if head.i == phrase.i or (head.pos_ == "VERB" and lex.is_cue(head.lemma_.lower())):
            continue  # 'X reported, citing Y, that ...': X's report, Y its source
        found.extend(_around(doc, phrase, tok, cue, source, paragraphs, lex))
    return found


def _around(doc: Doc, phrase: Token, cue_tok: Token, cue: str, source: Optional[Token],
            paragraphs: list[tuple[int, int]], lex: ClaimsLexicon) -> list[Reported]:
    """The clause a source phrase hangs from, without the phrase when it stands at either end
    ('According to X, ...', '..., according to X.', '..., the governor said, ...')."""
    head = phrase.head
    if source is None:
        return []
    par_first, par_last = _paragraph(paragraphs, cue_tok)
    first, last = max(par_first, head.left_edge.i), min(par_last, head.right_edge.i)
    first = _after_dateline(doc, first, last)
    if phrase.left_edge.i > head.i:
        last = min(last, phrase.left_edge.i - 1)
    elif phrase.right_edge.i < head.i and phrase.left_edge.i <= first:
        first = max(first, phrase.right_edge.i + 1)
    trimmed = _trim(doc, first, last, head, lex) if first <= last else None
    if trimmed is None:
        return []
    a, b = trimmed
    return [Reported(phrase, cue, source, doc[a].idx, doc[b].idx + len(doc[b].text), a, b)]


def orphan_that_clauses(doc: Doc, lex: ClaimsLexicon) -> list[tuple[int, int]]:
    """`..., but that the ministry considered ...` with no speech verb above it (a sentence broken
    in translation or scraping): (start, end) of the clause after `that`. The caller gives
    it the speaker of the reported clause just before."""
    out = []
    for tok in doc:
        if tok.lower_ != "that" or tok.dep_ != "mark" or tok.i == 0 or doc[tok.i - 1].pos_ != "CCONJ":
            continue
        head = tok.head
        if head.dep_ not in ("conj", "ROOT") or any(
                a.pos_ == "VERB" and lex.is_cue(a.lemma_.lower()) for a in head.ancestors):
            continue
        last = head.right_edge.i
        while last > tok.i and (doc[last].is_punct or doc[last].is_space):
            last -= 1
        if last > tok.i:
            out.append((doc[tok.i + 1].idx, doc[last].idx + len(doc[last].text)))
    return out
