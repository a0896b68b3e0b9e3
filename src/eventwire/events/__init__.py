"""PLOVER event coding (issue: event coding)."""

from eventwire.document import Document


def annotate(document: Document) -> None:
    """Fill `document.report.events`. Not built yet: the list stays empty."""
    return None
