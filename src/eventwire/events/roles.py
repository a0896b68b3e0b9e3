"""Participants, location, date, source and quantities of one event predicate."""

from __future__ import annotations

from collections import Counter
from typing import Optional

from spacy.tokens import Token

from eventwire.claims.reported import in_dateline
from eventwire.document import Document
from eventwire.events.detect import Predicate, speech_governor
from eventwire.events.lexicon import Lexicon, load
from eventwire.schema import DateRef, LocationRef, Participant, Place, Quantity, SpeakerRef

PRONOUNS = {"he", "she", "it", "they", "we", "i", "you", "him", "her", "them", "us", "its", "their", "his",
            "our", "my", "who", "which", "that", "this", "these", "those", "one"}
PLACE_WORDS = {"city", "town", "village", "area", "region", "district", "territory", "province", "settlement",
               "country", "capital", "port", "front", "frontline", "border", "zone", "plant", "factory", "base",
               "outskirts", "outskirt", "suburb", "neighbourhood", "neighborhood", "street", "square", "quarter",
               "countryside", "village", "oblast", "governorate", "depot", "airport", "bridge", "camp",
               "station", "market", "hospital", "school", "checkpoint", "crossing", "building", "compound"}
NOT_ACTOR_WORDS = {"corridor", "weapon", "effort", "control", "fire", "condition", "aid", "assistance", "way",
                   "route", "agreement", "ceasefire", "most", "part", "attempt", "support", "access", "help"}
HUMAN_WORDS = {"civilian", "people", "resident", "soldier", "troop", "force", "official", "child", "woman",
               "man", "worker", "journalist", "police", "policeman", "officer", "protester", "villager",
               "government", "army", "military", "rebel", "militant", "fighter", "separatist", "prisoner",
               "refugee", "side", "authority", "leader", "minister", "president", "state", "country", "west",
               "ally", "partner", "donor", "neighbour", "neighbor", "nation", "power", "community", "group"}
LOCATIVE_PREPS = {"in", "at", "near", "around", "outside", "inside", "across", "into", "on", "to", "toward",
                  "towards", "for", "from", "over", "throughout", "within", "along", "off", "of", "between"}
# statements, requests and accusations happen where they are made, which the article's focus does not tell
VERBAL_TYPES = {"AGREE", "CONSULT", "SUPPORT", "REQUEST", "ACCUSE", "REJECT", "THREATEN"}
# verbs telling what an attack did to someone: 'the blast killed nine'
EFFECT_VERBS = {"kill", "wound", "injure", "hit", "destroy", "damage", "target", "strike", "leave", "claim", "hurt"}
ANCHOR_PREPS = {"during", "amid", "amidst", "in"}
POLITY_WORDS = {"state", "republic", "government", "regime", "administration", "entity", "statelet"}
# verbs whose subject resists an attack told in a coordinated clause: 'X are trying to invade, but Y is holding'
DEFENCE_LEMMAS = {"hold", "resist", "defend", "repel", "repulse", "withstand", "counterattack"}
SPECIFICITY = {"facility": 0, "city": 1, "admin2": 2, "other": 3, "river": 4, "admin1": 5, "region": 6, "country": 7, None: 8}


# -- participants -----------------------------------------------------------------------------

def _phrase_bounds(head: Token, appositive: bool = True) -> tuple[int, int]:
    """Character bounds of a noun phrase: its left edge to the head, plus name parts after it."""
    start_tok = head.left_edge
    end_tok = head
    right_deps = ("compound", "flat", "appos", "nummod") if appositive else ("compound", "flat", "nummod")
    for c in head.rights:
        if c.dep_ in right_deps or (c.dep_ == "prep" and c.lower_ == "of" and head.pos_ != "PROPN"):
            end_tok = max(end_tok, c.right_edge, key=lambda t: t.i)
    if end_tok.i - start_tok.i > 14:
        end_tok = head
    return start_tok.idx, end_tok.idx + len(end_tok.text)


def _side_of(text: str, document: Document):
    try:
        from eventwire.entities.sides import side_of  # published by the entity stage
    except Exception:  # pragma: no cover - the entity stage not there yet
        return None, None
    try:
        side = side_of(text, document)
    except Exception:
        return None, None
    if side is None:
        return None, None
    if isinstance(side, tuple):
        return (side + (None, None))[:2]
    if isinstance(side, dict):
        return side.get("country"), side.get("sector")
    return getattr(side, "country", None), getattr(side, "sector", None)


def participant(head: Token, document: Document, resolve: bool = True) -> Optional[Participant]:
    """A participant for the noun phrase headed by `head`, mapped to an entity when one is there."""
    if head.lower_ in PRONOUNS and (head.pos_ == "PRON" or head.lower_ in RELATIVE_PRONOUNS):
        ent = entity_for(document, head.idx, head.idx + len(head.text))
        antecedent = _relative_antecedent(head) if ent is None else None
        if antecedent is not None:
            return participant(antecedent, document, resolve)  # 'companies that (it said) supplied ...'
        if ent is None:
            ent = _speaker_meant(head, document)
        if ent is None:
            return None
        return Participant(entity=ent.id, text=head.text, country=ent.country, sector=ent.sector)
    start, end = _phrase_bounds(head)
    ent = entity_for(document, head.idx, head.idx + len(head.text)) or entity_for(document, start, end)
    if ent is None:
        sub = list(head.subtree)
        if len(sub) <= 12:
            ent = entity_for(document, sub[0].idx, sub[-1].idx + len(sub[-1].text))
    text = document.text[start:end]
    country = sector = None
    if ent is not None:
        country, sector = ent.country, ent.sector
    if country is None or sector is None:
        c2, s2 = _side_of(text, document)
        country, sector = country or c2, sector or s2
    if country is None and ent is None:
        sub = list(head.subtree)
        if len(sub) <= 12 and (sub[0].idx, sub[-1].idx + len(sub[-1].text)) != (start, end):
            c2, s2 = _side_of(document.text[sub[0].idx:sub[-1].idx + len(sub[-1].text)], document)
            country, sector = c2, sector or s2
    if country is None and resolve:
        owner = _possessor(head)
        ref = participant(owner, document, resolve=False) if owner is not None else None
        if ref is not None and (ref.country or ref.sector == "REB"):
            # 'the army said its troops ...', 'the group said its fighters ...': the owner's side
            country = ref.country
            sector = "REB" if ref.sector == "REB" else sector or ref.sector
    if ent is None and country is None and resolve:
        earlier = _polity_antecedent(head)
        if earlier is not None:
            ref = participant(earlier, document, resolve=False)
            if ref is not None:
                return Participant(entity=ref.entity, text=text, country=ref.country, sector=ref.sector)
    return Participant(entity=ent.id if ent else None, text=text, country=country, sector=sector)


RESPONSIBILITY_VERBS = {"claim", "accept", "admit", "acknowledge", "take"}


def _claimant(noun: Token) -> Optional[Token]:
    """'JNIM claimed responsibility for the attack': the one claiming an act is its actor."""
    prep = noun.head
    if noun.dep_ != "pobj" or prep.lower_ != "for" or prep.head.lemma_.lower() not in ("responsibility", "credit"):
        return None
    verb = prep.head.head
    if verb.lemma_.lower() not in RESPONSIBILITY_VERBS:
        return None
    subj, passive = _subject(verb)
    return None if passive else subj


CASUALTY_KINDS = {"killed", "injured", "casualties", "arrested", "abducted", "displaced", "captured", "missing"}
RELATIVE_PRONOUNS = {"that", "which", "who"}
# pronouns by which a speaker refers to itself or is referred to in what it says
SPEAKER_PRONOUNS = {"it": False, "they": False, "we": None, "he": True, "she": True, "i": True}


def _relative_antecedent(head: Token) -> Optional[Token]:
    if head.lower_ not in RELATIVE_PRONOUNS:
        return None
    v = head.head
    for _ in range(3):
        if v.dep_ == "relcl":
            return v.head if v.head.pos_ in ("NOUN", "PROPN") else None
        if v.dep_ not in ("ccomp", "xcomp", "conj") or v.head.i == v.i:
            return None
        v = v.head
    return None


def _speaker_meant(head: Token, document: Document):
    """'The ministry said it had frozen the assets', '"We demand ...," said the chair': a subject
    pronoun in what someone says is that speaker, when the pronoun fits (he/she a person, it/they not)."""
    if head.lower_ not in SPEAKER_PRONOUNS or head.dep_ not in ("nsubj", "nsubjpass"):
        return None
    person = SPEAKER_PRONOUNS[head.lower_]
    entities = {e.id: e for e in document.report.entities}
    for quote in document.report.quotes:
        if not quote.start <= head.idx < quote.end or quote.speaker.entity not in entities:
            continue
        ent = entities[quote.speaker.entity]
        if person is None or (ent.kind == "person") == person:
            return ent
    return None


POSSESSIVE_PRONOUNS = {"its", "their", "his", "her"}


def _possessor(head: Token) -> Optional[Token]:
    """'The army said its troops repelled ...': for a noun owned by a possessive pronoun, the subject of
    the speech verb above it ('his' for a person, 'its'/'their' for a body)."""
    pron = next((c for c in head.children if c.dep_ == "poss" and c.lower_ in POSSESSIVE_PRONOUNS), None)
    if pron is None:
        return None
    own = {t.i for t in head.subtree}
    speech = set(load().cues.get("speech_verbs", ()))
    for verb in head.ancestors:
        if verb.pos_ not in ("VERB", "AUX"):
            continue
        if verb.lemma_.lower() not in speech:
            continue  # 'sanctioned the leader, accusing his fighters': the owner is not the subject
        subj, _ = _subject(verb)  # 'claimed the attack, saying its fighters ...': the claimant
        if subj is None or subj.i in own or subj.pos_ not in ("NOUN", "PROPN"):
            return None
        personal = subj.ent_type_ == "PERSON"
        return subj if personal == (pron.lower_ in ("his", "her")) else None
    return None


def _polity_antecedent(head: Token) -> Optional[Token]:
    """'the proxy state' -> the nearest earlier polity noun ('the self-proclaimed republic'), in this
    sentence or the one before: a definite description takes its side from what it refers back to."""
    if head.lemma_.lower() not in POLITY_WORDS or not any(
            c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in head.children):
        return None
    sent = head.sent
    floor = sent.start
    if sent.start > 0:
        floor = head.doc[sent.start - 1].sent.start
    for t in reversed(head.doc[floor:head.i]):
        if t.pos_ in ("NOUN", "PROPN") and t.lemma_.lower() in POLITY_WORDS:
            return t
    return None


def _split_coordinated_modifiers(head: Token, document: Document) -> list[Participant]:
    """'Azerbaijani and Armenian troops' -> two participants, one per side."""
    mods = [c for c in head.children if c.dep_ in ("amod", "compound", "nmod") and any(g.dep_ == "conj" for g in c.children)]
    if not mods:
        return []
    mod = mods[0]
    sides = [mod] + [g for g in mod.subtree if g.dep_ == "conj" and g.head.i in {x.i for x in mod.subtree}]
    if len(sides) < 2:
        return []
    out = []
    for m in sides:
        text = f"{m.text} {head.text}"
        ent = entity_for(document, m.idx, m.idx + len(m.text))
        country = sector = None
        if ent is not None:
            country, sector = ent.country, ent.sector
        if country is None:
            c2, s2 = _side_of(text, document)
            country, sector = c2, sector or s2
        out.append(Participant(entity=ent.id if ent else None, text=text, country=country, sector=sector))
    return out


def _actorish(tok: Token, document: Document) -> bool:
    lemma = tok.lemma_.lower()
    if lemma in NOT_ACTOR_WORDS or lemma in PLACE_WORDS:
        return False
    if tok.ent_type_ in ("DATE", "TIME", "CARDINAL", "PERCENT", "MONEY", "QUANTITY", "ORDINAL"):
        return False
    if tok.pos_ in ("NOUN", "PROPN") and load().match(tok) is not None:
        return False  # 'repelled several assaults': an event, not a participant
    if entity_for(document, tok.idx, tok.idx + len(tok.text)) is not None:
        return True
    if tok.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
        return True
    if lemma in HUMAN_WORDS or tok.pos_ == "PROPN":
        return True
    for prep in tok.children:  # 'dozens of students', but not 'the outskirts of Kharkiv'
        if prep.dep_ == "prep" and prep.lower_ == "of":
            if any(g.dep_ == "pobj" and g.i not in _place_index(document) and _actorish(g, document)
                   for g in prep.children):
                return True
    return any(c.dep_ == "amod" and c.ent_type_ == "NORP" for c in tok.children)


def _with_conj(tok: Token) -> list[Token]:
    out = [tok]
    for c in tok.children:
        if c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN", "PRON"):
            out.extend(_with_conj(c))
    return out


def _subject(verb: Token) -> tuple[Optional[Token], bool]:
    """(subject, passive) of a verb, climbing through xcomp/conj/acomp when it has none of its own."""
    v = verb
    for _ in range(5):
        for c in v.children:
            if in_dateline(c):
                continue  # 'NAIROBI, June 3 (AP) - Police fired ...': the dateline city is no subject
            if c.dep_ in ("nsubj", "csubj"):
                return c, False
            if c.dep_ in ("nsubjpass",):
                return c, True
        if v.dep_ in ("xcomp", "conj", "acomp", "advcl", "oprd") and v.head.i != v.i:
            v = v.head
            continue
        break
    return None, False


def _instrument_only(tok: Token, document: Document) -> bool:
    """'A car bomb exploded', 'shells hit': a weapon without a side is no actor ('Russian missiles' is)."""
    if tok.lemma_.lower() not in load().classes.get("instruments", ()):
        return False
    if entity_for(document, tok.idx, tok.idx + len(tok.text)) is not None:
        return False
    return not any(c.dep_ in ("amod", "compound", "poss", "nmod")
                   and (c.ent_type_ in ("NORP", "GPE", "ORG") or any(_side_of(c.text, document)))
                   for c in tok.children)  # 'junta aircraft', 'rebel drones' have a side too


def _plain_town(tok: Token, document: Document) -> bool:
    place = _place_index(document).get(tok.i)
    if place is None and tok.pos_ == "PROPN":  # a later mention the geoparser left out
        place = next((p for p in document.report.places if any(m.text == tok.text for m in p.mentions)), None)
    return place is not None and not place.metonym and place.feature not in ("country", None)


def _defenders(tok: Token) -> list[Token]:
    """Subjects of defence verbs in a clause coordinated with the attack's ('..., but the army is holding')."""
    v = tok
    for _ in range(3):
        clauses = [c for c in v.children if c.dep_ == "conj"]
        if v.dep_ == "conj":
            clauses.append(v.head)
        if any(c.dep_ == "cc" for c in v.children) and v.head.i != v.i:
            # the parser may hang the second clause beside the first: 'X are trying ..., but Y is holding'
            clauses += [s for s in v.head.children if s.dep_ == v.dep_ and s.i > v.i]
        for c in clauses:
            if c.lemma_.lower() in DEFENCE_LEMMAS and c.pos_ in ("VERB", "AUX") and not any(
                    g.dep_ == "dobj" for g in c.children):  # 'holding out', not 'holding a meeting'
                subj = next((g for g in c.children if g.dep_ == "nsubj"), None)
                if subj is not None and subj.pos_ != "PRON":
                    return _with_conj(subj)
        if v.dep_ in ("xcomp", "advcl", "ccomp") and v.head.i != v.i and v.head.pos_ in ("VERB", "AUX") \
                and v.dep_ == "xcomp":
            v = v.head
        else:
            break
    return []


def participants(pred: Predicate, document: Document) -> tuple[list[Participant], list[Participant], set[int]]:
    """(actors, recipients, token indexes used by them)."""
    tok = pred.token
    actors: list[Token] = []
    recipients: list[Token] = []
    if pred.demanded_by is not None:
        # 'Russia said Sudan must return the helicopter': the speaker demands, the clause's subject is asked
        speaker, _ = _subject(pred.demanded_by)
        addressee, _ = _subject(tok)
        actors.extend(_with_conj(speaker) if speaker is not None else [])
        recipients.extend(_with_conj(addressee) if addressee is not None else [])
    elif tok.pos_ in ("VERB", "AUX"):
        subj, passive = _subject(tok)
        if subj is None and tok.dep_ == "acl" and tok.tag_ == "VBN":
            subj, passive = tok.head, True  # 'forces backed by AU troops', 'activists detained by police'
        agent = None
        for c in tok.children:
            if c.dep_ == "agent":
                agent = next((g for g in c.children if g.dep_ == "pobj"), None)
        if subj is not None:
            if passive:
                if pred.type in ("MOBILIZE", "RETREAT") and agent is None:
                    actors.extend(_with_conj(subj))
                elif _actorish(subj, document):
                    recipients.extend(_with_conj(subj))
            elif not _instrument_only(subj, document):
                actors.extend(_with_conj(subj))
        if agent is not None:
            actors.extend(_with_conj(agent))
        for c in tok.children:
            if c.dep_ in ("dobj", "dative", "obj") and _actorish(c, document):
                if pred.type == "MOBILIZE":
                    if not actors:
                        actors.extend(_with_conj(c))
                    continue
                recipients.extend(_with_conj(c))
            if c.dep_ == "prep" and c.lower_ in ("against", "on", "upon", "to", "with", "at"):
                pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
                if pobj is None or not _actorish(pobj, document):
                    continue
                if c.lower_ == "with" and not pred.entry.two_sided and pred.type not in ("CONSULT", "COOPERATE", "AGREE"):
                    continue
                if c.lower_ == "to" and pred.type not in ("REQUEST", "AID", "AGREE", "CONCEDE", "SUPPORT", "RETREAT"):
                    continue
                if c.lower_ == "at" and pred.type != "ASSAULT":
                    continue
                recipients.extend(_with_conj(pobj))
    else:
        kids = list(tok.children)
        if tok.dep_ in ("nsubj", "nsubjpass") and tok.head.pos_ == "VERB":
            # 'fighting broke out between A and B', 'the attack on X killed ...'
            kids += [c for c in tok.head.children if c.dep_ == "prep" and c.lower_ in ("between", "against", "by")]
            if pred.type == "ASSAULT" and tok.head.lemma_.lower() in EFFECT_VERBS:
                kids += [c for c in tok.head.children if c.dep_ == "dobj"]
        for c in kids:
            if c.dep_ == "dobj":
                if _actorish(c, document):
                    recipients.extend(_with_conj(c))
                continue
            if c.dep_ == "poss":
                if _actorish(c, document):  # not 'Monday's attack'
                    actors.append(c)
            elif c.dep_ in ("amod", "compound") and (c.ent_type_ in ("NORP", "GPE", "ORG", "PERSON")):
                actors.append(c)
            elif c.dep_ == "prep":
                pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
                if pobj is None:
                    continue
                if c.lower_ == "between":
                    actors.extend(_with_conj(pobj))
                elif c.lower_ in ("by", "from") and _actorish(pobj, document):
                    actors.extend(_with_conj(pobj))
                elif c.lower_ == "of" and pred.type in ("REQUEST", "AGREE", "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SUPPORT"):
                    if _actorish(pobj, document):
                        actors.extend(_with_conj(pobj))
                elif c.lower_ in ("against", "on", "upon", "to") and _actorish(pobj, document):
                    recipients.extend(_with_conj(pobj))
                elif c.lower_ == "with" and pred.entry.two_sided and _actorish(pobj, document):
                    actors.extend(_with_conj(pobj))
        if not actors:
            claimant = _claimant(tok)
            if claimant is not None and _actorish(claimant, document):
                actors.extend(_with_conj(claimant))
    if pred.type == "ASSAULT" and not recipients and not pred.entry.two_sided:
        recipients.extend(_defenders(tok))
    if pred.type not in VERBAL_TYPES:
        # 'Raqqa was destroyed', 'shelled Kharkiv': a town hit is where it happened, not who was hit
        recipients = [t for t in recipients if not _plain_town(t, document)]
    if pred.entry.two_sided:
        actors, recipients = actors + recipients, []
    used: set[int] = set()
    out = []
    for group in (actors, recipients):
        parts = []
        seen = set()
        for t in group:
            split = _split_coordinated_modifiers(t, document)
            if split:
                for p in split:
                    if p.text.lower() not in seen:
                        seen.add(p.text.lower())
                        parts.append(p)
                used.update(x.i for x in t.subtree)
                continue
            p = participant(t, document)
            if p is None:
                continue
            key = p.entity or p.text.lower()
            if key in seen:
                continue
            seen.add(key)
            parts.append(p)
            used.update(x.i for x in t.subtree)
        out.append(parts)
    return out[0], out[1], used


# -- location ---------------------------------------------------------------------------------

def _place_ok(place: Place) -> bool:
    return not place.metonym


def focus_place(document: Document) -> Optional[Place]:
    """The article's focus: the most-mentioned non-metonymic place below country level."""
    cached = document.notes.get("events", {}).get("focus", "unset")
    if cached != "unset":
        return cached
    counts: Counter = Counter()
    first: dict[str, int] = {}
    by_id = {}
    for p in document.report.places:
        if not _place_ok(p) or p.feature in ("country", "region", "river") or p.feature is None and p.geonameid is None:
            continue
        target = p
        if p.within:
            parent = next((q for q in document.report.places if q.id == p.within), None)
            if parent is not None:
                target = parent
        mentions = [m for m in p.mentions if not _mention_names_no_location(document, m, p)]
        if not mentions:
            continue
        by_id[target.id] = target
        counts[target.id] += len(mentions)
        first[target.id] = min([first.get(target.id, 10**9)] + [m.start for m in mentions])
    best = None
    if counts:
        pid = max(counts, key=lambda k: (counts[k], SPECIFICITY.get(by_id[k].feature, 8) <= 1, -first[k]))
        best = by_id[pid]
    document.notes.setdefault("events", {})["focus"] = best
    return best


MEDIA_WORDS = {"newspaper", "paper", "daily", "agency", "radio", "television", "tv", "channel", "broadcaster"}
AREA_PREPS = {"in", "inside", "across", "throughout", "within"}


def _mention_root(tok: Token, place: Place) -> Token:
    """The token of the place's mention whose head lies outside the mention ('West Berlin' -> Berlin)."""
    m = next((m for m in place.mentions if m.start <= tok.idx < m.end), None)
    if m is None:
        return tok
    root = tok
    while root.head.i != root.i and m.start <= root.head.idx < m.end:
        root = root.head
    return root


def _names_no_location(root: Token, place: Place) -> bool:
    """A place name that tells whose or where-from rather than where: actors, modifiers, origins."""
    if root.dep_ == "nsubj":  # 'Ankara regards ...': who acts
        return True
    if root.dep_ == "poss" and load().match(root.head) is not None:  # "Moscow's offensive": whose
        return True
    if root.dep_ in ("dobj", "dative") and root.head.pos_ in ("VERB", "AUX") and load().match(root.head) is None:
        return True  # 'press Ankara to stop': who is addressed; 'shelled Kharkiv' keeps its place
    # a country named as a participant ("Ukraine asked ...") is an actor, not a location
    if root.dep_ in ("nsubj", "nsubjpass", "dobj", "dative", "poss") and place.feature == "country":
        return True
    if root.dep_ in ("amod", "npadvmod"):  # 'Russian-held', 'U.S.-led'
        return True
    head = root.head
    if root.dep_ in ("poss", "compound", "nmod") and (
            head.lemma_.lower() in HUMAN_WORDS or head.lemma_.lower() in MEDIA_WORDS
            or head.ent_type_ in ("PERSON", "ORG", "NORP")):
        return True  # "Caracas' newspaper", "Moscow's envoy"
    # 'a driver from Abidjan': where a person comes from, not where the event happened
    return root.dep_ == "pobj" and head.lower_ == "from" and head.head.pos_ in ("NOUN", "PROPN", "PRON")


def _place_index(document: Document) -> dict[int, Place]:
    """Token index -> the place whose mention covers it (built once per document)."""
    notes = document.notes.setdefault("events", {})
    index = notes.get("place_index")
    if index is None:
        index = {}
        for place in document.report.places:
            for m in place.mentions:
                span = document.doc.char_span(m.start, m.end, alignment_mode="expand")
                for t in span if span is not None else []:
                    index.setdefault(t.i, place)
        notes["place_index"] = index
    return index


def _mention_names_no_location(document: Document, mention, place: Place) -> bool:
    span = document.doc.char_span(mention.start, mention.end, alignment_mode="expand")
    return span is not None and len(span) > 0 and _names_no_location(_mention_root(span[0], place), place)


def _places_in(tokens, document: Document, exclude: set[int], countries: str = "all") -> list[tuple[Place, Token]]:
    """Places named by `tokens` that can be where an event happened.

    countries: 'all' keeps country names, 'area' only those after in/inside/across ('in Syria').
    """
    out = []
    seen = set()
    for t in tokens:
        if t.i in exclude or in_dateline(t):
            continue  # the dateline tells where the story was filed: a last resort (see location)
        place = _place_index(document).get(t.i)
        if place is None or not _place_ok(place) or place.id in seen:
            continue
        root = _mention_root(t, place)
        if _names_no_location(root, place):
            continue
        if place.feature == "country" and countries == "area" and not (
                root.dep_ == "pobj" and root.head.lower_ in AREA_PREPS):
            continue
        seen.add(place.id)
        out.append((place, t))
    return out


def _clause_tokens(pred: Predicate, other_heads: set[int], lex: Lexicon) -> list[Token]:
    """Tokens of the event's clause: its subtree without embedded speech or other events."""
    tok = pred.token
    roots = [tok]
    if tok.pos_ in ("NOUN", "PROPN") and tok.dep_ in ("nsubj", "nsubjpass", "dobj") and tok.head.i not in other_heads:
        roots.append(tok.head)
    speech = lex.cues.get("speech_verbs", set())
    out, seen = [], set()

    def walk(t: Token, top: Token):
        if t.i in seen:
            return
        if t.i != top.i and (t.i in other_heads or (t.lemma_.lower() in speech and t.pos_ == "VERB")):
            return
        if t.i != top.i and t.dep_ in ("relcl", "advcl") and top.i != tok.i:
            return  # from the verb of a noun event: not its relative or adverbial clauses ('until X ended ...')
        seen.add(t.i)
        out.append(t)
        for c in t.children:
            walk(c, top)

    for r in roots:
        walk(r, r)
    return sorted(out, key=lambda t: t.i)


ANAPHOR_FEATURES = {"city": {"city"}, "town": {"city"}, "village": {"city"}, "capital": {"city"},
                    "region": {"admin1", "region"}, "province": {"admin1"}, "country": {"country"}}


def _recent_place(pred: Predicate, document: Document, clause: list[Token]) -> Optional[Place]:
    """'the city's southern districts': the place of that kind named last before the sentence
    (within the two sentences before it, datelines aside), else None."""
    kinds = set()
    for t in clause:
        if t.lemma_.lower() in ANAPHOR_FEATURES and any(c.lower_ in ("the", "this", "that") or c.dep_ == "poss"
                                                        for c in t.children):
            kinds |= ANAPHOR_FEATURES[t.lemma_.lower()]
    if not kinds:
        return None
    sents = list(document.doc.sents)
    here = next(i for i, s in enumerate(sents) if s.start <= pred.token.i < s.end)
    lo = sents[max(0, here - 2)].start_char
    best, best_start = None, -1
    for p in document.report.places:
        if not _place_ok(p) or p.feature not in kinds:
            continue
        for m in p.mentions:
            if lo <= m.start < pred.token.sent.start_char and m.start > best_start:
                span = document.doc.char_span(m.start, m.end, alignment_mode="expand")
                if span is not None and len(span) and not in_dateline(span[0]):
                    best, best_start = p, m.start
    return best


def location(pred: Predicate, document: Document, used: set[int], other_heads: set[int], lex: Lexicon):
    """(location, locations, how): from the clause, else the sentence, else the article's focus."""
    clause = _clause_tokens(pred, other_heads, lex)
    found = _places_in(clause, document, used)
    how = "clause"
    # 'abducted villagers in an attack near Kaduna': the event it happened in or during tells where
    for c in pred.token.children:
        if c.dep_ == "prep" and c.lower_ in ANCHOR_PREPS:
            for g in c.children:
                if g.dep_ == "pobj" and g.i in other_heads:
                    seen = {p.id for p, _ in found}
                    found += [(p, t) for p, t in _places_in(g.subtree, document, used) if p.id not in seen]
    if not found:
        anaphor = any(t.lemma_.lower() in PLACE_WORDS and any(c.lower_ in ("the", "this", "that") or c.dep_ == "poss" for c in t.children)
                      for t in clause)
        if anaphor:
            focus = _recent_place(pred, document, clause) or focus_place(document)
            if focus is not None:
                return LocationRef(place=focus.id, text=focus.name), [LocationRef(place=focus.id, text=focus.name)], "anaphor"
    if not found:
        sent = pred.token.sent
        found = _places_in(sent, document, used, countries="area")
        how = "sentence"
    if not found:
        focus = focus_place(document) if pred.type not in VERBAL_TYPES else None
        if focus is None and pred.type not in VERBAL_TYPES:
            index = _place_index(document)
            filed = [index[t.i] for t in pred.token.sent if in_dateline(t) and t.i in index and _place_ok(index[t.i])]
            if filed:  # nothing else: where the story was filed
                place = filed[0]
                return LocationRef(place=place.id, text=place.name), [LocationRef(place=place.id, text=place.name)], "dateline"
        if focus is not None and focus.country:
            # the focus never lands in another country than the one the sentence itself names
            index = _place_index(document)
            named = {index[t.i].country for t in pred.token.sent if t.i in index and index[t.i].country
                     and not in_dateline(t)}
            if named and focus.country not in named:
                focus = None
        if focus is None:
            return None, [], None
        return LocationRef(place=focus.id, text=focus.name), [LocationRef(place=focus.id, text=focus.name)], "focus"
    refs = []
    for p, t in found:
        m = next((m for m in p.mentions if m.start <= t.idx < m.end), None)
        refs.append(LocationRef(place=p.id, text=m.text if m else t.text))
    order = sorted(range(len(found)), key=lambda i: (SPECIFICITY.get(found[i][0].feature, 8), found[i][1].i))
    best = refs[order[0]]
    locations = [refs[i] for i in order if SPECIFICITY.get(found[i][0].feature, 8) == SPECIFICITY.get(found[order[0]][0].feature, 8)]
    locations.sort(key=lambda r: next(t.i for p, t in found if p.id == r.place))
    # a facility's event also happened in the town holding it: list that town too
    by_id = {p.id: p for p in document.report.places}
    for ref in list(locations):
        parent = by_id.get(by_id[ref.place].within) if by_id[ref.place].within else None
        if parent is not None and all(r.place != parent.id for r in locations):
            locations.append(LocationRef(place=parent.id, text=parent.name))
    return best, locations, how


# -- date -------------------------------------------------------------------------------------

def quote_at(document: Document, start: int, end: Optional[int] = None):
    """The quote holding [start, end): the claims stage's lookup when it is there."""
    end = start + 1 if end is None else end
    try:
        from eventwire.claims import quote_at as claims_quote_at
    except ImportError:  # the claims stage not there yet
        claims_quote_at = None
    if claims_quote_at is not None:
        return claims_quote_at(document, start, end)
    for q in document.report.quotes:
        if q.start <= start and end <= q.end:
            return q
    return None


def entity_for(document: Document, start: int, end: int):
    """The entity named by [start, end): the entity stage's lookup when it is there."""
    try:
        from eventwire.entities import entity_for_span
    except ImportError:  # the entity stage not there yet
        return document.entity_at(start, end)
    return entity_for_span(document, start, end)


def event_date(pred: Predicate, document: Document, clause: list[Token], lex: Lexicon,
               other_heads: frozenset[int] = frozenset()) -> Optional[DateRef]:
    """The event's date: from its clause, else the utterance's, else the publication date."""
    sent = pred.token.sent
    ids = {t.i for t in clause}
    anc = {a.i for a in pred.token.ancestors}
    speech = speech_governor(pred.token, lex)
    speech_up = {speech.i} | {x.i for x in speech.ancestors} if speech is not None else set()
    for d in document.dates_in(sent.start_char, sent.end_char):
        span = document.doc.char_span(d.start, d.end, alignment_mode="expand")
        if span is None or d.value is None:
            continue
        head = span.root
        # the date belongs to the event when it hangs from the event's clause, not from the speech
        # verb and not from another event's clause
        for t in [head] + list(head.ancestors):
            if t.i in speech_up:
                break
            if t.i in ids or t.i == pred.token.i:
                return DateRef(value=d.value, text=d.text, precision=d.precision)
            if t.i in other_heads:
                break
            if t.i in anc:
                return DateRef(value=d.value, text=d.text, precision=d.precision)
    q = quote_at(document, pred.token.idx, pred.token.idx + len(pred.token.text))
    if q is not None and q.date:
        return DateRef(value=q.date, text=None, precision="day")
    if speech is not None:
        for d in document.dates_in(sent.start_char, sent.end_char):
            span = document.doc.char_span(d.start, d.end, alignment_mode="expand")
            if span is None or not d.value:
                continue
            # the utterance's date hangs from the speech verb without passing through an event
            path = [span.root] + list(span.root.ancestors)
            upto = next((k for k, a in enumerate(path) if a.i == speech.i), None)
            if upto is not None and not any(a.i in other_heads or a.i == pred.token.i for a in path[:upto]):
                return DateRef(value=d.value, text=d.text, precision=d.precision)
    if document.published:
        return DateRef(value=document.published, text=None, precision="day")
    return None


# -- source -----------------------------------------------------------------------------------

def _participial_speech(token: Token, lex: Lexicon) -> Optional[Token]:
    """'Pointing to the alleged blows, X said ...': the subjectless participle clause is X's."""
    speech = lex.cues.get("speech_verbs", set())
    prev = token
    for anc in token.ancestors:
        if anc.lemma_.lower() in speech and anc.pos_ in ("VERB", "AUX"):
            if prev.dep_ == "advcl" and prev.tag_ == "VBG" and not any(
                    c.dep_ in ("nsubj", "nsubjpass") for c in prev.children):
                return anc
            return None
        prev = anc
    return None


def source(pred: Predicate, document: Document, lex: Lexicon) -> tuple[Optional[SpeakerRef], Optional[str]]:
    """(speaker, quote id) of the quote or reported clause holding the event; (None, None) in the article's voice."""
    q = quote_at(document, pred.token.idx, pred.token.idx + len(pred.token.text))
    if q is not None:
        return q.speaker, q.id
    speech = None
    if pred.status == "denied":
        speech = next((a for a in pred.token.ancestors if a.lemma_.lower() in lex.cues["denial_governors"]), None)
    speech = speech or speech_governor(pred.token, lex) or _participial_speech(pred.token, lex)
    if speech is None:
        return None, None
    subj = next((c for c in speech.children if c.dep_ == "nsubj"), None)
    if subj is None:  # 'X is believed to ...', 'it was reported by Y': only an agent speaks
        agent = next((c for c in speech.children if c.dep_ == "agent"), None)
        subj = next((g for g in agent.children if g.dep_ == "pobj"), None) if agent is not None else None
    if subj is None:
        return None, None
    start, end = _phrase_bounds(subj, appositive=False)
    ent = entity_for(document, subj.idx, subj.idx + len(subj.text)) or entity_for(document, start, end)
    return SpeakerRef(entity=ent.id if ent else None, text=document.text[start:end]), None


# -- quantities -------------------------------------------------------------------------------

def quantities(document: Document, clause: list[Token]) -> list[Quantity]:
    """Quantities (from the claims stage) whose words lie in the event's clause."""
    if not clause:
        return []
    try:
        from eventwire.claims.quantities import definite_reference, find_quantities
    except ImportError:  # the claims stage not there yet
        return []
    ids = {t.i for t in clause}
    start = clause[0].idx
    end = clause[-1].idx + len(clause[-1].text)
    out = []
    for q in find_quantities(document, start, end):
        if q.start is not None and q.end is not None:
            span = document.doc.char_span(q.start, q.end, alignment_mode="expand")
            if span is not None and not any(t.i in ids for t in span):
                continue
        if q.kind not in CASUALTY_KINDS and definite_reference(document, q):
            continue  # 'the two sides agreed': who acts, counted before, is no figure of the event
        out.append(q)
    return out
