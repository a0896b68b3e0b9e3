"""Event predicates in a parsed sentence: PLOVER type, mode and status from the dependency parse.

Works on a spaCy sentence alone (no report needed), so the benchmarks can call it directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from spacy.tokens import Span as SpacySpan, Token

from eventwire.claims.reported import in_dateline
from eventwire.events.lexicon import Entry, Lexicon, load


@dataclass
class Predicate:
    token: Token
    entry: Entry
    type: str
    mode: Optional[str]
    status: str
    content_of: Optional[Token] = None  # the governing predicate when this one is its content
    planned_by: Optional[str] = None
    demanded_by: Optional[Token] = None  # 'X said Y must ...': the speech verb whose subject demands

    @property
    def depth(self) -> int:
        d, t = 0, self.token
        while t.head.i != t.i:
            d, t = d + 1, t.head
        return d


def ancestors_until_speech(token: Token, lex: Lexicon) -> list[Token]:
    """The token's ancestors, nearest first, stopping before the first speech verb."""
    speech = lex.cues.get("speech_verbs", set())
    out = []
    for anc in token.ancestors:
        if anc.lemma_.lower() in speech and anc.pos_ in ("VERB", "AUX"):
            break
        out.append(anc)
    return out


def speech_governor(token: Token, lex: Lexicon) -> Optional[Token]:
    """The speech verb whose reported clause holds the token, if any."""
    speech = lex.cues.get("speech_verbs", set())
    prev = token
    for anc in token.ancestors:
        if anc.lemma_.lower() in speech and anc.pos_ in ("VERB", "AUX"):
            if prev.dep_ in ("ccomp", "parataxis", "xcomp", "dobj"):
                return anc
            if prev.dep_ == "conj" and prev.head.i == anc.i:
                return anc
            return None
        prev = anc
    return None


def _aux_words(verb: Token) -> set[str]:
    return {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}


NEGATED = "negated"


def status_of(token: Token, lex: Lexicon) -> tuple[Optional[str], Optional[str]]:
    """(status, planning cue) of the event at `token`; NEGATED for a negated verb, None for 'no X'."""
    cues = lex.cues
    chain = [token] + ancestors_until_speech(token, lex)
    # the clause chain: the event and its governors up to the first finite verb with a subject
    reported = speech_governor(token, lex) is not None
    alleged = any(c.lower_ in cues["alleged_modifiers"] for c in token.children if c.dep_ in ("amod", "advmod"))
    planned_by = None
    status = None
    for i, t in enumerate(chain):
        lemma = t.lemma_.lower()
        if i > 0 and lemma in cues["denial_governors"] and t.pos_ == "VERB":
            return "denied", None
        if i > 0 and lemma in cues.get("negating_governors", ()) and t.pos_ == "VERB":
            return NEGATED, None  # 'failed to reach an agreement'
        if i > 0 and lemma in cues["alleged_governors"]:
            alleged = True
        if t.pos_ in ("VERB", "AUX"):
            auxes = _aux_words(t)
            negs = [c for c in t.children if c.dep_ == "neg"]
            if negs and (i == 0 or chain[i - 1].dep_ in ("xcomp", "aux", "nsubj", "nsubjpass")):
                return NEGATED, None
            if auxes & cues["conditional_aux"] and status is None:
                status = "planned" if reported and "would" in auxes else "hypothetical"
            if auxes & cues["planned_aux"] and status is None:
                status = "planned"
            if any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in t.children):
                return "hypothetical", None
        if i > 0 and lemma in cues["planned_governors"] and status is None:
            status, planned_by = "planned", lemma
        if i > 0 and lemma in cues["planned_nouns"] and t.pos_ == "NOUN" and status is None:
            status, planned_by = "planned", lemma
        # stop climbing at the first clause with its own subject (beyond nouns' governing verb)
        if t.pos_ in ("VERB", "AUX") and any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in t.children):
            if not (t.i == token.i or t.dep_ in ("xcomp", "acomp")):
                break
        # a relative or participle clause ('Turkey, which backs ...', 'supplies delivered last month')
        # keeps its own status: the matrix clause's negation or modal is not its own
        if t.pos_ in ("VERB", "AUX") and (t.dep_ == "relcl" or (t.dep_ == "acl" and t.tag_ in ("VBN", "VBG"))):
            break
    if token.pos_ == "NOUN" and any(c.dep_ == "neg" or c.lower_ == "no" for c in token.children if c.dep_ == "det"):
        return None, None
    if status == "hypothetical":
        return status, planned_by
    if alleged:
        return "alleged", planned_by
    if status:
        return status, planned_by
    # aspect: progressive or present tense means ongoing
    verb = token if token.pos_ in ("VERB", "AUX") else (token.head if token.dep_ in ("nsubj", "nsubjpass") else None)
    if verb is not None:
        for v in [verb] + [a for a in verb.ancestors if verb.dep_ == "xcomp"][:1]:
            auxes = [c for c in v.children if c.dep_ in ("aux", "auxpass")]
            if v.tag_ == "VBG" and any(a.lemma_ == "be" and a.tag_ in ("VBP", "VBZ") for a in auxes):
                return "ongoing", None
            if v.tag_ in ("VBP", "VBZ") and not any(a.lemma_ in ("have",) for a in auxes):
                return "ongoing", None
            # 'have been fighting', 'has been shelled since May': a present perfect still going on
            perfect = any(a.lemma_ == "have" and a.tag_ in ("VBP", "VBZ") for a in auxes)
            if perfect and (v.tag_ == "VBG" or any(c.dep_ == "prep" and c.lower_ in ("since", "for")
                                                   for c in v.children)):
                return "ongoing", None
    if reported:
        return "claimed", None
    return "happened", None


def _content_governor(token: Token, lex: Lexicon, heads: set[int]) -> Optional[Token]:
    """The predicate whose content this token is (e.g. 'supply' in 'called on X to supply Y').

    Content: below a governor such as ask/accuse/offer, or the purpose of another event
    ('opened a corridor to evacuate ...', 'conditions for attacks').
    """
    speech = lex.cues.get("speech_verbs", set())
    t = token
    coordinated = False
    for anc in token.ancestors:
        if t.dep_ in ("nsubj", "nsubjpass", "csubj", "ROOT"):
            return None
        if anc.lemma_.lower() in speech and anc.pos_ in ("VERB", "AUX"):
            return None
        coordinated = coordinated or t.dep_ == "conj"
        if anc.lemma_.lower() in lex.content_governors:
            if coordinated and any(c.dep_ == "oprd" for c in anc.children):
                return None  # 'called the raid a crime and urged ...': the second verb is an act of its own
            return anc
        purpose = (t.dep_ in ("advcl", "xcomp") and any(c.dep_ == "aux" and c.lower_ == "to" for c in t.children)) or (
            t.dep_ == "prep" and t.lower_ == "for"
        )
        if purpose and anc.i in heads:
            return anc
        if purpose and t.dep_ != "xcomp":
            # 'staged protests to demand reforms': the purpose of the event that is the verb's object
            obj = next((c for c in anc.children if c.dep_ == "dobj" and c.i in heads), None)
            if obj is not None:
                return obj
        t = anc
    return None


def assault_mode(token: Token, lex: Lexicon) -> Optional[str]:
    words = {t.lemma_.lower() for t in token.subtree} | {token.lemma_.lower()}
    words |= {c.lemma_.lower() for c in token.head.children} if token.dep_ in ("nsubj", "dobj") else set()
    for mode, cues in lex.assault_modes.items():
        if words & cues:
            return mode
    return None


def request_mode(token: Token, lex: Lexicon, with_self: bool = False) -> Optional[str]:
    words = {t.lemma_.lower() for t in token.subtree if with_self or t.i != token.i}
    for mode, cues in lex.request_modes.items():
        if words & cues:
            return mode
    return None


# what can be rejected (a proposal, request, accusation...) rather than denied as having happened
PROPOSAL_TYPES = {"AGREE", "REQUEST", "THREATEN", "ACCUSE", "CONSULT", "REJECT"}


def _denies_an_act(denier: Token, by_index: dict) -> bool:
    """'denied that its jets bombed', 'denied the attack': the content is an act said not to have happened."""
    for c in denier.children:
        if c.i not in by_index:
            continue
        if c.pos_ in ("VERB", "AUX") and c.dep_ in ("ccomp", "xcomp"):
            return True
        if by_index[c.i].type not in PROPOSAL_TYPES:
            return True
    return False


# PLOVER codes a commitment to a cooperative act as AGREE, a stated intent to a coercive act as
# THREATEN, and a refusal of a cooperative act ('will not accept', 'did not agree') as REJECT.
COOPERATIVE_TYPES = {"AID", "COOPERATE", "CONSULT", "RETREAT", "CONCEDE", "SUPPORT", "AGREE"}
COERCIVE_TYPES = {"COERCE", "SANCTION", "PROTEST"}
DEMAND_MODALS = {"must", "should"}
VOW_CUES = {"vow", "swear", "pledge", "threaten"}
# modes telling the weapon: words of the clause (drone, tear gas, ...) may name another one
WEAPON_MODES = {None, "firearms", "heavy-weapons", "aerial", "explosives", "drone"}
PREPARATION_CUES = {"prepare", "prepared", "ready"}
DEMAND_ENTRY = Entry(lemma="must", pos=("VERB",), type="REQUEST")


def _demanded(tok: Token, lex: Lexicon) -> Optional[Token]:
    """'Russia said Sudan must return the helicopter': the speech verb when the clause is a demand."""
    if tok.pos_ not in ("VERB", "AUX"):
        return None
    if not any(c.dep_ == "aux" and c.lower_ in DEMAND_MODALS for c in tok.children):
        return None
    if not any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children):
        return None
    return speech_governor(tok, lex)


def _recode(etype: str, mode: Optional[str], status: str, tok: Token, lex: Lexicon,
            planned_by: Optional[str] = None) -> tuple[str, Optional[str], str]:
    """Type, mode and status after PLOVER's rules for commitments, threats and refusals."""
    if status == NEGATED:
        reported = speech_governor(tok, lex) is not None
        return "REJECT", request_mode(tok, lex, with_self=True), "claimed" if reported else "happened"
    if status == "planned" and _ultimatum(tok):
        return "THREATEN", None, status  # 'will withdraw its troops unless ...'
    if status == "planned" and planned_by in PREPARATION_CUES and etype == "ASSAULT":
        return "MOBILIZE", "troops", status  # 'prepared to resume shelling': getting ready to attack
    if status == "planned" and etype in COOPERATIVE_TYPES:
        return "AGREE", None, status
    if status == "planned" and planned_by in VOW_CUES and etype in COERCIVE_TYPES | {"ASSAULT"}:
        return "THREATEN", None, status  # 'vowed to fight on
    if status == "planned" and etype in COERCIVE_TYPES and speech_governor(tok, lex) is not None:
        return "THREATEN", None, status
    return etype, mode, status


REFUSAL_MODALS = {"will", "would", "wo", "shall", "can", "ca", "could", "'ll"}


def _refusal(tok: Token, lex: Lexicon) -> bool:
    """'will not accept', 'would not meet', 'failed to reach': a refusal, not a mere negation."""
    for v in [tok] + list(tok.ancestors)[:3]:
        if v.lemma_.lower() in lex.cues.get("negating_governors", ()):
            return True
        if any(c.dep_ == "neg" for c in v.children):
            return any(c.dep_ == "aux" and c.lower_ in REFUSAL_MODALS for c in v.children)
    return False


def _non_agent_subject(tok: Token, lex: Lexicon) -> bool:
    """'floods killed', 'violence has spread ..., killing thousands': the subject (of the verb or of
    the clause it trails) is no agent."""
    v = tok
    for _ in range(3):
        subj = next((c for c in v.children if c.dep_ == "nsubj"), None)
        if subj is not None:
            return subj.lemma_.lower() in lex.classes.get("non_agents", ())
        if v.dep_ not in ("advcl", "conj") or v.head.i == v.i or v.head.pos_ not in ("VERB", "AUX"):
            return False
        v = v.head
    return False


def _asks_anonymity(tok: Token, lex: Lexicon) -> bool:
    words = lex.classes.get("anonymity", ())
    return any(c.dep_ in ("xcomp", "ccomp") and c.lemma_.lower() in words for c in tok.children)


def _ultimatum(tok: Token) -> bool:
    return any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "unless" for m in c.children)
               for c in tok.children)


def find_predicates(sent: SpacySpan, lex: Optional[Lexicon] = None, keep_content: bool = False) -> list[Predicate]:
    """Event predicates of one sentence, coded; content predicates are dropped unless keep_content."""
    lex = lex or load()
    matched: list[tuple[Token, Entry]] = []
    for tok in sent:
        if tok.dep_ == "compound" and tok.pos_ in ("NOUN", "PROPN"):
            continue  # 'aid workers', 'ceasefire agreements': a modifier, not an event
        if in_dateline(tok):
            continue  # 'KHARTOUM, March 12 (AFP) -': the month is no march
        entry = lex.match(tok)
        if entry is not None:
            matched.append((tok, entry))
    known = {t.i for t, _ in matched}
    matched += [(t, DEMAND_ENTRY) for t in sent if t.i not in known and _demanded(t, lex) is not None]
    matched.sort(key=lambda te: te[0].i)
    heads = {t.i for t, _ in matched}
    by_index = {t.i: e for t, e in matched}
    out: list[Predicate] = []
    for tok, entry in matched:
        # 'the attack killed nine': the verb tells the result of the event noun that is its subject
        subj = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if tok.pos_ == "VERB" and subj is not None and subj.i in by_index and by_index[subj.i].type == entry.type:
            continue
        governor = _content_governor(tok, lex, heads)
        denier = tok.head if tok.head.i != tok.i and tok.head.lemma_.lower() in lex.cues["denial_governors"] else None
        if denier is not None and not _denies_an_act(denier, by_index):
            governor = denier  # 'rejected the proposal': the proposal is what is rejected
        # 'deny'/'reject' over an act denies it (the act is kept, status denied) rather than rejecting
        if entry.lemma in lex.cues["denial_governors"] and _denies_an_act(tok, by_index):
            continue
        status, planned_by = status_of(tok, lex)
        if status is None or (status == NEGATED and (entry.type not in COOPERATIVE_TYPES or tok.pos_ != "VERB"
                                                     or not _refusal(tok, lex))):
            continue  # 'did not attack', 'did not provide details': nothing happened
        if entry.type == "REQUEST" and _asks_anonymity(tok, lex):
            continue  # 'a villager said, asking not to be named': a condition of the source, no request
        if tok.pos_ == "VERB" and entry.type == "ASSAULT" and _non_agent_subject(tok, lex):
            continue  # 'the measures will hit the poor', 'floods killed': no attack
        if entry.status and status in ("happened", "ongoing", "claimed"):
            status = entry.status
        etype, mode = entry.type, entry.mode
        if etype == "ASSAULT" and mode in WEAPON_MODES:
            mode = assault_mode(tok, lex) or mode  # 'fired tear gas' is crowd control, not firearms
        if etype in ("REQUEST", "REJECT") and mode is None:
            mode = request_mode(tok, lex)
        etype, mode, status = _recode(etype, mode, status, tok, lex, planned_by)
        if etype == "AGREE" and any(c.dep_ in ("xcomp", "ccomp") and c.i in by_index
                                    and by_index[c.i].type in COERCIVE_TYPES | {"ASSAULT"} for c in tok.children):
            etype, mode = "THREATEN", None  # a vow or promise to attack is a threat
        demander = _demanded(tok, lex)
        if demander is not None:
            etype, mode, status = "REQUEST", request_mode(tok, lex, with_self=True), "claimed"
        pred = Predicate(tok, entry, etype, mode, status, content_of=governor, planned_by=planned_by,
                         demanded_by=demander)
        if governor is not None and not keep_content:
            continue
        out.append(pred)
    return out


def main_event(sent: SpacySpan, lex: Optional[Lexicon] = None) -> Optional[Predicate]:
    """The sentence's main event: the predicate highest in the parse (verbs before nouns)."""
    preds = find_predicates(sent, lex) or find_predicates(sent, lex, keep_content=True)
    if not preds:
        return None
    return min(preds, key=lambda p: (p.depth, p.token.pos_ != "VERB", p.token.i))
