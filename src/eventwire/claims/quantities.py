"""Numbers in news text, with what they count.

    find_quantities(document, start, end) -> list[Quantity]

Finds numbers written as digits (`500`, `1,200`, `2.5 million`) or words (`two`, `twenty-five`,
`a dozen`), vague plurals (`dozens of`, `hundreds of`, `tens of thousands of`), percentages
(`70%`, `70 percent`) and ratios (`tenfold`, `10-fold`). Each gets:

- `kind`: `percent` and `ratio` for those forms; otherwise what a casualty verb says (`killed 12
  people` and `12 people were killed` -> killed), else the counted noun through the lexicon
  (`500 civilians` -> civilians, `two more battalions` -> battalions), else the noun's lemma;
  unit nouns (`companies`, `brigades`) count units only near a military word (`troops`, `army`,
  `deployed`) in their sentence (or, for `battalions` and `brigades`, the one before): `seven companies`
  of a sanctions story -> company;
- `value`: the number (vague plurals take their smallest reading: `hundreds` -> 200);
- `approximate`: a hedge before it (`about`, `some`, `more than`, `at least`) or a vague plural.

Dates, times, ordinals, years and `one of ...` are not quantities. The lists of words are in
`data/speech_verbs.json` under `quantities`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from spacy.tokens import Token

from eventwire.claims.lexicon import ClaimsLexicon, lexicon
from eventwire.document import Document
from eventwire.schema import Quantity

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90,
}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
MULTIPLIERS = {"twofold": 2}
SKIP_ENTS = {"ORDINAL", "MONEY"}
TIME_ENTS = {"DATE", "TIME"}
DIGITS = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$|^\d+(\.\d+)?$")
NEEDS_OF = {"scores", "tens"}


@dataclass
class _Number:
    first: int  # token index of the first number token
    last: int  # token index of the last token of the number (percent sign, 'fold' included)
    value: float
    vague: bool = False
    form: str = "count"  # count | percent | ratio | measure


def word_value(word: str) -> Optional[float]:
    """The value of one number word or digit string, or None."""
    w = word.lower()
    if DIGITS.match(w):
        return float(w.replace(",", ""))
    if w in UNITS:
        return float(UNITS[w])
    if w in TENS:
        return float(TENS[w])
    if w in SCALES:
        return float(SCALES[w])
    return None


def combine(words: list[str]) -> Optional[float]:
    """`two hundred fifty thousand` -> 250000; `2.5 million` -> 2500000."""
    total, current, seen = 0.0, 0.0, False
    for w in words:
        lw = w.lower()
        if lw in SCALES:
            scale = SCALES[lw]
            if scale == 100:
                current = (current or 1) * 100
            else:
                total += (current or 1) * scale
                current = 0.0
            seen = True
            continue
        v = word_value(lw)
        if v is None:
            return None
        current += v
        seen = True
    return total + current if seen else None


def _ratio_value(text: str, lex: ClaimsLexicon) -> Optional[float]:
    t = text.lower()
    if t in MULTIPLIERS:
        return float(MULTIPLIERS[t])
    suffix = lex.ratio_suffix
    if t.endswith(suffix) and len(t) > len(suffix):
        return combine([p for p in re.split(r"[-\s]", t[: -len(suffix)]) if p])
    return None


def _is_number_token(tok: Token) -> bool:
    low = tok.lower_
    return bool(DIGITS.match(low)) or low in UNITS or low in TENS or low in SCALES


def _skip(tok: Token, blocked: set[int]) -> bool:
    return tok.i in blocked or tok.ent_type_ in SKIP_ENTS


def _read_number(doc, i: int, blocked: set[int], lex: ClaimsLexicon) -> Optional[_Number]:
    """The number starting at token i, or None."""
    tok = doc[i]
    low = tok.lower_
    # ratios written as one token ('tenfold') or 'ten-fold' / '10-fold'
    ratio = _ratio_value(low, lex)
    if ratio is not None:
        return _Number(i, i, ratio, form="ratio")
    if low in lex.vague_numbers and low != "dozen":
        nxt = doc[i + 1] if i + 1 < len(doc) else None
        if low in NEEDS_OF and (nxt is None or nxt.lower_ != "of"):
            return None
        value, last = lex.vague_numbers[low], i
        # 'tens of thousands', 'hundreds of thousands'
        if nxt is not None and nxt.lower_ == "of" and i + 2 < len(doc) and doc[i + 2].lower_ in lex.vague_numbers:
            value *= lex.vague_numbers[doc[i + 2].lower_] / 2
            last = i + 2
        return _Number(i, last, value, vague=True)
    if low == "a" and i + 1 < len(doc) and doc[i + 1].lower_ in ("dozen", "hundred", "thousand"):
        value = 12.0 if doc[i + 1].lower_ == "dozen" else float(SCALES[doc[i + 1].lower_])
        return _Number(i, i + 1, value)
    if low == "dozen":
        return None
    if not _is_number_token(tok) or _skip(tok, blocked):
        return None
    words, j = [tok.text], i
    while j + 1 < len(doc):
        nxt = doc[j + 1]
        if nxt.lower_ in SCALES or (doc[j].lower_ in TENS and nxt.lower_ in UNITS):
            words.append(nxt.text)  # 'two hundred', '2.5 million', 'twenty five'
            j += 1
        elif nxt.text == "-" and j + 2 < len(doc) and doc[j + 2].lower_ in UNITS and doc[j].lower_ in TENS:
            words.append(doc[j + 2].text)
            j += 2
        elif nxt.lower_ == "and" and doc[j].lower_ in SCALES and j + 2 < len(doc) and (
            doc[j + 2].lower_ in UNITS or doc[j + 2].lower_ in TENS
        ):
            words.append(doc[j + 2].text)
            j += 2
        else:
            break
    value = combine(words)
    if value is None:
        return None
    number = _Number(i, j, value)
    # percent: '70%', '70 percent', '70 per cent'
    for phrase in lex.percent_words:
        k = j + 1
        if k + len(phrase) <= len(doc) and tuple(t.lower_ for t in doc[k:k + len(phrase)]) == phrase:
            number.form, number.last = "percent", k + len(phrase) - 1
            return number
    # a unit glued to the number ('155mm', '20km'): a measurement, counted by its unit
    if not doc[j].whitespace_ and j + 1 < len(doc) and doc[j + 1].is_alpha and DIGITS.match(doc[j].lower_):
        number.form, number.last = "measure", j + 1
        return number
    # '10-fold', 'ten - fold'
    if j + 2 < len(doc) and doc[j + 1].text == "-" and doc[j + 2].lower_ == lex.ratio_suffix:
        number.form, number.last = "ratio", j + 2
        return number
    if j + 1 < len(doc) and doc[j + 1].lower_ in ("-" + lex.ratio_suffix, lex.ratio_suffix):
        number.form, number.last = "ratio", j + 1
        return number
    return number


def _is_year(number: _Number, doc) -> bool:
    tok = doc[number.first]
    if number.first != number.last or not tok.text.isdigit() or len(tok.text) != 4:
        return False
    return 1800 <= number.value <= 2100


def _is_clock(doc, number: _Number, lex: ClaimsLexicon) -> bool:
    """`0700 GMT`, `5 p.m.`: a time of day."""
    nxt = doc[number.last + 1] if number.last + 1 < len(doc) else None
    return nxt is not None and nxt.lower_ in lex.clock_words


def _range_end(doc, number: _Number, blocked: set[int], lex: ClaimsLexicon) -> Optional[int]:
    """`500 to 1,000`, `10-73`: the token index where the upper bound of a range ends."""
    k = number.last + 1
    if k + 1 < len(doc) and doc[k].lower_ in ("to", "-", "–", "or") and number.form == "count":
        upper = _read_number(doc, k + 1, blocked, lex)
        if upper is not None and upper.form == "count" and not upper.vague:
            return upper.last
    return None


def _is_modifier(doc, number: _Number) -> bool:
    """`four-star`, `24-hour`, `two-day`: a number inside a compound modifier counts nothing."""
    if number.form != "count" or number.last + 2 >= len(doc):
        return False
    return doc[number.last + 1].text == "-" and not doc[number.last + 1].whitespace_ and doc[number.last + 2].is_alpha \
        and doc[number.last + 2].lower_ not in UNITS and doc[number.last + 2].lower_ not in TENS


def _counted_noun(doc, number: _Number) -> Optional[Token]:
    """The noun the number counts: its head ('500 civilians'), or the object of 'of' ('hundreds of people')."""
    last = doc[number.last]
    nxt = doc[number.last + 1] if number.last + 1 < len(doc) else None
    if nxt is not None and nxt.lower_ == "of":
        obj = next((c for c in nxt.children if c.dep_ == "pobj" and c.pos_ not in ("PROPN", "PRON")), None)
        if obj is None and number.last + 2 < len(doc):
            # the parser may hang 'of' elsewhere: take the first noun after it
            for t in doc[number.last + 2: min(len(doc), number.last + 6)]:
                if t.pos_ in ("NOUN", "PROPN"):
                    return t
                if t.pos_ in ("VERB", "AUX") or t.is_punct:
                    break
        return obj
    head = last
    seen = 0
    while head.dep_ in ("nummod", "compound", "quantmod", "amod", "advmod") and head.head.i != head.i and seen < 4:
        head = head.head
        seen += 1
        if head.pos_ in ("NOUN", "PROPN") and head.i > number.last:
            return head
    # no dependency link: the first noun right after the number, across adjectives
    for t in doc[number.last + 1: min(len(doc), number.last + 5)]:
        if t.pos_ in ("NOUN", "PROPN"):
            return t
        if t.pos_ not in ("ADJ", "ADV") and t.lower_ != "more":
            break
    return None


def _verb_kind(anchor: Token, lex: ClaimsLexicon) -> Optional[tuple[str, bool]]:
    """(kind, casualty) from the verb governing the counted phrase: 'killed 12', '12 were killed'."""
    tok = anchor
    # climb out of 'of' and conjunctions to the argument position
    for _ in range(3):
        if tok.dep_ in ("pobj", "conj", "appos") and tok.head.i != tok.i:
            tok = tok.head
        elif tok.dep_ == "prep" and tok.lower_ == "of":
            tok = tok.head
        else:
            break
    if tok.dep_ in ("nsubj", "nsubjpass", "dobj", "attr", "npadvmod") or tok.dep_ == "pobj":
        verb = tok.head
        lemma = verb.lemma_.lower()
        if lemma in lex.quantity_verbs:
            return lex.quantity_verbs[lemma], lemma in lex.casualty_verbs
    # '12 killed', '12 dead' right after the phrase
    for child in anchor.children:
        if child.dep_ in ("acl", "amod") and child.lemma_.lower() in lex.quantity_verbs:
            lemma = child.lemma_.lower()
            return lex.quantity_verbs[lemma], lemma in lex.casualty_verbs
    return None


def _approximate(doc, number: _Number, floor: int, lex: ClaimsLexicon) -> tuple[bool, int]:
    """(approximate, index of the first hedge token) from the words before the number; vague
    plurals and ranges are approximate with or without a hedge."""
    for phrase in lex.approximate_before:
        k = number.first - len(phrase)
        if k >= floor and tuple(t.lower_ for t in doc[k:number.first]) == phrase:
            return True, k
    return number.vague, number.first


def _kind(doc, number: _Number, noun: Optional[Token], lex: ClaimsLexicon) -> str:
    if number.form in ("percent", "ratio"):
        return number.form
    if number.form == "measure":
        return doc[number.last].lower_
    noun_kind = None
    if noun is not None:
        lemma = noun.lemma_.lower()
        noun_kind = lex.quantity_nouns.get(lemma) or lex.quantity_nouns.get(noun.lower_)
    anchor = noun if noun is not None else doc[number.last]
    by_verb = _verb_kind(anchor, lex)
    if by_verb is not None:
        kind, casualty = by_verb
        if casualty or noun_kind in (None, "people", "civilians", "soldiers"):
            return kind
    if noun_kind and noun is not None and not _military_context(noun, lex):
        return noun.lemma_.lower()  # 'seven companies' of a sanctions story are businesses, not units
    if noun_kind:
        return noun_kind
    if noun is not None:
        return noun.lemma_.lower()
    return "count"


def _military_context(noun: Token, lex: ClaimsLexicon) -> bool:
    """True unless the noun is a unit word without a word of armed forces ('troops', 'army', 'deployed')
    around it, other than itself: in its own sentence for 'companies', 'divisions', 'units' (a conflict
    story names commanders everywhere), also in the sentence before for 'battalions', 'brigades'."""
    lemma = noun.lemma_.lower()
    if lemma not in lex.unit_nouns and lemma not in lex.formation_nouns:
        return True
    sent = noun.sent
    window = list(sent)
    if sent.start > 0 and lemma in lex.formation_nouns:
        window = list(noun.doc[sent.start - 1].sent) + window
    return any(
        t.i != noun.i and (t.lemma_.lower() in lex.military_context or t.lower_ in lex.military_context)
        for t in window
    )


def _blocked_tokens(document: Document) -> set[int]:
    blocked: set[int] = set()
    doc = document.doc
    for d in document.report.dates:
        span = doc.char_span(d.start, d.end, alignment_mode="expand")
        if span is not None:
            blocked.update(range(span.start, span.end))
    return blocked


def find_quantities(document: Document, start: int = 0, end: Optional[int] = None) -> list[Quantity]:
    """Quantities whose number lies inside the characters [start, end) of the document."""
    lex = lexicon()
    doc = document.doc
    end = len(document.text) if end is None else end
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return []
    blocked = document.notes.get("_quantity_blocked")
    if blocked is None or document.notes.get("_quantity_dates") != len(document.report.dates):
        blocked = _blocked_tokens(document)
        document.notes["_quantity_blocked"] = blocked
        document.notes["_quantity_dates"] = len(document.report.dates)
    found: list[Quantity] = []
    i = span.start
    while i < span.end:
        number = _read_number(doc, i, blocked, lex)
        if number is None:
            i += 1
            continue
        i = number.last + 1
        tok = doc[number.first]
        if _is_year(number, doc) or _is_modifier(doc, number) or _is_clock(doc, number, lex):
            continue
        nxt = doc[number.last + 1] if number.last + 1 < len(doc) else None
        upper_last = _range_end(doc, number, blocked, lex)
        if upper_last is not None:
            number.last, number.vague = upper_last, True  # a range: its lower bound, approximate
        noun = _counted_noun(doc, number) if number.form == "count" else None
        if tok.ent_type_ in TIME_ENTS and (noun is None or noun.ent_type_ in TIME_ENTS):
            continue  # '14 June', 'for three weeks'; the tagger's 'Later 30 houses' keeps its count
        if tok.lower_ == "one" and number.first == number.last and (
            (nxt is not None and nxt.lower_ == "of") or tok.dep_ not in ("nummod",)
        ):
            continue  # 'one of the bloodiest battles', 'no one', 'the one who'
        sent = document.report.sentences[document.sentence_index(tok.idx)] if document.report.sentences else None
        floor = doc.char_span(sent.start, sent.end, alignment_mode="expand").start if sent else 0
        approximate, first = _approximate(doc, number, floor, lex)
        last = number.last
        if noun is not None and number.last < noun.i <= number.last + 6:
            last = noun.i
            i = max(i, noun.i + 1)  # '34 of 48 drones': the inner number is part of this one
        s, e = doc[first].idx, doc[last].idx + len(doc[last].text)
        found.append(
            Quantity(
                kind=_kind(doc, number, noun, lex),
                value=number.value,
                text=document.text[s:e],
                approximate=approximate,
                start=s,
                end=e,
            )
        )
    return found


def definite_reference(document: Document, quantity: Quantity) -> bool:
    """True for 'the two republics', 'its 500 soldiers': a number that refers back, not a new figure."""
    if quantity.start is None:
        return False
    span = document.doc.char_span(quantity.start, quantity.end, alignment_mode="expand")
    if span is None or span.start == 0:
        return False
    before = document.doc[span.start - 1]
    return before.lower_ in ("the", "these", "those", "both") or before.tag_ == "PRP$" or before.dep_ == "case"
