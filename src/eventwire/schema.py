"""The report schema: the contract every stage reads and writes.

A report is what `eventwire extract` prints for one article. Offsets are character offsets into
the article text (Python string indexes, end exclusive). The JSON Schema generated from these
models is checked in as `docs/report.schema.json`; `SCHEMA_VERSION` changes whenever a field is
removed or changes meaning (adding an optional field keeps the version).
"""

from __future__ import annotations

from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "eventwire.report/1"

EntityKind = Literal["person", "organization", "group", "place", "other"]
PlaceFeature = Literal["city", "admin1", "admin2", "country", "region", "facility", "river", "other"]
DatePrecision = Literal["day", "month", "year", "range"]
QuoteKind = Literal["direct", "indirect"]
EventStatus = Literal[
    "happened", "ongoing", "planned", "claimed", "alleged", "denied", "hypothetical"
]
FlagKind = Literal["name_variant", "off_topic_sentence", "truncated_sentence", "machine_translation", "other"]

PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Span(Model):
    """A piece of the article text."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str


class Article(Model):
    id: str = Field(description="sha256 of the article text, hex")
    title: Optional[str] = None
    published: Optional[str] = Field(None, description="ISO date YYYY-MM-DD")
    source: Optional[str] = Field(None, description="outlet or feed name")
    url: Optional[str] = None
    language: str = "en"


class Sentence(Model):
    start: int
    end: int


class Entity(Model):
    id: str
    kind: EntityKind
    name: str = Field(description="canonical name: the fullest spelling found")
    mentions: list[Span] = Field(default_factory=list)
    title: Optional[str] = Field(None, description="role as the text gives it, e.g. 'Luhansk Governor'")
    country: Optional[str] = Field(None, description="ISO 3166 alpha-3 of the side it acts for")
    sector: Optional[str] = Field(None, description="GOV, MIL, REB, CVL, MED, ... or null")
    variants: list[str] = Field(default_factory=list, description="other spellings merged into this entity")


class Candidate(Model):
    geonameid: Optional[int] = None
    name: str
    lat: Optional[float] = None
    lon: Optional[float] = None
    feature: Optional[PlaceFeature] = None
    country: Optional[str] = None
    admin1: Optional[str] = None
    confidence: float = 0.0


class Place(Model):
    id: str
    name: str
    mentions: list[Span] = Field(default_factory=list)
    geonameid: Optional[int] = None
    lat: Optional[float] = None
    lon: Optional[float] = None
    feature: Optional[PlaceFeature] = None
    country: Optional[str] = Field(None, description="ISO 3166 alpha-2")
    admin1: Optional[str] = Field(None, description="first-level region name")
    confidence: float = 0.0
    within: Optional[str] = Field(None, description="id of the place this one lies inside (facilities)")
    metonym: bool = Field(False, description="the name stands for a government or institution, not a location")
    runner_up: Optional[Candidate] = None
    reason: Optional[str] = Field(None, description="why a place stayed unresolved, or how it was resolved")


class DateMention(Model):
    start: int
    end: int
    text: str
    value: Optional[str] = Field(None, description="YYYY-MM-DD, or null when it cannot be resolved")
    precision: Optional[DatePrecision] = None
    end_value: Optional[str] = Field(None, description="last day of a range")


class SpeakerRef(Model):
    entity: Optional[str] = Field(None, description="entity id")
    text: Optional[str] = Field(None, description="how the text names the speaker")


class Quantity(Model):
    kind: str = Field(description="killed, injured, people, civilians, battalions, percent, ratio, ...")
    value: float
    text: str
    approximate: bool = False
    start: Optional[int] = None
    end: Optional[int] = None


class Quote(Model):
    id: str
    kind: QuoteKind
    start: int
    end: int
    text: str
    speaker: SpeakerRef
    cue: Optional[str] = Field(None, description="the speech verb or phrase: said, told, according to")
    medium: Optional[str] = Field(None, description="television, statement, speech, reporters, ...")
    date: Optional[str] = Field(None, description="date of the utterance, YYYY-MM-DD")
    quantities: list[Quantity] = Field(default_factory=list)
    places: list[str] = Field(default_factory=list, description="place ids inside the quote")
    events: list[str] = Field(default_factory=list, description="event ids inside the quote")


class Participant(Model):
    entity: Optional[str] = None
    text: str
    country: Optional[str] = None
    sector: Optional[str] = None


class LocationRef(Model):
    place: Optional[str] = Field(None, description="place id")
    text: str


class DateRef(Model):
    value: Optional[str] = None
    text: Optional[str] = None
    precision: Optional[DatePrecision] = None


class Evidence(Model):
    start: int
    end: int
    text: str


class Event(Model):
    id: str
    type: str = Field(description="one of PLOVER 2.0's 16 event types")
    mode: Optional[str] = None
    actor: list[Participant] = Field(default_factory=list)
    recipient: list[Participant] = Field(default_factory=list)
    location: Optional[LocationRef] = None
    locations: list[LocationRef] = Field(default_factory=list, description="all places of the event")
    date: Optional[DateRef] = None
    status: EventStatus = "happened"
    quantities: list[Quantity] = Field(default_factory=list)
    source: Optional[SpeakerRef] = None
    evidence: Evidence
    also_evidence: list[Evidence] = Field(default_factory=list)
    trigger: Optional[str] = None
    confidence: float = 0.0


class Claim(Model):
    """A statement of fact with a number, and who states it."""

    id: str
    start: int
    end: int
    text: str
    quantity: Quantity
    place: Optional[str] = Field(None, description="place id the figure is about")
    source: Optional[SpeakerRef] = None


class Flag(Model):
    kind: FlagKind
    message: str
    spans: list[Span] = Field(default_factory=list)


class Report(Model):
    schema_: str = Field(SCHEMA_VERSION, alias="schema")
    article: Article
    text: Optional[str] = Field(None, description="the article text, when asked for")
    sentences: list[Sentence] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    places: list[Place] = Field(default_factory=list)
    dates: list[DateMention] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    flags: list[Flag] = Field(default_factory=list)

    def to_json(self, indent: int | None = 2) -> str:
        return self.model_dump_json(by_alias=True, indent=indent, exclude={"text"} if self.text is None else None)

    def to_dict(self) -> dict:
        return self.model_dump(by_alias=True, mode="json")


def json_schema() -> dict:
    """The JSON Schema of a report, as checked in under docs/."""
    schema = Report.model_json_schema(by_alias=True)
    schema["$id"] = "https://eventwire.invalid/schema/" + SCHEMA_VERSION.replace("/", "-") + ".json"
    schema["title"] = SCHEMA_VERSION
    return schema
