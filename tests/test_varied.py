"""Key facts on short wire reports of varied conflicts (tests/fixtures/varied/*.txt, written for these tests).

Each fixture starts with a `published: YYYY-MM-DD` line and a blank line; the rest is the article.
Only facts a researcher would check first are asserted: type and mode, sides, the toll, the source.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from eventwire.pipeline import extract

FIXTURES = Path(__file__).parent / "fixtures" / "varied"


def _load(name: str):
    head, _, body = (FIXTURES / f"{name}.txt").read_text(encoding="utf-8").partition("\n")
    key, _, value = head.partition(":")
    assert key.strip() == "published", f"{name}.txt: first line must be 'published: YYYY-MM-DD'"
    return extract(body.strip(), published=value.strip())


@pytest.fixture(scope="module")
def reports():
    return {p.stem: _load(p.stem) for p in sorted(FIXTURES.glob("*.txt"))}


def _events(report, etype, trigger=None):
    return [e for e in report.events if e.type == etype and (trigger is None or e.trigger == trigger)]


def _sides(parts):
    return {(p.country, p.sector) for p in parts}


def _killed(event):
    return {q.value for q in event.quantities if q.kind == "killed"}


def test_eight_fixtures_of_the_right_length(reports):
    assert len(reports) == 8
    for name in reports:
        words = len((FIXTURES / f"{name}.txt").read_text(encoding="utf-8").split())
        assert 140 <= words <= 260, (name, words)


def test_no_dateline_acts_or_triggers(reports):
    for name, r in reports.items():
        datelines = {m.split(",")[0] for m in [(FIXTURES / f"{name}.txt").read_text().split("\n")[2]]}
        for e in r.events:
            assert not any(a.text in datelines for a in e.actor), (name, e.trigger, e.actor)
            assert e.evidence.start > 0 or e.type != "PROTEST", (name, e.trigger)


def test_sudan_shelling_convoy_and_vow(reports):
    r = reports["sudan_convoy"]
    shelling = _events(r, "ASSAULT", "shelled")[0]
    assert shelling.mode == "heavy-weapons"
    assert ("SDN", "REB") in _sides(shelling.actor)
    assert _killed(shelling) == {23}
    assert shelling.source is not None and "medics" in shelling.source.text
    convoy = _events(r, "COERCE", "blocked")[0]
    assert convoy.mode == "restrict"
    assert [e.type for e in r.events if e.trigger == "vowed"] == ["THREATEN"]
    assert not _events(r, "PROTEST")


def test_gaza_air_strike_and_rockets(reports):
    r = reports["gaza_strike"]
    strike = _events(r, "ASSAULT", "strike")[0]
    assert strike.mode == "aerial"
    assert ("ISR", None) in _sides(strike.actor)
    assert 90 in _killed(strike)
    rockets = _events(r, "ASSAULT", "fired")[0]
    assert any(a.sector == "REB" for a in rockets.actor)


def test_myanmar_resistance_and_government_in_exile(reports):
    r = reports["myanmar_resistance"]
    tnla = next(e for e in r.entities if "Liberation Army" in e.name)
    assert tnla.name.startswith("Ta'ang") and tnla.country != "COL"
    seized = _events(r, "COERCE", "seized")[0]
    assert any(a.text == "its fighters" and a.sector == "REB" for a in seized.actor)
    assert _events(r, "ACCUSE", "condemned")[0].mode == "disapprove"
    assert not [e for e in r.events if e.type == "REQUEST" and e.trigger == "asking"]


def test_sahel_attack_on_army_post(reports):
    r = reports["sahel_post"]
    attack = _events(r, "ASSAULT", "attacked")[0]
    assert any(a.sector == "REB" for a in attack.actor)
    assert any(p.sector == "MIL" for p in attack.recipient)
    assert _killed(attack) == {30}
    claimed = [e for e in _events(r, "ASSAULT") if any("claimed responsibility" in x.text for x in [e.evidence, *e.also_evidence])]
    assert claimed and any("JNIM" in a.text for a in claimed[0].actor)


def test_congo_ceasefire_signed_with_mediator(reports):
    r = reports["drc_m23_ceasefire"]
    assert _events(r, "AGREE", "signed")
    assert [e.type for e in r.events if e.trigger == "agreed"] == ["AGREE"]
    mediated = _events(r, "CONSULT", "mediated")[0]
    assert mediated.mode == "third-party" and ("QAT", None) in _sides(mediated.actor)
    assert not _events(r, "THREATEN", "agreed")


def test_houthi_missile_on_a_ship(reports):
    r = reports["yemen_ship"]
    fired = _events(r, "ASSAULT", "fired")[0]
    assert fired.mode == "heavy-weapons"
    assert any("Houthi" in a.text and (a.country, a.sector) == ("YEM", "REB") for a in fired.actor)
    assert not [e for e in r.entities if e.name.upper() == "SANAA"]


def test_protest_crushed_by_police(reports):
    r = reports["protest_police"]
    fired = _events(r, "ASSAULT", "fired")[0]
    assert fired.mode == "crowd-control"
    assert ("KEN", "COP") in _sides(fired.actor)
    assert any(p.text == "protesters" for p in fired.recipient)
    arrest = _events(r, "COERCE", "arrested")[0]
    assert {q.value for q in arrest.quantities if q.kind == "arrested"} == {52}
    assert _events(r, "PROTEST", "marched")


def test_sanctions_on_rsf_leader(reports):
    r = reports["sanctions"]
    sanction = _events(r, "SANCTION", "imposed")[0]
    assert ("USA", None) in _sides(sanction.actor)
    assert ("SDN", "REB") in _sides(sanction.recipient)


def test_second_qa_pass_companies_officials_names_and_calls(reports):
    sanctions = reports["sanctions"]
    kinds = {q.kind for e in sanctions.events for q in e.quantities}
    assert "units" not in kinds and "company" in kinds  # businesses under sanctions are no military units
    officials = next(e for e in sanctions.entities if any("army officials" in m.text for m in e.mentions))
    assert officials.sector == "MIL"
    suu_kyi = next(e for e in reports["myanmar_resistance"].entities if e.name == "Aung San Suu Kyi")
    assert suu_kyi.kind == "person"
    protest = reports["protest_police"]
    call = next(e for e in protest.events if e.type == "REQUEST" and e.date and e.date.text == "Thursday")
    assert call.date.value > "2024-06-26"  # organisers call for protests on a Thursday still to come
