"""The claims lexicon: speech and cognition verbs, media, speaker nouns and quantity words.

The words live in `eventwire/data/speech_verbs.json` so that users can extend them; this module
reads the file once and offers the lists as sets. A broken file stops with one line naming it.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Optional

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "speech_verbs.json"


class LexiconError(ValueError):
    """The lexicon file cannot be read; the message is one line naming the file and field."""


@dataclass(frozen=True)
class ClaimsLexicon:
    speech: frozenset[str]
    cognition: frozenset[str]
    direct_only: frozenset[str]
    prepositional: dict[str, frozenset[str]]
    needs_preposition: frozenset[str]
    xcomp_content: frozenset[str]
    naming: frozenset[str]
    writer_appositives: frozenset[str]
    according: tuple[tuple[str, ...], ...]
    media: dict[str, str]
    person_titles: frozenset[str]
    group_nouns: frozenset[str]
    quantity_nouns: dict[str, str]
    quantity_verbs: dict[str, str]
    casualty_verbs: frozenset[str]
    vague_numbers: dict[str, float]
    approximate_before: tuple[tuple[str, ...], ...]
    percent_words: tuple[tuple[str, ...], ...]
    measures: frozenset[str]
    clock_words: frozenset[str]
    unit_nouns: frozenset[str] = frozenset()
    formation_nouns: frozenset[str] = frozenset()
    military_context: frozenset[str] = frozenset()
    ratio_suffix: str = "fold"
    source: str = field(default="speech_verbs.json", compare=False)

    def is_cue(self, lemma: str) -> bool:
        """A verb lemma that reports speech or belief."""
        return lemma in self.speech or lemma in self.cognition

    def is_quote_cue(self, lemma: str) -> bool:
        """A verb that can introduce a direct quote (`"Why?" she asked`)."""
        return self.is_cue(lemma) or lemma in self.direct_only


def _words(data: dict, key: str, path: str) -> frozenset[str]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise LexiconError(f"eventwire: {path}: field {key!r} must be a list of words")
    return frozenset(v.lower() for v in value)


def _mapping(data: dict, key: str, path: str) -> dict:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise LexiconError(f"eventwire: {path}: field {key!r} must be an object")
    return value


def _phrases(words) -> tuple[tuple[str, ...], ...]:
    # longest first, so that "more than" is tried before "than"
    return tuple(sorted((tuple(w.lower().split()) for w in words), key=len, reverse=True))


def load_lexicon(path: Optional[Path] = None) -> ClaimsLexicon:
    """Read a claims lexicon; the packaged one when `path` is None."""
    path = Path(path) if path is not None else DATA_FILE
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise LexiconError(f"eventwire: {name}: cannot read ({exc.strerror})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise LexiconError(f"eventwire: {name}: not JSON (line {exc.lineno}: {exc.msg})") from None
    if not isinstance(data, dict):
        raise LexiconError(f"eventwire: {name}: expected a JSON object")
    prepositional = {
        verb.lower(): frozenset(p.lower() for p in preps)
        for verb, preps in _mapping(data, "prepositional", name).items()
    }
    quantities = _mapping(data, "quantities", name)
    vague = _mapping(quantities, "vague", name)
    try:
        vague_numbers = {k.lower(): float(v) for k, v in vague.items()}
    except (TypeError, ValueError):
        raise LexiconError(f"eventwire: {name}: field 'quantities.vague' must map words to numbers") from None
    return ClaimsLexicon(
        speech=_words(data, "speech", name),
        cognition=_words(data, "cognition", name),
        direct_only=_words(data, "direct_only", name),
        prepositional=prepositional,
        needs_preposition=_words(data, "needs_preposition", name),
        xcomp_content=_words(data, "xcomp_content", name),
        naming=_words(data, "naming", name),
        writer_appositives=_words(data, "writer_appositives", name),
        according=_phrases(_words(data, "according", name)),
        media={k.lower(): str(v) for k, v in _mapping(data, "media", name).items()},
        person_titles=_words(data, "person_titles", name),
        group_nouns=_words(data, "group_nouns", name),
        quantity_nouns={k.lower(): str(v) for k, v in _mapping(quantities, "nouns", name).items()},
        quantity_verbs={k.lower(): str(v) for k, v in _mapping(quantities, "verbs", name).items()},
        casualty_verbs=_words(quantities, "casualty_verbs", name),
        vague_numbers=vague_numbers,
        approximate_before=_phrases(_words(quantities, "approximate_before", name)),
        percent_words=_phrases(_words(quantities, "percent_words", name)),
        measures=_words(quantities, "measures", name),
        clock_words=_words(quantities, "clock_words", name),
        unit_nouns=_words(quantities, "unit_nouns", name),
        formation_nouns=_words(quantities, "formation_nouns", name),
        military_context=_words(quantities, "military_context", name),
        ratio_suffix=str(quantities.get("ratio_suffix", "fold")).lower(),
        source=name,
    )


@lru_cache(maxsize=1)
def lexicon() -> ClaimsLexicon:
    """The lexicon, read once: $EVENTWIRE_SPEECH_VERBS when set, else the packaged file."""
    return load_lexicon(os.environ.get("EVENTWIRE_SPEECH_VERBS") or None)
