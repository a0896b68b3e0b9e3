"""ACLED-style CSV: ACLED's column names, PLOVER type and mode mapped to ACLED's event types.

The mapping is the data table `PLOVER_TO_ACLED` below, documented in docs/acled-mapping.md. Rows
are matched in order; the first whose type, mode and target fit wins (`*` fits anything).
"""

from __future__ import annotations

import csv
from typing import Iterable, Optional, TextIO

import pycountry

from eventwire.export.records import (check_what, event_figures, incident_as_row, incident_figures,
                                      number, split_list)

PV, DEMO, SD = "Political violence", "Demonstrations", "Strategic developments"
EXPLOSIONS, VAC, BATTLES = "Explosions/Remote violence", "Violence against civilians", "Battles"

#: (PLOVER type, mode or *, recipient: "civilian" or *) -> (disorder_type, event_type, sub_event_type)
PLOVER_TO_ACLED: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("ASSAULT", "aerial", "*", PV, EXPLOSIONS, "Air/drone strike"),
    ("ASSAULT", "heavy-weapons", "*", PV, EXPLOSIONS, "Shelling/artillery/missile attack"),
    ("ASSAULT", "explosives", "*", PV, EXPLOSIONS, "Remote explosive/landmine/IED"),
    ("ASSAULT", "abduct", "*", PV, VAC, "Abduction/forced disappearance"),
    ("ASSAULT", "sexual", "*", PV, VAC, "Sexual violence"),
    ("ASSAULT", "massacre", "*", PV, VAC, "Attack"),
    ("ASSAULT", "execute", "*", PV, VAC, "Attack"),
    ("ASSAULT", "torture", "*", PV, VAC, "Attack"),
    ("ASSAULT", "beat", "*", PV, VAC, "Attack"),
    ("ASSAULT", "destroy", "*", SD, SD, "Looting/property destruction"),
    ("ASSAULT", "*", "civilian", PV, VAC, "Attack"),
    ("ASSAULT", "*", "*", PV, BATTLES, "Armed clash"),
    ("PROTEST", "riot", "*", DEMO, "Riots", "Violent demonstration"),
    ("PROTEST", "*", "*", DEMO, "Protests", "Peaceful protest"),
    ("COERCE", "arrest", "*", SD, SD, "Arrests"),
    ("COERCE", "seize", "*", SD, SD, "Looting/property destruction"),
    ("COERCE", "*", "*", SD, SD, "Other"),
    ("AGREE", "*", "*", SD, SD, "Agreement"),
    ("COOPERATE", "*", "*", SD, SD, "Agreement"),
    ("RETREAT", "ceasefire", "*", SD, SD, "Agreement"),
    ("RETREAT", "release", "*", SD, SD, "Agreement"),
    ("RETREAT", "withdraw", "*", SD, SD, "Non-violent transfer of territory"),
    ("RETREAT", "*", "*", SD, SD, "Change to group/activity"),
    ("MOBILIZE", "*", "*", SD, SD, "Other"),
)

#: Sectors whose members are civilians for ACLED (violence against them is civilian targeting).
CIVILIAN_SECTORS = frozenset({"CVL", "MED", "JRN", "EDU", "HUM", "REF", "REL", "LAB", "BUS"})

#: ACLED interaction codes by sector: 1 state forces, 2 rebels, 3 political militias,
#: 4 identity militias, 5 rioters, 6 protesters, 7 civilians, 8 external/other forces.
STATE_SECTORS = frozenset({"GOV", "MIL", "POL", "SPY", "JUD"})
SECTOR_INTER = {"REB": 2, "INS": 2, "MLT": 3, "PRM": 3, "ETH": 4, "IGO": 8, "NGO": 8, "UN": 8}

STATE_ACTOR_NAMES = {"MIL": "Military Forces of {}", "POL": "Police Forces of {}", "GOV": "Government of {}",
                     "SPY": "Military Forces of {}", "JUD": "Government of {}"}

#: Country names as ACLED writes them, where ISO's official name differs.
ACLED_COUNTRY_NAMES = {
    "RUS": "Russia", "IRN": "Iran", "SYR": "Syria", "PRK": "North Korea", "KOR": "South Korea",
    "MDA": "Moldova", "VEN": "Venezuela", "BOL": "Bolivia", "TZA": "Tanzania", "LAO": "Laos",
    "VNM": "Vietnam", "PSE": "Palestine", "COD": "Democratic Republic of Congo", "COG": "Republic of Congo",
    "TUR": "Turkey", "CZE": "Czech Republic", "GBR": "United Kingdom", "USA": "United States",
}

ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
)
EXTRA_COLUMNS = ("eventwire_id", "eventwire_type", "eventwire_mode", "eventwire_status",
                 "eventwire_incident_id", "eventwire_corroboration", "eventwire_disagreements")
COLUMNS = ACLED_COLUMNS + EXTRA_COLUMNS

#: Statuses ACLED would not record as events.
SKIPPED_STATUSES = frozenset({"planned", "hypothetical"})

GEO_PRECISION = {"facility": 1, "city": 1, "other": 2, "river": 2, "admin2": 2, "admin1": 3, "region": 3,
                 "country": 3}
TIME_PRECISION = {"day": 1, "range": 2, "month": 3, "year": 3}


def acled_type(type_: Optional[str], mode: Optional[str], recipient_sector: Optional[str]):
    """(disorder_type, event_type, sub_event_type) for a PLOVER type and mode, or None."""
    target = "civilian" if (recipient_sector or "").upper() in CIVILIAN_SECTORS else "other"
    for p_type, p_mode, p_target, disorder, event_type, sub in PLOVER_TO_ACLED:
        if p_type == (type_ or "").upper() and p_mode in ("*", mode) and p_target in ("*", target):
            return disorder, event_type, sub
    return None


def _country(code: Optional[str]):
    """pycountry record for an alpha-2 or alpha-3 code, or None."""
    if not code:
        return None
    code = code.upper()
    return pycountry.countries.get(alpha_2=code) if len(code) == 2 else pycountry.countries.get(alpha_3=code)


def country_name(code: Optional[str]) -> str:
    rec = _country(code)
    if rec is None:
        return ""
    return ACLED_COUNTRY_NAMES.get(rec.alpha_3) or getattr(rec, "common_name", None) or rec.name


def _actor(texts: list[str], country: Optional[str], sector: Optional[str], place_iso3: Optional[str],
           event_type: str):
    """ACLED actor name, associated actors and inter code for one side."""
    sector = (sector or "").upper()
    name = country_name(country)
    rest = texts[1:]
    if event_type in ("Protests", "Riots") and sector not in STATE_SECTORS:
        where = name or country_name(place_iso3)
        label = "Protesters" if event_type == "Protests" else "Rioters"
        return (f"{label} ({where})" if where else label), texts, 6 if label == "Protesters" else 5
    if sector in STATE_SECTORS and name:
        inter = 1 if not place_iso3 or _country(country).alpha_3 == place_iso3 else 8
        return STATE_ACTOR_NAMES[sector].format(name), texts, inter
    if sector in CIVILIAN_SECTORS:
        return (f"Civilians ({name})" if name else "Civilians"), texts, 7
    if not texts:
        return "", [], 0
    return texts[0], rest, SECTOR_INTER.get(sector, 8 if sector else 0)


def acled_record(row: dict, *, incident: Optional[dict] = None, include_unmapped: bool = False) -> Optional[dict]:
    """One CSV row (a dict keyed by COLUMNS) for a flat event row, or None when ACLED would skip it."""
    if row.get("status") in SKIPPED_STATUSES:
        return None
    mapped = acled_type(row.get("type"), row.get("mode"), row.get("recipient_sector"))
    if mapped is None:
        if not include_unmapped:
            return None
        mapped = ("", "", "")
    disorder, event_type, sub = mapped
    place = _country(row.get("country"))
    iso3 = place.alpha_3 if place else None
    actor1, assoc1, inter1 = _actor(split_list(row.get("actor")), row.get("actor_country"),
                                    row.get("actor_sector"), iso3, event_type)
    actor2, assoc2, inter2 = _actor(split_list(row.get("recipient")), row.get("recipient_country"),
                                    row.get("recipient_sector"), iso3, "")
    figures = incident_figures(incident) if incident is not None else event_figures(row.get("quantities"))
    tags = []
    if event_type in ("Protests", "Riots") and figures["size"] is not None:
        tags.append(f"crowd size={figures['size']}")
    if row.get("status") not in (None, "happened", "ongoing"):
        tags.append(f"status={row['status']}")
    date = row.get("date") or row.get("published") or ""
    notes = row.get("evidence") or ""
    disagreements = ""
    if incident is not None and incident.get("disagreements"):
        parts = []
        for d in incident["disagreements"]:
            figures_text = ", ".join(f"{number(v['value'])} ({v.get('outlet') or 'unknown outlet'})"
                                     for v in d["values"])
            parts.append(f"{d['kind']}: {figures_text}")
        disagreements = "; ".join(parts)
        notes = f"{notes} [Reports differ on {disagreements}]".strip()
    if inter1 and inter2:
        interaction = "".join(str(i) for i in sorted((inter1, inter2)))
    else:
        interaction = f"{inter1}0" if inter1 else ""
    return {
        "event_id_cnty": f"{iso3 or 'XXX'}-{row.get('id')}",
        "event_date": date,
        "year": date[:4],
        "time_precision": TIME_PRECISION.get(row.get("date_precision") or "day", 1),
        "disorder_type": disorder,
        "event_type": event_type,
        "sub_event_type": sub,
        "actor1": actor1,
        "assoc_actor_1": "; ".join(assoc1),
        "inter1": inter1 or "",
        "actor2": actor2,
        "assoc_actor_2": "; ".join(assoc2),
        "inter2": inter2 or "",
        "interaction": interaction,
        "civilian_targeting": "Civilian targeting" if disorder == PV and inter2 == 7 else "",
        "iso": int(place.numeric) if place else "",
        "region": "",
        "country": country_name(row.get("country")),
        "admin1": row.get("admin1") or "",
        "admin2": "",
        "admin3": "",
        "location": row.get("place") or "",
        "latitude": row.get("lat") if row.get("lat") is not None else "",
        "longitude": row.get("lon") if row.get("lon") is not None else "",
        "geo_precision": GEO_PRECISION.get(row.get("feature") or "", 3) if row.get("place") else "",
        "source": row.get("outlet") or "",
        "source_scale": "",
        "notes": notes,
        "fatalities": figures["dead"] if figures["dead"] is not None else 0,
        "tags": "; ".join(tags),
        "timestamp": "",
        "eventwire_id": row.get("id"),
        "eventwire_type": row.get("type") or "",
        "eventwire_mode": row.get("mode") or "",
        "eventwire_status": row.get("status") or "",
        "eventwire_incident_id": row.get("incident_id") or "",
        "eventwire_corroboration": row.get("corroboration") if row.get("corroboration") is not None else "",
        "eventwire_disagreements": disagreements,
    }


def acled_records(items: Iterable[dict], what: str = "events", *, include_unmapped: bool = False) -> list[dict]:
    check_what(what)
    out = []
    for item in items:
        if what == "incidents":
            record = acled_record(incident_as_row(item), incident=item, include_unmapped=include_unmapped)
        else:
            record = acled_record(item, include_unmapped=include_unmapped)
        if record is not None:
            out.append(record)
    return out


def write_acled_csv(items: Iterable[dict], fp: TextIO, what: str = "events", *,
                    include_unmapped: bool = False) -> int:
    """Write ACLED-style CSV to an open text file; returns the number of rows written."""
    records = acled_records(items, what, include_unmapped=include_unmapped)
    writer = csv.DictWriter(fp, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    return len(records)
