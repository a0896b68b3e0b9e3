"""The side a phrase acts for: (country ISO3, sector).

    side_of("Russian troops", document)            -> ("RUS", "MIL")
    side_of("separatist forces")                   -> (None, "REB")
    side_of("Luhansk Governor", document)          -> ("UKR", "GOV")   (Luhansk resolved by geo)

Country: a demonym or country name ("Russian", "Ukraine's"), a known institution ("Kremlin"), a
place the geoparser resolved, or "the country" standing for the last country named before. Words
naming a patron rather than the side itself ("Russian-backed", "pro-Russian") give no country.
Sector: rebel markers ("separatist", "self-proclaimed") win; a title's role word comes next
("Governor" GOV, "Colonel" MIL); then a known organisation phrase ("Ministry of Defense" MIL) or
the rightmost sector word of the phrase ("military administration" GOV).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional, Sequence

import pycountry

from eventwire.entities.lexicon import Lexicon, get_lexicon
from eventwire.geo.fold import fold

_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
_POSSESSIVE = re.compile(r"['’]s?$")
_DETERMINERS = {"the", "a", "an", "its", "their", "his", "her", "our", "this", "that", "these", "those"}

Side = tuple[Optional[str], Optional[str]]


@lru_cache(maxsize=512)
def iso3(alpha2: Optional[str]) -> Optional[str]:
    """ISO 3166 alpha-3 for an alpha-2 code (as geo gives it)."""
    if not alpha2:
        return None
    if len(alpha2) == 3:
        return alpha2.upper()
    country = pycountry.countries.get(alpha_2=alpha2.upper())
    return country.alpha_3 if country else None


def _base(word: str) -> str:
    return _POSSESSIVE.sub("", word) if word.lower().endswith(("'s", "’s", "'", "’")) else word


def _is_patron(word: str, lex: Lexicon) -> bool:
    low = word.lower()
    return low.startswith(("pro-", "anti-")) or low.endswith(lex.patron_suffixes)


def _country_word(words: list[str], i: int, lex: Lexicon) -> Optional[str]:
    """Country named by words[i] (or words[i:i+2], or words[i:i+3]), when capitalised."""
    word = words[i]
    if not word[:1].isupper() or _is_patron(word, lex):
        return None
    for n in (3, 2, 1):
        if i + n > len(words):
            continue
        phrase = " ".join([*words[i:i + n - 1], _base(words[i + n - 1])])
        found = lex.demonyms.get(phrase.lower()) or lex.country_names.get(fold(phrase))
        inside_name = i > 0 and words[i - 1][:1].isupper() and words[i - 1].lower() not in _DETERMINERS
        if not found and not inside_name:  # 'Ta'ang National Liberation Army' is another army
            inst = lex.institutions.get(fold(phrase))
            found = inst.country if inst else None
        if found:
            return found
    return None


def stop_offset(text: str, lex: Lexicon) -> int:
    low = text.lower()
    best = len(text)
    for stop in lex.title_country_stops:
        m = re.search(r"\b" + re.escape(stop) + r"\b", low)
        if m and m.start() < best:
            best = m.start()
    return best


def analyse(text: str, lex: Optional[Lexicon] = None, places: Sequence[tuple[int, int, Optional[str]]] = (),
            country_ref: Optional[str] = None, title: bool = False) -> Side:
    """(country, sector) of a phrase. `places`: (start, end, iso3) of resolved places inside `text`;
    `country_ref`: the country 'the country' stands for; `title`: the phrase is a person's role."""
    lex = lex or get_lexicon()
    matches = list(_WORD.finditer(text))
    words = [m.group() for m in matches]
    limit = stop_offset(text, lex) if title else len(text)
    country = None
    for i, m in enumerate(matches):
        if m.start() >= limit:
            break
        country = _country_word(words, i, lex)
        if country:
            break
    if country is None:
        for start, _end, code in sorted(places):
            if start < limit and code:
                country = code
                break
    if country is None and country_ref:
        if any(_base(w).lower() in ("country", "nation") for w, m in zip(words, matches) if m.start() < limit):
            country = country_ref
    return country, sector_of(words, lex, title=title)


def sector_of(words: list[str], lex: Lexicon, title: bool = False) -> Optional[str]:
    lowered = [_base(w).lower() for w in words]
    joined = " ".join(w.lower() for w in words)
    if any(w in lex.rebel_markers for w in lowered) or any(
            " " in m and m in joined for m in lex.rebel_markers):
        return "REB"
    institution = _institution_sector(words, lex)
    if institution == "REB":
        return "REB"
    # 'spokesman for the General Coordination for ...': a rank word opening a body's name is no rank
    ranks = [None if _names_a_body(words, i, lex) else w for i, w in enumerate(lowered)]
    if title:
        for w in ranks:
            if lex.roles.get(w):
                return lex.roles[w]
    sector = lex.sector_of_words(lowered)
    if sector:
        return sector
    for w in reversed(ranks):
        if lex.roles.get(w):
            return lex.roles[w]
    return institution


def _names_a_body(words: list[str], i: int, lex: Lexicon) -> bool:
    """A capitalised role word after 'the' followed by a capitalised word that is no role:
    'the General Coordination', not 'the Lieutenant General' nor 'General Staff' (an org phrase)."""
    if i == 0 or i + 1 >= len(words) or words[i - 1].lower() != "the":
        return False
    nxt = words[i + 1]
    return words[i][:1].isupper() and nxt[:1].isupper() and _base(nxt).lower() not in lex.roles


def _institution_sector(words: list[str], lex: Lexicon) -> Optional[str]:
    for i in range(len(words)):
        for n in (3, 2, 1):
            inst = lex.institutions.get(fold(" ".join(words[i:i + n]))) if i + n <= len(words) else None
            if inst and inst.sector and words[i][:1].isupper():
                return inst.sector
    return None


def strip_determiner(text: str) -> str:
    parts = text.split(None, 1)
    if len(parts) == 2 and parts[0].lower() in _DETERMINERS:
        return parts[1]
    return text


def side_of(text: str, document=None) -> Side:
    """(country ISO3 or None, sector or None) for any phrase, e.g. a participant that is no entity.

    With a document, a phrase naming one of its entities takes that entity's side, and the names
    of its resolved places give their country."""
    lex = get_lexicon()
    if not text or not text.strip():
        return None, None
    places: list[tuple[int, int, Optional[str]]] = []
    if document is not None:
        key = fold(strip_determiner(text.strip()))
        for entity in document.report.entities:
            names = {fold(entity.name)} | {fold(strip_determiner(m.text)) for m in entity.mentions}
            if key in names and (entity.country or entity.sector):
                return entity.country, entity.sector
        low = text.lower()
        for place in document.report.places:
            if place.metonym or not place.country:
                continue
            for m in re.finditer(r"\b" + re.escape(place.name.lower()) + r"\b", low):
                places.append((m.start(), m.end(), iso3(place.country)))
    return analyse(text, lex, places)
