"""Sentence boundaries that respect quotation marks.

The small English model splits badly around quotes: it starts a sentence at a closing quote,
glues `evacuation.” “Russian troops` into one sentence, or breaks between an opening quote and
its first word. This component runs before the parser and fixes the boundaries it is sure about;
the parser decides the rest.

Rules (straight and curly marks alike):
- a quote mark is *closing* when it has no space before it, or when it follows sentence-final
  punctuation and a space follows it (a stray `scary. “ On Monday` in scraped text);
  otherwise it is *opening* when a word follows it without a space;
- a closing mark never starts a sentence; after `.”`, `?”`, `!”` the next token starts a sentence
  when it is capitalised or an opening mark, and never when it is lower case (`..., ” he said`);
- an opening mark after sentence-final punctuation starts a sentence, and the word after an
  opening mark never does.

Line breaks: a blank line ends a paragraph, so the next word starts a sentence (headlines and
datelines carry no final stop); a single line break does so only after sentence-final
punctuation or a closing mark, since scraped text is often hard-wrapped mid-sentence.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Token

QUOTE_SENTENCIZER = "eventwire_quote_sentences"

OPEN_ONLY = {"“", "«", "„", "‘"}
CLOSE_ONLY = {"”", "»", "’"}
AMBIGUOUS = {'"', "''", "``"}
QUOTE_MARKS = OPEN_ONLY | CLOSE_ONLY | AMBIGUOUS
FINAL_PUNCT = {".", "?", "!", "…"}


def quote_role(token: Token) -> str | None:
    """'open', 'close' or None for a token that is not a quotation mark."""
    text = token.text
    if text not in QUOTE_MARKS:
        return None
    doc = token.doc
    prev = doc[token.i - 1] if token.i > 0 else None
    space_before = prev is None or bool(prev.whitespace_) or prev.is_space
    space_after = bool(token.whitespace_) or token.i == len(doc) - 1
    if prev is not None and prev.text in FINAL_PUNCT and space_after:
        return "close"  # `evil.”` or the stray `scary. “ On`
    if text in CLOSE_ONLY:
        return "close" if not space_before or space_after else "open"
    if text in OPEN_ONLY:
        return "open" if not space_after else "close"
    # straight quote: decide by the spaces around it
    if space_before and not space_after:
        return "open"
    return "close"


def _line_breaks(doc: Doc) -> None:
    last = None  # the previous token that is not whitespace
    breaks = 0  # line breaks since it
    for token in doc:
        if token.is_space:
            breaks += token.text.count("\n") + token.whitespace_.count("\n")
            continue
        if breaks >= 2 or breaks and last is not None and (last.text in FINAL_PUNCT or quote_role(last) == "close"):
            token.is_sent_start = True
        last, breaks = token, token.whitespace_.count("\n")


@Language.component(QUOTE_SENTENCIZER)
def quote_sentences(doc: Doc) -> Doc:
    _line_breaks(doc)
    n = len(doc)
    for i, token in enumerate(doc):
        role = quote_role(token)
        if role is None:
            continue
        if role == "close":
            if i > 0:
                token.is_sent_start = False
            if i + 1 < n and i > 0 and doc[i - 1].text in FINAL_PUNCT:
                nxt = doc[i + 1]
                if nxt.is_space:
                    continue
                if nxt.text[:1].isupper() or quote_role(nxt) == "open":
                    nxt.is_sent_start = True
                elif nxt.text[:1].islower():
                    nxt.is_sent_start = False
        else:  # opening mark
            if i > 0 and doc[i - 1].text in FINAL_PUNCT:
                token.is_sent_start = True
            if i + 1 < n:
                doc[i + 1].is_sent_start = False
    return doc


def add_quote_sentencizer(nlp: Language) -> None:
    before = "parser" if "parser" in nlp.pipe_names else None
    if before:
        nlp.add_pipe(QUOTE_SENTENCIZER, before=before)
    else:
        nlp.add_pipe(QUOTE_SENTENCIZER, first=True)
