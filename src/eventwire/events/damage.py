"""Flags for damaged text: off-topic and truncated sentences (issue: event coding)."""

from eventwire.document import Document


def annotate(document: Document) -> None:
    return None
