"""The word lists of the entity stage, loaded once from `eventwire/data/entities_*`.

    entities_lexicon.json      sector words, title words, rebel markers, institutions
    entities_countries.tsv     iso3, country names, demonyms
    entities_given_names.tsv   given names that mark a run of capitalised words as a person

A malformed file raises `LexiconError` with one line naming the file and what is wrong.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Optional

from eventwire.geo.fold import fold

DATA = Path(__file__).resolve().parents[1] / "data"


class LexiconError(ValueError):
    """A data file of the entity stage is malformed (the message is one line)."""


@dataclass(frozen=True)
class Institution:
    name: str
    kind: str
    country: Optional[str]
    sector: Optional[str]
    capitalised: bool = False


@dataclass
class Lexicon:
    group_heads: dict[str, Optional[str]] = field(default_factory=dict)  # word -> sector (None: no sector)
    person_heads: set[str] = field(default_factory=set)
    serving_heads: set[str] = field(default_factory=set)  # 'officials': their sector is the body's before them
    roles: dict[str, Optional[str]] = field(default_factory=dict)
    title_modifiers: set[str] = field(default_factory=set)
    rebel_markers: set[str] = field(default_factory=set)
    org_phrases: list[tuple[str, str]] = field(default_factory=list)  # (lower phrase, sector), longest first
    institutions: dict[str, Institution] = field(default_factory=dict)  # folded name or alias -> institution
    institution_starts: set[str] = field(default_factory=set)  # folded first words of those names
    lowercase_aliases: set[str] = field(default_factory=set)  # names written lower-case ('al-Shabaab')
    title_country_stops: set[str] = field(default_factory=set)
    not_name_words: set[str] = field(default_factory=set)
    honorifics: set[str] = field(default_factory=set)
    indefinite: set[str] = field(default_factory=set)
    local_words: set[str] = field(default_factory=set)
    weak_heads: set[str] = field(default_factory=set)
    org_words: set[str] = field(default_factory=set)
    name_particles: set[str] = field(default_factory=set)
    speech_verbs: set[str] = field(default_factory=set)  # lemmas, from the claims stage's speech_verbs.json
    address_verbs: set[str] = field(default_factory=set)
    patron_suffixes: tuple[str, ...] = ()
    demonyms: dict[str, str] = field(default_factory=dict)  # lower demonym -> iso3
    country_names: dict[str, str] = field(default_factory=dict)  # folded country name -> iso3
    given_names: set[str] = field(default_factory=set)  # folded

    def demonym_country(self, word: str) -> Optional[str]:
        return self.demonyms.get(word.lower())

    def country_of_name(self, name: str) -> Optional[str]:
        return self.country_names.get(fold(name))

    def sector_of_words(self, words: list[str]) -> Optional[str]:
        """Sector of an organisation or group phrase: a known multi-word phrase, else its rightmost sector word;
        a serving word ('officials') yields to a sector word before it ('army officials' MIL)."""
        text = " " + " ".join(w.lower() for w in words) + " "
        for phrase, sector in self.org_phrases:
            if f" {phrase} " in text:
                return sector
        found = None
        for w in reversed(words):
            sector = self.group_heads.get(w.lower())
            if sector and w.lower() not in self.serving_heads:
                return sector
            found = found or sector
        return found


def _words(value, path: str, key: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise LexiconError(f"eventwire: {path}: field {key!r} must be a list of strings")
    return value


def _sector_table(table, path: str, key: str) -> dict[str, Optional[str]]:
    if not isinstance(table, dict):
        raise LexiconError(f"eventwire: {path}: field {key!r} must map a sector to a list of words")
    out: dict[str, Optional[str]] = {}
    for sector, words in table.items():
        for w in _words(words, path, f"{key}.{sector}"):
            out[w.lower()] = None if sector == "none" else sector
    return out


# word lists of entities_lexicon.json read as lower-case sets, one field of `Lexicon` each
_LOWER_SETS = ("person_heads", "title_modifiers", "rebel_markers", "title_country_stops", "honorifics", "indefinite",
               "local_words", "weak_heads", "org_words", "name_particles", "address_verbs")
_OPTIONAL_SETS = ("serving_heads",)


def load_lexicon(data_dir: Path = DATA) -> Lexicon:
    path = data_dir / "entities_lexicon.json"
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise LexiconError(f"eventwire: {path}: {exc}".splitlines()[0]) from None
    lex = Lexicon()
    p = str(path)
    try:
        lex.group_heads = _sector_table(raw["group_heads"], p, "group_heads")
        lex.roles = _sector_table(raw["roles"], p, "roles")
        for key in _LOWER_SETS:
            setattr(lex, key, {w.lower() for w in _words(raw[key], p, key)})
        for key in _OPTIONAL_SETS:
            setattr(lex, key, {w.lower() for w in _words(raw.get(key, []), p, key)})
        phrases = []
        for sector, words in raw["org_phrases"].items():
            phrases += [(w.lower(), sector) for w in _words(words, p, f"org_phrases.{sector}")]
        lex.org_phrases = sorted(phrases, key=lambda x: -len(x[0]))
        lex.not_name_words = set(_words(raw["not_name_words"], p, "not_name_words"))
        lex.patron_suffixes = tuple(w.lower() for w in _words(raw["patron_suffixes"], p, "patron_suffixes"))
        for i, item in enumerate(raw["institutions"]):
            if not isinstance(item, dict) or not isinstance(item.get("name"), str):
                raise LexiconError(f"eventwire: {p}: institutions[{i}] needs a 'name'")
            inst = Institution(item["name"], item.get("kind", "organization"), item.get("country"),
                               item.get("sector"), bool(item.get("capitalised", False)))
            for alias in [item["name"]] + _words(item.get("aliases", []), p, f"institutions[{i}].aliases"):
                lex.institutions[fold(alias)] = inst
                lex.institution_starts.add(fold(alias).split(" ")[0])
                if alias[:1].islower():
                    lex.lowercase_aliases.add(fold(alias))
    except KeyError as exc:
        raise LexiconError(f"eventwire: {p}: missing field {exc.args[0]!r}") from None
    _load_countries(lex, data_dir / "entities_countries.tsv")
    speech = data_dir / "speech_verbs.json"
    if speech.exists():
        try:
            lex.speech_verbs = {w.lower() for w in _words(json.loads(speech.read_text(encoding="utf-8"))["speech"],
                                                          str(speech), "speech")}
        except (json.JSONDecodeError, KeyError) as exc:
            raise LexiconError(f"eventwire: {speech}: {exc}".splitlines()[0]) from None
    _load_given_names(lex, data_dir / "entities_given_names.tsv")
    return lex


def _data_lines(path: Path):
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise LexiconError(f"eventwire: {path}: {exc.strerror or exc}") from None
    for n, line in enumerate(text.splitlines(), 1):
        if line.strip() and not line.startswith("#"):
            yield n, line.rstrip("\n")


def _load_countries(lex: Lexicon, path: Path) -> None:
    for n, line in _data_lines(path):
        cols = line.split("\t")
        if len(cols) != 3 or len(cols[0]) != 3 or not cols[0].isupper():
            raise LexiconError(f"eventwire: {path}: line {n}: expected 'ISO3<TAB>names<TAB>demonyms'")
        iso3, names, demonyms = cols
        for name in names.split("|"):
            lex.country_names[fold(name)] = iso3
        for d in demonyms.split("|"):
            if d.strip():
                lex.demonyms[d.strip().lower()] = iso3


def _load_given_names(lex: Lexicon, path: Path) -> None:
    for _, line in _data_lines(path):
        lex.given_names.add(fold(line.strip()))


@lru_cache(maxsize=1)
def get_lexicon() -> Lexicon:
    return load_lexicon()
