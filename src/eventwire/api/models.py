"""Request and response models of the REST API, for validation and the OpenAPI document.

Response rows are declared here so `/docs` and `/openapi.json` describe them; the endpoints send
the store's rows as they are (extra keys a newer store adds pass through), and `tests/test_api.py`
checks that every declared key is present.
"""

from __future__ import annotations

from typing import Any, Optional

from pydantic import BaseModel, ConfigDict, Field


class Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class ErrorBody(BaseModel):
    error: str = Field(description="one line saying which parameter or field is wrong and why")


class ArticleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="the article text (plain text, UTF-8)")
    published: Optional[str] = Field(None, description="publication date YYYY-MM-DD; anchors relative dates")
    title: Optional[str] = None
    source: Optional[str] = Field(None, description="outlet name")
    url: Optional[str] = None


class IngestIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    articles: list[ArticleIn] = Field(min_length=1, description="articles to extract and store")


class IngestItem(BaseModel):
    article_id: str
    added: bool = Field(description="false when the same text was stored before (no-op)")
    events: int = Field(description="events extracted from the article")


class IngestOut(BaseModel):
    items: list[IngestItem]
    incidents: Optional[int] = Field(None, description="incidents after re-clustering, when any article was added")


class QuantityRow(Open):
    kind: str
    value: float
    text: Optional[str] = None
    approximate: bool = False


class Located(Open):
    """Where an event or incident happened (its resolved place)."""

    place: Optional[str] = None
    geonameid: Optional[int] = None
    lat: Optional[float] = None
    lon: Optional[float] = None
    country: Optional[str] = Field(None, description="ISO 3166 alpha-2 of the place")
    admin1: Optional[str] = Field(None, description="first-level region name")


class EventRow(Located):
    """One stored event, flattened (the store's event row)."""

    id: str = Field(description="global id: first 12 characters of the article id, '-', event id")
    article_id: str
    event_id: str
    type: str
    mode: Optional[str] = None
    status: Optional[str] = None
    date: Optional[str] = None
    date_precision: Optional[str] = None
    actor: Optional[str] = None
    actor_country: Optional[str] = None
    actor_sector: Optional[str] = None
    recipient: Optional[str] = None
    recipient_country: Optional[str] = None
    recipient_sector: Optional[str] = None
    feature: Optional[str] = None
    source: Optional[str] = Field(None, description="who says so (speaker), null in the article's own voice")
    outlet: Optional[str] = Field(None, description="the article's outlet")
    title: Optional[str] = None
    url: Optional[str] = None
    published: Optional[str] = None
    evidence_start: Optional[int] = None
    evidence_end: Optional[int] = None
    evidence: Optional[str] = None
    quantities: list[QuantityRow] = Field(default_factory=list)
    confidence: Optional[float] = None
    incident_id: Optional[str] = None


class Page(BaseModel):
    total: int = Field(description="rows matching the filters, before paging")
    limit: int
    offset: int


class EventPage(Page):
    items: list[EventRow]


class IncidentReport(Open):
    event_id: str
    article_id: str
    outlet: Optional[str] = None
    source: Optional[str] = None
    evidence: Optional[str] = None
    date: Optional[str] = None
    quantities: list[QuantityRow] = Field(default_factory=list)


class DisagreementValue(Open):
    value: float
    outlet: Optional[str] = None
    source: Optional[str] = None
    event_id: Optional[str] = None


class Disagreement(Open):
    kind: str
    values: list[DisagreementValue]


class IncidentRow(Located):
    """Events from several articles that describe one incident."""

    id: str
    type: str
    mode: Optional[str] = None
    date_first: Optional[str] = None
    date_last: Optional[str] = None
    event_ids: list[str]
    articles: int = Field(description="how many articles report it")
    outlets: list[str] = Field(description="distinct outlets")
    corroboration: int = Field(description="number of distinct outlets")
    reports: list[IncidentReport]
    disagreements: list[Disagreement] = Field(description="figures of one kind that outlets give differently")


class IncidentPage(Page):
    items: list[IncidentRow]


class EntityRow(Open):
    id: str
    article_id: str
    name: str
    kind: str
    title: Optional[str] = None
    country: Optional[str] = None
    sector: Optional[str] = None
    variants: list[str] = Field(default_factory=list)
    mentions: Any = None


class EntityPage(Page):
    items: list[EntityRow]


class Mark(BaseModel):
    start: int
    end: int
    kind: str = Field(description="entity, place, quote, event, speaker or evidence")
    ref: Optional[str] = Field(None, description="id of the entity, place, quote or event")
    label: Optional[str] = None


class EventMarks(BaseModel):
    id: str = Field(description="the event's global id (as in /events)")
    event_id: str
    type: str
    evidence: list[Mark]
    speakers: list[Mark]
    places: list[Mark]


class ArticleOut(BaseModel):
    id: str
    title: Optional[str] = None
    published: Optional[str] = None
    source: Optional[str] = None
    url: Optional[str] = None
    text: str
    entities: list[Mark] = Field(description="every entity mention")
    places: list[Mark] = Field(description="every place mention")
    quotes: list[Mark] = Field(description="every quote or reported clause")
    events: list[EventMarks] = Field(description="per event: its evidence, its speaker's mentions and its places")


class Feature(BaseModel):
    type: str = "Feature"
    geometry: dict
    properties: dict


class FeatureCollection(BaseModel):
    type: str = "FeatureCollection"
    features: list[Feature]
    total: int
    limit: int
    offset: int


class Stats(Open):
    articles: int
    events: int
    incidents: int
    entities: int


class PageConfig(BaseModel):
    tiles: Optional[str] = Field(None, description="tile URL template, when the server was started with --tiles")
    allow_ingest: bool
    max_body: int = Field(description="largest accepted request body, bytes")
