"""Direct quotes: pairs of quotation marks and the speech verb that introduces them.

Pairing walks the quotation-mark tokens in order, using the open/close decision of the
quote-aware sentence splitter (`nlp.sentences.quote_role`, straight and curly marks alike; curly
single marks `‘...’` are paired the same way outside double ones, and the `’` of a plural
possessive such as `the soldiers’ families` is no mark):

- an opening mark starts a quote; a second opening mark before any closing one means the first
  was stray, and the quote restarts there;
- a closing mark ends the open quote; a closing mark with no quote open is stray and ignored;
- a quote never runs past the end of its paragraph or `MAX_QUOTE_CHARS`: an unclosed quote is
  dropped, unless the next paragraph opens with a quotation mark (the newswire convention for a
  quote over several paragraphs), in which case the paragraphs form one quote.

A pair becomes a quote when speech governs it (`classify`):
- *full* quotes (a clause) take the speech verb they hang from in the parse, else one in the
  rest of their sentence (`"A," X said` / `X said: "A."`), else the speaker of a quote just before
  (a quote that continues the previous one);
- *partial* quotes inside a sentence (`told reporters that "protecting" the republics`) need a
  speech verb among their ancestors, and a short noun phrase in quotation marks is a term, not
  speech (`the "special operation"`), unless a naming verb takes it (`called it "a crime"`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from spacy.tokens import Doc, Token

from eventwire.claims.lexicon import ClaimsLexicon
from eventwire.nlp.sentences import quote_role

MAX_QUOTE_CHARS = 1500
MAX_TERM_TOKENS = 5
PARAGRAPH = re.compile(r"\n\s*")
LABEL_DEPS = {"oprd", "xcomp", "attr", "ccomp", "acomp", "dobj"}
DOUBLE_MARKS = {'"', "“", "”", "«", "»", "„", "``", "''"}
ALL_MARKS = DOUBLE_MARKS | {"‘", "’"}


@dataclass
class QuotePair:
    open_i: int  # token index of the opening mark
    close_i: Optional[int]  # token index of the closing mark (None: runs to the paragraph end)
    start: int  # content characters
    end: int
    parts: list[tuple[int, int]] = field(default_factory=list)  # token ranges [first, last] of content


def mark_role(tok: Token) -> Optional[str]:
    """'open' or 'close' for a quotation mark; a mark at a line start before a word opens."""
    role = quote_role(tok)
    if role is None:
        return None
    doc = tok.doc
    prev = doc[tok.i - 1] if tok.i > 0 else None
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    line_start = prev is None or prev.is_space or prev.text.endswith("\n")
    if line_start and nxt is not None and not tok.whitespace_ and not nxt.is_space and not nxt.is_punct:
        return "open"
    return role


def paragraph_ends(text: str) -> list[int]:
    """Character offsets where paragraphs end (a line break), with the end of the text."""
    ends = [m.start() for m in PARAGRAPH.finditer(text)]
    ends.append(len(text))
    return ends


def _paragraph_end(ends: list[int], offset: int) -> int:
    for e in ends:
        if e >= offset:
            return e
    return ends[-1]


def _content_bounds(doc: Doc, first: int, last: int) -> Optional[tuple[int, int]]:
    """Characters of tokens [first, last], without trailing commas and colons."""
    while last >= first and doc[last].text in (",", ":", ";") or (last >= first and doc[last].is_space):
        last -= 1
    while first <= last and doc[first].is_space:
        first += 1
    if last < first:
        return None
    return doc[first].idx, doc[last].idx + len(doc[last].text)


def pair_quotes(doc: Doc) -> list[QuotePair]:
    """The quotation-mark pairs of the document (see module doc for the rules): double marks,
    then curly single ones (`‘...’`, British style) outside them."""
    doubles = _pair_marks(doc, [t for t in doc if t.text in DOUBLE_MARKS])
    singles = _pair_marks(doc, [t for t in doc if t.text == "‘" or t.text == "’" and not _possessive(t)])
    inside = [(p.start, p.end) for p in doubles]
    singles = [p for p in singles if not any(a <= p.start < b or p.start <= a < p.end for a, b in inside)]
    return sorted(doubles + singles, key=lambda p: p.start)


def _possessive(tok: Token) -> bool:
    """The ’ of `the soldiers’ families`, not a closing quotation mark."""
    if tok.i == 0 or tok.i + 1 >= len(tok.doc):
        return False
    prev, nxt = tok.doc[tok.i - 1], tok.doc[tok.i + 1]
    return not prev.whitespace_ and prev.text[-1:] in "sSzZ" and nxt.is_alpha and nxt.text[0].islower()


def _pair_marks(doc: Doc, marks: list[Token]) -> list[QuotePair]:
    text = doc.text
    ends = paragraph_ends(text)
    pairs: list[QuotePair] = []
    open_tok: Optional[Token] = None
    pending: list[QuotePair] = []  # earlier paragraphs of a quote that continues

    def close_paragraph(last_i: int) -> None:
        nonlocal open_tok
        assert open_tok is not None
        bounds = _content_bounds(doc, open_tok.i + 1, last_i)
        if bounds is not None:
            pending.append(QuotePair(open_tok.i, None, bounds[0], bounds[1], [(open_tok.i + 1, last_i)]))
        open_tok = None

    def flush(pair: Optional[QuotePair]) -> None:
        if pair is not None and pending:
            pair.parts = [p for q in pending for p in q.parts] + pair.parts
            pair.start, pair.open_i = pending[0].start, pending[0].open_i
        if pair is not None:
            pairs.append(pair)
        pending.clear()

    for tok in marks:
        role = mark_role(tok)
        if open_tok is not None:
            par_end = _paragraph_end(ends, open_tok.idx)
            too_long = tok.idx - open_tok.idx > MAX_QUOTE_CHARS
            if tok.idx > par_end or too_long:
                # the open quote ran out of its paragraph: keep it only when the paragraph
                # after it opens with a quotation mark (a quote over several paragraphs)
                last_i = _last_token_before(doc, par_end)
                if not too_long and role == "open" and _opens_paragraph(text, tok.idx, par_end):
                    close_paragraph(last_i)
                else:
                    open_tok = None
                    pending.clear()
        if role == "open":
            if open_tok is not None:
                pending.clear()  # the earlier opening mark was stray
            elif pending and not _opens_paragraph(text, tok.idx, _previous_end(ends, tok.idx)):
                pending.clear()
            open_tok = tok
        elif role == "close" and open_tok is not None:
            bounds = _content_bounds(doc, open_tok.i + 1, tok.i - 1)
            if bounds is not None:
                flush(QuotePair(open_tok.i, tok.i, bounds[0], bounds[1], [(open_tok.i + 1, tok.i - 1)]))
            else:
                pending.clear()
            open_tok = None
    return pairs


def _last_token_before(doc: Doc, offset: int) -> int:
    i = len(doc) - 1
    while i > 0 and doc[i].idx >= offset:
        i -= 1
    return i


def _previous_end(ends: list[int], offset: int) -> int:
    prev = 0
    for e in ends:
        if e >= offset:
            break
        prev = e
    return prev


def _opens_paragraph(text: str, offset: int, par_end: int) -> bool:
    """True when the mark at `offset` is the first thing of the paragraph after `par_end`."""
    return par_end < offset and not text[par_end:offset].strip()


# -- classification --------------------------------------------------------------------------

def content_tokens(doc: Doc, pair: QuotePair) -> list[Token]:
    return [doc[i] for first, last in pair.parts for i in range(first, last + 1)]


def is_full(doc: Doc, pair: QuotePair) -> bool:
    """A quote that is a whole sentence or clause: capitalised and at a sentence or clause start."""
    tokens = content_tokens(doc, pair)
    words = [t for t in tokens if t.is_alpha]
    if not words or not words[0].text[0].isupper():
        return False
    if not any(t.pos_ in ("VERB", "AUX") for t in tokens):
        return False
    opener = doc[pair.open_i]
    before = doc[opener.i - 1] if opener.i > 0 else None
    return before is None or opener.is_sent_start or before.text in (":", ",", ".", "?", "!", "\n") or before.is_space


def is_term(doc: Doc, pair: QuotePair) -> bool:
    """A short noun phrase in quotation marks (a scare quote or a name), not speech."""
    if so_called(doc, pair):
        return True
    tokens = [t for t in content_tokens(doc, pair) if not t.is_punct]
    if len(tokens) > MAX_TERM_TOKENS:
        return False
    return not any(t.pos_ in ("VERB", "AUX") for t in tokens)


def so_called(doc: Doc, pair: QuotePair) -> bool:
    """`the so-called "security zone"`: the writer distances himself from a term."""
    before = " ".join(t.lower_ for t in doc[max(0, pair.open_i - 3): pair.open_i])
    return before.endswith("so - called") or before.endswith("so-called") or before.endswith("so called")


def governing_cue(doc: Doc, pair: QuotePair, lex: ClaimsLexicon, full: bool, max_steps: int = 6) -> Optional[Token]:
    """The speech verb among the ancestors of the quote's content, outside it. A partial quote
    needs a verb that reports speech; a full one may also take `asked`, `continued`, ..."""
    is_cue = lex.is_quote_cue if full else lex.is_cue
    tokens = content_tokens(doc, pair)
    inside = {t.i for t in tokens} | {pair.open_i} | ({pair.close_i} if pair.close_i is not None else set())
    roots = [t for t in tokens if t.head.i not in inside or t.head.i == t.i]
    for root in roots:
        tok = root
        for _ in range(max_steps + 1):
            if tok.i not in inside and tok.pos_ in ("VERB", "AUX") and is_cue(tok.lemma_.lower()):
                return tok
            if tok.head.i == tok.i:
                break
            tok = tok.head
    return None


def naming_governor(doc: Doc, pair: QuotePair, lex: ClaimsLexicon) -> Optional[Token]:
    """A naming verb the quoted term hangs from: `called the strike "a war crime"`."""
    if so_called(doc, pair):
        return None
    tokens = content_tokens(doc, pair)
    inside = {t.i for t in tokens}
    root = next((t for t in tokens if t.head.i not in inside), None)
    if root is None:
        return None
    head, dep = root.head, root.dep_
    if head.lower_ == "as" and dep == "pobj":  # 'described it as "..."'
        head, dep = head.head, "oprd"
    if head.pos_ == "VERB" and head.lemma_.lower() in lex.naming and dep in LABEL_DEPS:
        return head
    return None


def sentence_cue(doc: Doc, pair: QuotePair, lex: ClaimsLexicon) -> Optional[Token]:
    """A speech verb in the parts of the quote's first or last sentence outside the quote.

    After the quote (`"A," X said`) is tried before before it (`X said: "A."`)."""
    inside = {t.i for t in content_tokens(doc, pair)}
    close = pair.close_i if pair.close_i is not None else max(inside)
    after_sent = doc[close].sent
    for tok in doc[close + 1: after_sent.end]:
        if tok.is_space and "\n" in tok.text:
            break  # the paragraph ends
        if tok.text in ALL_MARKS and mark_role(tok) == "open":
            break  # the next quote begins: its attribution is not ours
        if tok.pos_ == "VERB" and lex.is_quote_cue(tok.lemma_.lower()):
            return tok
    before_sent = doc[pair.open_i].sent
    for tok in reversed(doc[before_sent.start: pair.open_i]):
        if tok.text in ALL_MARKS and not _possessive(tok) or tok.is_space and "\n" in tok.text:
            break
        if tok.pos_ == "VERB" and lex.is_quote_cue(tok.lemma_.lower()):
            return tok
    # 'X said:' ending the previous sentence
    if before_sent.start > 0 and doc[pair.open_i].i == before_sent.start:
        prev = doc[before_sent.start - 1].sent
        if prev[-1].text == ":" or (len(prev) > 1 and prev[-2].text == ":"):
            for tok in reversed(list(prev)):
                if tok.pos_ == "VERB" and lex.is_quote_cue(tok.lemma_.lower()):
                    return tok
    return None
