"""The evaluation harness: a report built from the gold scores 1.0, an empty one 0, bad gold fails clearly."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest

from eventwire.document import text_id
from eventwire.evaluate import AREAS, RECALL_AREAS, GoldError, check_gold, haversine_km, load_gold, run_cli, score
from eventwire.schema import (
    Article, Claim, DateMention, DateRef, Entity, Event, Evidence, Flag, LocationRef, Participant, Place,
    Quantity, Quote, Report, Sentence, Span, SpeakerRef,
)

FIXTURES = Path(__file__).parent / "fixtures"
GOLD_FILE = FIXTURES / "gold" / "mini.json"
# a status the run may give for each gold status
RUN_STATUS = {"reported": "claimed", "past": "happened"}


@pytest.fixture(scope="module")
def gold() -> dict:
    return json.loads(GOLD_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def text(gold) -> str:
    return (FIXTURES / gold["article"]["text_path"]).read_text(encoding="utf-8")


def at(text: str, piece: str, nth: int = 1) -> Span:
    start = -1
    for _ in range(nth):
        start = text.index(piece, start + 1)
    return Span(start=start, end=start + len(piece), text=piece)


def perfect_report(gold: dict, text: str) -> Report:
    """What a perfect run gives, written out from the gold with the schema models."""
    report = Report(article=Article(id=text_id(text), published=gold["article"]["published"]))
    place_ids: dict[int, str] = {}
    for i, entry in enumerate(gold["places"]):
        count = text.count(entry["mention"])
        wanted = range(1, count + 1) if entry["occurrence"] == "all" else entry["occurrence"]
        place = Place(id=f"p{i}", name=entry["mention"], mentions=[at(text, entry["mention"], n) for n in wanted],
                      geonameid=entry.get("geonameid"), lat=entry.get("lat"), lon=entry.get("lon"),
                      feature=entry["feature"], country=entry.get("country"))
        report.places.append(place)
        if place.geonameid:
            place_ids[place.geonameid] = place.id
    names = {}
    for i, entry in enumerate(gold["entities"]):
        entity = Entity(id=f"e{i}", kind=entry["kind"], name=entry["name"],
                        mentions=[at(text, m) for m in entry["mentions"]], title=entry["title_contains"],
                        country=entry["country"], sector=entry["sector"])
        report.entities.append(entity)
        names[entry["name"]] = entity.id

    def speaker(name):
        return None if name is None else SpeakerRef(entity=names.get(name), text=name)

    for entry in gold["dates"]:
        span = at(text, entry["mention"])
        report.dates.append(DateMention(**span.model_dump(), value=entry["value"], precision="day"))
    for i, entry in enumerate(gold["quotes"]):
        span = at(text, entry["text_contains"])
        report.quotes.append(Quote(id=f"q{i}", kind=entry["kind"], **span.model_dump(), speaker=speaker(entry["speaker"])))
    for i, entry in enumerate(gold["events"]):
        span = at(text, entry["evidence_contains"])
        actors = [Participant(text=d.get("text_contains", "someone"), country=d.get("country"), sector=d.get("sector"))
                  for d in entry.get("actor", [])]
        report.events.append(Event(
            id=f"ev{i}", type=entry.get("preferred", entry["types"][0]), mode=entry.get("mode"), actor=actors,
            location=LocationRef(place=place_ids[entry["location"]], text="") if "location" in entry else None,
            date=DateRef(value=entry["date"]) if "date" in entry else None,
            status=RUN_STATUS.get(entry["status"], entry["status"]), source=speaker(entry.get("source")),
            evidence=Evidence(**span.model_dump())))
    for i, entry in enumerate(gold["claims"]):
        span = at(text, entry["text_contains"])
        q = entry["quantity"]
        report.claims.append(Claim(id=f"c{i}", **span.model_dump(), quantity=Quantity(kind=q["kind"], value=q["value"], text=""),
                                   place=place_ids[entry["place"]], source=speaker(entry["source"])))
    for entry in gold["flags"]:
        pieces = entry.get("mentions") or [entry["sentence_contains"]]
        report.flags.append(Flag(kind=entry["kind"], message="", spans=[at(text, p) for p in pieces]))
    return report


def test_a_report_written_from_the_gold_scores_one_everywhere(gold, text):
    result = score(gold, perfect_report(gold, text), text)
    for name in AREAS:
        area = result["areas"][name]
        assert area["required"] > 0, name
        assert area["recall"] == 1.0, (name, [i for i in area["items"] if not i["ok"]])
    assert result["areas"]["places"]["acc161"] == 1.0
    assert result["areas"]["places"]["precision"] == 1.0
    assert result["areas"]["events"]["precision"] == 1.0
    assert all(f["accuracy"] == 1.0 for f in result["areas"]["events"]["fields"].values())
    assert result["areas"]["entities"]["variants_merged"] == result["areas"]["entities"]["variants"] == 1
    assert all(all(i["fields"].values()) for i in result["areas"]["entities"]["items"])
    # optional items are credited too
    assert result["areas"]["events"]["optional_found"] == 1
    assert result["overall"]["recall"] == 1.0


def test_an_empty_report_scores_zero(gold, text):
    empty = Report(article=Article(id=text_id(text)))
    result = score(gold, empty, text)
    for name in RECALL_AREAS:
        assert result["areas"][name]["found"] == 0, name
    assert result["overall"]["recall"] == 0.0
    assert result["areas"]["events"]["precision"] is None  # no run events: precision undefined


def test_wrong_place_feature_and_distance(gold, text):
    report = perfect_report(gold, text)
    kram = next(p for p in report.places if p.name == "Kramatorsk")
    # the right coordinates but the wrong feature: a city entry wants a city
    kram.feature = "admin1"
    places = score(gold, report, text)["areas"]["places"]
    assert places["found"] == places["required"] - 2
    # a far-away namesake is wrong and outside 161 km
    kram.feature, kram.geonameid, kram.lat, kram.lon = "city", 1, 40.0, 20.0
    places = score(gold, report, text)["areas"]["places"]
    assert places["acc161"] < 1.0 and places["precision"] < 1.0
    # a region is scored by distance: 100 km off is inside its 150 km tolerance, 300 km is not
    donbas = next(p for p in report.places if p.name == "Donbas")
    donbas.lat = gold["places"][2]["lat"] + 0.9
    assert next(i for i in score(gold, report, text)["areas"]["places"]["items"] if i["mention"] == "Donbas")["ok"]
    donbas.lat = gold["places"][2]["lat"] + 2.7
    assert not next(i for i in score(gold, report, text)["areas"]["places"]["items"] if i["mention"] == "Donbas")["ok"]


def test_split_entity_and_wrong_sector_are_misses(gold, text):
    report = perfect_report(gold, text)
    kova = report.entities[0]
    variant = kova.mentions.pop()
    report.entities.append(Entity(id="e9", kind="person", name=variant.text, mentions=[variant], country="UKR", sector="GOV"))
    entities = score(gold, report, text)["areas"]["entities"]
    assert entities["variants_merged"] == 0
    assert entities["found"] == entities["required"] - 1
    report = perfect_report(gold, text)
    report.entities[1].sector = "MIL"
    assert score(gold, report, text)["areas"]["entities"]["found"] == 1
    report.entities[1].sector, report.entities[1].country = "REB", "RUS"  # alt_country accepted
    assert score(gold, report, text)["areas"]["entities"]["found"] == 2


def test_event_fields_and_not_place_precision(gold, text):
    report = perfect_report(gold, text)
    ev = report.events[0]
    ev.date = DateRef(value="2023-03-07")
    ev.status = "hypothetical"  # 'reported' accepts anything but hypothetical
    events = score(gold, report, text)["areas"]["events"]
    assert events["found"] == 2  # type and evidence still match
    assert events["fields"]["date"]["correct"] == 1 and events["fields"]["status"]["correct"] == 1
    # an event located at a not_place is wrong, and so is one matching no gold event
    moscow = Place(id="px", name="Moscow", mentions=[at(text, "Moscow")], geonameid=524901, feature="city")
    report.places.append(moscow)
    report.events.append(Event(id="evx", type="CONSULT", location=LocationRef(place="px", text="Moscow"),
                               evidence=Evidence(**at(text, "no immediate comment").model_dump())))
    result = score(gold, report, text)
    assert result["areas"]["not_places"]["found"] == 0
    assert result["areas"]["events"]["precision"] == pytest.approx(3 / 4)
    assert result["areas"]["events"]["at_not_place"] == ["evx"]


def test_events_match_on_the_sentence_of_their_evidence(gold, text):
    report = perfect_report(gold, text)
    report.sentences = [Sentence(start=m.start(), end=m.end()) for m in re.finditer(r"[^.]+\.", text)]
    first = report.events[0]
    first.evidence = Evidence(**at(text, "Rebel fighters").model_dump())  # the gold piece is later in the sentence
    assert score(gold, report, text)["areas"]["events"]["items"][0]["ok"]
    first.evidence = Evidence(**at(text, "Kovalenko told reporters").model_dump())  # another sentence
    assert not score(gold, report, text)["areas"]["events"]["items"][0]["ok"]


def test_wrong_type_on_the_right_sentence_is_no_match(gold, text):
    report = perfect_report(gold, text)
    report.events[0].type = "PROTEST"
    events = score(gold, report, text)["areas"]["events"]
    assert events["found"] == 1
    assert events["items"][0]["got"].startswith("ev0 PROTEST")


@pytest.mark.parametrize("change, field", [
    (lambda g: g["places"][0].pop("mention"), "places[0].mention"),
    (lambda g: g["places"][1].update(occurrence=[0]), "places[1].occurrence"),
    (lambda g: g["places"][2].pop("lat"), "places[2]"),
    (lambda g: g["dates"][1].update(value="7 March"), "dates[1].value"),
    (lambda g: g["quotes"][0].update(kind="paraphrase"), "quotes[0].kind"),
    (lambda g: g["events"][1].update(types="AGREE"), "events[1].types"),
    (lambda g: g["claims"][0]["quantity"].update(value="300"), "claims[0].quantity.value"),
    (lambda g: g["article"].update(published="08/03/2023"), "article.published"),
    (lambda g: g.update(format="gold/v0"), "format"),
    (lambda g: g.update(entities={"name": "x"}), "entities"),
])
def test_malformed_gold_names_the_field(gold, change, field):
    bad = copy.deepcopy(gold)
    change(bad)
    with pytest.raises(GoldError) as err:
        check_gold(bad, "mini.json")
    message = str(err.value)
    assert message.startswith(f"mini.json: {field}")
    assert "\n" not in message


def test_unreadable_gold_files(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "gold/v1",', encoding="utf-8")
    with pytest.raises(GoldError, match=r"broken\.json: not JSON \(line 1"):
        load_gold(broken)
    with pytest.raises(GoldError, match=r"absent\.json: no such file"):
        load_gold(tmp_path / "absent.json")
    lost = tmp_path / "gold" / "lost.json"
    lost.parent.mkdir()
    data = json.loads(GOLD_FILE.read_text(encoding="utf-8"))
    data["article"]["text_path"] = "corpus/missing.txt"
    lost.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(GoldError, match=r"lost\.json: article\.text_path: cannot read"):
        run_cli([lost], as_json=True)


def test_text_path_is_relative_to_shared_when_given(tmp_path, capsys):
    moved = tmp_path / "mini.json"
    moved.write_text(GOLD_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(GoldError, match="article.text_path"):
        run_cli([moved], as_json=True)  # default: the gold file's parent's parent
    assert run_cli([moved], as_json=True, shared=FIXTURES) == 0
    assert json.loads(capsys.readouterr().out)["files"][0]["areas"]["dates"]["required"] == 3


def test_a_gold_place_missing_from_the_text_is_a_miss(gold, text):
    changed = copy.deepcopy(gold)
    changed["places"].append({"mention": "Zaporizhzhia", "occurrence": "all", "geonameid": 687700, "feature": "city"})
    places = score(changed, perfect_report(gold, text), text)["areas"]["places"]
    assert places["found"] == places["required"] - 1
    assert places["items"][-1]["got"] == "mention not in text"


def test_haversine_is_in_kilometres():
    # one degree of latitude is about 111 km
    assert haversine_km(48.0, 37.0, 49.0, 37.0) == pytest.approx(111.2, abs=0.2)


def test_the_command_runs_the_pipeline_and_prints_json(capsys):
    assert run_cli([GOLD_FILE], as_json=True) == 0
    out = json.loads(capsys.readouterr().out)
    areas = out["files"][0]["areas"]
    assert set(areas) == set(AREAS)
    assert all(0.0 <= a["recall"] <= 1.0 for a in areas.values())
    assert out["total"]["overall"]["required"] == sum(areas[n]["required"] for n in RECALL_AREAS)


def test_tables_and_summary_line(capsys):
    assert run_cli([GOLD_FILE], as_json=False) == 0
    out = capsys.readouterr().out
    assert "summary" in out and "overall recall" in out
    for name in AREAS:
        assert f"{name} " in out


def test_the_shared_seed_scores_every_area(shared_dir, capsys):
    assert run_cli([shared_dir / "gold" / "seed.json"], as_json=True) == 0
    result = json.loads(capsys.readouterr().out)["files"][0]
    assert set(result["areas"]) == set(AREAS)
    for name, area in result["areas"].items():
        assert area["required"] > 0 and area["recall"] is not None, name
