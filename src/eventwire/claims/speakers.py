"""Who speaks: the subject of a speech verb as a phrase and an entity, its medium and date.

- `subject_of(verb)`: the speaker token of a speech verb: its `nsubj`, the agent of a passive
  (`was announced by the ministry`), the noun right before a verb that lost its subject in the
  parse (`..., the commander-in-chief, Valery Zaluzhnyi, said`), or the subject of the verb it
  hangs from (`..., adding that ...`).
- `phrase_bounds(token)`: the name around a speaker token without appositions (`Oleksandr
  Struik, head of ...` -> `Oleksandr Struik`; `the leader of the rebels` keeps its `of`).
- `Speaker`: what pronoun resolution needs: text, entity id, and whether it is a person, a
  group, singular or plural.
- `medium_of(verb)` and `date_of(document, verb, content)`: where and when it was said.
- Speakers joined by `and` (`the rebel commander and the government envoy said`) are one plural
  speaker: its text names both (`X and Y`) so neither is lost, its entity is the first one's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from spacy.tokens import Token

from eventwire.claims.lexicon import ClaimsLexicon
from eventwire.document import Document
from eventwire.schema import SpeakerRef

PRONOUNS = {
    "he": "person", "she": "person", "him": "person", "her": "person",
    "they": "plural", "them": "plural",
    "it": "thing", "i": "self", "me": "self", "we": "self", "us": "self", "you": "other",
}
NAME_LEFT_DEPS = {"compound", "amod", "det", "nmod", "poss", "nummod", "case", "punct", "npadvmod", "quantmod"}
SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
NOT_PERSON_ENTS = {"ORG", "GPE", "NORP", "LOC", "FAC", "PRODUCT", "EVENT", "LAW"}
SPEAKING = {"speak", "talk", "address", "write", "appear", "post"}
QUOTE_MARK_TEXTS = {'"', "”", "“", "»", "«", "''", "’"}
MEDIUM_NOUNS = {"statement", "tweet", "post", "message", "communique", "release", "video", "report", "letter"}
SPOKES = {"spokesman", "spokeswoman", "spokesperson", "representative", "envoy", "adviser", "advisor",
          "negotiator", "minister", "secretary", "commissioner", "coordinator", "ambassador"}
RELATIVE = {"who", "which", "that"}


@dataclass
class Speaker:
    start: int
    end: int
    text: str
    entity: Optional[str]
    person: bool
    plural: bool
    pronoun: Optional[str] = None  # the pronoun's class when the text is a pronoun

    def ref(self) -> SpeakerRef:
        return SpeakerRef(entity=self.entity, text=self.text)

    def fits(self, pronoun: str) -> bool:
        """Can this speaker be what the pronoun class refers to?"""
        if pronoun == "person":
            return self.person and not self.plural
        if pronoun == "plural":
            return self.plural or not self.person
        if pronoun == "thing":
            return not self.person and not self.plural
        return False


def phrase_bounds(token: Token) -> tuple[int, int]:
    """Character bounds of the name or noun phrase headed by `token`, without appositions."""
    left = token
    for child in token.lefts:
        if child.dep_ in NAME_LEFT_DEPS and child.i < left.i:
            # the whole contiguous left modifier (e.g. `the country's`)
            left = child.left_edge if child.left_edge.i < left.i else child
    while left.i < token.i and (left.is_punct or left.dep_ == "case"):
        left = left.doc[left.i + 1]
    right = token
    # hyphenated heads ('commander-in-chief') and 'of'-phrases of common nouns ('the leader of ...')
    for child in token.rights:
        if child.dep_ == "prep" and token.pos_ == "NOUN" and (child.lower_ == "of" or child.lower_ == "for"
                                                              and token.lemma_.lower() in SPOKES):
            right = child.right_edge  # 'the leader of the rebels', 'a spokesman for the army'
        elif child.dep_ in ("compound", "prep") and child.i == right.i + 2 and token.doc[right.i + 1].text == "-":
            right = child.right_edge
        else:
            break
    while right.i > token.i and (right.is_punct or right.text in "\"“”'’"):
        right = right.doc[right.i - 1]
    return left.idx, right.idx + len(right.text)


def _agent(verb: Token) -> Optional[Token]:
    for child in verb.children:
        if child.dep_ == "agent":
            return next((c for c in child.children if c.dep_ == "pobj"), None)
    return None


def _noun_before(verb: Token, floor: int) -> Optional[Token]:
    """The noun right before a verb that the parse left without subject (`..., Valery Zaluzhnyi, said`)."""
    i = verb.i - 1
    while i > floor and (verb.doc[i].is_punct or verb.doc[i].pos_ in ("ADV", "AUX", "PART")):
        i -= 1
    if i <= floor:
        return None
    tok = verb.doc[i]
    if tok.pos_ in ("PROPN", "NOUN") and tok.dep_ not in ("dobj", "pobj", "attr") or tok.dep_ == "appos":
        return tok
    if tok.pos_ in ("PROPN", "NOUN") and tok.ent_type_ == "PERSON":
        return tok
    return None


def named(token: Token) -> Token:
    """The name in apposition to a title subject: `the army chief, Oleksandr Syrskyi,` -> Syrskyi."""
    if token.pos_ == "NOUN":
        for child in token.children:
            if child.dep_ == "appos" and child.pos_ == "PROPN":
                return child
    return token


def inverted_subject(verb: Token) -> Optional[Token]:
    """`"...," added trainer Mike de Kock.` / `asks a woman`: the noun phrase right after a speech
    verb that follows a closing quotation mark (the parse often misses this subject)."""
    doc = verb.doc
    i = verb.i - 1
    while i >= 0 and doc[i].text in (",", ".", "?", "!"):
        i -= 1
    if i < 0 or doc[i].text not in QUOTE_MARK_TEXTS:
        return None
    head = None
    for tok in doc[verb.i + 1: min(len(doc), verb.i + 8)]:
        if tok.pos_ in ("PROPN", "NOUN"):
            head = tok
        elif tok.pos_ in ("DET", "ADJ") or tok.text == "-" and head is not None:
            if head is not None:
                break
        else:
            break
    return head


def _quoted_as_saying(verb: Token) -> Optional[Token]:
    """`Interfax quoted X as saying ...`, `X was quoted as saying ...`: X."""
    prep = verb.head
    if verb.dep_ != "pcomp" or prep.lower_ != "as" or prep.head.lemma_.lower() != "quote":
        return None
    quote = prep.head
    return next((named(c) for c in quote.children if c.dep_ in ("dobj", "nsubjpass")), None)


def subject_of(verb: Token, depth: int = 0, inherit: bool = True) -> Optional[Token]:
    """The token naming who utters `verb` (see module doc); None for impersonal forms.

    With `inherit` false a verb without its own subject has none (cognition verbs: in
    `civilians sheltered, fearing ...` the fear is not a statement)."""
    subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subj is not None and subj.lower_ in RELATIVE and verb.dep_ == "relcl":
        return verb.head  # 'Pushilin, who said ...'
    if subj is not None:
        return None if subj.lower_ in ("it", "there") and subj.dep_ == "expl" else named(owner_of_medium(subj))
    inverted = inverted_subject(verb)
    if inverted is not None:
        return inverted
    quoted = _quoted_as_saying(verb)
    if quoted is not None:
        return quoted
    passive = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    if passive is not None or any(c.dep_ == "auxpass" for c in verb.children):
        return _agent(verb)  # 'is believed to' has no speaker; 'was said by X' has one
    if inherit and verb.dep_ in ("conj", "advcl", "xcomp", "ccomp", "parataxis") and verb.head.i != verb.i:
        before = _noun_before(verb, verb.head.i)
        if before is not None and verb.dep_ == "conj":
            return before
        if depth < 3 and verb.dep_ != "ccomp":
            return subject_of(verb.head, depth + 1)
    return None


def is_person_token(token: Token, lex: ClaimsLexicon) -> bool:
    """A person by the parse alone: a PERSON name, a title noun (`the mayor`), a name with a
    title before or after it (`Kremlin spokesman Dmitry Peshkov`, `Struik, head of ...`)."""
    if token.pos_ == "PRON":
        return PRONOUNS.get(token.lower_) == "person"
    if token.ent_type_ == "PERSON":
        return True
    if token.lemma_.lower() in lex.person_titles and token.tag_ in ("NN", "NNP"):
        return True
    if token.pos_ == "PROPN" and token.ent_type_ not in NOT_PERSON_ENTS:
        return any(c.dep_ in ("compound", "appos") and c.lemma_.lower() in lex.person_titles
                   for c in token.children)
    return False


def make_speaker(document: Document, token: Token, lex: ClaimsLexicon) -> Speaker:
    start, end = phrase_bounds(token)
    entity = _entity(document, token, start, end)
    pron = PRONOUNS.get(token.lower_) if token.pos_ == "PRON" else None
    plural = token.tag_ in ("NNS", "NNPS") or token.lower_ in ("they", "we", "them")
    if token.lemma_.lower() in lex.group_nouns and token.tag_ in ("NNS", "NNPS"):
        plural = True
    person = is_person_token(token, lex) and not plural
    if entity is not None and entity.kind == "person":
        person, plural = True, False
    elif entity is not None and entity.kind in ("organization", "place"):
        person = False
    partner = _joined_speaker(token, end)
    if partner is not None:
        # 'Interior Minister Amina Farah' may be parsed as a title with its name in apposition
        end, person, plural = max(phrase_bounds(partner)[1], phrase_bounds(named(partner))[1]), False, True
    return Speaker(start, end, document.text[start:end], entity.id if entity else None, person, plural, pron)


def _joined_speaker(token: Token, end: int) -> Optional[Token]:
    """The last of the speakers joined by 'and' after `token` ('X and Y said'; the parse may split
    'Interior Minister Amina Farah' into two conjuncts), when the phrase of `token` stops before it;
    None for 'or', for lists that the phrase already covers, for pronouns."""
    if token.pos_ not in ("PROPN", "NOUN"):
        return None
    links = [c for c in token.rights if c.dep_ == "cc"]
    if not links or any(c.lower_ != "and" for c in links):
        return None
    joined = [c for c in token.rights if c.dep_ == "conj" and c.pos_ in ("PROPN", "NOUN")
              and c.i > links[0].i and c.idx >= end]
    return joined[-1] if joined else None
    for child in token.rights:
        if child.dep_ != "conj" or child.pos_ not in ("PROPN", "NOUN") or child.idx < end:
            continue
        links = [t for t in token.doc[token.i + 1:child.i] if t.dep_ == "cc"]
        if links and links[-1].lower_ == "and":
            return child
    return None


def _entity(document: Document, token: Token, start: int, end: int):
    from eventwire.entities import entity_for_span  # not at the top: the entity stage imports claims

    return entity_for_span(document, token.idx, token.idx + len(token.text)) or entity_for_span(document, start, end)


def owner_of_medium(token: Token) -> Token:
    """`the army statement said`, `her tweet said`, `a statement from the ministry`: who is behind
    the medium (its compound, possessor or `from`/`by`/`of` object); the token when none is."""
    if token.lemma_.lower() not in MEDIUM_NOUNS:
        return token
    for child in token.children:
        if child.dep_ == "poss" or (child.dep_ == "compound" and child.pos_ in ("PROPN", "NOUN")
                                    and child.lemma_.lower() not in MEDIUM_NOUNS):
            return child
        if child.dep_ == "prep" and child.lower_ in ("from", "by", "of"):
            obj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if obj is not None:
                return obj
    return token


def medium_of(verb: Token, lex: ClaimsLexicon) -> Optional[str]:
    """The medium of an utterance from the verb's objects and prepositions: `told Ukrainian
    television`, `in a statement`, `on Telegram`, `told reporters`, `in an interview with ...`."""
    subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subj is not None and subj.lemma_.lower() in MEDIUM_NOUNS and subj.lemma_.lower() in lex.media:
        return lex.media[subj.lemma_.lower()]
    queue = list(verb.children)
    seen = 0
    while queue and seen < 40:
        tok = queue.pop(0)
        seen += 1
        if tok.dep_ == "advcl" and tok.lemma_.lower() in SPEAKING:
            queue.extend(tok.children)  # '..., speaking at a briefing'
            continue
        if tok.dep_ in ("ccomp", "xcomp", "csubj", "nsubj", "conj", "advcl", "mark"):
            continue
        word = tok.lower_
        if tok.pos_ in ("NOUN", "PROPN"):
            # a two-word medium first ('video address'), then the noun itself
            for mod in tok.lefts:
                pair = f"{mod.lower_} {word}"
                if mod.dep_ in ("compound", "amod") and pair in lex.media:
                    return lex.media[pair]
            for mod in tok.lefts:  # 'a Facebook post', 'a Telegram message': the platform
                if mod.dep_ == "compound" and mod.lower_ in lex.media and (word in lex.media or
                                                                        tok.lemma_.lower() in lex.media):
                    return lex.media[mod.lower_]
            if word in lex.media or tok.lemma_.lower() in lex.media:
                return lex.media.get(word) or lex.media[tok.lemma_.lower()]
        if tok.dep_ in ("prep", "pobj", "dobj", "dative", "npadvmod", "compound", "agent"):
            queue.extend(tok.children)
    return None


def date_of(document: Document, verb: Token, content: tuple[int, int]) -> Optional[str]:
    """The resolved date mention governed by the speech verb outside its content ('in a statement Monday')."""
    sent = verb.sent
    for d in document.dates_in(sent.start_char, sent.end_char):
        if d.value is None or (content[0] <= d.start < content[1]):
            continue
        span = document.doc.char_span(d.start, d.end, alignment_mode="expand")
        if span is None:
            continue
        tok = span.root
        for _ in range(6):
            if tok.i == verb.i:
                return d.value[:10]
            if tok.head.i == tok.i or content[0] <= tok.idx < content[1]:
                break
            tok = tok.head
    return None
