"""Absolute dates for date expressions, against the article's published date."""

from eventwire.document import Document


def annotate(document: Document) -> None:
    return None
