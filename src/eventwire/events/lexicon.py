"""The predicate lexicon (data/plover_predicates.json): lemma -> PLOVER type and mode, with conditions.

Users extend the lexicon by adding entries to the JSON file, or by pointing the environment
variable `EVENTWIRE_PLOVER_PREDICATES` at a JSON file of the same shape whose `predicates` are
tried before the built-in ones.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Optional

from spacy.tokens import Token

from eventwire.schema import PLOVER_TYPES

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
OBJECT_DEPS = {"dobj", "obj", "attr"}
SUBJECT_DEPS = {"nsubj", "csubj"}
PASSIVE_SUBJECT_DEPS = {"nsubjpass", "csubjpass"}


@dataclass(frozen=True)
class Entry:
    lemma: str
    pos: tuple[str, ...]
    type: str
    mode: Optional[str] = None
    conditions: dict = field(default_factory=dict, hash=False, compare=False)
    two_sided: bool = False
    status: Optional[str] = None


@dataclass
class Lexicon:
    entries: dict[str, list[Entry]]
    classes: dict[str, set[str]]
    assault_modes: dict[str, set[str]]
    request_modes: dict[str, set[str]]
    cues: dict[str, set[str]]
    content_governors: set[str]

    def words(self, spec) -> Optional[set[str]]:
        """A condition's word set: a list, or '@class'; '@any' gives None (anything goes)."""
        if isinstance(spec, str):
            if spec == "@any":
                return None
            return self.classes.get(spec.lstrip("@"), set())
        return {w.lower() for w in spec}

    def match(self, token: Token) -> Optional[Entry]:
        """The first lexicon entry whose lemma, part of speech and conditions fit the token."""
        lemma = token.lemma_.lower()
        pos = "VERB" if token.pos_ in ("VERB", "AUX") else "NOUN" if token.pos_ in ("NOUN", "PROPN") else None
        if pos is None or (pos == "VERB" and token.dep_ == "amod"):
            return None  # 'occupied areas', 'wounded soldiers': a state, not an event
        if pos == "VERB" and any(c.dep_ == "det" for c in token.children):
            return None  # 'among the injured': people, not an event
        candidates = self.entries.get(lemma, [])
        if not candidates and pos == "NOUN" and token.text.lower() != lemma:
            candidates = self.entries.get(token.text.lower(), [])
        for entry in candidates:
            if pos not in entry.pos:
                continue
            if self._conditions_hold(entry, token):
                return entry
        return None

    def _conditions_hold(self, entry: Entry, token: Token) -> bool:
        cond = entry.conditions
        children = list(token.children)
        if "prep" in cond:
            preps = self.words(cond["prep"])
            if not any(c.dep_ in ("prep", "agent", "dative") and c.lower_ in preps for c in children):
                return False
        if "particle" in cond:
            parts = self.words(cond["particle"])
            if not any(c.dep_ == "prt" and c.lower_ in parts for c in children):
                return False
        if "object" in cond:
            allowed = self.words(cond["object"])
            objects = _objects(token)
            if not objects:
                return False
            if allowed is not None and not any(_names_one_of(o, allowed) for o in objects):
                return False
        if "direct_object" in cond:
            allowed = self.words(cond["direct_object"])
            objects = _objects(token, with_preps=False)
            if not objects or (allowed is not None and not any(_names_one_of(o, allowed) for o in objects)):
                return False
        if "subject_passive" in cond:
            allowed = self.words(cond["subject_passive"])
            subjects = [c for c in children if c.dep_ in PASSIVE_SUBJECT_DEPS]
            if not subjects or (allowed is not None and not any(s.lemma_.lower() in allowed for s in subjects)):
                return False
        if "subject" in cond:
            allowed = self.words(cond["subject"])
            subjects = [c for c in children if c.dep_ in SUBJECT_DEPS]
            if not subjects or (allowed is not None and not any(s.lemma_.lower() in allowed for s in subjects)):
                return False
        if "modifier" in cond:
            allowed = self.words(cond["modifier"])
            mods = [c for c in children if c.dep_ in ("amod", "compound", "nmod", "npadvmod")]
            if not any(m.lemma_.lower() in allowed or m.lower_ in allowed for m in mods):
                return False
        if "not_modifier" in cond:
            banned = self.words(cond["not_modifier"])
            if any(c.dep_ in ("amod", "compound", "nmod", "npadvmod") and (c.lemma_.lower() in banned or c.lower_ in banned)
                   for c in children):
                return False
        if "predicative" in cond:
            allowed = self.words(cond["predicative"])
            preds = [c for c in children if c.dep_ == "oprd"]
            if not preds or (allowed is not None and not any(_names_one_of(c, allowed) for c in preds)):
                return False
        if "governor" in cond:
            allowed = self.words(cond["governor"])
            if token.head.i == token.i or token.head.lemma_.lower() not in allowed:
                return False
        if "not_prep_only" in cond:
            banned = self.words(cond["not_prep_only"])
            preps = [c for c in children if c.dep_ == "prep"]
            if preps and all(p.lower_ in banned for p in preps) and not _objects(token):
                return False
        return True


def _names_one_of(obj: Token, allowed: set[str]) -> bool:
    """The object's noun, or a noun compounded with it ('mediation efforts', 'aid convoys'), is allowed."""
    return obj.lemma_.lower() in allowed or any(
        c.dep_ == "compound" and c.lemma_.lower() in allowed for c in obj.children)


def _objects(token: Token, with_preps: bool = True) -> list[Token]:
    """Objects of a predicate: direct objects (and 'most of X' -> X), infinitive complements, prepositional objects."""
    out = [c for c in token.children if c.dep_ in OBJECT_DEPS or c.dep_ in ("dative",)]
    for c in token.children:
        if c.dep_ in ("xcomp", "ccomp") and c.pos_ in ("VERB", "AUX"):
            out.append(c)
    if with_preps:
        for c in token.children:
            if c.dep_ == "prep":
                out.extend(g for g in c.children if g.dep_ == "pobj")
    expanded = []
    for o in out:
        expanded.append(o)
        expanded.extend(c for c in o.children if c.dep_ == "conj")
        for p in o.children:
            if p.dep_ == "prep" and p.lower_ == "of":
                expanded.extend(g for g in p.children if g.dep_ == "pobj")
    return expanded


def _load_json(text: str) -> dict:
    return json.loads(text)


@lru_cache(maxsize=4)
def load(path: Optional[str] = None) -> Lexicon:
    """The lexicon: the built-in data file, with entries from `path` (or $EVENTWIRE_PLOVER_PREDICATES) first."""
    base = _load_json((DATA_DIR / "plover_predicates.json").read_text("utf-8"))
    extra_path = path or os.environ.get("EVENTWIRE_PLOVER_PREDICATES")
    raw_entries = list(base["predicates"])
    classes = {k: set(v) for k, v in base.get("classes", {}).items()}
    if extra_path:
        try:
            with open(extra_path, encoding="utf-8") as fh:
                extra = json.load(fh)
        except (OSError, ValueError) as exc:
            raise ValueError(f"{extra_path}: cannot read the predicate lexicon ({exc})") from None
        if not isinstance(extra, dict) or not isinstance(extra.get("predicates", []), list):
            raise ValueError(f"{extra_path}: predicates: expected a list of entries")
        for n, raw in enumerate(extra.get("predicates", [])):
            if not isinstance(raw, dict) or not raw.get("lemma") or raw.get("type") not in PLOVER_TYPES:
                raise ValueError(f"{extra_path}: predicates[{n}]: needs a lemma and a type among {', '.join(PLOVER_TYPES)}")
        raw_entries = list(extra.get("predicates", [])) + raw_entries
        for k, v in extra.get("classes", {}).items():
            classes.setdefault(k, set()).update(v)
    entries: dict[str, list[Entry]] = {}
    for raw in raw_entries:
        cond = {k: v for k, v in raw.items() if k not in ("lemma", "pos", "type", "mode", "two_sided", "status")}
        entry = Entry(
            lemma=raw["lemma"].lower(),
            pos=tuple(raw.get("pos", ["VERB", "NOUN"])),
            type=raw["type"],
            mode=raw.get("mode"),
            conditions=cond,
            two_sided=bool(raw.get("two_sided", False)),
            status=raw.get("status"),
        )
        entries.setdefault(entry.lemma, []).append(entry)
    return Lexicon(
        entries=entries,
        classes=classes,
        assault_modes={k: set(v) for k, v in base.get("assault_modes", {}).items()},
        request_modes={k: set(v) for k, v in base.get("request_modes", {}).items()},
        cues={k: set(v) for k, v in base.get("status_cues", {}).items()},
        content_governors=set(base.get("content_governors", [])),
    )
