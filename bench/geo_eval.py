"""Score toponym resolution on the public geoparsing corpora in ../shared/data/geoparsing/.

    .venv/bin/python bench/geo_eval.py                 # LGL and GeoWebNews, resolution of gold toponyms
    .venv/bin/python bench/geo_eval.py --limit 50      # first 50 articles of each
    .venv/bin/python bench/geo_eval.py --speed         # also: gazetteer load, memory, throughput vs spaCy

Resolution is scored on the gold toponym spans (recognition is replaced by the gold spans, as in
the "geocoding" setting of Gritta et al.), with the standard metrics: accuracy within 161 km,
mean and median error in km, and AUC of the log error curve (lower is better). A toponym left
unresolved counts as a miss with the largest error (20,039 km).
GeoWebNews: toponyms with gold coordinates only (2,601 of 6,612).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data" / "geoparsing"
MAX_KM = 20039.0


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _load(path: Path, point):
    """Articles of an XML corpus as (text, [(start, end, lat, lon, name)]); `point(toponym)` reads
    the gold coordinates and name of one toponym element, or None when it has none."""
    root = ET.parse(path).getroot()
    for art in root.iter("article"):
        tops = []
        for t in art.iter("toponym"):
            found = point(t)
            if found is not None:
                tops.append((int(t.findtext("start")), int(t.findtext("end")), *found))
        yield art.findtext("text") or "", tops


def _lgl_point(t):
    g = t.find("gaztag")
    if g is None or g.findtext("lat") is None:
        return None
    return float(g.findtext("lat")), float(g.findtext("lon")), t.findtext("phrase")


def _gwn_point(t):
    lat = t.findtext("latitude")
    if not lat:
        return None
    return float(lat), float(t.findtext("longitude")), t.findtext("extractedName")


def load_lgl(path: Path):
    return _load(path, _lgl_point)


def load_gwn(path: Path):
    return _load(path, _gwn_point)


def score(errors: list[float]) -> dict:
    n = len(errors)
    if not n:
        return {}
    auc = sum(math.log(e + 1) for e in errors) / (n * math.log(MAX_KM + 1))
    return {
        "toponyms": n,
        "acc@161km": round(sum(e <= 161 for e in errors) / n, 3),
        "mean_km": round(statistics.fmean(errors), 1),
        "median_km": round(statistics.median(errors), 1),
        "auc": round(auc, 3),
    }


def _select(articles, limit: int | None, half: str | None):
    """Articles to score: the first `limit`, and of those the even- or odd-numbered half."""
    for k, art in enumerate(articles):
        if limit is not None and k >= limit:
            break
        if half is None or (k % 2 == 0) == (half == "even"):
            yield k, art


_PARSED: dict[str, object] = {}


def parse(nlp, text: str):
    """The spaCy doc of a text, parsed once per run (resolution and recognition share it)."""
    doc = _PARSED.get(text)
    if doc is None:
        doc = _PARSED[text] = nlp(text)
    return doc


def evaluate(name: str, articles, nlp, limit: int | None, half: str | None = None, dump=None) -> dict:
    from eventwire.geo import resolve_spans
    from eventwire.geo.gazetteer import distance_km

    errors, unresolved = [], 0
    started = time.perf_counter()
    for k, (text, tops) in _select(articles, limit, half):
        if not tops:
            continue
        doc = parse(nlp, text) if nlp is not None else None
        chosen = resolve_spans(text, [(s, e) for s, e, *_ in tops], doc=doc)
        for (s, e, lat, lon, phrase), c in zip(tops, chosen):
            if c is None or c.lat is None:
                errors.append(MAX_KM)
                unresolved += 1
            else:
                errors.append(distance_km(c.lat, c.lon, lat, lon))
            if dump is not None:
                got = "-" if c is None else f"{c.name}|{c.feature}|{c.country}|{c.admin1_name or ''}"
                dump.write(f"{name}\t{k}\t{text[s:e]}\t{phrase}\t{lat:.3f},{lon:.3f}\t{got}\t{errors[-1]:.0f}\n")
    out = score(errors)
    out["unresolved"] = unresolved
    out["seconds"] = round(time.perf_counter() - started, 1)
    return {name: out}


def recognition(name: str, articles, nlp, limit: int | None, half: str | None = None) -> dict:
    """Toponym recognition (our own finder, not the gold spans): precision and recall of spans,
    a found span counting when it overlaps a gold toponym; and accuracy@161 km of the places
    found that overlap a gold toponym (end-to-end geoparsing)."""
    from eventwire.geo.gazetteer import distance_km, get_gazetteer
    from eventwire.geo.parse import recognize, resolve

    gaz = get_gazetteer()
    found = correct = gold_n = gold_hit = ok161 = 0
    for k, (text, tops) in _select(articles, limit, half):
        doc = parse(nlp, text)
        mentions, _ = recognize(doc, gaz)
        resolve(mentions, gaz, doc)
        gold_n += len(tops)
        hit_gold = set()
        for m in mentions:
            found += 1
            match = [i for i, (s, e, *_r) in enumerate(tops) if s < m.end and m.start < e]
            if match:
                correct += 1
                hit_gold.update(match)
                lat, lon = tops[match[0]][2], tops[match[0]][3]
                if m.choice is not None and distance_km(m.choice.lat, m.choice.lon, lat, lon) <= 161:
                    ok161 += 1
        gold_hit += len(hit_gold)
    p = correct / found if found else 0.0
    r = gold_hit / gold_n if gold_n else 0.0
    return {name + " recognition": {"precision": round(p, 3), "recall": round(r, 3),
                                    "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
                                    "acc@161km_of_found": round(ok161 / correct, 3) if correct else 0.0}}


def speed(nlp, texts: list[str]) -> dict:
    from eventwire.document import Document
    from eventwire.geo import annotate

    t0 = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=16))
    t_spacy = time.perf_counter() - t0
    t0 = time.perf_counter()
    for doc in docs:
        annotate(Document.create(doc.text, doc))
    t_geo = time.perf_counter() - t0
    return {"articles": len(texts), "spacy_s": round(t_spacy, 2), "geo_s": round(t_geo, 2),
            "spacy_plus_geo_over_spacy": round((t_spacy + t_geo) / t_spacy, 3)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="articles per corpus")
    ap.add_argument("--no-spacy", action="store_true", help="skip parsing (no cue words, no metonymy)")
    ap.add_argument("--speed", action="store_true", help="measure gazetteer load and throughput")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--half", choices=("even", "odd"), help="score only the even- or odd-numbered articles")
    ap.add_argument("--dump", type=Path, help="write every gold toponym with our choice and error (TSV)")
    ap.add_argument("--no-recognition", action="store_true", help="skip the end-to-end run")
    args = ap.parse_args()
    if not SHARED.is_dir():
        print(f"geo_eval: {SHARED}: absent, nothing to score", file=sys.stderr)
        return 2

    results: dict = {}
    from eventwire.geo.gazetteer import Gazetteer, build, index_path

    rss0 = rss_mb()
    path = index_path()
    if not path.exists():
        t0 = time.perf_counter()
        build(path)
        results["gazetteer_build_s"] = round(time.perf_counter() - t0, 1)
    t0 = time.perf_counter()
    gaz = Gazetteer(path)
    for name in ("Donetsk", "Paris", "Springfield", "Lyman", "Texas"):
        gaz.lookup(name)
    results["gazetteer_open_and_5_lookups_ms"] = round((time.perf_counter() - t0) * 1000, 1)
    results["gazetteer_file_mb"] = round(path.stat().st_size / 2**20, 1)
    results["rss_mb_after_gazetteer_open"] = round(rss_mb() - rss0, 1)

    nlp = None
    if not args.no_spacy:
        from eventwire.nlp import get_nlp

        nlp = get_nlp()
    lgl = list(load_lgl(SHARED / "lgl.xml"))
    gwn = list(load_gwn(SHARED / "GWN.xml"))
    dump = open(args.dump, "w", encoding="utf-8") if args.dump else None
    results.update(evaluate("LGL", lgl, nlp, args.limit, args.half, dump))
    results.update(evaluate("GeoWebNews", gwn, nlp, args.limit, args.half, dump))
    if dump is not None:
        dump.close()
    if nlp is not None and not args.no_recognition:
        results.update(recognition("LGL", lgl, nlp, args.limit, args.half))
        results.update(recognition("GeoWebNews", gwn, nlp, args.limit, args.half))
    results["rss_mb_geo_total_after_eval"] = round(rss_mb() - rss0, 1)
    if args.speed:
        if nlp is None:
            from eventwire.nlp import get_nlp

            nlp = get_nlp()
        texts = [t for t, _ in lgl[: args.limit or 200]]
        results["throughput"] = speed(nlp, texts)
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
