"""Entities: mentions of people, organisations and groups, one entity per referent."""

from eventwire.document import Document


def annotate(document: Document) -> None:
    return None
