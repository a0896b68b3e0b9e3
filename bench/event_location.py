"""Event-to-location linking accuracy on the RELABEL records of the event-location data set.

    .venv/bin/python bench/event_location.py [--data ../shared/data/event_location/labeled_text.jsonl.zip]

Each RELABEL record is one sentence with one event verb (span label VERB) and the place names where
that event happened (span label LOCATION; none when the sentence does not say). Span offsets in the
file are unreliable, so gold spans are rebuilt from the records' token offsets.

For each record the whole pipeline runs on the sentence; the gold verb is then coded as an event
predicate (the lexicon's reading when it has one, else a generic one) and `events.roles.location`
picks its place, exactly as `events.annotate` does. A record counts as right when the chosen place
has a mention overlapping a gold LOCATION span, or when there is no gold location and no place is
chosen. Reported beside it:
- the same score for a baseline that picks the recognised place nearest to the verb;
- how often the geoparser recognised any gold location at all (a ceiling for linking), and the
  linking accuracy on those records alone.
Nothing is learned from these records, but three general location rules (origins 'from X', places
modifying a person or outlet, a country after 'in' as last resort) were written after reading the
errors on them, so the score is optimistic; bench/EVENTS_RESULTS.md gives the score before them.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from eventwire.events import roles  # noqa: E402
from eventwire.events.detect import Predicate, find_predicates, status_of  # noqa: E402
from eventwire.events.lexicon import Entry, load  # noqa: E402
from eventwire.nlp import get_nlp  # noqa: E402
from eventwire.pipeline import build_document  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "event_location" / "labeled_text.jsonl.zip"
GENERIC = Entry(lemma="*", pos=("VERB", "NOUN"), type="ASSAULT")


def read_records(path: Path) -> list[dict]:
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as zf:
            name = next(n for n in zf.namelist() if n.endswith(".jsonl") and not n.startswith("__MACOSX"))
            raw = zf.read(name).decode("utf-8")
    else:
        raw = path.read_text(encoding="utf-8")
    raw = raw.strip()
    if raw.startswith("["):
        return json.loads(raw)
    return [json.loads(line) for line in io.StringIO(raw) if line.strip()]


def gold_spans(rec: dict, label: str) -> list[tuple[int, int]]:
    toks = rec.get("tokens") or []
    out = []
    for s in rec.get("spans") or []:
        if s.get("label") != label:
            continue
        if toks and s.get("token_start") is not None and s.get("token_end", -1) < len(toks):
            out.append((toks[s["token_start"]]["start"], toks[s["token_end"]]["end"]))
        else:
            out.append((s["start"], s["end"]))
    return out


def predicate_at(document, start: int, end: int, lex) -> Predicate | None:
    span = document.doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    tok = span.root
    for p in find_predicates(tok.sent, lex, keep_content=True):
        if p.token.i == tok.i:
            return p
    status, _ = status_of(tok, lex)
    return Predicate(tok, GENERIC, GENERIC.type, None, status or "happened")


def place_hits(place, gold: list[tuple[int, int]], sent_bounds: tuple[int, int]) -> bool:
    s0, s1 = sent_bounds
    for m in place.mentions:
        if m.start < s0 or m.end > s1:
            continue
        if any(m.start < g1 and g0 < m.end for g0, g1 in gold):
            return True
    return False


def nearest_place(document, tok):
    best, dist = None, None
    for p in document.report.places:
        if p.metonym:
            continue
        for m in p.mentions:
            d = abs(m.start - tok.idx)
            if dist is None or d < dist:
                best, dist = p, d
    return best


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--errors", type=int, default=0, help="print this many wrong records")
    args = ap.parse_args(argv)
    if not args.data.is_file():
        print(f"event_location: {args.data}: not found", file=sys.stderr)
        return 2
    records = [r for r in read_records(args.data) if r.get("source") == "RELABEL"]
    nlp = get_nlp()
    lex = load()
    t0 = time.perf_counter()
    n = ours = base = with_gold = recognised = ours_recognised = no_gold = ours_no_gold = skipped = 0
    errors = []
    for rec, doc in zip(records, nlp.pipe((r["text"] for r in records), batch_size=32)):
        verbs = gold_spans(rec, "VERB")
        if not verbs:
            skipped += 1
            continue
        gold = gold_spans(rec, "LOCATION")
        document = build_document(rec["text"], doc=doc)
        pred = predicate_at(document, *verbs[0], lex)
        if pred is None:
            skipped += 1
            continue
        n += 1
        sent = pred.token.sent
        bounds = (sent.start_char, sent.end_char)
        preds = find_predicates(sent, lex)
        others = {p.token.i for p in preds} - {pred.token.i}
        _, _, used = roles.participants(pred, document)
        loc, _, _ = roles.location(pred, document, used, others, lex)
        chosen = next((p for p in document.report.places if loc is not None and p.id == loc.place), None)
        near = nearest_place(document, pred.token)
        if gold:
            with_gold += 1
            ok = chosen is not None and place_hits(chosen, gold, bounds)
            ok_base = near is not None and place_hits(near, gold, bounds)
            found = any(place_hits(p, gold, bounds) for p in document.report.places)
            recognised += found
            ours_recognised += ok and found
        else:
            no_gold += 1
            ok = chosen is None
            ok_base = near is None
            ours_no_gold += ok
        ours += ok
        base += ok_base
        if not ok and len(errors) < args.errors:
            errors.append((rec["text"][:150], pred.token.text, [rec["text"][a:b] for a, b in gold],
                           chosen.name if chosen else None))
    elapsed = time.perf_counter() - t0
    print(f"RELABEL records scored: {n} (skipped without a usable verb span: {skipped})")
    print(f"linking accuracy (events.roles.location): {ours}/{n} = {ours / n:.3f}")
    print(f"baseline, place nearest the verb:        {base}/{n} = {base / n:.3f}")
    print(f"records with a gold location: {with_gold}; geoparser recognised one of them: "
          f"{recognised}/{with_gold} = {recognised / max(with_gold, 1):.3f}")
    print(f"linking accuracy where a gold location was recognised: {ours_recognised}/{recognised} = "
          f"{ours_recognised / max(recognised, 1):.3f}")
    print(f"records without a gold location left unlocated: {ours_no_gold}/{no_gold}")
    print(f"time: {elapsed:.1f}s")
    for text, verb, g, got in errors:
        print(f"  [{verb}] gold={g} got={got} :: {text}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
