"""The entity stage: find mentions, read titles, join the mentions of one referent.

Order of work over one document (geo has already run):
1. people: runs of capitalised words that are a name (spaCy PERSON, or a known given name, or
   a rank before it), with the title before the name ("Luhansk Governor", "the country's
   commander-in-chief,") or in an apposition after it (", head of the ... administration,");
2. people are joined across spellings (full names by surname and given name, then surname-only
   mentions anywhere in the text);
3. organisations: known institutions, spaCy ORG spans, capitals geo marked as metonyms;
4. groups: noun phrases headed by a sector word ("Russian forces", "local authorities"),
   an unnamed single person ("a senior Russian commander") kept as a person of its own;
5. countries acting (subject, object, possessor) become entities of kind `place`.
Each mention belongs to one entity; earlier kinds win overlaps.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

from spacy.tokens import Token

from eventwire.claims.reported import in_dateline
from eventwire.document import Document
from eventwire.entities.lexicon import Lexicon, get_lexicon
from eventwire.entities.names import compatible_given, is_variant, same_word
from eventwire.entities.sides import analyse, iso3, stop_offset, strip_determiner
from eventwire.geo.fold import fold
from eventwire.schema import Entity, Flag, Span

_BREAKS = {",", ";", ".", "(", ")", "—", "–", '"', "“", "”", ":", "!", "?"}
_MOD_DEPS = {"det", "amod", "compound", "nummod", "poss", "quantmod", "advmod", "npadvmod", "case", "nmod",
             "predet", "punct"}
_QUANT_WORDS = {"more", "several", "some", "many", "about", "around", "nearly", "almost", "few", "other", "all",
                "both", "hundreds", "thousands", "dozens", "most", "least", "only", "at", "up", "to", "over",
                "than", "under", "fewer", "less"}
_PLACE_POSSESSIVE = re.compile(r"\b(?:city|town|village|region|province|oblast|district)(?:'s|’s)", re.I)
_ACTOR_DEPS = {"nsubj", "nsubjpass", "dobj", "dative", "poss", "agent", "iobj", "appos"}
_ACTOR_PREPS = {"by", "against", "with", "between", "from"}


@dataclass
class Mention:
    start: int
    end: int
    text: str
    kind: str
    name: str
    key: tuple
    country: Optional[str] = None
    sector: Optional[str] = None
    title: Optional[str] = None
    given: Optional[str] = None
    surname: Optional[str] = None
    lemma: Optional[str] = None  # head lemma of a group phrase
    bare: bool = False  # a group phrase that is just 'the' + head ('the army')

    def rekey(self) -> None:
        if self.kind == "group" and self.key[0] == "group":
            local = ("local",) if self.key[-1] == "local" else ()
            self.key = _group_key(self.country, self.sector, self.lemma) + local


def _group_key(country: Optional[str], sector: Optional[str], lemma: Optional[str]) -> tuple:
    """Groups of one side are one referent ('Russian troops', 'Russian forces'); without a full side,
    groups are told apart by their head word."""
    if country and sector:
        return ("group", country, sector)
    return ("group", country, sector, lemma)


@dataclass
class Cluster:
    kind: str
    mentions: list[Mention] = field(default_factory=list)
    title: Optional[str] = None
    country: Optional[str] = None
    sector: Optional[str] = None
    name: Optional[str] = None

    @property
    def first(self) -> int:
        return min(m.start for m in self.mentions)

    def add(self, m: Mention) -> None:
        self.mentions.append(m)
        if self.title is None and m.title:
            self.title = m.title
        self.country = self.country or m.country
        self.sector = self.sector or m.sector


class _Context:
    def __init__(self, document: Document, lex: Lexicon):
        self.document, self.doc, self.lex = document, document.doc, lex
        self.places = {p.id: p for p in document.report.places}
        geo = document.notes.get("geo") or {}
        found = {tuple(x) for x in geo.get("mentions", [])}
        found |= {(m.start, m.end, p.id) for p in document.report.places for m in p.mentions}
        self.place_mentions = sorted(found)
        self.metonyms = set(geo.get("metonyms", [])) | {p.id for p in document.report.places if p.metonym}
        self.tok_place: dict[int, str] = {}
        self._institutions: dict[int, tuple] = {}
        # a name in the institutions lexicon is an actor even where geo resolved it as a place
        inst_spans = set()
        self.inst_tokens: set[int] = set()
        for t in self.doc:
            inst, end_i = self.institution_at(t.i)
            if inst is not None:
                inst_spans.add((t.idx, _tok_end(self.doc[end_i - 1])))
                self.inst_tokens.update(range(t.i, end_i))
        self.place_mentions = [m for m in self.place_mentions
                               if not any(s <= m[0] and m[1] <= e for s, e in inst_spans)]
        for start, end, pid in self.place_mentions:
            span = self.doc.char_span(start, end, alignment_mode="expand")
            if span is not None:
                for t in span:
                    self.tok_place[t.i] = pid
        self.country_mentions = [(s, iso3(self.places[pid].country)) for s, e, pid in self.place_mentions
                                 if pid in self.places and self.places[pid].feature == "country"
                                 and pid not in self.metonyms]
        self.country_starts = [s for s, _ in self.country_mentions]
        self.taken: list[tuple[int, int]] = []
        self.title_spans: list[tuple[int, int]] = []
        self.place_names = {fold(m.text) for p in document.report.places for m in p.mentions}
        self.capitals: list[tuple[int, int, str, Optional[str]]] = []  # capitals acting, geo missed them

    def place_iso3(self, start: int, end: int) -> list[tuple[int, int, Optional[str]]]:
        out = []
        for s, e, pid in self.place_mentions:
            if s >= start and e <= end and pid in self.places and pid not in self.metonyms:
                out.append((s - start, e - start, iso3(self.places[pid].country)))
        return out

    def country_before(self, offset: int) -> Optional[str]:
        i = bisect.bisect_left(self.country_starts, offset)
        return self.country_mentions[i - 1][1] if i else None

    def side(self, start: int, end: int, title: bool = False):
        country, sector = analyse(self.document.text[start:end], self.lex, self.place_iso3(start, end),
                                  self.country_before(start), title=title)
        if country is None and _PLACE_POSSESSIVE.search(self.document.text[start:end]):
            country = self.country_near(start, local=True)  # "the city's military administration"
        if country is None and title:
            country = self._gazetteer_country(start, end)
        return country, sector

    def _gazetteer_country(self, start: int, end: int) -> Optional[str]:
        """Country of a region or city word in a title that geo left alone ('Luhansk Governor'),
        when every sizeable place of that name lies in one country."""
        from eventwire.geo import get_gazetteer

        limit = start + stop_offset(self.document.text[start:end], self.lex)
        span = self.doc.char_span(start, end, alignment_mode="expand")
        for t in span if span is not None else ():
            if t.idx >= limit:
                break
            if (not _cap(t) or t.lower_ in self.lex.roles or t.lower_ in self.lex.title_modifiers
                    or t.text in self.lex.not_name_words or t.i + 1 >= len(self.doc)
                    or self.doc[t.i + 1].lower_ not in self.lex.roles):
                continue
            entries = [e for e in get_gazetteer().lookup(t.text, loose=False)
                       if e.feature in ("admin1", "country") or e.population >= 50_000]
            countries = {e.country for e in entries}
            if len(countries) == 1:
                return iso3(countries.pop())
        return None

    def country_near(self, offset: int, local: bool = False) -> Optional[str]:
        """Country of the resolved place nearest before `offset` in its sentence, else after it in
        the sentence, else the last one in the sentence before. `local`: only places inside a
        country count (a country named nearby may be a foreign actor: 'turn to Russia')."""
        sentence = self.document.sentence_index
        here = sentence(offset)
        placed = [(s, iso3(self.places[pid].country)) for s, e, pid in self.place_mentions
                  if pid in self.places and pid not in self.metonyms and self.places[pid].country
                  and not (local and self.places[pid].feature == "country")]
        same = [(s, c) for s, c in placed if sentence(s) == here]
        before = [x for x in same if x[0] < offset]
        if before:
            return before[-1][1]
        if same:
            return same[0][1]
        previous = [(s, c) for s, c in placed if sentence(s) == here - 1]
        if previous:
            return previous[-1][1]
        if not local:
            return None
        # the one country the story is in: every place it names, countries included, lies there
        countries = {iso3(self.places[pid].country) for _, _, pid in self.place_mentions
                     if pid in self.places and self.places[pid].country and pid not in self.metonyms}
        return countries.pop() if len(countries) == 1 else None

    def free(self, start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in self.taken)

    def take(self, start: int, end: int) -> None:
        self.taken.append((start, end))

    def is_place_token(self, t: Token) -> bool:
        return t.i in self.tok_place and self.tok_place[t.i] not in self.metonyms

    def institution_at(self, i: int):
        """(institution, end token index) for an institution name starting at token i."""
        found = self._institutions.get(i)
        if found is None:
            found = self._institutions[i] = self._find_institution(i)
        return found

    def _find_institution(self, i: int):
        doc, lex = self.doc, self.lex
        if _fold_word(doc[i].text) not in lex.institution_starts:
            return None, i
        if self._inside_longer_name(i):
            return None, i  # 'Ta'ang National Liberation Army' is not the 'National Liberation Army'
        for n in (5, 4, 3, 2, 1):
            if i + n > len(doc):
                continue
            span = doc[i:i + n]
            if any(t.is_punct and t.text != "-" or t.is_space for t in span):
                continue
            key = fold(span.text)
            inst = lex.institutions.get(key)
            if inst and (span.text[:1].isupper() or span.text[:1].isdigit() or key in lex.lowercase_aliases):
                if inst.capitalised and (i == 0 or doc[i - 1].lower_ != "the"):
                    continue
                return inst, i + n
        return None, i


    def _inside_longer_name(self, i: int) -> bool:
        """A known name preceded by a proper name that is no country, demonym or place begins inside a
        longer name of another body."""
        if i == 0:
            return False
        prev = self.doc[i - 1]
        if prev.pos_ != "PROPN" or not prev.text[:1].isupper() or prev.is_sent_start:
            return False
        if self.lex.demonym_country(prev.text) or self.lex.country_of_name(prev.text):
            return False
        return not self.is_place_token(prev)


@lru_cache(maxsize=8192)
def _fold_word(word: str) -> str:
    return fold(word).split(" ")[0] if word.strip() else ""


def _cap(t: Token) -> bool:
    return t.text[:1].isupper() and (t.is_alpha or "-" in t.text or "." in t.text)


def _tok_end(t: Token) -> int:
    return t.idx + len(t.text)


# -- people --------------------------------------------------------------------------------------

def _is_title_word(ctx: _Context, t: Token) -> bool:
    low, lex = t.lower_, ctx.lex
    return (low in lex.roles or low in lex.title_modifiers or low in lex.honorifics or low in ("-", "'s", "’s")
            or lex.demonym_country(t.text) is not None or ctx.is_place_token(t)
            or ctx.institution_at(t.i)[0] is not None
            or (t.pos_ == "PROPN" and _cap(t) and t.text not in lex.not_name_words))


def _has_role(ctx: _Context, tokens) -> bool:
    return any(t.lower_ in ctx.lex.roles for t in tokens)


def _pre_title(ctx: _Context, i: int) -> Optional[tuple[int, int]]:
    """Character bounds of a title written before the name starting at token i."""
    doc = ctx.doc
    sent_start = doc[i].sent.start
    k = i - 1
    apposition = k >= sent_start and doc[k].text == ","
    if apposition:
        k -= 1
    first = None
    last = i - 2 if apposition else i - 1
    while k >= sent_start and (_is_title_word(ctx, doc[k]) or _modifies_title(doc[k], k, last)):
        first = k
        k -= 1
    while first is not None and first <= last and doc[first].lower_ in ("of", "in", "-", "'s", "’s", "for"):
        first += 1  # 'supporters of former Prime Minister X': the title starts after 'of'
    if apposition and (first is None or first > last or doc[last].lower_ not in ctx.lex.roles):
        return _role_phrase_before(ctx, last)
    if first is None or first > last:
        return None
    tokens = doc[first:last + 1]
    if not _has_role(ctx, tokens):
        return None
    if k >= sent_start and doc[k].lower_ == "the" and doc[first].lower_ in ("country", "nation"):
        first = k
    return doc[first].idx, _tok_end(doc[last])


def _role_phrase_before(ctx: _Context, last: int) -> Optional[tuple[int, int]]:
    """'A spokesman for the Israeli military, Daniel Hagari, said': a noun phrase ending at token
    `last`, right before the comma and the name, headed by a role word."""
    doc = ctx.doc
    sent_start = doc[last].sent.start if last >= 0 else 0
    role = None
    k = last
    while k >= sent_start and last - k < 12 and doc[k].text not in _BREAKS and doc[k].pos_ not in ("VERB", "AUX"):
        if doc[k].lower_ in ctx.lex.roles and doc[k].pos_ in ("NOUN", "PROPN"):
            role = k
        k -= 1
    if role is None:
        return None
    first = max(doc[role].left_edge.i, k + 1)
    return doc[first].idx, _tok_end(doc[last])


def _modifies_title(t: Token, k: int, last: int) -> bool:
    """A lower-case modifier inside a title ('human rights' in 'Ukraine's human rights ombudsman')."""
    return t.dep_ in ("compound", "amod", "nmod") and k < t.head.i <= last and t.is_alpha


def _post_title(ctx: _Context, j: int) -> Optional[tuple[int, int]]:
    """Character bounds of an apposition after the name ending at token j: ', the leader of ...,'."""
    doc = ctx.doc
    if j + 2 >= len(doc) or doc[j + 1].text != ",":
        return None
    sent_end = doc[j].sent.end
    k = j + 2
    while k < sent_end and doc[k].lower_ in ("the", "a", "an"):
        k += 1
    start = k
    head = None
    while k < min(sent_end, start + 4):
        if doc[k].lower_ in ctx.lex.roles:
            head = k
            break
        if doc[k].pos_ not in ("ADJ", "PROPN", "NOUN", "PUNCT", "ADV") or doc[k].text in _BREAKS:
            break
        k += 1
    if head is None:
        return None
    end = head
    k = head + 1
    while k < sent_end and k < head + 20 and doc[k].text not in _BREAKS:
        if doc[k].pos_ in ("VERB", "AUX") and doc[k].dep_ not in ("amod", "acl"):
            break
        end = k
        k += 1
    return doc[start].idx, _tok_end(doc[end])


def _glue(ctx: _Context, k: int) -> bool:
    """A lower-case particle or a hyphen written inside a name."""
    if k <= 0:
        return False
    t = ctx.doc[k]
    if t.lower_ in ctx.lex.name_particles:
        return True
    return t.text == "-" and not ctx.doc[k - 1].whitespace_ and not t.whitespace_


def _person_runs(ctx: _Context) -> list[Mention]:
    doc, lex = ctx.doc, ctx.lex
    out: list[Mention] = []
    i = 0
    while i < len(doc):
        if not _cap(doc[i]):
            i += 1
            continue
        j = i
        sent_end = doc[i].sent.end
        while j + 1 < sent_end:
            if _cap(doc[j + 1]):
                j += 1
            elif _glue(ctx, j + 1) and j + 2 < sent_end and (_cap(doc[j + 2]) or _glue(ctx, j + 2)):
                j += 1  # 'Bashar al-Assad', 'Ursula von der Leyen', 'Jean-Yves Le Drian'
            else:
                break
        mention = _person_in_run(ctx, i, j)
        if mention:
            out.append(mention)
        i = j + 1
    return out


def _paired_with_person(ctx: _Context, last: Token, tokens) -> bool:
    """'detained Win Myint and Aung San Suu Kyi': a run of proper nouns joined by 'and' to a person's
    name is a person too (the run itself has no word of a body: that was checked before)."""
    if not all(t.tag_ == "NNP" for t in tokens):
        return False
    partners = [c for c in last.children if c.dep_ == "conj"] + ([last.head] if last.dep_ == "conj" else [])
    for p in partners:
        first = min([c for c in p.children if c.dep_ == "compound" and c.i < p.i] + [p], key=lambda t: t.i)
        if p.ent_type_ == "PERSON" or fold(first.text) in ctx.lex.given_names:
            return True
    return False


_PLACE_PREPOSITIONS = {"at", "in", "near", "outside", "around", "into", "towards", "toward", "inside", "across"}


def _person_in_run(ctx: _Context, i: int, j: int) -> Optional[Mention]:
    doc, lex = ctx.doc, ctx.lex
    stripped_role = False
    while i <= j:
        t = doc[i]
        low = t.lower_.rstrip(".")
        if (t.text in lex.not_name_words or low in lex.honorifics or t.lower_ in lex.roles
                or t.lower_ in lex.title_modifiers or lex.demonym_country(t.text) or lex.country_of_name(t.text)
                or ctx.is_place_token(t) or t.i in ctx.inst_tokens):
            stripped_role = t.lower_ in lex.roles or low in lex.honorifics
            i += 1
            continue
        break
    roles_inside = [r for r in range(i, j) if doc[r].lower_ in lex.roles]  # 'Luhansk Governor Serhiy Haidai'
    if roles_inside:
        i, stripped_role = roles_inside[-1] + 1, True
    while j >= i and (doc[j].text in lex.not_name_words or (ctx.is_place_token(doc[j]) and not _glue(ctx, j - 1))):
        j -= 1
    if j < i or sum(not _glue(ctx, k) for k in range(i, j + 1)) > 4:
        return None
    tokens = doc[i:j + 1]
    if any((ctx.is_place_token(t) and not _glue(ctx, t.i - 1)) or t.lower_ in lex.group_heads or t.lower_ in lex.roles
           or lex.demonym_country(t.text) or t.i in ctx.inst_tokens or t.lower_ in lex.org_words for t in tokens):
        return None
    spacy_person = any(t.ent_type_ == "PERSON" for t in tokens)
    if not spacy_person and tokens[0].ent_type_ == "ORG" and tokens[0].ent_iob_ == "I":
        return None  # 'the General Coordination for ...': the run continues an organisation's name
    last = tokens[-1]
    speaker = (last.dep_ == "nsubj" and all(t.tag_ == "NNP" for t in tokens) and i > last.sent.start
               and last.head.lemma_.lower() in lex.speech_verbs)  # 'Peskov said' with no full name before
    particle = any(doc[k].lower_ in lex.name_particles for k in range(i + 1, j))  # 'Staffan de Mistura'
    if len(tokens) >= 2:
        ok = (spacy_person or fold(tokens[0].text) in lex.given_names or stripped_role or speaker or particle
              or _paired_with_person(ctx, last, tokens))
    else:
        ent = tokens[0].ent_type_ == "PERSON" and tokens[0].ent_iob_ == "B" and (
            j + 1 >= len(doc) or doc[j + 1].ent_iob_ != "I")
        t = tokens[0]
        modifier = t.dep_ in ("amod", "compound") and t.head.pos_ == "NOUN"  # 'the Azot plant'
        speaker = speaker and fold(t.text) not in lex.given_names
        # 'overran the post at Boulkessi': a lone unknown word after a preposition of place is a place
        located = (t.dep_ == "pobj" and t.head.lower_ in _PLACE_PREPOSITIONS and not stripped_role
                   and fold(t.text) not in lex.given_names)
        ok = (ent or stripped_role or speaker) and not modifier and not located and not _known_place(ctx, t)
    if not ok:
        return None
    start, end = tokens[0].idx, _tok_end(tokens[-1])
    name = ctx.document.text[start:end]
    mention = Mention(start, end, name, "person", name, ("person",),
                      given=tokens[0].text if len(tokens) >= 2 else None, surname=tokens[-1].text)
    pre, post = _pre_title(ctx, i), _post_title(ctx, j)
    parts = [b for b in (pre, post) if b]
    if post:
        ctx.title_spans.append((doc[j + 2].idx, post[1]))
    if parts:
        titles = [strip_determiner(ctx.document.text[s:e]) for s, e in parts]
        mention.title = ", ".join(titles)
        sides = [ctx.side(s, e, title=True) for s, e in parts]
        mention.country = next((c for c, _ in sides if c), None)
        mention.sector = next((s for _, s in sides if s), None)
        if pre:
            ctx.title_spans.append(pre)
    if mention.country is None:
        mention.country = _country_after(ctx, j + 1, ("of",))
    return mention


def _capital_acts(ctx: _Context, t: Token) -> bool:
    """A capital standing for its government: the subject of an active verb ('Kyiv would ask'), or
    the one addressed by a verb of accusing, urging, asking ('accused Kyiv of delaying').
    A capital heading a wire dateline is where the story was filed."""
    if in_dateline(t):
        return False
    if t.dep_ == "nsubj":
        return True
    return t.dep_ == "dobj" and t.head.lemma_.lower() in ctx.lex.address_verbs


def _known_place(ctx: _Context, t: Token) -> bool:
    """A single word spaCy took for a person that names a big place (geo may have missed it:
    'Kyiv would ask ...'). A capital that is the subject of a verb is kept as a government."""
    from eventwire.geo import get_gazetteer

    entries = [e for e in get_gazetteer().lookup(t.text, loose=False)
               if e.capital or e.feature in ("country", "admin1") or e.population >= 100_000]
    capital = next((e for e in entries if e.capital), None)
    if capital is not None and _capital_acts(ctx, t):
        ctx.capitals.append((t.idx, _tok_end(t), capital.name, iso3(capital.country)))
    return bool(entries) or fold(t.text) in ctx.place_names


def _cluster_people(mentions: list[Mention]) -> list[Cluster]:
    clusters: list[Cluster] = []
    full = [m for m in mentions if m.given]
    single = [m for m in mentions if not m.given]
    for m in full:
        for c in clusters:
            if any(same_word(m.surname, o.surname) and compatible_given(m.given, o.given) for o in c.mentions):
                c.add(m)
                break
        else:
            clusters.append(Cluster("person", [m], m.title, m.country, m.sector))
    for m in single:
        c = _nearest_cluster(clusters, m.surname, m.start)
        if c is not None:
            c.add(m)
        else:
            clusters.append(Cluster("person", [m], m.title, m.country, m.sector))
    return clusters


def _nearest_cluster(clusters: list[Cluster], surname: str, offset: int) -> Optional[Cluster]:
    found = [c for c in clusters if any(same_word(surname, o.surname) for o in c.mentions)]
    if not found:
        return None
    before = [c for c in found if c.first < offset]
    pool = before or found
    return max(pool, key=lambda c: max((o.start for o in c.mentions if o.start < offset), default=-1))


def _surname_mentions(ctx: _Context, clusters: list[Cluster]) -> None:
    """Surname-only mentions anywhere (spaCy labels them at random: NOUN, ORG, nothing)."""
    lex = ctx.lex
    for t in ctx.doc:
        if not _cap(t) or len(t.text) < 3 or t.text in lex.not_name_words or t.lower_ in lex.roles:
            continue
        if ctx.is_place_token(t) or lex.demonym_country(t.text) or fold(t.text) in lex.given_names:
            continue
        start, end = t.idx, _tok_end(t)
        if not ctx.free(start, end):
            continue
        c = _nearest_cluster(clusters, t.text, start)
        if c is None:
            continue
        c.add(Mention(start, end, t.text, "person", t.text, ("person",), surname=t.text))
        ctx.take(start, end)


def _name_people(c: Cluster) -> list[str]:
    spellings = Counter(m.text for m in c.mentions if m.surname)  # not 'the governor'
    order = {m.text: -m.start for m in sorted(c.mentions, key=lambda m: -m.start)}
    c.name = max(spellings, key=lambda s: (len(s.split()), spellings[s], order[s]))
    return sorted({s for s in spellings if is_variant(s, c.name)}, key=lambda s: order[s], reverse=True)


def _variant_flag(document: Document, c: Cluster, variants: list[str]) -> Flag:
    spans: list[Span] = []
    canonical = next(m for m in c.mentions if m.text == c.name)
    canon_words = [(w, canonical.start + canonical.text.find(w)) for w in canonical.text.split()]
    for v in variants:
        m = next(x for x in c.mentions if x.text == v)
        for word in v.split():
            if any(fold(word) == fold(w) for w, _ in canon_words):
                continue
            twin = next(((w, s) for w, s in canon_words if same_word(w, word, 60.0)), None)
            if twin:
                spans.append(document.span(twin[1], twin[1] + len(twin[0])))
            off = m.start + m.text.find(word)
            spans.append(document.span(off, off + len(word)))
    if not spans:
        spans = [document.span(canonical.start, canonical.end)]
    unique = {(s.start, s.end): s for s in spans}
    return Flag(kind="name_variant", message=f"{c.name!r} is also spelled {', '.join(map(repr, variants))}",
                spans=sorted(unique.values(), key=lambda s: s.start))


# -- organisations, capitals, groups, countries ------------------------------------------------------

def _organisations(ctx: _Context) -> list[Mention]:
    doc, lex, text = ctx.doc, ctx.lex, ctx.document.text
    out: list[Mention] = []
    i = 0
    while i < len(doc):
        inst, end_i = ctx.institution_at(i)
        if inst is None:
            i += 1
            continue
        start, end = doc[i].idx, _tok_end(doc[end_i - 1])
        places_inside = [(s, e) for s, e, pid in ctx.place_mentions
                         if s < end and e > start and pid not in ctx.metonyms]
        if ctx.free(start, end) and all(s >= start and e <= end for s, e in places_inside):
            out.append(Mention(start, end, text[start:end], inst.kind, inst.name, ("inst", inst.name),
                               inst.country, inst.sector))
            ctx.take(start, end)
        i = end_i
    for ent in doc.ents:
        if ent.label_ != "ORG":
            continue
        span = ent[1:] if ent[0].lower_ == "the" else ent
        while len(span) and (span[-1].is_punct or span[-1].is_space):
            span = span[:-1]
        if not len(span):
            continue
        start, end = span.start_char, span.end_char
        if not ctx.free(start, end) or any(ctx.is_place_token(t) for t in span if not lex.demonym_country(t.text)):
            continue
        if len(span) == 1 and any(s <= start and end <= e for s, e in ctx.title_spans):
            continue  # 'Army chief Abdel Fattah al-Burhan': the word belongs to his title
        words = [t.lower_ for t in span]
        acronym = len(span) == 1 and span.text.isupper() and len(span.text) >= 2
        has_org_word = lex.sector_of_words(words) is not None or any(w in lex.group_heads for w in words)
        if not (acronym or has_org_word or len(span) >= 2):
            continue
        first = ent.start_char
        end = span.end_char
        owner = _possessive_owner(ctx, ent.start)
        if owner is not None and ctx.free(owner.idx, first):
            first = owner.idx  # "Russia's Defence Ministry"
        country, sector = ctx.side(first, end)
        country = country or _country_after(ctx, span.end)
        out.append(Mention(first, end, text[first:end], "organization", span.text, ("org", fold(span.text)),
                           country, sector))
        ctx.take(first, end)
    out += _named_bodies(ctx)
    for start, end, name, country in ctx.capitals:
        if ctx.free(start, end):
            out.append(Mention(start, end, text[start:end], "organization", name, ("capital", name), country, "GOV"))
            ctx.take(start, end)
    for pid in sorted(ctx.metonyms):
        place = ctx.places.get(pid)
        if place is None:
            continue
        for m in place.mentions:
            if ctx.free(m.start, m.end):
                out.append(Mention(m.start, m.end, m.text, "organization", place.name, ("metonym", pid),
                                   iso3(place.country), "GOV"))
                ctx.take(m.start, m.end)
    return out


def _named_bodies(ctx: _Context) -> list[Mention]:
    """Capitalised names ending in a word for a body that spaCy did not tag: 'U.S. Central Command',
    'the Treasury Department'. The country or sector comes from the words of the name."""
    doc, lex, text = ctx.doc, ctx.lex, ctx.document.text
    out: list[Mention] = []
    for t in doc:
        if t.lower_ not in lex.org_words or not _cap(t) or t.pos_ != "PROPN":
            continue
        k = t.i
        while k - 1 >= t.sent.start and (_cap(doc[k - 1]) or doc[k - 1].text in ("U.S.", "U.N.")) \
                and doc[k - 1].lower_ not in ("the", "a", "an") and not in_dateline(doc[k - 1]):
            k -= 1
        if k == t.i or doc[k].is_sent_start and doc[k].lower_ in lex.roles:
            continue
        start, end = doc[k].idx, _tok_end(t)
        if not ctx.free(start, end):
            continue
        name = text[doc[k].idx if not lex.demonym_country(doc[k].text) and not lex.country_of_name(doc[k].text)
                    else doc[min(k + 1, t.i)].idx:end]
        country, sector = ctx.side(start, end)
        out.append(Mention(start, end, text[start:end], "organization", name, ("org", fold(name)), country, sector))
        ctx.take(start, end)
    return out


def _country_after(ctx: _Context, i: int, preps: tuple[str, ...] = ("in", "of")) -> Optional[str]:
    """The country of a place named right after a name, behind token i ('The Health Ministry in
    Gaza', 'Foreign Minister X of Ukraine')."""
    doc = ctx.doc
    if i + 1 >= len(doc) or doc[i].lower_ not in preps:
        return None
    t = doc[i + 1]
    pid = ctx.tok_place.get(t.i)
    if pid in ctx.places and pid not in ctx.metonyms:
        return iso3(ctx.places[pid].country)
    return ctx.lex.country_of_name(t.text) if t.text[:1].isupper() else None


def _possessive_owner(ctx: _Context, i: int) -> Optional[Token]:
    """The country written as a possessive just before token i ('Russia 's ...'), if any."""
    doc = ctx.doc
    if i < 2 or doc[i - 1].lower_ not in ("'s", "’s", "'", "’"):
        return None
    owner = doc[i - 2]
    pid = ctx.tok_place.get(owner.i)
    if pid in ctx.places and ctx.places[pid].feature == "country" and pid not in ctx.metonyms:
        return owner
    return owner if ctx.lex.country_of_name(owner.text) and owner.text[:1].isupper() else None


def _group_head(ctx: _Context, t: Token) -> bool:
    low = t.lower_
    if t.pos_ not in ("NOUN", "PROPN") or t.dep_ in ("compound", "amod"):
        return False
    if low in ctx.lex.group_heads:
        return True
    return (ctx.lex.demonym_country(t.text) is not None and t.tag_ in ("NNS", "NNPS")
            and low.endswith("s") and not ctx.is_place_token(t))


def _attached(tok: Token, head: Token, low: int) -> bool:
    """True when `tok` hangs below `head` through tokens lying in [low, head]."""
    h = tok
    for _ in range(8):
        if h.i == head.i:
            return True
        if h.head.i == h.i or not (low <= h.head.i <= head.i):
            return False
        h = h.head
    return False


def _phrase_start(t: Token) -> int:
    """First token of the noun phrase headed by t: its contiguous modifiers to the left."""
    k = t.i
    sent_start = t.sent.start
    while k - 1 >= sent_start:
        prev = t.doc[k - 1]
        if prev.dep_ not in _MOD_DEPS or (prev.dep_ == "punct" and prev.text != "-"):
            break
        if not _attached(prev, t, sent_start):
            break
        k -= 1
    return k


def _titled_person(clusters: list["Cluster"], word: str, offset: int) -> Optional["Cluster"]:
    """The person named last before `offset` whose title holds `word` ('the governor' -> the Governor)."""
    best, best_at = None, -1
    for c in clusters:
        if c.title and word in c.title.lower().replace(",", " ").split():
            at = max((m.start for m in c.mentions if m.start < offset), default=-1)
            if at > best_at:
                best, best_at = c, at
    return best


def _unnamed_role(ctx: _Context, t: Token) -> Optional[Mention]:
    """'the head of the city's military administration', 'a spokesman for the ministry': one person,
    named by a role word without a sector of its own and the body it serves."""
    lex, doc = ctx.lex, ctx.doc
    if t.pos_ != "NOUN" or t.lower_ not in lex.roles or lex.roles[t.lower_] is not None or t.i == 0:
        return None
    if doc[t.i - 1].lower_ not in ("the", "a", "an"):
        return None
    prep = next((c for c in t.rights if c.dep_ == "prep" and c.lower_ in ("of", "for")), None)
    if prep is None:
        return None
    last = prep.right_edge
    if last.i - t.i > 10 or any(x.text in _BREAKS for x in doc[t.i:last.i + 1]):
        return None
    start, end = doc[t.i - 1].idx, _tok_end(last)
    if not ctx.free(start, end) or any(s <= start and end <= e for s, e in ctx.title_spans):
        return None
    country, sector = ctx.side(start, end, title=True)
    if country is None and sector is None:
        return None
    title = ctx.document.text[t.idx:end]
    return Mention(start, end, ctx.document.text[start:end], "person", title, ("unnamed", start), country, sector,
                   title=title)


STATE_FORCE_WORDS = {"armed", "national", "royal", "defence", "defense", "forces", "army", "military"}


def _state_force(body: Mention, lex: Lexicon) -> bool:
    """'Sudanese Armed Forces', 'Ukrainian Army': a state's force, named by its country alone."""
    if body.sector == "REB" or body.country is None:
        return False
    words = body.name.replace("'s", "").split()
    return all(w.lower() in STATE_FORCE_WORDS or lex.demonym_country(w) or lex.country_of_name(w) for w in words)


def _named_body(orgs: list[Mention], word: str, offset: int) -> Optional[Mention]:
    """The organisation named last before `offset` whose name ends in `word` ('the ministry')."""
    found = [o for o in orgs if o.start < offset and o.name.split()[-1].lower() == word]
    return max(found, key=lambda o: o.start) if found else None


def _singular(t: Token) -> bool:
    """A singular common noun, also when capitalised as a title ('The Mayor said')."""
    return t.tag_ == "NN" or (t.tag_ == "NNP" and not t.lower_.endswith("s"))


def _groups(ctx: _Context, clusters: list["Cluster"], orgs: list[Mention]) -> list[Mention]:
    doc, lex, text = ctx.doc, ctx.lex, ctx.document.text
    out: list[Mention] = []
    last_with_country: dict[str, Mention] = {}
    last_unnamed: dict[str, tuple] = {}
    for t in doc:
        role = _unnamed_role(ctx, t)
        if role is not None:
            out.append(role)
            ctx.take(role.start, role.end)
            continue
        if not _group_head(ctx, t):
            continue
        k = _phrase_start(t)
        start, end = doc[k].idx, _tok_end(t)
        if not ctx.free(start, end) or any(s <= start and end <= e for s, e in ctx.title_spans):
            continue
        phrase = doc[k:t.i + 1]
        det = phrase[0].lower_
        definite = det == "the" or any(c.dep_ == "poss" for c in t.children)  # 'Kharkiv's mayor', 'its mayor'
        singular_role = definite and _singular(t) and t.lower_ in lex.person_heads
        if singular_role:
            named = _titled_person(clusters, t.lower_, start)
            if named is not None:  # 'the governor said' after 'Luhansk Governor Serhiy Haidai'
                named.add(Mention(start, end, text[start:end], "person", named.mentions[0].name, ("person",)))
                ctx.take(start, end)
                continue
        body = _named_body(orgs, t.lower_, start) if det == "the" and len(phrase) == 2 else None
        if body is not None and lex.group_heads.get(t.lower_) == "MIL" and not _state_force(body, lex):
            body = None  # 'the Arakan Army ... the army': a bare 'the army' is a state's, not a named armed group's
        if body is not None:  # 'the Russian Defence Ministry said ... The ministry added'
            out.append(Mention(start, end, text[start:end], body.kind, body.name, body.key, body.country, body.sector))
            ctx.take(start, end)
            continue
        country, sector = ctx.side(start, end)
        if t.lower_ in lex.weak_heads and country is None and not _has_side_cue(phrase, lex):
            continue
        head_sector = lex.group_heads.get(t.lower_)
        if t.lower_ in lex.serving_heads and sector is not None:
            head_sector = None  # 'army officials' serve the army: MIL, not GOV
        if sector != "REB" and head_sector:
            sector = head_sector
        lemma = t.lemma_.lower()
        kept = []
        for x in phrase:
            dropped = x.pos_ in ("DET", "NUM", "PRON") or x.lower_ in _QUANT_WORDS or x.dep_ in ("quantmod", "predet")
            if x.dep_ == "case" and (not kept or kept[-1].i != x.i - 1):
                dropped = True
            if not dropped:
                kept.append(x)
        name = "".join(x.text_with_ws for x in kept).strip() or t.text
        if det in lex.indefinite and t.lower_ in lex.person_heads:
            key: tuple = ("unnamed", start)
            kind = "person"
            last_unnamed[lemma] = (key, country, sector)
        elif singular_role:  # 'the mayor', 'The Mayor': one person, not a group
            kind = "person"
            if lemma in last_unnamed and country in (None, last_unnamed[lemma][1]):
                key, country, sector = last_unnamed[lemma]  # 'a Qatari official said ... The official added'
            else:
                key = ("unnamed", lemma, country)  # 'the governor' again and again
        else:
            kind = "group"
            if country is None and det == "the" and len(phrase) == 2 and lemma in last_with_country:
                prior = last_with_country[lemma]
                country, sector = prior.country, sector or prior.sector
            key = _group_key(country, sector, lemma)
        if country is None and sector is None:
            continue
        if kind == "group" and set(name.lower().split()) & lex.local_words:
            lemma = "local " + lemma  # 'the regional administration' is not the national government
            key = _group_key(country, sector, lemma) + ("local",)
        m = Mention(start, end, text[start:end], kind, name, key, country, sector, lemma=lemma,
                    bare=det == "the" and len(phrase) == 2)
        if kind == "group" and country:
            last_with_country[lemma] = m
        out.append(m)
        ctx.take(start, end)
    return out


def _has_side_cue(phrase, lex: Lexicon) -> bool:
    """A weak head ('unit', 'force') is a group only with a word saying whose: 'its units',
    'rebel units', 'Russian units'."""
    return any(x.dep_ == "poss" or x.lower_ in lex.rebel_markers or lex.demonym_country(x.text) for x in phrase)


def _countries_acting(ctx: _Context) -> list[Mention]:
    from eventwire.geo import get_gazetteer

    out: list[Mention] = []
    for start, end, pid in ctx.place_mentions:
        place = ctx.places.get(pid)
        if place is None or pid in ctx.metonyms or not ctx.free(start, end):
            continue
        if any(s <= start and end <= e for s, e in ctx.title_spans):
            continue  # "Ukraine's top military commander, X": the country belongs to the title
        span = ctx.doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        if place.feature == "city" and place.geonameid and _capital_acts(ctx, span.root):
            entry = get_gazetteer().by_geonameid(place.geonameid)
            if entry is not None and entry.capital:
                out.append(Mention(start, end, ctx.document.text[start:end], "organization", place.name,
                                   ("capital", place.name), iso3(place.country), "GOV"))
                ctx.take(start, end)
            continue
        if place.feature != "country":
            continue
        head = span.root
        while head.dep_ == "conj":
            head = head.head
        acting = head.dep_ in _ACTOR_DEPS or (head.dep_ == "pobj" and head.head.lower_ in _ACTOR_PREPS)
        if acting:
            out.append(Mention(start, end, ctx.document.text[start:end], "place", place.name, ("country", pid),
                               iso3(place.country), None))
            ctx.take(start, end)
    return out


def _countries_from_context(ctx: _Context, clusters: list[Cluster], others: list[Mention]) -> None:
    """Countries the text leaves to the reader:
    - a bare 'the army' / 'the government' in a sentence where a person of known country speaks
      before it belongs to that person's country;
    - local government ('regional governor X', 'local authorities') and rebels ('separatist forces')
      belong to the country of the place named nearest to them."""
    document, lex = ctx.document, ctx.lex
    speakers = sorted((m.start, c.country) for c in clusters if c.country for m in c.mentions)
    for m in others:
        if m.kind != "group" or m.country or not m.bare:
            continue
        sent = document.sentence_index(m.start)
        prior = [c for s, c in speakers if s < m.start and document.sentence_index(s) == sent]
        if prior:
            m.country = prior[-1]
            m.rekey()
    for c in clusters:
        if c.country is None and c.sector == "GOV" and c.title and set(c.title.lower().split()) & lex.local_words:
            c.country = ctx.country_near(c.first, local=True)
    for m in others:
        local = set(m.text.lower().split()) & lex.local_words
        if m.kind == "group" and m.country is None and m.sector == "GOV" and local:
            m.country = ctx.country_near(m.start, local=True)
            m.rekey()
        elif m.kind in ("group", "person") and m.country is None and m.sector == "REB":
            # rebels are coded with the country they fight in ('separatist forces near Avdiivka')
            m.country = ctx.country_near(m.start, local=True)
            m.rekey()


def _inherit_from_unnamed(document: Document, clusters: list[Cluster], unnamed: list[Mention]) -> list[tuple]:
    """'A senior Russian commander said ... . Colonel X, the officer in charge of ..., said ...': a
    named person whose title gives no country takes the country of an unnamed person of a
    compatible sector introduced in the same or the previous sentence. Returns the (unnamed
    mention, person) pairs so linked."""
    links = []
    for c in clusters:
        if c.kind != "person" or c.country:
            continue
        first = c.first
        sent = document.sentence_index(first)
        for u in sorted(unnamed, key=lambda u: -u.start):
            if u.start >= first or document.sentence_index(u.start) < sent - 1:
                continue
            if u.country and (c.sector is None or u.sector in (None, c.sector)):
                c.country = u.country
                c.sector = c.sector or u.sector
                c.title = c.title or u.title
                links.append((u, c))
                break
    return links


def _speaks(ctx: _Context, start: int, end: int) -> bool:
    span = ctx.doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    root = span.root
    return root.dep_ == "nsubj" and root.head.lemma_.lower() in ctx.lex.speech_verbs


def _same_speaker(ctx: _Context, links: list[tuple]) -> list[tuple]:
    """Links that name one speaker twice, the wire way: 'A senior Russian commander said X.' then, in
    the next sentence, 'Colonel Y, the officer in charge of ..., said Z.' The unnamed one is indefinite,
    both are subjects of speech verbs, and the named one is introduced right there."""
    sentence = ctx.document.sentence_index
    out = []
    for u, person in links:
        named = min(person.mentions, key=lambda m: m.start)
        if (isinstance(u.key[1], int) and sentence(named.start) == sentence(u.start) + 1
                and _speaks(ctx, u.start, u.end) and _speaks(ctx, named.start, named.end)):
            out.append((u, person))
    return out


# -- the stage ---------------------------------------------------------------------------------

def annotate(document: Document) -> None:
    lex = get_lexicon()
    ctx = _Context(document, lex)
    people = _person_runs(ctx)
    for m in people:
        ctx.take(m.start, m.end)
    clusters = _cluster_people(people)
    _surname_mentions(ctx, clusters)
    orgs = _organisations(ctx)
    others = orgs + _groups(ctx, clusters, orgs) + _countries_acting(ctx)
    unnamed = [m for m in others if m.key[0] == "unnamed"]
    links = _inherit_from_unnamed(document, clusters, unnamed)
    for u, person in _same_speaker(ctx, links):
        others.remove(u)
        person.mentions.append(u)
    links = [(u, c) for u, c in links if u in others]
    _countries_from_context(ctx, clusters, others)
    by_key: dict[tuple, Cluster] = {}
    for m in others:
        cluster = by_key.get(m.key)
        if cluster is None:
            cluster = by_key[m.key] = Cluster(m.kind)
        cluster.add(m)
    for c in by_key.values():
        names = Counter(m.name for m in c.mentions)
        c.name = max(names, key=lambda n: (names[n], -min(m.start for m in c.mentions if m.name == n)))
    variants_of: dict[int, list[str]] = {}  # spellings flagged as variants, per person
    for c in clusters:
        variants_of[id(c)] = _name_people(c)
    entity_mentions = []
    ids: dict[int, str] = {}
    for c in sorted(clusters + list(by_key.values()), key=lambda c: c.first):
        eid = ids[id(c)] = document.next_id("e")
        variants = variants_of.get(id(c), [])
        mentions = sorted(c.mentions, key=lambda m: m.start)
        document.report.entities.append(Entity(
            id=eid, kind=c.kind, name=c.name, mentions=[document.span(m.start, m.end) for m in mentions],
            title=c.title, country=c.country, sector=c.sector, variants=variants))
        entity_mentions += [(m.start, m.end, eid) for m in mentions]
        if variants:
            document.report.flags.append(_variant_flag(document, c, variants))
    same_as = {}
    for u, person in links:
        unnamed_id = next((ids[id(c)] for c in by_key.values() if u in c.mentions), None)
        if unnamed_id:
            same_as[unnamed_id] = ids[id(person)]
    # mentions: (start, end, entity id) in text order; same_as: unnamed person -> the named person
    # the text most likely means ('A senior Russian commander said ...' / 'Colonel X ... said')
    document.notes["entities"] = {"mentions": sorted(entity_mentions), "same_as": same_as}
