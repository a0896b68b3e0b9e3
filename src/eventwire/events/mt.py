"""The machine_translation flag: sentences (and articles) that read as machine-translated.

Scraped and machine-translated news reaches eventwire with tell-tale damage. Each sentence is
scored by adding the weights (data/mt_grammar.json) of the signs it shows; a sentence reaching
`sentence_threshold` gets a flag of its own, and an article where many sentences show signs gets
one article-level flag. Signs weaker than 1.0 only flag a sentence together with others, so that
a clean wire report, which may show one of them by accident, stays unflagged.

Signs:
- untranslated fragments: a run of non-Latin letters (Cyrillic, Arabic, ...) in running text
  (weaker inside brackets or quotes, where an original spelling is often given on purpose), a
  word mixing Latin and non-Latin letters, a transliterated function word ('chto', 'dlya', 'wa');
- calques from Russian, Ukrainian and Arabic news (data/mt_calques.json): 'on the territory of',
  'according to the information of', 'stressed on the need', ...; '*' in a phrase is any word;
- grammar breaks in the spaCy parse: a singular count noun with no article as subject, object or
  place ('shelled village'), a plural subject with a singular verb ('the soldiers was'), a gerund
  taking its object with 'of' ('for restoring of the bridge'), a count of times before its verb
  ('38 times shelled'), a time adverb before the object ('visited yesterday the city'), a doubled
  word ('the the'), an article before a preposition ('of the of'), a dangling comma, a capital
  between function words ('of The village'), a lower-case country name, 'which' or 'it' for a person;
- an article where missing articles reach a high share of its count nouns.

What English does on purpose is left alone: titles and headlines (no final stop, or a short
opening sentence without articles), acronym expansions in brackets, 'Aleppo city', hyphenated
words, idioms ('in hospital', 'taken prisoner'), names ('Jo Jo'), a comma-separated 'which'.

Users extend the lists in the two data files, or point EVENTWIRE_MT_LEXICON at a JSON file with
any of their sections: lists are added, weights and thresholds replace the built-in ones.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Optional

from spacy.tokens import Span as SpacySpan, Token

from eventwire.document import Document
from eventwire.entities.lexicon import get_lexicon as entity_lexicon
from eventwire.events.lexicon import DATA_DIR
from eventwire.schema import Flag

ENV_VAR = "EVENTWIRE_MT_LEXICON"
LIST_SECTIONS = ("count_nouns", "person_nouns", "speech_verbs", "doubled_ok", "lowercase_ok", "of_verbs",
                 "number_ok")
SUBJECT_OBJECT_DEPS = {"nsubj", "nsubjpass", "dobj", "obj"}
LOCATIVE_PREPS = {"in", "at", "near", "on", "from", "into", "to", "towards", "toward", "outside", "inside",
                  "around", "onto", "across"}
NOUN_DETERMINERS = {"det", "poss", "nummod", "predet", "quantmod"}
ARTICLES = {"the", "a", "an"}
FUNCTION_POS = {"DET", "ADP", "AUX", "PRON", "CCONJ", "SCONJ", "PART"}
PREPOSITIONS = {"of", "in", "on", "at", "to", "from", "by", "with", "for", "into", "about"}
TIME_ADVERBS = {"today", "yesterday", "tomorrow", "tonight"}
SINGULAR_VERBS = {"is", "was", "has", "does"}
PLURAL_VERBS = {"are", "have"}
OPENING_QUOTES = "«“\"'‘„"
CLOSING_QUOTES = "»”\"'’“"
FINAL_STOPS = ".!?…\"”’»)"

# letters of scripts other than Latin; a run may span several words, quotes and stops
_FOREIGN = (r"\u0370-\u03FF\u0400-\u052F\u0530-\u058F\u0590-\u05FF\u0600-\u06FF\u0750-\u077F\u0900-\u097F"
            r"\u0E00-\u0E7F\u10A0-\u10FF\u3040-\u30FF\u3400-\u4DBF\u4E00-\u9FFF\uAC00-\uD7AF")
SCRIPT_RUN = re.compile(rf"[{_FOREIGN}](?:[{_FOREIGN}\u064B-\u065F\s\-«»“”„\"'.,]*[{_FOREIGN}])?")
MIXED_WORD = re.compile(rf"\b(?=\w*[A-Za-z])(?=\w*[{_FOREIGN}])\w+\b")
WILDCARD = r"[^\W\d_][\w'’-]*"  # '*' in a calque: one word
NUMBER = r"\d[\d,.]*"  # '#' in a calque: one number
DANGLING_COMMA = re.compile(r",\s*[,;:]|,\s*\.(?!\.)|\b(?:the|a|an)\s+,", re.IGNORECASE)


class MTLexiconError(ValueError):
    """A machine-translation lexicon file that cannot be read; the message is one line."""


@dataclass
class MTLexicon:
    calques: dict[str, float] = field(default_factory=dict)
    weights: dict[str, float] = field(default_factory=dict)
    thresholds: dict[str, float] = field(default_factory=dict)
    strong: set[str] = field(default_factory=set)
    weak: set[str] = field(default_factory=set)
    bare_ok: set[tuple[str, str]] = field(default_factory=set)
    lists: dict[str, set[str]] = field(default_factory=lambda: {k: set() for k in LIST_SECTIONS})
    calque_re: Optional[re.Pattern] = None
    calque_order: list[str] = field(default_factory=list)

    def add(self, data: dict, path: Path) -> None:
        """Merge one file's sections into the lexicon."""
        if not isinstance(data, dict):
            raise MTLexiconError(f"eventwire: {path}: expected a JSON object")
        for n, entry in enumerate(data.get("calques", [])):
            if not isinstance(entry, dict) or not isinstance(entry.get("phrase"), str):
                raise MTLexiconError(f"eventwire: {path}: calques[{n}]: expected {{'phrase': ..., 'weight': ...}}")
            self.calques[" ".join(entry["phrase"].lower().split())] = _number(entry.get("weight", 1.0), path,
                                                                             f"calques[{n}].weight")
        for section, target in (("weights", self.weights), ("thresholds", self.thresholds)):
            for key, value in data.get(section, {}).items():
                if not key.startswith("_"):
                    target[key] = _number(value, path, f"{section}.{key}")
        translit = data.get("transliterated", {})
        self.strong |= set(_words(translit.get("strong", []), path, "transliterated.strong"))
        self.weak |= set(_words(translit.get("weak", []), path, "transliterated.weak"))
        for pair in _words(data.get("bare_ok", {}).get("pairs", []), path, "bare_ok.pairs"):
            words = pair.split()
            self.bare_ok.add((" ".join(words[:-1]), words[-1]))
        for section in LIST_SECTIONS:
            self.lists[section] |= set(_words(data.get(section, {}).get("words", []), path, f"{section}.words"))

    def compile(self) -> None:
        """One pattern for all calques, longest first, one group each."""
        self.calque_order = sorted(self.calques, key=len, reverse=True)
        if not self.calque_order:
            self.calque_re = None
            return
        pieces = {"*": WILDCARD, "#": NUMBER}
        alternatives = "|".join("(" + r"\s+".join(pieces.get(w) or re.escape(w) for w in p.split()) + ")"
                                for p in self.calque_order)
        # a lookahead finds overlapping calques too ('the two sides discussed' + 'discussed about')
        self.calque_re = re.compile(rf"(?<![\w-])(?=(?:{alternatives})(?![\w-]))", re.IGNORECASE)

    def weight(self, kind: str) -> float:
        return self.weights.get(kind, 1.0)


def _number(value, path: Path, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise MTLexiconError(f"eventwire: {path}: {key}: expected a number, got {value!r}")
    return float(value)


def _words(value, path: Path, key: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(w, str) for w in value):
        raise MTLexiconError(f"eventwire: {path}: {key}: expected a list of strings")
    return [w.lower() for w in value]


def _read(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise MTLexiconError(f"eventwire: {path}: cannot read the machine-translation lexicon ({reason})") from None


def load_lexicon(extra: Optional[Path] = None) -> MTLexicon:
    """The built-in lexicon, with the sections of `extra` (if given) merged in."""
    lex = MTLexicon()
    for path in (DATA_DIR / "mt_calques.json", DATA_DIR / "mt_grammar.json") + ((Path(extra),) if extra else ()):
        lex.add(_read(path), path)
    lex.compile()
    return lex


@lru_cache(maxsize=4)
def _cached_lexicon(extra: Optional[str]) -> MTLexicon:
    return load_lexicon(Path(extra) if extra else None)


def get_lexicon() -> MTLexicon:
    return _cached_lexicon(os.environ.get(ENV_VAR) or None)


@dataclass(frozen=True)
class Sign:
    """One sign of machine translation: where, what, and how much it weighs."""

    start: int
    end: int
    kind: str
    text: str
    weight: float


# -- the signs --------------------------------------------------------------------------------


def _script_signs(text: str, lex: MTLexicon) -> list[Sign]:
    signs = []
    for m in SCRIPT_RUN.finditer(text):
        if m.end() - m.start() == 1 and not _standalone(text, m.start(), m.end()):
            continue  # one letter inside a token: 'آ£44' is a decoding slip, not a word
        kind = "script_run_glossed" if _glossed(text, m.start(), m.end()) else "script_run"
        signs.append(Sign(m.start(), m.end(), kind, f"untranslated {_script_name(m.group())} '{m.group()}'",
                          lex.weight(kind)))
    for m in MIXED_WORD.finditer(text):
        signs.append(Sign(m.start(), m.end(), "mixed_script_word", f"word mixing scripts '{m.group()}'",
                          lex.weight("mixed_script_word")))
    return signs


def _standalone(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return before.isspace() and (after.isspace() or after in ",.;:")


def _glossed(text: str, start: int, end: int) -> bool:
    """An original spelling given on purpose: inside brackets, wrapped in quotes, or a handle or tag."""
    if start and text[start - 1] in "@＠#":
        return True
    for opening, closing in ("()", "[]"):
        before = text.rfind(opening, max(0, start - 80), start)
        if before > text.rfind(closing, 0, start):
            after = text.find(closing, end, end + 80)
            if after != -1 and opening not in text[end:after]:
                return True
    before = text[:start].rstrip()[-1:]
    after = text[end:].lstrip()[:1]
    return bool(before) and before in OPENING_QUOTES and bool(after) and after in CLOSING_QUOTES


def _script_name(fragment: str) -> str:
    for ch in fragment:
        if ch.isalpha():
            try:
                word = unicodedata.name(ch).split()[0]
                return word if len(word) <= 3 else word.title()  # 'CJK', 'Cyrillic'

            except ValueError:
                break
    return "script"


def _calque_signs(text: str, lex: MTLexicon) -> list[Sign]:
    if lex.calque_re is None:
        return []
    out: list[Sign] = []
    for m in lex.calque_re.finditer(text):
        group = m.lastindex
        start, end = m.start(group), m.end(group)
        if out and end <= out[-1].end:
            continue  # 'so-named' inside 'the so-named'
        found = " ".join(text[start:end].split())
        out.append(Sign(start, end, "calque", f"calque '{found}'", lex.calques[lex.calque_order[group - 1]]))
    return out


def _punctuation_signs(text: str, lex: MTLexicon) -> list[Sign]:
    return [Sign(m.start(), m.end(), "dangling_comma", f"dangling comma '{m.group().strip()}'",
                 lex.weight("dangling_comma")) for m in DANGLING_COMMA.finditer(text)]


def _is_headline(sent: SpacySpan) -> bool:
    """A headline or dateline: no final stop (articles are dropped there on purpose)."""
    stripped = sent.text.rstrip()
    return not stripped or stripped[-1] not in FINAL_STOPS


def _sign(t: Token, kind: str, what: str, lex: MTLexicon, last: Optional[Token] = None) -> Sign:
    end_tok = last if last is not None else t
    return Sign(t.idx, end_tok.idx + len(end_tok.text), kind, what, lex.weight(kind))


def _bare_count_noun(t: Token, lex: MTLexicon) -> Optional[bool]:
    """For a singular count noun as subject, object or place: True when it stands bare, False when
    it has a determiner; None for any other token."""
    if t.lower_ not in lex.lists["count_nouns"] or t.ent_type_:
        return None
    if t.tag_ != "NN" and not (t.tag_ == "NNP" and t.is_sent_start and t.i + 1 < len(t.doc)
                               and t.nbor(1).tag_ in ("VBD", "VBZ", "VBP", "MD")):
        return None  # a capitalised opening noun counts when a verb follows ('Enemy struck ...')
    if t.dep_ in SUBJECT_OBJECT_DEPS:
        head = t.head.lemma_.lower()
    elif t.dep_ == "pobj" and t.head.lower_ in LOCATIVE_PREPS and t.head.head.lower_ != t.lower_:
        head = t.head.lower_  # ('from village to village' is English)
    else:
        return None
    if (head, t.lower_) in lex.bare_ok:
        return None
    prev = t.nbor(-1) if t.i else None
    if prev is not None and (prev.tag_ in ("NNP", "NNPS") or (prev.text in "-–" and not prev.whitespace_)):
        return None  # 'Aleppo city', 'Bemal village', 'counter-attack'
    before = t.doc[t.left_edge.i:t.i]
    return not any(w.dep_ in NOUN_DETERMINERS or w.dep_ == "compound" or w.tag_ in ("PRP$", "WP$", "CD", "POS")
                   for w in before)


def _gerund_of(t: Token, lex: MTLexicon) -> bool:
    """'on restoring of the supply': a gerund after a preposition taking its object with 'of'."""
    if t.tag_ != "VBG" or t.i == 0 or t.i + 2 >= len(t.doc) or t.nbor(1).lower_ != "of":
        return False
    return t.nbor(-1).tag_ == "IN" and t.lemma_.lower() not in lex.lists["of_verbs"] and t.nbor(2).is_alpha


def _word_order_sign(t: Token, lex: MTLexicon) -> Optional[Sign]:
    """'the enemy 38 times shelled': a count of times before its verb; 'visited yesterday the city':
    a time adverb between a verb and its object."""
    if t.lower_ == "times" and 0 < t.i < len(t.doc) - 1 and t.nbor(-1).like_num:
        verb = t.nbor(1)
        if verb.tag_ in ("VBD", "VBZ", "VBP") and verb.pos_ == "VERB":
            what = f"count before its verb '{t.nbor(-1).text} times {verb.text}'"
            return _sign(t.nbor(-1), "count_before_verb", what, lex, last=verb)
    if t.lower_ in TIME_ADVERBS and t.dep_ == "npadvmod" and t.head.pos_ == "VERB" and t.head.i < t.i:
        obj = next((c for c in t.head.children if c.dep_ == "dobj" and c.i > t.i), None)
        if obj is not None:
            return _sign(t, "adverb_before_object", f"'{t.text}' before the object '{obj.text}'", lex)
    return None


def _finite_verb(t: Token) -> Optional[Token]:
    """The finite verb agreeing with subject `t`: its head's first auxiliary, or the head."""
    head = t.head
    auxes = [c for c in head.children if c.dep_ in ("aux", "auxpass") and c.i < head.i]
    return auxes[0] if auxes else head


def _plural(t: Token) -> bool:
    return t.tag_ == "NNS" and t.lemma_.lower() != t.lower_ and not t.lower_.endswith("ss")


def _disagreeing_verb(t: Token, lex: MTLexicon) -> Optional[Token]:
    """The verb that disagrees in number with subject `t` ('the soldiers was'), or None.

    Only plain cases count: a lower-case noun subject, not coordinated, with nothing but words
    between it and its verb (a comma or dash there often hides a subject the parse missed)."""
    if t.dep_ not in ("nsubj", "nsubjpass") or not t.text.islower() or t.ent_type_:
        return None
    if t.lower_ in lex.lists["number_ok"] or any(c.dep_ in ("conj", "cc", "appos") for c in t.children):
        return None  # 'the data is', 'the army and police are'
    if t.lemma_.lower() not in lex.lists["person_nouns"] and any(c.dep_ == "nummod" or c.tag_ == "CD"
                                                                 for c in t.children):
        return None  # 'five years is a long time'; 'two residents was wounded' stays a sign
    if any(w.lower_.endswith("ing") and w.tag_ in ("VBG", "NN") for w in t.doc[max(t.left_edge.i - 1, 0):t.i]):
        return None  # 'Closing schools is one response': the subject is the gerund
    verb = _finite_verb(t)
    if verb.i < t.i or any(not w.is_alpha for w in t.doc[t.i + 1:verb.i]):
        return None  # inverted order ('there is', 'among them are'), or punctuation in between
    if _plural(t) and verb.lower_ in SINGULAR_VERBS:
        return verb
    if t.tag_ == "NN" and t.lower_ in lex.lists["person_nouns"] and verb.lower_ in PLURAL_VERBS:
        return verb
    return None


def _which_for_person(t: Token, lex: MTLexicon) -> bool:
    if t.lower_ != "which" or t.tag_ != "WDT" or t.head.dep_ != "relcl":
        return False
    # restrictive only: after a comma 'which' often stands for the whole clause before it
    prev = t.nbor(-1) if t.i > 0 else None
    return prev is not None and prev == t.head.head and prev.lemma_.lower() in lex.lists["person_nouns"] \
        and prev.tag_ in ("NN", "NNS")


def _it_for_person(t: Token, previous: list[Token], lex: MTLexicon) -> bool:
    """'it' as the subject of a verb of people, when the last subject named before it was a person."""
    if t.lower_ != "it" or t.dep_ not in ("nsubj", "nsubjpass"):
        return False
    if t.head.lemma_.lower() not in lex.lists["speech_verbs"]:
        return False
    earlier = [s for s in previous if s.i < t.i and s.pos_ != "PRON"]
    if not earlier:
        return False
    last = earlier[-1]
    return last.tag_ == "NN" and last.lemma_.lower() in lex.lists["person_nouns"] or last.ent_type_ == "PERSON"


def _capitalisation_sign(t: Token, lex: MTLexicon, countries: set[str], first: int) -> Optional[Sign]:
    if not (t.text[:1].isupper() or t.text in countries):
        return None
    if t.i == first or t.i + 1 >= len(t.doc) or not t.is_alpha:
        return None
    prev, nxt = t.nbor(-1), t.nbor(1)
    if not (prev.is_alpha and prev.text.islower()):
        return None
    # 'of The village': a capital between two function words; after a content word it is more often
    # a headline or caption run into the text ('... grant After an audit')
    if (t.text.istitle() and t.text != "I" and t.pos_ in FUNCTION_POS and prev.pos_ in FUNCTION_POS
            and not t.ent_type_ and nxt.is_alpha and nxt.text.islower()):
        return _sign(t, "capitalised_function_word", f"capital letter mid-sentence '{t.text}'", lex)
    if t.text.islower() and not t.is_stop and t.text in countries and t.text not in lex.lists["lowercase_ok"]:
        return _sign(t, "lowercase_country", f"country name in lower case '{t.text}'", lex)
    return None


@lru_cache(maxsize=1)
def _country_words() -> frozenset[str]:
    """One-word country names and demonyms of the entity lexicon, lower-case."""
    elex = entity_lexicon()
    return frozenset(elex.demonyms) | {n for n in elex.country_names if " " not in n}


def _token_signs(document: Document, lex: MTLexicon, nouns: Counter) -> list[Sign]:
    """Signs read from the parse; `nouns` counts count nouns standing bare (True) and with a determiner."""
    countries = _country_words()
    doc = document.doc
    signs: list[Sign] = []
    subjects: list[Token] = []  # subjects of the previous and current sentence, for 'it'
    for sent in doc.sents:
        headline = _is_headline(sent)
        # a short opening sentence without articles is most likely the title run into the text
        title = headline or (sent.start == 0 and len(sent) <= 15 and not any(w.lower_ in ARTICLES for w in sent))
        current: list[Token] = []
        depth = 0  # inside brackets: expansions of acronyms drop their articles
        weak_seen = False  # weak transliterations count once a sentence (a quoted Tagalog line has many)
        for t in sent:
            low = t.lower_
            if t.is_alpha and t.text.islower() and not headline and _between_words(t):
                if low in lex.strong:
                    signs.append(_sign(t, "transliterated_strong", f"transliterated word '{t.text}'", lex))
                elif low in lex.weak and not weak_seen:
                    weak_seen = True
                    signs.append(_sign(t, "transliterated_weak", f"transliterated word '{t.text}'", lex))
            depth += (t.text in "([") - (t.text in ")]")
            bare = None if title or depth > 0 else _bare_count_noun(t, lex)  # '(vehicle borne ...)'

            if bare is not None:
                nouns[bare] += 1
            if bare:
                signs.append(_sign(t, "bare_count_noun", f"no article before '{t.text}'", lex))
            if _gerund_of(t, lex):
                signs.append(_sign(t, "gerund_of", f"gerund with 'of' '{t.text} of'", lex, last=t.nbor(1)))
            order = _word_order_sign(t, lex) if t.lower_ in TIME_ADVERBS or t.lower_ == "times" else None
            if order is not None:
                signs.append(order)
            verb = _disagreeing_verb(t, lex) if t.pos_ == "NOUN" else None
            if verb is not None:
                signs.append(_sign(t, "number_disagreement", f"subject and verb disagree '{t.text} ... {verb.text}'",
                                   lex, last=verb))
            if t.i > sent.start and _doubled(t, sent.start) and low not in lex.lists["doubled_ok"]:
                signs.append(_sign(t.nbor(-1), "doubled_word", f"doubled word '{t.nbor(-1).text} {t.text}'", lex,
                                   last=t))
            if low in ARTICLES and t.i + 2 < len(doc) and t.nbor(1).lower_ in PREPOSITIONS \
                    and t.nbor(2).text not in ("-", "–") and not t.nbor(1).whitespace_ == "":
                signs.append(_sign(t, "article_before_preposition",
                                   f"article before a preposition '{t.text} {t.nbor(1).text}'", lex, last=t.nbor(1)))
            cap = _capitalisation_sign(t, lex, countries, sent.start)
            if cap is not None:
                signs.append(cap)
            if _which_for_person(t, lex):
                signs.append(_sign(t, "which_for_person", f"'which' for a person '{t.nbor(-1).text} {t.text}'", lex))
            if _it_for_person(t, subjects + current, lex):
                signs.append(_sign(t, "it_for_person", "'it' for a person", lex))
            if t.dep_ in ("nsubj", "nsubjpass"):
                current.append(t)
        subjects = current
    return signs


def _doubled(t: Token, first: int) -> bool:
    """'the the', 'The the': a lower-case word repeated (names such as 'Jo Jo' are left alone)."""
    prev = t.nbor(-1)
    if not (t.is_alpha and t.text.islower() and prev.lower_ == t.text):
        return False
    if not (prev.text.islower() or prev.i == first):
        return False
    return not (prev.i > 0 and prev.nbor(-1).text in ("-", "–"))  # 'a break-in in May'


def _between_words(t: Token) -> bool:
    """A token standing between two lower-case words (not a list marker, initial or abbreviation)."""
    if t.i == 0 or t.i + 1 >= len(t.doc):
        return False
    prev, nxt = t.nbor(-1), t.nbor(1)
    return (prev.is_alpha and prev.text.isascii() and nxt.is_alpha and nxt.text.islower()
            and t.whitespace_ != "" and prev.whitespace_ != "")


# -- scoring ----------------------------------------------------------------------------------


def latin_share(text: str) -> float:
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return 1.0
    latin = sum(1 for ch in letters if ch < "\u0250" or "\u1E00" <= ch <= "\u1EFF")
    return latin / len(letters)


def machine_translation_signs(document: Document, lex: Optional[MTLexicon] = None,
                              nouns: Optional[Counter] = None) -> dict[int, list[Sign]]:
    """Signs of machine translation by sentence index (into report.sentences). `nouns`, when given,
    receives the count of singular count nouns standing bare (True) and with a determiner (False)."""
    lex = lex or get_lexicon()
    text = document.text
    signs = _script_signs(text, lex) + _calque_signs(text, lex) + _punctuation_signs(text, lex)
    signs += _token_signs(document, lex, nouns if nouns is not None else Counter())
    by_sentence: dict[int, list[Sign]] = defaultdict(list)
    seen = set()
    for s in sorted(signs, key=lambda s: (s.start, s.end)):
        key = (s.start, s.end, s.kind)
        if key not in seen:
            seen.add(key)
            by_sentence[document.sentence_index(s.start)].append(s)
    return dict(by_sentence)


def _score(signs: list[Sign]) -> float:
    return round(sum(s.weight for s in signs), 3)


def _describe(signs: list[Sign], limit: int = 3) -> str:
    parts = list(dict.fromkeys(s.text for s in signs))
    more = f" (+{len(parts) - limit} more)" if len(parts) > limit else ""
    return "; ".join(parts[:limit]) + more


def machine_translation_flags(document: Document) -> list[Flag]:
    """Flags for the sentences that read as machine-translated, and one for the article when many do."""
    lex = get_lexicon()
    if latin_share(document.text) < lex.thresholds.get("min_latin_share", 0.6):
        return []  # not English text: nothing to say about its translation
    nouns: Counter = Counter()
    signs = machine_translation_signs(document, lex, nouns)
    sentences = document.report.sentences
    threshold = lex.thresholds.get("sentence_threshold", 1.0)
    flags: list[Flag] = []
    flagged, signalled = [], []
    for i in sorted(signs):
        score = _score(signs[i])
        span = _sentence_span(document, i)
        signalled.append(span)
        if score >= threshold:
            flagged.append(span)
            flags.append(Flag(kind="machine_translation",
                              message=f"sentence reads as machine-translated (score {score:g}): {_describe(signs[i])}",
                              spans=[span]))
    counted = sum(1 for s in sentences if len(document.text[s.start:s.end].split()) >= 3) or 1
    many_flagged = (len(flagged) >= lex.thresholds.get("article_min_flagged", 2)
                    and len(flagged) / counted >= lex.thresholds.get("article_flagged_share", 0.2))
    many_signalled = (len(signalled) >= lex.thresholds.get("article_min_signalled", 3)
                      and len(signalled) / counted >= lex.thresholds.get("article_signalled_share", 0.4))
    bare_share = nouns[True] / ((nouns[True] + nouns[False]) or 1)
    articles_missing = (nouns[True] >= lex.thresholds.get("article_min_bare_nouns", 3)
                        and bare_share >= lex.thresholds.get("article_bare_noun_share", 0.3))
    if many_flagged or many_signalled or articles_missing:
        kinds = sorted({s.kind for group in signs.values() for s in group})
        missing = (f"; {nouns[True]} of {nouns[True] + nouns[False]} count nouns lack an article"
                   if articles_missing else "")
        flags.append(Flag(kind="machine_translation",
                          message=(f"article reads as machine-translated: {len(signalled)} of {counted} sentences "
                                   f"show signs ({len(flagged)} strongly): "
                                   f"{', '.join(k.replace('_', ' ') for k in kinds)}{missing}"),
                          spans=signalled))
    return flags


def _sentence_span(document: Document, i: int):
    sent = document.report.sentences[i]
    text = document.text[sent.start:sent.end]
    return document.span(sent.start, sent.start + len(text.rstrip()))
