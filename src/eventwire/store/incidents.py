"""Incidents across articles: events that several reports give of one happening, merged.

    from eventwire.store.incidents import IncidentConfig, cluster
    incidents = cluster(event_rows, IncidentConfig(max_km=30, max_days=3))

The input is a list of flat event rows (the dicts `Store.events()` returns); the output a list of
incident dicts (fields in docs/incidents.md). Two events may belong to one incident when

- their types are compatible: equal, or a pair listed in `IncidentConfig.compatible`
  (an entry is a PLOVER type, or `TYPE:mode` to name one mode of it);
- their places match: the same GeoNames id, or coordinates within `max_km` of each other, or (both
  without coordinates) the same place name; a facility carries the coordinates of the city it lies
  in, so a plant matches its city. Coarse places (a country or a first-level region) only match
  when `coarse_places` is on, and then any place inside them;
- their dates lie within `max_days` of each other (the event date, or the article's publication
  date when the event has none and `use_published` is on; month or year dates count as undated);
- their actors do not conflict: where both name the actor's country the countries overlap, and the
  same for the recipient (for symmetric types such as an exchange, actor and recipient may swap);
- their statuses are compatible: planned or hypothetical events never merge with reported ones.

Linkage is complete: an event joins an incident only when it is compatible with every event already
in it, so no chain of small steps drifts across a region or a week. Events are visited in a fixed
order (date, then id), so the result does not depend on the order of the input.
"""

from __future__ import annotations

import hashlib
import math
import unicodedata
from collections import Counter, deque
from dataclasses import dataclass, field, fields
from datetime import date as _date
from typing import Iterable, Optional

#: Pairs of event types (or `TYPE:mode`) that reports of one incident may give differently.
COMPATIBLE_TYPES: tuple[tuple[str, str], ...] = (
    ("COOPERATE", "RETREAT:release"),     # "the sides exchanged prisoners" / "Russia freed 90 soldiers"
    ("CONCEDE", "RETREAT"),               # both code a side giving way
    ("ASSAULT:abduct", "COERCE:arrest"),  # "abducted" / "detained" for one seizure of people
    ("ASSAULT:abduct", "COERCE:seize"),
)

#: Types whose actor and recipient are interchangeable (A exchanged with B = B exchanged with A).
SYMMETRIC_TYPES: frozenset[str] = frozenset({"AGREE", "CONSULT", "COOPERATE"})

#: Statuses of events that have not (yet) happened; they form their own incidents.
UNREALISED_STATUSES: frozenset[str] = frozenset({"planned", "hypothetical"})

#: Place features that cover a large area.
COARSE_FEATURES: frozenset[str] = frozenset({"country", "admin1", "region"})

#: Preference when choosing the place of an incident among its reports (most precise first).
FEATURE_RANK = {"facility": 0, "city": 1, "other": 2, "river": 3, "admin2": 4, "admin1": 5, "region": 6,
                "country": 7, None: 8}

#: Quantity kinds that count the same thing, folded before disagreements are computed.
KIND_ALIASES = {"dead": "killed", "deaths": "killed", "fatalities": "killed", "wounded": "injured",
                "hurt": "injured", "demonstrators": "protesters"}


class IncidentConfigError(ValueError):
    """A bad threshold; the message is one line naming the field."""


@dataclass
class IncidentConfig:
    """Thresholds of the merge; every field is documented in docs/incidents.md."""

    max_km: float = 30.0            # greatest distance between two reports' places
    max_days: int = 3               # greatest distance between two reports' dates, in days
    use_published: bool = True      # an undated event takes its article's publication date
    coarse_places: bool = False     # a country or region matches any place inside it
    ignore_mode: bool = True        # False: two known, different modes of one type do not merge
    merge_unlocated: bool = False   # True: events with no place at all may merge on type, date, actors
    compatible: tuple[tuple[str, str], ...] = COMPATIBLE_TYPES
    kind_aliases: dict[str, str] = field(default_factory=lambda: dict(KIND_ALIASES))

    def __post_init__(self):
        for name in ("max_km", "max_days"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0:
                raise IncidentConfigError(f"incidents: {name}: expected a number >= 0, not {value!r}")
        if isinstance(self.max_days, float):
            if not self.max_days.is_integer():
                raise IncidentConfigError(f"incidents: max_days: expected whole days, not {self.max_days!r}")
            self.max_days = int(self.max_days)
        pairs = []
        for pair in self.compatible:
            if not (isinstance(pair, (list, tuple)) and len(pair) == 2 and all(isinstance(p, str) for p in pair)):
                raise IncidentConfigError(f"incidents: compatible: {pair!r} is not a pair of types")
            pairs.append(tuple(_type_key(p) for p in pair))
        self.compatible = tuple(pairs)

    @classmethod
    def from_dict(cls, values: dict) -> "IncidentConfig":
        """A config from a mapping (a parsed JSON or TOML table); unknown keys are an error."""
        known = {f.name for f in fields(cls)}
        for key in values:
            if key not in known:
                raise IncidentConfigError(f"incidents: {key}: unknown setting (known: {', '.join(sorted(known))})")
        flags = ("use_published", "coarse_places", "ignore_mode", "merge_unlocated")
        for key in flags:
            if key in values and not isinstance(values[key], bool):
                raise IncidentConfigError(f"incidents: {key}: expected true or false, not {values[key]!r}")
        if "kind_aliases" in values and not isinstance(values["kind_aliases"], dict):
            raise IncidentConfigError("incidents: kind_aliases: expected a table of kind = kind")
        data = dict(values)
        if "compatible" in data:
            if not isinstance(data["compatible"], (list, tuple)):
                raise IncidentConfigError("incidents: compatible: expected a list of [type, type] pairs")
            data["compatible"] = tuple(tuple(p) if isinstance(p, list) else p for p in data["compatible"])
        return cls(**data)


def _type_key(value: str) -> str:
    """`assault:aerial` -> `ASSAULT:aerial`: types are upper case, modes as PLOVER writes them."""
    type_, _, mode = value.strip().partition(":")
    return type_.upper() + (f":{mode.strip()}" if mode.strip() else "")


# -- helpers ---------------------------------------------------------------------------------------

def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def _fold(text: Optional[str]) -> str:
    if not text:
        return ""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.casefold().replace("-", " ").split())


def outlet_key(row: dict) -> str:
    """Who published a report: the folded outlet name, or the article itself when it has none."""
    outlet = _fold(row.get("outlet"))
    return outlet if outlet else f"article:{row.get('article_id')}"


def _countries(value) -> frozenset[str]:
    if not value:
        return frozenset()
    if isinstance(value, (list, tuple, set, frozenset)):
        parts = value
    else:
        parts = str(value).replace(",", ";").split(";")
    return frozenset(p.strip().upper() for p in parts if p and p.strip())


def _parse_date(value) -> Optional[_date]:
    if not value:
        return None
    try:
        return _date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


class _Item:
    """One event row with the values the merge compares, computed once."""

    __slots__ = ("row", "id", "type", "mode", "day", "lat", "lon", "geonameid", "place", "feature",
                 "country", "admin1", "actor", "recipient", "unrealised")

    def __init__(self, row: dict, config: IncidentConfig):
        self.row = row
        self.id = str(row.get("id"))
        self.type = (row.get("type") or "").upper()
        self.mode = row.get("mode") or None
        day = None
        if row.get("date_precision") in (None, "day", "range"):
            day = _parse_date(row.get("date"))
        if day is None and config.use_published:
            day = _parse_date(row.get("published"))
        self.day = day
        lat, lon = row.get("lat"), row.get("lon")
        located = lat is not None and lon is not None
        self.lat = float(lat) if located else None
        self.lon = float(lon) if located else None
        self.geonameid = row.get("geonameid")
        self.place = _fold(row.get("place"))
        self.feature = row.get("feature")
        self.country = (row.get("country") or "").upper() or None
        self.admin1 = _fold(row.get("admin1")) or None
        self.actor = _countries(row.get("actor_country"))
        self.recipient = _countries(row.get("recipient_country"))
        self.unrealised = row.get("status") in UNREALISED_STATUSES

    @property
    def located(self) -> bool:
        return bool(self.geonameid) or self.lat is not None or bool(self.place)

    @property
    def coarse(self) -> bool:
        return self.feature in COARSE_FEATURES


def _type_keys(item: _Item) -> set[str]:
    keys = {item.type}
    if item.mode:
        keys.add(f"{item.type}:{item.mode}")
    return keys


def types_compatible(a: _Item, b: _Item, config: IncidentConfig) -> bool:
    if a.type == b.type:
        return config.ignore_mode or not (a.mode and b.mode) or a.mode == b.mode
    ka, kb = _type_keys(a), _type_keys(b)
    return any((x in ka and y in kb) or (x in kb and y in ka) for x, y in config.compatible)


def _inside(coarse: _Item, fine: _Item) -> bool:
    """Whether the coarse place (country or region) contains the other place."""
    if not coarse.country or coarse.country != fine.country:
        return False
    if coarse.feature == "country":
        return True
    return coarse.admin1 is not None and coarse.admin1 == fine.admin1


def places_compatible(a: _Item, b: _Item, config: IncidentConfig) -> bool:
    if not a.located or not b.located:
        return config.merge_unlocated and not a.located and not b.located
    if a.coarse or b.coarse:
        if not config.coarse_places:
            return False
        if a.coarse and b.coarse:
            if a.geonameid and a.geonameid == b.geonameid:
                return True
            return a.country == b.country and (a.admin1 == b.admin1 or "country" in (a.feature, b.feature))
        return _inside(a, b) if a.coarse else _inside(b, a)
    if a.geonameid and a.geonameid == b.geonameid:
        return True
    if a.lat is not None and b.lat is not None:
        if abs(a.lat - b.lat) * 111.19 > config.max_km:   # a degree of latitude is 111.19 km
            return False
        return haversine_km(a.lat, a.lon, b.lat, b.lon) <= config.max_km
    return bool(a.place) and a.place == b.place


def dates_compatible(a: _Item, b: _Item, config: IncidentConfig) -> bool:
    if a.day is None or b.day is None:
        return False
    return abs((a.day - b.day).days) <= config.max_days


def _sides_agree(x: frozenset, y: frozenset) -> bool:
    return not x or not y or bool(x & y)


def actors_compatible(a: _Item, b: _Item) -> bool:
    if _sides_agree(a.actor, b.actor) and _sides_agree(a.recipient, b.recipient):
        return True
    if a.type in SYMMETRIC_TYPES and b.type in SYMMETRIC_TYPES:
        return _sides_agree(a.actor, b.recipient) and _sides_agree(a.recipient, b.actor)
    return False


def compatible(a: _Item, b: _Item, config: IncidentConfig) -> bool:
    """Whether two events may be reports of one incident."""
    return (a.unrealised == b.unrealised
            and types_compatible(a, b, config)
            and dates_compatible(a, b, config)
            and places_compatible(a, b, config)
            and actors_compatible(a, b))


# -- clustering --------------------------------------------------------------------------------

def incident_id(event_ids: Iterable[str]) -> str:
    """Stable id of an incident: a hash of its sorted event ids."""
    digest = hashlib.sha256("\n".join(sorted(event_ids)).encode("utf-8")).hexdigest()
    return f"inc-{digest[:16]}"


def _partner_types(config: IncidentConfig) -> dict[str, set[str]]:
    """For each type named in `compatible`, the other types it may share an incident with."""
    partners: dict[str, set[str]] = {}
    for x, y in config.compatible:
        tx, ty = x.partition(":")[0], y.partition(":")[0]
        partners.setdefault(tx, set()).add(ty)
        partners.setdefault(ty, set()).add(tx)
    return partners


def cluster(events: list[dict], config: Optional[IncidentConfig] = None) -> list[dict]:
    """Group event rows into incidents (every event ends in exactly one)."""
    config = config or IncidentConfig()
    items = [_Item(row, config) for row in events]
    items.sort(key=lambda it: (it.day or _date.max, it.id))
    partners = _partner_types(config)
    groups: list[list[_Item]] = []
    # groups a later event may still join, by the type of their first event, oldest first
    open_groups: dict[str, deque] = {}
    for item in items:
        target = None
        if item.day is not None:
            candidates = []
            for type_ in {item.type} | partners.get(item.type, set()):
                queue = open_groups.get(type_)
                while queue and (item.day - queue[0][1][0].day).days > config.max_days:
                    queue.popleft()
                if queue:
                    candidates.extend(queue)
            for _, group in sorted(candidates, key=lambda entry: entry[0]):
                if all(compatible(item, other, config) for other in group):
                    target = group
                    break
        if target is None:
            target = [item]
            if item.day is not None:
                open_groups.setdefault(item.type, deque()).append((len(groups), target))
            groups.append(target)
        else:
            target.append(item)
    incidents = [_incident(group, config) for group in groups]
    incidents.sort(key=lambda inc: (inc["date_first"] or "9999", inc["id"]))
    return incidents


def _most_common(values: Iterable):
    counts = Counter(v for v in values if v)
    if not counts:
        return None
    return min(counts, key=lambda v: (-counts[v], str(v)))


def _place_row(group: list[_Item]) -> dict:
    """The row whose place stands for the incident: the most precise, then the most reported."""
    located = [it for it in group if it.located]
    if not located:
        return {}
    counts = Counter((it.geonameid, it.place) for it in located)
    best = min(located, key=lambda it: (FEATURE_RANK.get(it.feature, 2), -counts[(it.geonameid, it.place)],
                                        it.lat is None, it.id))
    return best.row


def _kind(kind: str, config: IncidentConfig) -> str:
    kind = (kind or "").strip().lower()
    return config.kind_aliases.get(kind, kind)


def _number(value):
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def disagreements(reports: list[dict], config: IncidentConfig) -> list[dict]:
    """Per quantity kind, the figures outlets give when at least two outlets differ."""
    by_kind: dict[str, dict[tuple, dict]] = {}
    for rep in reports:
        for q in rep.get("quantities") or []:
            if q.get("value") is None:
                continue
            kind = _kind(q.get("kind"), config)
            value = _number(float(q["value"]))
            key = (value, rep["_outlet_key"])
            entries = by_kind.setdefault(kind, {})
            if key not in entries:
                entries[key] = {"value": value, "outlet": rep.get("outlet"), "source": rep.get("source"),
                                "event_id": rep["event_id"]}
    out = []
    for kind in sorted(by_kind):
        entries = by_kind[kind]
        outlets_by_value: dict = {}
        for value, outlet in entries:
            outlets_by_value.setdefault(value, set()).add(outlet)
        if len(outlets_by_value) < 2:
            continue
        all_outlets = set().union(*outlets_by_value.values())
        if len(all_outlets) < 2:
            continue
        values = sorted(entries.values(), key=lambda e: (e["value"], e["outlet"] or "", e["event_id"]))
        out.append({"kind": kind, "values": values})
    return out


def _incident(group: list[_Item], config: IncidentConfig) -> dict:
    group = sorted(group, key=lambda it: it.id)
    rows = [it.row for it in group]
    event_ids = [it.id for it in group]
    days = sorted(it.day for it in group if it.day is not None)
    place = _place_row(group)
    reports = []
    for it in group:
        row = it.row
        reports.append({
            "event_id": it.id,
            "article_id": row.get("article_id"),
            "outlet": row.get("outlet"),
            "source": row.get("source"),
            "evidence": row.get("evidence"),
            "date": row.get("date"),
            "quantities": list(row.get("quantities") or []),
            "_outlet_key": outlet_key(row),
        })
    disagree = disagreements(reports, config)
    outlet_keys = {r["_outlet_key"] for r in reports}
    for r in reports:
        del r["_outlet_key"]
    outlets = sorted({r["outlet"] for r in reports if r["outlet"]}, key=lambda o: (_fold(o), o))
    type_ = _most_common(it.type for it in group)
    mode = _most_common(it.mode for it in group if it.type == type_)
    return {
        "id": incident_id(event_ids),
        "type": type_,
        "mode": mode,
        "status": _most_common(r.get("status") for r in rows),
        "date_first": days[0].isoformat() if days else None,
        "date_last": days[-1].isoformat() if days else None,
        "place": place.get("place"),
        "geonameid": place.get("geonameid"),
        "lat": place.get("lat"),
        "lon": place.get("lon"),
        "feature": place.get("feature"),
        "country": place.get("country"),
        "admin1": place.get("admin1"),
        "actor": _most_common(r.get("actor") for r in rows),
        "actor_country": _most_common(r.get("actor_country") for r in rows),
        "actor_sector": _most_common(r.get("actor_sector") for r in rows),
        "recipient": _most_common(r.get("recipient") for r in rows),
        "recipient_country": _most_common(r.get("recipient_country") for r in rows),
        "recipient_sector": _most_common(r.get("recipient_sector") for r in rows),
        "event_ids": event_ids,
        "articles": len({r.get("article_id") for r in rows}),
        "outlets": outlets,
        "corroboration": len(outlet_keys),
        "reports": reports,
        "disagreements": disagree,
    }
