"""Name folding: the keys names are indexed and looked up by.

`fold` removes what spellings of one name differ by for sure (case, diacritics, apostrophes,
hyphens, a leading "the"); `skeleton` further merges transliteration variants
(Sievierodonetsk / Severodonetsk, Slavyansk / Sloviansk) and is used only when `fold` finds nothing.
"""

from __future__ import annotations

import re

from unidecode import unidecode

_APOSTROPHES = re.compile(r"['’‘`ʼʹ′´\"]")
_SEPARATORS = re.compile(r"[-‐‑‒–—_./,()]+")
_SPACES = re.compile(r"\s+")
_SKELETON_SUBS = [
    ("shch", "s"), ("sch", "s"), ("tsch", "c"), ("kh", "h"), ("zh", "z"), ("sh", "s"), ("ch", "c"),
    ("tz", "c"), ("ts", "c"), ("cz", "c"), ("w", "v"), ("j", "i"), ("y", "i"), ("q", "k"), ("ph", "f"),
]
_VOWELS = set("aeiou")


def fold(name: str) -> str:
    """Lower-case ASCII key: 'Sloviansk', 'SLOVIANSK', "Slov'iansk" all give 'sloviansk'."""
    s = unidecode(name or "")
    s = _APOSTROPHES.sub("", s)
    s = _SEPARATORS.sub(" ", s).lower()
    s = _SPACES.sub(" ", s).strip()
    if s.startswith("the "):
        s = s[4:]
    return s


def skeleton(key: str) -> str:
    """A looser key merging transliteration variants: consonants only, after common digraphs."""
    s = key.replace(" ", "")
    for a, b in _SKELETON_SUBS:
        s = s.replace(a, b)
    if not s:
        return s
    out = [s[0]]
    for ch in s[1:]:
        if ch in _VOWELS:
            continue
        if ch != out[-1]:
            out.append(ch)
    return "".join(out)
