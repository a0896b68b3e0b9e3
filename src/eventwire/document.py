"""The document every stage reads and writes.

A `Document` holds the article text, the spaCy `Doc` and the report under construction. Stages
are plain functions `annotate(document) -> None` that add to `document.report`; they may leave
working notes for later stages in `document.notes` (a dict keyed by stage name), which never
reach the report.
"""

from __future__ import annotations

import bisect
import hashlib
from dataclasses import dataclass, field
from typing import Any, Optional

from spacy.tokens import Doc, Span as SpacySpan

from eventwire.schema import Article, Report, Sentence, Span


def text_id(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class Document:
    text: str
    doc: Doc
    report: Report
    notes: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def create(
        cls,
        text: str,
        doc: Doc,
        *,
        title: Optional[str] = None,
        published: Optional[str] = None,
        source: Optional[str] = None,
        url: Optional[str] = None,
        language: str = "en",
    ) -> "Document":
        article = Article(
            id=text_id(text), title=title, published=published, source=source, url=url, language=language
        )
        report = Report(article=article)
        report.sentences = [Sentence(start=s.start_char, end=s.end_char) for s in doc.sents]
        return cls(text=text, doc=doc, report=report)

    # -- helpers shared by the stages -------------------------------------------------------

    @property
    def published(self) -> Optional[str]:
        return self.report.article.published

    def span(self, start: int, end: int) -> Span:
        return Span(start=start, end=end, text=self.text[start:end])

    def sentence_index(self, offset: int) -> int:
        """Index into report.sentences of the sentence holding character `offset`."""
        starts = self._sentence_starts()
        return max(0, bisect.bisect_right(starts, offset) - 1)

    def sentence_span(self, offset: int) -> SpacySpan:
        """The spaCy sentence holding character `offset`."""
        sent = self.report.sentences[self.sentence_index(offset)]
        span = self.doc.char_span(sent.start, sent.end, alignment_mode="expand")
        return span

    def sentences(self) -> list[SpacySpan]:
        return list(self.doc.sents)

    def _sentence_starts(self) -> list[int]:
        starts = self.notes.get("_sentence_starts")
        if starts is None:
            starts = [s.start for s in self.report.sentences]
            self.notes["_sentence_starts"] = starts
        return starts

    def next_id(self, prefix: str) -> str:
        counters = self.notes.setdefault("_ids", {})
        counters[prefix] = counters.get(prefix, 0) + 1
        return f"{prefix}{counters[prefix]}"

    # -- lookups over what earlier stages found ----------------------------------------------

    def entity_at(self, start: int, end: int):
        """The entity with a mention overlapping [start, end), largest overlap first, or None."""
        return _best_overlap(self.report.entities, start, end)

    def place_at(self, start: int, end: int):
        """The place with a mention overlapping [start, end), largest overlap first, or None."""
        return _best_overlap(self.report.places, start, end)

    def dates_in(self, start: int, end: int):
        """Date mentions lying inside [start, end)."""
        return [d for d in self.report.dates if d.start >= start and d.end <= end]


def _best_overlap(items, start: int, end: int):
    best, best_len = None, 0
    for item in items:
        for m in item.mentions:
            overlap = min(end, m.end) - max(start, m.start)
            if overlap > best_len:
                best, best_len = item, overlap
    return best
