"""Places: gazetteer and toponym resolution (issue: offline geoparser)."""

from eventwire.document import Document


def annotate(document: Document) -> None:
    """Fill `document.report.places`. The geoparser is not built yet, so the list stays empty."""
    return None
