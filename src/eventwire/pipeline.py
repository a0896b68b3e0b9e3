"""The extraction pipeline: text in, `Report` out.

    report = extract(text, published="2022-06-14")

The stages run in this order over one `Document`; each is a plain function:

    dates     events.dates.annotate    absolute dates for date expressions
    places    geo.annotate             toponyms resolved to GeoNames
    entities  entities.annotate        people, organisations and groups, one per referent
    claims    claims.annotate          quotes, reported speech, speakers, quantities
    events    events.annotate          PLOVER events with participants, place, date, status
    damage    events.damage.annotate   flags for text damage (off-topic, truncated sentences)
"""

from __future__ import annotations

import datetime as _dt
from typing import Callable, Iterable, Iterator, Optional, Union

from eventwire.document import Document
from eventwire.nlp import get_nlp
from eventwire.schema import Report


class ExtractError(ValueError):
    """Input that cannot be extracted (empty text, bad date, ...). The message is one line."""


def _stages() -> list[tuple[str, Callable[[Document], None]]]:
    from eventwire import claims, entities, events, geo
    from eventwire.events import damage, dates

    return [
        ("dates", dates.annotate),
        ("places", geo.annotate),
        ("entities", entities.annotate),
        ("claims", claims.annotate),
        ("events", events.annotate),
        ("damage", damage.annotate),
    ]


def check_published(published: Optional[Union[str, _dt.date]]) -> Optional[str]:
    if published is None or published == "":
        return None
    if isinstance(published, _dt.datetime):
        return published.date().isoformat()
    if isinstance(published, _dt.date):
        return published.isoformat()
    value = str(published).strip()
    try:
        return _dt.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        raise ExtractError(f"published: {value!r} is not a date (expected YYYY-MM-DD)") from None


def check_text(text: str) -> str:
    if not isinstance(text, str):
        raise ExtractError("text: expected a string")
    if not text.strip():
        raise ExtractError("text: the article is empty")
    return text


def annotate(document: Document, stages: Optional[Iterable[str]] = None) -> Document:
    wanted = set(stages) if stages is not None else None
    for name, stage in _stages():
        if wanted is None or name in wanted:
            stage(document)
    return document


def build_document(text: str, doc=None, **meta) -> Document:
    text = check_text(text)
    meta["published"] = check_published(meta.get("published"))
    if doc is None:
        doc = get_nlp()(text)
    return annotate(Document.create(text, doc, **meta))


def extract(text: str, *, title: Optional[str] = None, published=None, source: Optional[str] = None,
            url: Optional[str] = None, language: str = "en", include_text: bool = False) -> Report:
    """Extract the report of one article."""
    document = build_document(text, title=title, published=published, source=source, url=url,
                              language=language)
    if include_text:
        document.report.text = text
    return document.report


def extract_many(items: Iterable[Union[str, dict]], *, batch_size: int = 16,
                 include_text: bool = False) -> Iterator[Report]:
    """Reports for many articles, with spaCy batching through `nlp.pipe`.

    Each item is a text or a dict with `text` and optional `title`, `published`, `source`, `url`.
    """
    nlp = get_nlp()

    def prepared():
        for item in items:
            meta = {"text": item} if isinstance(item, str) else dict(item)
            text = check_text(meta.pop("text", ""))
            yield text, meta

    for doc, meta in nlp.pipe(prepared(), batch_size=batch_size, as_tuples=True):
        allowed = {k: meta.get(k) for k in ("title", "published", "source", "url") if meta.get(k) is not None}
        document = build_document(doc.text, doc=doc, **allowed)
        if include_text:
            document.report.text = doc.text
        yield document.report
