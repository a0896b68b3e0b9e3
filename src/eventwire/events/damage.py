"""Flags for damaged text: off-topic and truncated sentences (issue 5).

off_topic_sentence: a sentence (outside quotations, with at least four content words) that names
no entity or place of the article, contains no event predicate and no topic word of conflict
reporting (data/plover_topic.json), and shares almost none of its content words with the rest of
the article; typically a sentence pasted in from another story.

truncated_sentence: a sentence that starts mid-clause: with a lower-case letter, with a
subordinating word that needs a preceding clause ("but that ...", "and that ..."), or with a
verbless fragment that runs into ", but that" / ", and that" (the head of the sentence was lost).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Span as SpacySpan

from eventwire.document import Document
from eventwire.events.lexicon import DATA_DIR, load
from eventwire.events.mt import machine_translation_flags
from eventwire.schema import Flag

CONTENT_POS = {"NOUN", "PROPN", "VERB", "ADJ"}
WEAK_LEMMAS = {"be", "have", "do", "say", "make", "take", "go", "get", "give", "come", "see", "know", "tell",
               "other", "more", "many", "new", "such", "own", "same", "also", "work", "time", "year", "day",
               "people", "thing", "way", "state", "part", "case", "statement", "report"}
QUOTE_CHARS = "\"“”'‘’«»"


@lru_cache(maxsize=1)
def topic_lemmas() -> frozenset[str]:
    """Topic words of conflict reporting (data/plover_topic.json), with $EVENTWIRE_PLOVER_TOPIC added."""
    words = set(_read_topic(DATA_DIR / "plover_topic.json"))
    extra = os.environ.get("EVENTWIRE_PLOVER_TOPIC")
    if extra:
        words |= set(_read_topic(Path(extra)))
    return frozenset(words)


def _read_topic(path: Path) -> list[str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"{path}: cannot read topic words ({exc})") from None
    words = data.get("topic_lemmas") if isinstance(data, dict) else None
    if not isinstance(words, list):
        raise ValueError(f"{path}: topic_lemmas: expected a list of words")
    return [str(w).lower() for w in words]


def _content_lemmas(sent: SpacySpan) -> set[str]:
    return {t.lemma_.lower() for t in sent if t.pos_ in CONTENT_POS and not t.is_stop and t.is_alpha and len(t) > 2}


def _in_quote(document: Document, sent: SpacySpan) -> bool:
    for q in document.report.quotes:
        if q.kind == "direct" and q.start <= sent.start_char and sent.end_char <= q.end + 2:
            return True
    text = sent.text.strip()
    return bool(text) and (text[0] in QUOTE_CHARS or text[-1] in QUOTE_CHARS)


def _mentions_known(document: Document, sent: SpacySpan) -> bool:
    start, end = sent.start_char, sent.end_char
    for item in list(document.report.entities) + list(document.report.places):
        for m in item.mentions:
            if m.start < end and m.end > start:
                # the item must also appear outside this sentence to tie it to the article
                if any(o.start >= end or o.end <= start for o in item.mentions):
                    return True
    return False


def _refers_back(sent: SpacySpan, counts: Counter, own: set[str]) -> bool:
    """'The bill is expected to pass': a definite noun phrase whose noun the article has used before."""
    for t in sent:
        if t.pos_ != "NOUN" or t.lemma_.lower() in WEAK_LEMMAS or t.lemma_.lower() not in own:
            continue
        definite = any((c.dep_ == "det" and c.lower_ in ("the", "this", "these", "that", "those")) or c.dep_ == "poss"
                       for c in t.children)
        if definite and counts[t.lemma_.lower()] > 1:
            return True
    return False


def off_topic_sentences(document: Document) -> list[SpacySpan]:
    sents = list(document.doc.sents)
    if len(sents) < 4:
        return []
    lex = load()
    topic = topic_lemmas()
    lemmas = [_content_lemmas(s) for s in sents]
    counts: Counter = Counter()
    for ls in lemmas:
        counts.update(ls)
    proper = [{t.text.lower() for t in s if t.pos_ == "PROPN"} for s in sents]
    proper_counts: Counter = Counter()
    for ps in proper:
        proper_counts.update(ps)
    out = []
    for i, sent in enumerate(sents):
        own = lemmas[i] - WEAK_LEMMAS
        if len(own) < 4 or _in_quote(document, sent):
            continue
        if _mentions_known(document, sent):
            continue
        if any(proper_counts[p] > 1 for p in proper[i]):
            continue
        if any(lex.match(t) is not None for t in sent):
            continue
        if any(t.ent_type_ in ("GPE", "NORP", "LOC", "FAC") for t in sent):
            continue
        if any(t.lemma_.lower() in topic or t.lower_ in topic for t in sent):
            continue  # speaks of the article's domain (fire, residents, officials, ...)
        if _refers_back(sent, counts, lemmas[i]):
            continue
        shared = sum(1 for w in own if counts[w] > 1)
        if shared / len(own) < 0.25:
            out.append(sent)
    return out


def _is_truncated(sent: SpacySpan) -> bool:
    text = sent.text.lstrip(" \t\n" + QUOTE_CHARS)
    if not text:
        return False
    first = next((t for t in sent if not t.is_punct and not t.is_space), None)
    if first is None:
        return False
    if text[0].isalpha() and text[0].islower():
        return True
    if first.lower_ in ("that", "which", "whom", "whose"):
        return True
    if first.lower_ in ("but", "and", "or"):
        nxt = sent.doc[first.i + 1] if first.i + 1 < sent.end else None
        if nxt is not None and nxt.lower_ == "that":
            return True
    # a verbless opening fragment running into ", but that" / ", and that"
    toks = list(sent)
    for j in range(len(toks) - 2):
        if toks[j].text == "," and toks[j + 1].lower_ in ("but", "and") and toks[j + 2].lower_ == "that":
            head = toks[:j]
            if head and not any(t.pos_ in ("VERB", "AUX") for t in head):
                return True
            break
    return False


def truncated_sentences(document: Document) -> list[SpacySpan]:
    return [s for s in document.doc.sents if _is_truncated(s)]


def annotate(document: Document) -> None:
    """Add off_topic_sentence and truncated_sentence flags to the report."""
    for sent in off_topic_sentences(document):
        document.report.flags.append(Flag(
            kind="off_topic_sentence",
            message="sentence shares no entity, place or topic with the rest of the article",
            spans=[document.span(sent.start_char, sent.start_char + len(sent.text.rstrip()))],
        ))
    for sent in truncated_sentences(document):
        document.report.flags.append(Flag(
            kind="truncated_sentence",
            message="sentence starts mid-clause: its beginning seems lost",
            spans=[document.span(sent.start_char, sent.start_char + len(sent.text.rstrip()))],
        ))
    document.report.flags.extend(machine_translation_flags(document))
