"""Where an event happened: the clause's own place, anaphors, other clauses and the focus. Own texts."""

from __future__ import annotations

from eventwire.pipeline import extract


def _loc(text: str, trigger: str):
    report = extract(text, published="2024-05-10")
    ev = next(e for e in report.events if e.trigger == trigger)
    if ev.location is None or ev.location.place is None:
        return None
    return next(p.name for p in report.places if p.id == ev.location.place)


def test_the_city_refers_to_the_city_named_before_not_the_dateline():
    text = ("ADDIS ABABA, May 10 (Wire) - Gunmen attacked a market in Gondar on Thursday, killing four traders, "
            "police said.\n\nSoldiers repelled a second assault on the city's northern outskirts at night.")
    assert _loc(text, "repelled") == "Gondar"


def test_without_an_earlier_city_the_city_falls_back_to_the_focus():
    text = ("GONDAR, May 10 (Wire) - Soldiers repelled an assault on the city's northern outskirts at night, "
            "police said.\n\nGunmen later shelled Gondar again, residents said.")
    assert _loc(text, "repelled") == "Gondar"


def test_a_sea_named_in_the_clause_beats_the_article_focus():
    text = ("ADEN, May 10 (Wire) - Rebels fired a drone at a tanker in the Red Sea on Thursday, the navy said.\n\n"
            "Fighters also shelled Aden, residents said.")
    assert _loc(text, "fired") == "Red Sea"


def test_a_place_in_the_event_clause_itself_is_kept():
    text = ("CAIRO, May 10 (Wire) - The group said the attacks in Aleppo would go on.")
    assert _loc(text, "attacks") == "Aleppo"
