"""PLOVER type accuracy of the event coder on the PLOVER gold-standard records (GSR).

    .venv/bin/python bench/plover_types.py [--data ../shared/data/plover] [--errors N]

The GSR file (`PLOVER_GSR_CAMEO.json`) codes 322 sentences with the categories of an early PLOVER
draft. Those are mapped to PLOVER 2.0 through `CAMEO2PLOVER-2021.txt`: each old category is the name
of a CAMEO root code (DEMAND = 10, DISAPPROVE = 11, INVESTIGATE = 09, FIGHT = 19, ASSAULT = 18,
COOPERATE = 06, ...; see OLD_TO_CAMEO_ROOT), and the conversion table's line for that root gives the
2021 type (10 -> REQUEST, 11 -> ACCUSE, 09 -> ACCUSE, 19 -> ASSAULT, ...). Root 08 is listed twice
(CONCEDE and RETREAT); there the old name, which is one of the two, is kept.

The coder is the rule lexicon alone (nothing is learned from these records, but lexicon entries
were added after reading the coder's errors on them: see bench/EVENTS_RESULTS.md); each sentence's prediction is
`events.detect.main_event` of the first sentence holding a predicate (highest predicate in the parse).
Reported: accuracy over all records (no prediction counts as wrong), coverage, accuracy where a
prediction was made, whether any predicate of the text has the gold type, and per-type recall.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from eventwire.events.detect import find_predicates, main_event  # noqa: E402
from eventwire.events.lexicon import load  # noqa: E402
from eventwire.nlp import get_nlp  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "plover"

# The early-draft PLOVER categories in the GSR, by the CAMEO root whose name they carry.
OLD_TO_CAMEO_ROOT = {
    "AGREE": "03", "CONSULT": "04", "SUPPORT": "05", "COOPERATE": "06", "AID": "07", "CONCEDE": "08",
    "RETREAT": "08", "INVESTIGATE": "09", "DEMAND": "10", "DISAPPROVE": "11", "REJECT": "12",
    "THREATEN": "13", "PROTEST": "14", "MOBILIZE": "15", "SANCTION": "16", "COERCE": "17",
    "ASSAULT": "18", "FIGHT": "19",
}


def read_conversion(path: Path) -> dict[str, list[str]]:
    """Root code -> PLOVER 2021 types from the conversion table's two-digit lines ('10: REQUEST')."""
    roots: dict[str, list[str]] = defaultdict(list)
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^(\d\d):\s*([A-Z]+)\s*$", line.strip())
        if m:
            roots[m.group(1)].append(m.group(2))
    return roots


def map_old_type(old: str, roots: dict[str, list[str]]) -> str:
    code = OLD_TO_CAMEO_ROOT.get(old)
    if code is None:
        raise SystemExit(f"plover_types: no CAMEO root for the GSR category {old!r}")
    types = roots.get(code)
    if not types:
        raise SystemExit(f"plover_types: CAMEO2PLOVER-2021.txt has no line for root {code}")
    return old if old in types else types[0]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--errors", type=int, default=0, help="print this many wrong records")
    ap.add_argument("--half", choices=("all", "dev", "test"), default="all",
                    help="dev: records at even positions (used for error analysis), test: odd positions")
    args = ap.parse_args(argv)
    gsr_path = args.data / "PLOVER_GSR_CAMEO.json"
    conv_path = args.data / "CAMEO2PLOVER-2021.txt"
    for p in (gsr_path, conv_path):
        if not p.is_file():
            print(f"plover_types: {p}: not found", file=sys.stderr)
            return 2
    roots = read_conversion(conv_path)
    records = [r for r in json.loads(gsr_path.read_text(encoding="utf-8")) if r.get("event") != "DOCUMENT"]
    if args.half != "all":
        records = records[0 if args.half == "dev" else 1::2]
    nlp = get_nlp()
    lex = load()
    t0 = time.perf_counter()
    rows = []
    for rec, doc in zip(records, nlp.pipe((r["text"] for r in records), batch_size=32)):
        gold = map_old_type(rec["event"], roots)
        pred, anytypes = None, set()
        for sent in doc.sents:
            found = find_predicates(sent, lex, keep_content=True)
            anytypes |= {p.type for p in found}
            if pred is None and found:
                pred = main_event(sent, lex)
        rows.append((rec, gold, pred.type if pred else None, anytypes, pred))
    elapsed = time.perf_counter() - t0
    n = len(rows)
    right = sum(1 for _, g, p, _, _ in rows if g == p)
    covered = sum(1 for _, _, p, _, _ in rows if p is not None)
    right_cov = sum(1 for _, g, p, _, _ in rows if p is not None and g == p)
    any_ok = sum(1 for _, g, _, a, _ in rows if g in a)
    print(f"records: {n}, half: {args.half} (GSR categories mapped to PLOVER 2.0 through CAMEO2PLOVER-2021 roots)")
    print(f"type accuracy (main event; no event = wrong): {right}/{n} = {right / n:.3f}")
    print(f"coverage (a predicate found): {covered}/{n} = {covered / n:.3f}")
    print(f"accuracy where coded: {right_cov}/{covered} = {right_cov / max(covered, 1):.3f}")
    print(f"gold type among the text's predicates: {any_ok}/{n} = {any_ok / n:.3f}")
    print(f"time: {elapsed:.1f}s for {n} records")
    per = defaultdict(Counter)
    for _, g, p, _, _ in rows:
        per[g]["n"] += 1
        per[g]["ok"] += g == p
    print("per type (recall): " + ", ".join(
        f"{t} {c['ok']}/{c['n']}" for t, c in sorted(per.items(), key=lambda kv: -kv[1]["n"])))
    confusion = Counter((g, p) for _, g, p, _, _ in rows if g != p)
    print("most frequent confusions (gold -> predicted): " + ", ".join(
        f"{g}->{p or 'none'} {k}" for (g, p), k in confusion.most_common(10)))
    shown = 0
    for rec, g, p, _, pr in rows:
        if shown >= args.errors:
            break
        if g != p:
            shown += 1
            trig = pr.token.text if pr else "-"
            print(f"  {rec['event']}->{g} got {p} [{trig}] {rec['text'][:140]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
