"""Comparing personal names across spellings.

`translit` folds what transliterations of one Cyrillic or Arabic name differ by (ts/ch/tz -> c,
kh -> h, zh -> z, sh -> s, ii/iy/yi/y -> i, doubled letters) while keeping the vowels, so that
Mizintsev / Mizinchev, Peskov / Peshkov and Zaluzhnyi / Zaluzhny compare equal; near misses
(Struk / Struik) are accepted by a rapidfuzz ratio when their consonant skeletons agree.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from rapidfuzz import fuzz

from eventwire.geo.fold import fold, skeleton

_SUBS = [("shch", "sc"), ("tsch", "c"), ("sch", "s"), ("kh", "h"), ("zh", "z"), ("sh", "s"), ("ch", "c"),
         ("tz", "c"), ("ts", "c"), ("cz", "c"), ("ph", "f"), ("w", "v"), ("j", "i"), ("q", "k"),
         ("iy", "i"), ("yi", "i"), ("ii", "i"), ("y", "i"), ("ie", "e"), ("ey", "ei")]
_DOUBLE = re.compile(r"(.)\1+")


@lru_cache(maxsize=4096)
def translit(name: str) -> str:
    s = fold(name).replace(" ", "")
    for a, b in _SUBS:
        s = s.replace(a, b)
    return _DOUBLE.sub(r"\1", s)


def same_word(a: str, b: str, threshold: float = 80.0) -> bool:
    """True when two name words are spellings of one name."""
    fa, fb = fold(a), fold(b)
    if not fa or not fb:
        return False
    if fa == fb:
        return True
    ta, tb = translit(a), translit(b)
    if ta == tb:
        return True
    if fa[0] != fb[0] or skeleton(fa) != skeleton(fb):
        return False
    return fuzz.ratio(ta, tb) >= threshold


def compatible_given(a: Optional[str], b: Optional[str]) -> bool:
    """Given names that may belong to one person: equal spellings, an initial, or one missing."""
    if not a or not b:
        return True
    ca, cb = fold(a).rstrip("."), fold(b).rstrip(".")
    if len(ca) == 1 or len(cb) == 1:
        return ca[:1] == cb[:1]
    return same_word(a, b, threshold=75.0)


def is_variant(spelling: str, canonical: str) -> bool:
    """A spelling that is not just the canonical name or a part of it (so it deserves a flag)."""
    words = set(fold(canonical).split())
    return not set(fold(spelling).split()) <= words
