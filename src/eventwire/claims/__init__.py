"""Quotes, reported speech, speakers and quantities (issue: who said it)."""

from eventwire.document import Document


def annotate(document: Document) -> None:
    """Fill `document.report.quotes` and `claims`. Not built yet: the lists stay empty."""
    return None
