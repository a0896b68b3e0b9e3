"""Entities: mentions of people, organisations and groups, one entity per referent.

    from eventwire.entities import annotate, entity_for_span, side_of

`annotate(document)` (after dates and geo, before claims and events) fills
`document.report.entities` and adds a `name_variant` flag for each name met in two spellings.
`entity_for_span` finds the entity a piece of text refers to; `side_of` gives the
(country ISO3, sector) of any phrase, for participants that are no entity.
"""

from __future__ import annotations

from typing import Optional

from eventwire.document import Document
from eventwire.entities.build import annotate
from eventwire.entities.sides import side_of
from eventwire.schema import Entity

__all__ = ["annotate", "entity_for_span", "side_of"]


def entity_for_span(document: Document, start: int, end: int) -> Optional[Entity]:
    """The entity whose mention is [start, end), else the smallest mention holding it, else the
    mention overlapping it most; None when no entity is there."""
    holding = []
    for entity in document.report.entities:
        for m in entity.mentions:
            if m.start == start and m.end == end:
                return entity
            if m.start <= start and end <= m.end:
                holding.append((m.end - m.start, m.start, entity))
    if holding:
        return min(holding, key=lambda x: (x[0], x[1]))[2]
    return document.entity_at(start, end)
