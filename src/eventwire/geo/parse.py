"""Toponym recognition and resolution over one spaCy `Doc`.

    mentions = recognize(doc, gazetteer)        # where places are named
    resolve(mentions, gazetteer)                # which place each one is

Recognition takes spaCy's GPE/LOC/FAC entities and, because the small model mislabels places
(cities tagged ORG, PERSON or NORP, or not tagged at all), every run of capitalised words that
the gazetteer knows, under conditions that keep people and common words out. Facility phrases
("the city's X chemical plant") and feature cues ("the city of", "X region", "X Governor") are
read from the surrounding words; the cue words are in `data/geo_lexicon.json`.

A name the gazetteer knows is not taken as a place when it is a piece of another kind of name:
- an organisation of the lexicon's `organisations` (UN, Nato, Hamas), or an all-capital acronym
  that is not a listed abbreviation (US, UK, DPR) nor a well-known place in capitals (KYIV);
- part of a person's name: after a name particle that follows a person ('von der Leyen'), after
  a person's title ('Governor Uba Sani'), or the surname of a person named in full elsewhere in
  the article ('Mark Bell ... Bell added') unless "in X", "X, California" or GPE/LOC says place;
- a word inside a longer organisation name ('African Union', 'Uba Sani'). Decision: the place an
  organisation is named after is kept ('Kharkiv University', 'University of Toronto',
  'Ukraine's Defence Ministry'), because it tells where the organisation is and the annotated
  news corpora count it as a toponym; so are countries, regions and well-known cities anywhere
  inside one. Later stages decide whether such a place is where an event happened;
- the end of a longer capitalised name ('Mansfield Police', 'Soviet Union'), unless the word
  before is a direction ('Eastern', 'Greater') or the place is well known;
- a common English word naming only small towns ('Congress', 'Union', 'University'), unless
  spaCy labels it GPE/LOC or a cue supports it ('in Union', 'Union, New Jersey').
A name spaCy labels PERSON is still a place in a place slot ('in Kyiv', 'Kyiv Mayor'), and a
national capital, country or region also in a government slot ('Kyiv says', 'Kyiv, however,
rejected'), where it is then marked as a metonym.

Resolution scores each candidate with population and feature type, the article's country focus,
the distance to the other places of the article, administrative context ("X in Y", "X, Y") and
feature cues; a name without a cue keeps the sense its earlier mention had (one sense per
discourse). A capital standing for its government is marked as a metonym.
"""

from __future__ import annotations

import json
import math
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Optional

from eventwire.geo.fold import fold
from eventwire.geo.gazetteer import ALIAS, ALTERNATE, PRIMARY, Entry, Gazetteer, distance_km

PLACE_LABELS = {"GPE", "LOC", "FAC"}
OTHER_LABELS = {"ORG", "PERSON", "NORP", "WORK_OF_ART", "PRODUCT", "EVENT"}
NON_NAME_LABELS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"}
DEMONYM_ENDINGS = ("ian", "ians", "ese", "ish", "ean", "eans", "ic", "i", "ists")


@lru_cache(maxsize=1)
def lexicon() -> dict:
    raw = resources.files("eventwire").joinpath("data", "geo_lexicon.json").read_text(encoding="utf-8")
    lex = json.loads(raw)
    out = {k: v for k, v in lex.items() if not k.startswith("_")}
    out["not_places_keys"] = {fold(x) for x in lex.get("not_places", []) + lex.get("organisations", [])}
    for name in ("strong_locative_preps", "name_particles", "person_titles", "place_modifiers"):
        out[name] = {w.lower() for w in lex.get(name, [])}
    return out


@lru_cache(maxsize=1)
def _word_lists() -> dict:
    """The English word lists the spaCy model's rule lemmatizer ships (WordNet's), by part of speech;
    empty when the pipeline has none (the rules that need them are then off)."""
    out: dict = {}
    try:
        from eventwire.nlp import get_nlp

        table = get_nlp().get_pipe("lemmatizer").lookups.get_table("lemma_index")
        for pos in ("noun", "verb", "adj", "adv"):
            out[pos] = frozenset(table[pos]) if pos in table else frozenset()
    except Exception:
        pass
    return out


@lru_cache(maxsize=1)
def english_words() -> frozenset:
    """Any English noun, verb, adjective or adverb, names of famous people and places included."""
    lists = _word_lists()
    return frozenset().union(*lists.values()) | common_words()


@lru_cache(maxsize=1)
def common_words() -> frozenset:
    """Common English words: verbs, adjectives and adverbs of the word lists (whose nouns include
    the names of cities and people: 'Owensboro', 'Sherman'), plus the nouns of `common_words` in
    the lexicon ('university', 'congress')."""
    lists = _word_lists()
    words = {w.lower() for w in lexicon().get("common_words", [])}
    for pos in ("verb", "adj", "adv"):
        words.update(lists.get(pos, ()))
    return frozenset(words)


# places known well enough to be found whatever label spaCy gives them ("Kyiv said")
WELL_KNOWN_POPULATION = 500_000
# a common English word is read as a place this small only with support in the text ("in Union")
SMALL_TOWN_POPULATION = 100_000


def well_known(cands: list[Entry]) -> bool:
    """A country, a first-level region, a national capital or a city of WELL_KNOWN_POPULATION."""
    return any(not c.loose and c.kind >= ALIAS and (
        c.feature in ("country", "admin1") or (c.feature == "city" and (c.capital or c.population >= WELL_KNOWN_POPULATION)))
        for c in cands)


def _small_town_only(cands: list[Entry]) -> bool:
    """Every sense is a settlement below SMALL_TOWN_POPULATION (no capital, region or feature)."""
    return all(c.feature == "city" and not c.capital and c.population < SMALL_TOWN_POPULATION for c in cands)


def _acronym(text: str) -> bool:
    letters = text.replace(".", "")
    return 2 <= len(letters) <= 5 and letters.isalpha() and letters.isupper()


def _acronym_names_place(text: str, cands: list[Entry]) -> bool:
    """An all-capital token is a place only as a listed abbreviation (US, UK, DPR) or as a
    well-known place written in capitals (a KYIV dateline); else it is an organisation (UN, EU)."""
    letters = len(text.replace(".", ""))
    for c in cands:
        if c.loose:
            continue
        if c.kind == ALIAS or (c.kind == PRIMARY and c.feature in ("country", "admin1")):
            return True
        if letters >= 4 and c.kind == PRIMARY and c.feature == "city" and (c.capital or c.population >= SMALL_TOWN_POPULATION):
            return True
    return False


def metonym_cue(text: str, start: int, end: int) -> Optional[str]:
    """The words that make the name at text[start:end] stand for a government, if any:
    'X said', 'X, however, rejected', 'reaction from X', "X's position"."""
    lex = lexicon()
    tail = text[end:end + 60].lower()
    head = text[max(0, start - 40):start].lower().rstrip()
    for w in sorted((w.lower() for w in lex["metonym_after"]), key=len, reverse=True):
        if re.match(r"(?:\s*,\s*[a-z][a-z ]{0,20},)?\s+" + re.escape(w) + r"\b", tail):
            return w
    for w in lex["metonym_before"]:
        if head.endswith(w.lower()):
            return w.lower()
    pm = re.match(r"['’]s\s+(\w+)", tail)
    if pm and pm.group(1) in {w.lower() for w in lex["metonym_possessive_heads"]}:
        return "'s " + pm.group(1)
    return None


@dataclass
class Mention:
    start: int
    end: int
    text: str
    key: str
    label: Optional[str] = None        # spaCy label when spaCy found it
    sent: int = 0
    cue: Optional[str] = None           # 'region' | 'city' | None
    cue_text: Optional[str] = None
    containers: list[int] = field(default_factory=list)   # indexes of mentions that may contain this one
    candidates: list[Entry] = field(default_factory=list)
    scores: list[float] = field(default_factory=list)
    choice: Optional[Entry] = None
    confidence: float = 0.0
    runner_up: Optional[Entry] = None
    runner_conf: float = 0.0
    reason: Optional[str] = None
    metonym: bool = False
    facility: Optional["Facility"] = None


@dataclass
class Facility:
    start: int
    end: int
    text: str          # the phrase without a leading article or owner
    key: str           # folded proper name part
    owner: Optional[str] = None        # "the city", "the town" or a place name
    after: Optional[tuple[int, int]] = None   # span of a place named right after ("in X")
    name_span: tuple[int, int] = (0, 0)
    sent: int = 0


# -- recognition -------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _facility_regex():
    lex = lexicon()
    heads = sorted(lex["facility_heads"], key=len, reverse=True)
    mods = sorted(lex["facility_modifiers"], key=len, reverse=True)
    word = r"[A-Z][\w’'\-]*"
    return re.compile(
        r"(?:(?P<owner>the city|the town|the village|" + word + r")['’]s\s+)?"
        r"(?P<name>" + word + r"(?:\s+" + word + r"){0,2})\s+"
        r"(?P<mods>(?:(?:" + "|".join(map(re.escape, mods)) + r")\s+)*)"
        r"(?P<head>" + "|".join(map(re.escape, heads)) + r")s?\b"
    )


@lru_cache(maxsize=1)
def _feature_name_regex():
    """The water bodies and other features of `data/geo_features.json` written in more than one word ('Gulf of Aden', 'Bab
    al-Mandab', 'Red Sea'), longest first, spaces free: such a name is taken whole before the
    runs of capitalised words are read, so no piece of it ('Aden', 'Bab') becomes a town."""
    feats = json.loads(resources.files("eventwire").joinpath("data", "geo_features.json").read_text(encoding="utf-8"))
    skip = lexicon()["not_places_keys"]
    names = {n for f in feats.get("features", []) if f.get("feature") in ("other", "river")
             for n in [f["name"], *(f.get("aliases") or ())]
             if len(re.split(r"[\s\-]+", n.strip())) > 1 and fold(n) not in skip}
    alts = [r"\s+".join(map(re.escape, n.split())) for n in sorted(names, key=len, reverse=True)]
    return re.compile(r"(?<![\w\-])(?:" + "|".join(alts) + r")(?![\w\-])")


def _is_cap(tok) -> bool:
    t = tok.text
    return bool(t) and t[0].isupper() and (t.replace("’", "").replace("'", "").replace(".", "").isalpha())


def recognize(doc, gaz: Gazetteer) -> tuple[list[Mention], list[Facility]]:
    lex = lexicon()
    text = doc.text
    sent_starts = [s.start_char for s in doc.sents]

    def sent_of(char: int) -> int:
        """Index of the last sentence starting at or before `char` (0 if none)."""
        return max(0, bisect_right(sent_starts, char) - 1)

    # facility phrases
    facilities: list[Facility] = []
    taken = bytearray(len(text) + 1)
    for m in _facility_regex().finditer(text):
        name = m.group("name")
        first = name.split()[0]
        # a sentence-initial article or pronoun is not part of a name
        if first in {"The", "A", "An", "This", "That", "Its", "Their", "His", "Her"}:
            continue
        key = fold(name)
        if not key or key in lex["not_places_keys"]:
            continue
        owner = m.group("owner")
        after = None
        tail = re.match(r"\s+(?:in|near|at|outside)\s+(?:the\s+(?:city|town|village)\s+of\s+)?([A-Z][\w’'\-]+(?:\s[A-Z][\w’'\-]+)?)",
                        text[m.end():])
        if tail:
            after = (m.end() + tail.start(1), m.end() + tail.end(1))
        f = Facility(start=m.start("name"), end=m.end(), text=text[m.start("name"):m.end()], key=key,
                     owner=owner, after=after, name_span=(m.start("name"), m.end("name")), sent=sent_of(m.start()))
        facilities.append(f)

    ents_by_token: dict[int, object] = {}
    for e in doc.ents:
        for i in range(e.start, e.end):
            ents_by_token[i] = e
    english, common = english_words(), common_words()
    # the last word of a person named in full is that person when it comes back alone ("Bell")
    surnames = {fold(e[-1].text) for e in doc.ents if e.label_ == "PERSON" and len(e) > 1 and _is_cap(e[-1])}
    # names spaCy labels GPE/LOC somewhere in the text
    shown = {fold(e.text) for e in doc.ents if e.label_ in ("GPE", "LOC")}
    headlines = {s.start for s in doc.sents if _title_case(s)}

    mentions: list[Mention] = []
    used = [False] * len(doc)

    def add(start_tok: int, end_tok: int, label: Optional[str]):
        span = doc[start_tok:end_tok]
        m = Mention(start=span.start_char, end=span.end_char, text=span.text, key=fold(span.text),
                    label=label, sent=sent_of(span.start_char))
        mentions.append(m)
        for i in range(start_tok, end_tok):
            used[i] = True

    def in_facility_name(char_start: int, char_end: int) -> Optional[Facility]:
        for f in facilities:
            if char_start >= f.name_span[0] and char_end <= f.end:
                return f
        return None

    def preceded_by_locative(tok_i: int) -> bool:
        j = tok_i - 1
        if j >= 0 and doc[j].lower_ in ("the",):
            j -= 1
        return j >= 0 and doc[j].lower_ in lex["locative_preps"]

    cue_words = {w.lower() for w in lex["region_cues_after"] + lex["region_words"] + lex["city_words"]}

    def strong_locative(a: int) -> bool:
        j = a - 1
        if j >= 0 and doc[j].lower_ == "the":
            j -= 1
        return j >= 0 and doc[j].lower_ in lex["strong_locative_preps"]

    def person_name_part(a: int, ent_label: Optional[str]) -> bool:
        """The name at token a continues a person's name: after a name particle that follows a
        person ('Ursula von der Leyen'), or right after a person's title ('Governor Uba Sani')."""
        k = a - 1
        while k >= 0 and doc[k].lower_ in lex["name_particles"]:
            k -= 1
        if k < a - 1 and k >= 0 and any(getattr(ents_by_token.get(x), "label_", None) == "PERSON" for x in range(k, a)):
            return True
        return a >= 1 and ent_label not in PLACE_LABELS and doc[a - 1].lower_.rstrip(".") in lex["person_titles"]

    def continues_name(a: int) -> bool:
        """The capitalised word before token a belongs to the same name ('Mansfield Police',
        'Soviet Union'); not a direction ('Eastern'), a date, another entity or a headline word."""
        if a == 0 or doc[a].is_sent_start or doc[a].sent.start in headlines:
            return False
        p = doc[a - 1]
        if not _is_cap(p) or p.is_stop or p.lower_.rstrip(".") in lex["place_modifiers"] or \
                (p.is_sent_start and p.pos_ != "PROPN"):
            return False
        pe, own = ents_by_token.get(a - 1), ents_by_token.get(a)
        if pe is not None and (pe.label_ in NON_NAME_LABELS or (own is not None and own is not pe)):
            return False
        return True

    def name_piece(a: int, b: int, key: str, ent_label, inside_ent, cands: list[Entry]) -> Optional[str]:
        """Why a gazetteer name here is a piece of another kind of name, or None."""
        whole = ent_label is not None
        if b - a == 1 and _acronym(doc[a].text) and not _acronym_names_place(doc[a].text, cands):
            return "an acronym that names no place"
        if b - a == 1 and key in surnames and ent_label not in PLACE_LABELS and \
                not (strong_locative(a) or followed_by_region(b) or cued_after(b)):
            return "the surname of a person named in the article"
        if b - a == 1 and ent_label not in PLACE_LABELS and doc[a].dep_ == "nsubj" and not _seat(cands) and \
                metonym_cue(doc.text, doc[a].idx, doc[a].idx + len(doc[a])):
            return "the subject of a speech verb, and no seat of a government"
        if inside_ent is not None and inside_ent.label_ == "ORG" and not whole and not well_known(cands):
            # kept: the place an organisation is named after ('Kharkiv University', 'University of
            # Toronto', 'Fargo-Moorhead'); not a word further inside ('African Union') nor a
            # person's name ('Uba Sani')
            k = a - 1
            while k >= inside_ent.start and doc[k].lower_ in lex["place_modifiers"]:
                k -= 1
            starts_name = k < inside_ent.start or doc[k].lower_ in ("the", "of", "in", "at", "on", "near", "-", "/", "'s", "’s")
            rest = doc[b:inside_ent.end]
            if not starts_name or (len(rest) and not any(t.lower_ in english or t.is_lower or not t.is_alpha for t in rest)):
                return "inside an organisation's name"
        if continues_name(a) and ent_label not in PLACE_LABELS and not well_known(cands):
            return "the end of a longer name"
        if b - a == 1 and key in common and ent_label not in PLACE_LABELS and key not in shown and \
                _small_town_only([c for c in cands if not c.loose] or cands):
            if inside_ent is not None and inside_ent.label_ not in PLACE_LABELS:
                if not (followed_by_region(b) or listed(a) or (cued_after(b) and doc[b].lower_ not in lex["person_titles"])):
                    return "a common word spaCy labels as another kind of name"
            elif not (strong_locative(a) or followed_by_region(b) or listed(a) or
                      (cued_after(b) and doc[b].lower_ not in lex["person_titles"])):
                return "a common word without a place cue"
        return None

    def cued_after(b: int) -> bool:
        """'X Governor', 'X region', 'X regional': a word after the name that only follows places."""
        return b < len(doc) and doc[b].lower_ in cue_words

    def listed(a: int) -> bool:
        """'A, B and C': the name follows a place already found, joined by a comma or 'and'."""
        return a >= 2 and doc[a - 1].text in (",", "and", "or") and used[a - 2]

    def followed_by_region(b: int) -> bool:
        """'X in Kharkiv region', 'X, Texas': a first-level region or country named right after."""
        if b + 1 >= len(doc) or doc[b].text not in ("in", ",") or not _is_cap(doc[b + 1]):
            return False
        k = b + 1
        while k < len(doc) and _is_cap(doc[k]) and k < b + 4:
            k += 1
        return any(c.feature in ("admin1", "country") and c.kind >= ALIAS for c in gaz.lookup(doc[b + 1:k].text)) or \
            any(c.feature in ("admin1", "country") and c.kind >= ALIAS for c in gaz.lookup(doc[b + 1].text))

    # multi-word features (seas, straits, gulfs) first, whole
    for fm in _feature_name_regex().finditer(text):
        span = doc.char_span(fm.start(), fm.end(), alignment_mode="expand")
        if span is not None and not any(used[span.start:span.end]) and \
                in_facility_name(span.start_char, span.end_char) is None:
            add(span.start, span.end, "LOC")

    i = 0
    n = len(doc)
    while i < n:
        tok = doc[i]
        if used[i] or not _is_cap(tok) or tok.lower_ in ("the", "a", "an"):
            i += 1
            continue
        # the run of capitalised words (hyphens allowed inside)
        j = i
        while j < n and (_is_cap(doc[j]) or (doc[j].text in "-‐" and j + 1 < n and _is_cap(doc[j + 1]) and j > i)):
            j += 1
        matched = False
        for length in range(min(j - i, 5), 0, -1):
            a, b = i, i + length
            span = doc[a:b]
            if doc[b - 1].text in "-‐":
                continue
            key = fold(span.text)
            if key in lex["not_places_keys"] or (a > 0 and fold("the " + span.text) in lex["not_places_keys"] and doc[a - 1].lower_ == "the"):
                if length == 1 or key in lex["not_places_keys"]:
                    break
                continue
            inside_ent = ents_by_token.get(a)
            ent_label = inside_ent.label_ if inside_ent is not None and inside_ent.start == a and inside_ent.end == b else None
            # multi-word people are not places; their words neither
            if inside_ent is not None and inside_ent.label_ == "PERSON" and inside_ent.end - inside_ent.start > 1 \
                    and not (inside_ent.start == a and inside_ent.end == b):
                break
            if inside_ent is not None and inside_ent.label_ in NON_NAME_LABELS:
                break
            fac = in_facility_name(span.start_char, span.end_char)
            if fac is not None and span.end_char > fac.name_span[1]:
                continue
            if person_name_part(a, ent_label):
                continue
            cands = gaz.lookup(span.text)
            if not cands:
                if ent_label in PLACE_LABELS and fac is None and \
                        not (length > 1 and doc[a].lower_ in lex["place_modifiers"] and fold(doc[a + 1:b].text) not in english
                             and any(c.kind >= ALIAS and c.feature == "city" for c in gaz.lookup(doc[a + 1:b].text, loose=False))):
                    # a place spaCy sees but the gazetteer does not know: kept, unresolved (with a
                    # direction before a known name, 'Central Sloviansk', the name alone is found)
                    add(a, b, ent_label)
                    matched = True
                    i = b
                    break
                continue
            if len(key.replace(" ", "")) <= 4 and not any(c.kind == PRIMARY for c in cands) and \
                    ent_label not in PLACE_LABELS and not span.text.endswith("."):
                continue
            if name_piece(a, b, key, ent_label, inside_ent, cands):
                continue
            if not _acceptable(doc, a, b, ent_label, inside_ent, cands,
                               preceded_by_locative(a) or followed_by_region(b) or listed(a) or cued_after(b),
                               cued_after(b)):
                continue
            if fac is not None and not any(c.feature in ("city", "admin1", "country") for c in cands):
                continue
            add(a, b, ent_label)
            matched = True
            i = b
            break
        if not matched:
            i += 1
    mentions.sort(key=lambda m: m.start)
    _read_cues(doc, mentions)
    return mentions, facilities


def _title_case(sent) -> bool:
    """A headline in title case: most of its longer words are capitalised."""
    words = [t for t in sent if t.is_alpha and len(t) > 3]
    return len(words) >= 3 and sum(t.text[0].isupper() for t in words) >= 0.7 * len(words)


def _seat(cands: list[Entry]) -> bool:
    """A national capital, a country or a first-level region: a seat of a government."""
    return any(not c.loose and c.kind >= ALIAS and (c.feature in ("country", "admin1") or (c.feature == "city" and c.capital))
               for c in cands)


def _government_slot(doc, a: int, b: int, cands: list[Entry], cued: bool) -> bool:
    """A capital, country or region where a government or its officials would stand: subject of
    a verb, 'X said', "X's position", 'X Mayor' (spaCy often labels these PERSON)."""
    if not _seat(cands):
        return False
    span = doc[a:b]
    return cued or span.root.dep_ in ("nsubj", "nsubjpass") or metonym_cue(doc.text, span.start_char, span.end_char) is not None


def _acceptable(doc, a, b, ent_label, inside_ent, cands: list[Entry], locative: bool, cued: bool = False) -> bool:
    """Whether a capitalised run that the gazetteer knows is used as a place name here."""
    span = doc[a:b]
    strong = [c for c in cands if c.kind >= ALIAS or c.feature != "city"]
    big = max((c.population for c in cands if not c.loose), default=0)
    named_feature = any(c.feature in ("country", "admin1", "region", "river", "facility", "other") and c.kind >= ALIAS
                        for c in cands)
    label = inside_ent.label_ if inside_ent is not None else None
    if span.text.lower().endswith(DEMONYM_ENDINGS) and not any(c.kind == PRIMARY and not c.loose for c in cands):
        return False      # 'Ukrainian', 'Russian': demonyms, not names of places
    if ent_label in PLACE_LABELS:
        return True
    if all(c.loose for c in cands):
        return False
    if label == "PERSON" and b - a == 1 and not locative:
        return _government_slot(doc, a, b, cands, cued)
    sentence_initial = a == span.sent.start or doc[a - 1].text in ("“", '"', "(")
    if named_feature and (not sentence_initial or b - a > 1 or label is not None):
        return True
    if sentence_initial:
        big_named = max((c.population for c in strong), default=0)
        return (doc[a].pos_ == "PROPN" or _government_slot(doc, a, b, cands, cued)) and \
            (named_feature or big_named >= 100000)
    if not strong:
        # only alternate names match: accept with a locative preposition and a sizeable place
        return locative and big >= 10000
    big_strong = max(c.population for c in strong)
    if label in OTHER_LABELS:
        return big_strong >= 20000 or (locative and big_strong >= 1000)
    if locative:
        return big_strong >= 1000
    return big_strong >= 50000 and doc[a].pos_ == "PROPN"


def _read_cues(doc, mentions: list[Mention]) -> None:
    lex = lexicon()
    text = doc.text
    region_words = set(lex["region_words"])
    city_words = set(lex["city_words"])
    before_region = [c.lower() for c in lex["region_cues_before"]]
    before_city = [c.lower() for c in lex["city_cues_before"]]
    after_region = [c.lower() for c in lex["region_cues_after"]]
    list_heads = set(lex["list_heads"])

    # chains: mentions joined only by ", " / " and " / ", and " / " or "
    chains: list[list[int]] = []
    for idx, m in enumerate(mentions):
        if idx > 0 and re.fullmatch(r"\s*(?:,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+|\s*&\s*)",
                                    text[mentions[idx - 1].end:m.start] or "x"):
            chains[-1].append(idx)
        else:
            chains.append([idx])

    for chain in chains:
        first, last = mentions[chain[0]], mentions[chain[-1]]
        before = text[max(0, first.start - 40):first.start].lower()
        after = text[last.end:last.end + 40].lower()
        chain_cue = None
        for c in before_region:
            if before.rstrip().endswith(c):
                chain_cue = ("region", c)
        for c in before_city:
            if before.rstrip().endswith(c):
                chain_cue = ("city", c)
        mhead = re.search(r"(?:the\s+)?(\w+)\s+of\s*$", before)
        if mhead and mhead.group(1) in list_heads:
            chain_cue = ("region" if mhead.group(1) in ("regions", "provinces", "oblasts") else "city",
                         mhead.group(0).strip())
        wa = re.match(r"\s*(\w+)", after)
        if wa and len(chain) > 1 and wa.group(1) in ("regions", "oblasts", "provinces"):
            chain_cue = ("region", wa.group(1))
        for k in chain:
            m = mentions[k]
            own_after = re.match(r"\s*(\w+)", text[m.end:m.end + 30].lower())
            own_before = text[max(0, m.start - 30):m.start].lower().rstrip()
            cue = chain_cue
            if own_after:
                w = own_after.group(1)
                if w in region_words or w in after_region:
                    cue = ("region", w)
                elif w in city_words and not (k + 1 < len(mentions) and mentions[k + 1].start - m.end < 3):
                    cue = ("city", w)
            for c in before_city:
                if own_before.endswith(c):
                    cue = ("city", c)
            for c in before_region:
                if own_before.endswith(c):
                    cue = ("region", c)
            if cue:
                m.cue, m.cue_text = cue
        # container: "... in Y" right after the chain, or "X, Y" inside it
        nxt = chain[-1] + 1
        if nxt < len(mentions):
            gap = text[last.end:mentions[nxt].start]
            if re.fullmatch(r",?\s+(?:in|of)\s+(?:the\s+)?(?:\w+\s+(?:region|province|oblast)\s+of\s+)?", gap) or \
                    re.fullmatch(r",\s+", gap):
                for k in chain:
                    mentions[k].containers.append(nxt)
        for a_, b_ in zip(chain, chain[1:]):
            if re.fullmatch(r",\s*", text[mentions[a_].end:mentions[b_].start]):
                mentions[a_].containers.append(b_)


# -- resolution --------------------------------------------------------------------------------


_DEMONYM_RULES = (("ese", ("", "a")), ("ians", ("", "ia", "a", "e")), ("ian", ("", "ia", "a", "e")),
                  ("eans", ("e", "a")), ("ean", ("e", "a")), ("ans", ("", "a", "y")), ("an", ("", "a", "y")),
                  ("ish", ("", "land", "eland", "ain", "ey", "istan")), ("is", ("",)), ("i", ("",)))


def demonym_countries(gaz: Gazetteer, name: str) -> list[Entry]:
    """Countries a demonym names ('Egyptian' -> Egypt, 'Sri Lankan' -> Sri Lanka), exact names only."""
    for suffix, endings in _DEMONYM_RULES:
        if name.lower().endswith(suffix) and len(name) > len(suffix) + 2:
            stem = name[: -len(suffix)]
            for end in endings:
                found = [c for c in gaz.lookup(stem + end, loose=False) if c.feature in ("country", "region")]
                if found:
                    return found
    return []


@lru_cache(maxsize=1)
def demonym_table() -> dict[str, tuple[str, str]]:
    """Folded demonym -> ('cc', ISO alpha-2 code) for the countries of
    `data/entities_countries.tsv`, or ('name', place name) for the lexicon's `demonyms`."""
    import pycountry

    table: dict[str, tuple[str, str]] = {}
    raw = resources.files("eventwire").joinpath("data", "entities_countries.tsv").read_text(encoding="utf-8")
    for line in raw.splitlines():
        parts = line.split("\t")
        if line.startswith("#") or len(parts) < 3:
            continue
        country = pycountry.countries.get(alpha_3=parts[0].strip())
        if country is None:
            continue
        for word in parts[2].split("|"):
            if word.strip():
                table[fold(word)] = ("cc", country.alpha_2)
    for word, place in lexicon().get("demonyms", {}).items():
        table.setdefault(fold(word), ("name", place))
    return table


def demonym_places(gaz: Gazetteer, name: str) -> list[Entry]:
    """The country or region a listed demonym stands for ('Mexican' -> Mexico, 'Welsh' -> Wales)."""
    hit = demonym_table().get(fold(name))
    if hit is None:
        return []
    if hit[0] == "cc":
        found = gaz.country(hit[1])
        return [found] if found is not None else []
    return [c for c in gaz.lookup(hit[1], loose=False) if c.feature in ("country", "admin1", "region")]


def _short_acronym_mismatch(text: str, c: Entry) -> bool:
    """'EU', 'UN', 'SA': a short all-capital word does not name a place whose own name is written
    in lower case ('Eu', a town in France) unless it is listed as that place's abbreviation."""
    return len(text) <= 3 and text.isalpha() and text.isupper() and c.kind != ALIAS and not c.name.isupper()


_DIVISION_WORDS = {"state", "province", "region", "oblast", "governorate", "district", "county", "prefecture"}


def _candidates(gaz: Gazetteer, text: str) -> list[Entry]:
    """Candidates of a name: listed demonyms first (with any place of exactly that name), else exact
    names, else demonyms by their ending, else transliteration variants."""
    exact = [c for c in gaz.lookup(text, loose=False) if not _short_acronym_mismatch(text, c)]
    demonym = demonym_places(gaz, text)
    if demonym:
        seen = {c.pid for c in demonym}
        return demonym + [c for c in exact if c.pid not in seen]
    if exact:
        return exact
    if len(text) <= 3 and text.isupper():
        return []
    words = text.split()
    if len(words) > 1 and words[-1].lower() in _DIVISION_WORDS:
        # 'Oaxaca State', 'Punjab Province': the division of that name, if the gazetteer has one
        inner = [c for c in gaz.lookup(" ".join(words[:-1]), loose=False) if c.feature in ("admin1", "admin2")]
        if inner:
            return inner
    return demonym_countries(gaz, text) or gaz.lookup(text)


def _prior(c: Entry, m: Mention) -> float:
    if c.feature == "country":
        s = 8.0
    elif c.feature == "admin1":
        s = math.log10(c.population + 10) - 1.0
    elif c.feature == "admin2":
        s = 4.5 if c.population >= 0 else 3.5      # -1: a county with only its state's point
    elif c.feature == "city":
        s = math.log10(c.population + 10)
        if c.capital:
            s += 0.5
    else:
        s = 6.5
    s += {PRIMARY: 1.0, ALIAS: 0.8, ALTERNATE: 0.0}.get(c.kind, 0.0)
    if c.loose:
        s -= 1.5
    if m.cue == "region":
        s += 4.0 if c.feature in ("admin1", "region") else (-1.0 if c.feature == "country" else -2.5)
    elif m.cue == "city":
        s += 4.0 if c.feature == "city" else -3.0
    return s


def _contains(outer: Entry, inner: Entry) -> bool:
    if outer.pid == inner.pid or outer.country is None:
        return False
    if outer.feature == "country":
        return inner.country == outer.country and inner.feature != "country"
    if outer.feature == "admin1":
        return inner.feature in ("city", "facility", "admin2") and inner.country == outer.country and \
            inner.admin1 == outer.admin1
    if outer.feature == "admin2" and outer.population >= 0:
        # no admin2 codes for settlements: a county holds the places of its state near its point
        return inner.feature == "city" and inner.country == outer.country and inner.admin1 == outer.admin1 and \
            distance_km(outer.lat, outer.lon, inner.lat, inner.lon) < 60
    if outer.feature == "region" and outer.lat is not None:
        return inner.feature == "city" and distance_km(outer.lat, outer.lon, inner.lat, inner.lon) < 150
    return False


# weights of the article's context in a candidate's score (see `resolve`)
FOCUS_WEIGHT = 3.0      # x share of the article's other names in the candidate's country
ADMIN1_WEIGHT = 2.0     # x share of the article's resolved places in the candidate's region
NEAR_WEIGHT = 2.5       # x exp(-km / NEAR_KM) to the nearest other resolved place
NEAR_KM = 250.0
CLUSTER_WEIGHT = 4.0    # x share of the article's other names with a namesake within CLUSTER_KM
CLUSTER_KM = 50.0
LOOSE_SMALL_POP = 15000  # a spelling variant of a smaller town abroad is left unresolved


def _cluster_share(c: Entry, key: str, names_cands: dict[str, list[Entry]]) -> float:
    """The share of the article's other names that could denote a place within CLUSTER_KM of `c`
    (or, for a region, inside it): namesakes that agree with each other ('Paris' and 'Henry
    County' both in Tennessee) win."""
    if c.lat is None or c.feature not in ("city", "admin2", "admin1", "country", "region"):
        return 0.0
    others = [cands for k, cands in names_cands.items() if k != key and cands]
    if not others:
        return 0.0
    if c.feature in ("admin1", "country", "region"):   # agrees with the names that have a namesake inside it
        near = sum(any(_contains(c, o) for o in cands) for cands in others)
    else:
        near = sum(any(distance_km(c.lat, c.lon, o.lat, o.lon) < CLUSTER_KM for o in cands) for cands in others)
    return near / len(others)


def _softmax(scores: list[float]) -> list[float]:
    top = max(scores)
    ex = [math.exp(s - top) for s in scores]
    tot = sum(ex)
    return [e / tot for e in ex]


def resolve(mentions: list[Mention], gaz: Gazetteer, doc=None) -> None:
    for m in mentions:
        m.candidates = _candidates(gaz, m.text)
        if m.candidates and m.cue == "region" and not any(c.feature in ("admin1", "region") for c in m.candidates):
            m.cue = None

    # pass 1: priors; country focus from the best of each mention
    votes: dict[str, float] = {}
    own: dict[str, tuple[str, float]] = {}      # what each name adds to the focus (counted once per name)
    for m in mentions:
        if not m.candidates:
            continue
        pri = [_prior(c, m) for c in m.candidates]
        best = m.candidates[max(range(len(pri)), key=pri.__getitem__)]
        if best.country:
            w = 1.0 if best.feature == "country" else 0.6
            votes[best.country] = votes.get(best.country, 0.0) + w
            cc, prev = own.get(m.key, (best.country, 0.0))
            own[m.key] = (cc, prev + w) if cc == best.country else (cc, prev)
    total = sum(votes.values()) or 1.0
    focus = {k: v / total for k, v in votes.items()}

    def focus_without(m: Mention) -> dict[str, float]:
        """The article's country focus from its other names: a name does not vote for itself."""
        cc, w = own.get(m.key, (None, 0.0))
        if not w or total - w <= 0:
            return focus if not w else {}
        rest = dict(votes)
        rest[cc] = rest.get(cc, 0.0) - w
        return {k: v / (total - w) for k, v in rest.items() if v > 1e-9}

    focus_admin1: dict = {}

    def update_admin1_focus() -> None:
        counts: dict = {}
        for m in mentions:
            c = m.choice
            if c is not None and c.admin1 and c.feature in ("city", "admin1", "admin2"):
                counts[(c.country, c.admin1)] = counts.get((c.country, c.admin1), 0.0) + m.confidence
        tot = sum(counts.values()) or 1.0
        focus_admin1.clear()
        focus_admin1.update({k: v / tot for k, v in counts.items()})

    # the candidate places of each other name of the article (settlements and counties only)
    names_cands: dict[str, list[Entry]] = {}
    for m in mentions:
        if m.key not in names_cands:
            names_cands[m.key] = [c for c in m.candidates if c.feature in ("city", "admin2") and c.lat is not None]

    def score_all(first: bool) -> None:
        for idx, m in enumerate(mentions):
            if not m.candidates:
                continue
            scores = []
            m_focus = focus_without(m)
            # mentions naming this one as their container, and the points of the article's other places
            held = [other for other in mentions if idx in other.containers]
            points = [(other.choice.lat, other.choice.lon) for other in mentions
                      if other.key != m.key and other.choice is not None and other.choice.lat is not None
                      and other.choice.feature != "country"] if not first else []
            for c in m.candidates:
                s = _prior(c, m)
                s += FOCUS_WEIGHT * m_focus.get(c.country or "", 0.0)
                if c.admin1 and c.feature != "admin1":
                    s += ADMIN1_WEIGHT * focus_admin1.get((c.country, c.admin1), 0.0)
                # administrative context: X in Y, X, Y
                for k in m.containers:
                    cont = mentions[k]
                    if any(_contains(o, c) for o in cont.candidates):
                        s += 5.0
                # this name contains another that names it as container
                for other in held:
                    if any(_contains(c, x) for x in other.candidates):
                        s += 4.0
                if not first and CLUSTER_WEIGHT:
                    s += CLUSTER_WEIGHT * _cluster_share(c, m.key, names_cands)
                if points:
                    # distance to the other places of the article
                    d = min(distance_km(c.lat, c.lon, lat, lon) for lat, lon in points)
                    s += NEAR_WEIGHT * math.exp(-d / NEAR_KM)
                scores.append(s)
            m.scores = scores
            order = sorted(range(len(scores)), key=lambda i: -scores[i])
            probs = _softmax(scores)
            m.choice = m.candidates[order[0]]
            m.confidence = probs[order[0]]
            if len(order) > 1:
                m.runner_up = m.candidates[order[1]]
                m.runner_conf = probs[order[1]]

    score_all(True)
    update_admin1_focus()
    score_all(False)

    # one sense per discourse: a name without its own cue keeps the sense of its last cued mention
    last_sense: dict[str, Entry] = {}
    for m in mentions:
        if m.choice is None:
            continue
        strong = m.cue is not None or any(mentions[k].candidates for k in m.containers) or \
            any(m is not o and mentions.index(m) in o.containers for o in mentions)
        if strong:
            last_sense[m.key] = m.choice
        elif m.key in last_sense and last_sense[m.key].pid != m.choice.pid:
            prev = last_sense[m.key]
            if any(c.pid == prev.pid for c in m.candidates):
                m.runner_up, m.runner_conf = m.choice, m.confidence
                m.choice = next(c for c in m.candidates if c.pid == prev.pid)
                m.confidence = max(0.5, 1.0 - m.runner_conf)
                m.reason = "same name earlier in the article"
        else:
            last_sense.setdefault(m.key, m.choice)

    # far-away small guesses stay unresolved
    for m in mentions:
        c = m.choice
        if c is None:
            m.reason = m.reason or "no gazetteer entry for this name"
            continue
        others = [o.choice for o in mentions if o.key != m.key and o.choice is not None]
        share = sum(o.country == c.country for o in others) / len(others) if others else 1.0
        top = max(focus.values()) if focus else 0.0
        if c.loose and c.feature == "city" and c.population < LOOSE_SMALL_POP and \
                focus_without(m).get(c.country or "", 0.0) < 0.5 * top:
            # 'Walikale' read as a small US 'Wallkill' in a story set in Congo: a looser spelling
            # of a small town outside the article's main country is too weak a guess
            m.runner_up, m.runner_conf = c, m.confidence
            m.choice = None
            m.confidence = 0.0
            m.reason = "only a small namesake abroad, by a looser spelling"
            continue
        if (c.feature == "city" and c.population < 5000 or c.feature == "admin2") and share < 0.2:
            near = [o for o in others if o.feature == "city"]
            if near and min(distance_km(c.lat, c.lon, o.lat, o.lon) for o in near) > 500:
                m.runner_up, m.runner_conf = c, m.confidence
                m.choice = None
                m.confidence = 0.0
                m.reason = "only small far-away places carry this name"

    for idx, m in enumerate(mentions):
        if m.choice is not None and not m.reason:
            m.reason = _explain(idx, m, mentions, focus)

    if doc is not None:
        _mark_metonyms(doc, mentions)


def _explain(idx: int, m: Mention, mentions: list[Mention], focus: dict) -> str:
    """How a mention was resolved, in a few words."""
    c = m.choice
    parts = []
    if m.cue:
        parts.append(f"{'region' if m.cue == 'region' else 'settlement'} cue '{m.cue_text}'")
    for k in m.containers:
        if any(_contains(o, c) for o in mentions[k].candidates):
            parts.append(f"inside {mentions[k].text}")
            break
    for o in mentions:
        if idx in o.containers and o.choice is not None and _contains(c, o.choice):
            parts.append(f"contains {o.text}")
            break
    if len(m.candidates) == 1:
        parts.append("the only place of this name")
    elif not parts:
        if c.population >= max(x.population for x in m.candidates if x.feature == c.feature):
            parts.append("the largest place of this name")
        elif focus.get(c.country or "", 0) >= 0.3:
            parts.append("in the article's main country")
        else:
            parts.append("nearest to the article's other places")
    if c.loose:
        parts.append("spelling matched as a transliteration variant")
    return "; ".join(parts)


def _mark_metonyms(doc, mentions: list[Mention]) -> None:
    for m in mentions:
        c = m.choice
        if c is None or not (c.feature == "city" and c.capital):
            continue
        hit = metonym_cue(doc.text, m.start, m.end)
        if hit:
            m.metonym = True
            m.reason = f"metonym: stands for a government ('{hit}')"
