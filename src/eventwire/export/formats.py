"""Export formats for events and incidents: PLOVER JSONL, ACLED-style CSV, GeoJSON, Parquet.

    from eventwire.export.formats import export
    count = export(rows, "geojson", "events.geojson", what="events")

`rows` are flat event rows (`Store.events()`) or incident dicts (`Store.incidents()`).
"""

from __future__ import annotations

import datetime as _dt
import io
import json
import os
import sys
from pathlib import Path
from typing import Callable, Iterable, Optional, Union

import pyarrow as pa
import pyarrow.parquet as pq

from eventwire.export.acled import write_acled_csv
from eventwire.export.records import (ExportError, check_what, event_figures, incident_figures,
                                      split_list)

# -- PLOVER JSONL --------------------------------------------------------------------------------


def _participants(texts, country, sector) -> list[dict]:
    return [{"actorText": text, "code": country, "sector": sector} for text in split_list(texts)] or (
        [{"actorText": None, "code": country, "sector": sector}] if country or sector else [])


def _event_loc(row: dict) -> Optional[dict]:
    if not row.get("place") and row.get("lat") is None:
        return None
    return {"geonameid": row.get("geonameid"), "lat": row.get("lat"), "lon": row.get("lon"),
            "resolution": row.get("feature"), "name": row.get("place"), "country": row.get("country"),
            "admin1": row.get("admin1")}


def plover_event(row: dict) -> dict:
    """A PLOVER record (PLOVER field names, as `extract --format plover`) for one flat event row."""
    figures = event_figures(row.get("quantities"))
    return {
        "id": row.get("id"),
        "date": row.get("date") or row.get("published"),
        "date_precision": row.get("date_precision"),
        "actor": _participants(row.get("actor"), row.get("actor_country"), row.get("actor_sector")),
        "recipient": _participants(row.get("recipient"), row.get("recipient_country"), row.get("recipient_sector")),
        "event": row.get("type"),
        "mode": row.get("mode") or "",
        "context": "",
        "event_loc": _event_loc(row),
        "size": figures["size"],
        "dead": figures["dead"],
        "injured": figures["injured"],
        "text": row.get("evidence"),
        "status": row.get("status"),
        "source_of_claim": row.get("source"),
        "quantities": list(row.get("quantities") or []),
        "confidence": row.get("confidence"),
        "incident_id": row.get("incident_id"),
        "cite_info": {"article_id": row.get("article_id"), "title": row.get("title"), "source": row.get("outlet"),
                      "url": row.get("url"), "published": row.get("published"),
                      "evidence_start": row.get("evidence_start"), "evidence_end": row.get("evidence_end")},
    }


def plover_incident(incident: dict) -> dict:
    """A PLOVER record for an incident: the PLOVER fields, plus every report and the disagreements."""
    figures = incident_figures(incident)
    return {
        "id": incident.get("id"),
        "date": incident.get("date_first"),
        "date_end": incident.get("date_last"),
        "actor": _participants(incident.get("actor"), incident.get("actor_country"), incident.get("actor_sector")),
        "recipient": _participants(incident.get("recipient"), incident.get("recipient_country"),
                                   incident.get("recipient_sector")),
        "event": incident.get("type"),
        "mode": incident.get("mode") or "",
        "context": "",
        "event_loc": _event_loc(incident),
        "size": figures["size"],
        "dead": figures["dead"],
        "injured": figures["injured"],
        "text": next((r.get("evidence") for r in incident.get("reports") or [] if r.get("evidence")), None),
        "status": incident.get("status"),
        "event_ids": list(incident.get("event_ids") or []),
        "articles": incident.get("articles"),
        "outlets": list(incident.get("outlets") or []),
        "corroboration": incident.get("corroboration"),
        "reports": list(incident.get("reports") or []),
        "disagreements": list(incident.get("disagreements") or []),
    }


def write_plover_jsonl(items: Iterable[dict], fp, what: str = "events") -> int:
    convert = plover_incident if check_what(what) == "incidents" else plover_event
    n = 0
    for item in items:
        fp.write(json.dumps(convert(item), ensure_ascii=False) + "\n")
        n += 1
    return n


# -- GeoJSON ---------------------------------------------------------------------------------------


def geojson(items: Iterable[dict], what: str = "events") -> dict:
    """A FeatureCollection of the items that have coordinates (Point geometry, [lon, lat])."""
    check_what(what)
    features = []
    for item in items:
        lat, lon = item.get("lat"), item.get("lon")
        if lat is None or lon is None:
            continue
        props = {k: v for k, v in item.items() if k not in ("lat", "lon")}
        features.append({"type": "Feature", "id": item.get("id"),
                         "geometry": {"type": "Point", "coordinates": [float(lon), float(lat)]},
                         "properties": props})
    return {"type": "FeatureCollection", "features": features}


def write_geojson(items: Iterable[dict], fp, what: str = "events") -> int:
    collection = geojson(items, what)
    json.dump(collection, fp, ensure_ascii=False, default=str)
    fp.write("\n")
    return len(collection["features"])


# -- Parquet ---------------------------------------------------------------------------------------

QUANTITY = pa.struct([("kind", pa.string()), ("value", pa.float64()), ("text", pa.string()),
                      ("approximate", pa.bool_())])

EVENT_SCHEMA = pa.schema([
    ("id", pa.string()), ("article_id", pa.string()), ("event_id", pa.string()), ("type", pa.string()),
    ("mode", pa.string()), ("status", pa.string()), ("date", pa.date32()), ("date_precision", pa.string()),
    ("actor", pa.string()), ("actor_country", pa.string()), ("actor_sector", pa.string()),
    ("recipient", pa.string()), ("recipient_country", pa.string()), ("recipient_sector", pa.string()),
    ("place", pa.string()), ("geonameid", pa.int64()), ("lat", pa.float64()), ("lon", pa.float64()),
    ("feature", pa.string()), ("country", pa.string()), ("admin1", pa.string()), ("source", pa.string()),
    ("outlet", pa.string()), ("title", pa.string()), ("url", pa.string()), ("published", pa.date32()),
    ("evidence_start", pa.int32()), ("evidence_end", pa.int32()), ("evidence", pa.string()),
    ("quantities", pa.list_(QUANTITY)), ("confidence", pa.float64()), ("incident_id", pa.string()),
])

REPORT = pa.struct([("event_id", pa.string()), ("article_id", pa.string()), ("outlet", pa.string()),
                    ("source", pa.string()), ("evidence", pa.string()), ("date", pa.date32()),
                    ("quantities", pa.list_(QUANTITY))])
FIGURE = pa.struct([("value", pa.float64()), ("outlet", pa.string()), ("source", pa.string()),
                    ("event_id", pa.string())])
DISAGREEMENT = pa.struct([("kind", pa.string()), ("values", pa.list_(FIGURE))])

INCIDENT_SCHEMA = pa.schema([
    ("id", pa.string()), ("type", pa.string()), ("mode", pa.string()), ("status", pa.string()),
    ("date_first", pa.date32()), ("date_last", pa.date32()), ("place", pa.string()), ("geonameid", pa.int64()),
    ("lat", pa.float64()), ("lon", pa.float64()), ("feature", pa.string()), ("country", pa.string()),
    ("admin1", pa.string()), ("actor", pa.string()), ("actor_country", pa.string()),
    ("actor_sector", pa.string()), ("recipient", pa.string()), ("recipient_country", pa.string()),
    ("recipient_sector", pa.string()), ("event_ids", pa.list_(pa.string())), ("articles", pa.int32()),
    ("outlets", pa.list_(pa.string())), ("corroboration", pa.int32()), ("reports", pa.list_(REPORT)),
    ("disagreements", pa.list_(DISAGREEMENT)),
])


def _conform(value, type_: pa.DataType):
    """A Python value shaped for an Arrow type: dates parsed, structs cut to their fields."""
    if value is None:
        return None
    if pa.types.is_date32(type_):
        try:
            return _dt.date.fromisoformat(str(value)[:10])
        except ValueError:
            return None
    if pa.types.is_list(type_):
        return [_conform(v, type_.value_type) for v in value]
    if pa.types.is_struct(type_):
        return {f.name: _conform(value.get(f.name), f.type) for f in type_}
    if pa.types.is_floating(type_):
        return float(value)
    if pa.types.is_integer(type_):
        return int(value)
    if pa.types.is_string(type_):
        return str(value)
    return value


def arrow_table(items: Iterable[dict], what: str = "events") -> pa.Table:
    """The items as an Arrow table with the fixed schema of events or incidents."""
    schema = INCIDENT_SCHEMA if check_what(what) == "incidents" else EVENT_SCHEMA
    rows = [{f.name: _conform(item.get(f.name), f.type) for f in schema} for item in items]
    return pa.Table.from_pylist(rows, schema=schema)


def write_parquet(items: Iterable[dict], path, what: str = "events") -> int:
    table = arrow_table(items, what)
    pq.write_table(table, path)
    return table.num_rows


# -- dispatch --------------------------------------------------------------------------------------

FORMATS: dict[str, tuple[Callable, bool]] = {
    # name: (writer, binary output)
    "plover-jsonl": (write_plover_jsonl, False),
    "acled-csv": (write_acled_csv, False),
    "geojson": (write_geojson, False),
    "parquet": (write_parquet, True),
}


def export(items: Iterable[dict], fmt: str, out: Union[str, os.PathLike, None] = None, what: str = "events") -> int:
    """Write `items` in format `fmt` to the file `out` (None or '-': standard output); returns the count.

    The file is written next to its final name and renamed into place, so a failure leaves no
    half-written file.
    """
    if fmt not in FORMATS:
        raise ExportError(f"--format: {fmt!r} is not one of {', '.join(FORMATS)}")
    check_what(what)
    writer, binary = FORMATS[fmt]
    items = list(items)
    if out is None or str(out) == "-":
        if binary:
            buffer = io.BytesIO()
            count = writer(items, buffer, what)
            sys.stdout.buffer.write(buffer.getvalue())
            sys.stdout.buffer.flush()
            return count
        return writer(items, sys.stdout, what)
    path = Path(out)
    if path.is_dir():
        raise ExportError(f"{path}: is a directory")
    if not path.parent.is_dir():
        raise ExportError(f"{path}: no such directory {path.parent}")
    tmp = path.with_name(f".{path.name}.part")
    try:
        if binary:
            count = writer(items, str(tmp), what)
        else:
            with open(tmp, "w", encoding="utf-8", newline="") as fp:
                count = writer(items, fp, what)
        os.replace(tmp, path)
    except OSError as exc:
        raise ExportError(f"{path}: cannot write: {exc.strerror or exc}") from None
    finally:
        if tmp.exists():
            tmp.unlink()
    return count
