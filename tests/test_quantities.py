"""Quantities (claims.quantities) and claims built from them, on texts written for these tests."""

from __future__ import annotations

import pytest

from eventwire.claims.quantities import combine, definite_reference, find_quantities
from tests.test_claims import analyse


def quantities(nlp, text: str, published: str = "2023-03-08"):
    document = analyse(nlp, text, published=published)
    return document, find_quantities(document, 0, len(text))


def one(nlp, text: str):
    _, found = quantities(nlp, text)
    assert len(found) == 1, [q.text for q in found]
    return found[0]


@pytest.mark.parametrize("words, value", [
    (["two"], 2), (["twenty", "five"], 25), (["two", "hundred"], 200), (["2.5", "million"], 2_500_000),
    (["1,200"], 1200), (["three", "thousand", "four", "hundred"], 3400), (["one", "hundred", "twelve"], 112),
])
def test_combine_number_words(words, value):
    assert combine(words) == value


def test_combine_rejects_non_numbers():
    assert combine(["many"]) is None
    assert combine([]) is None


@pytest.mark.parametrize("text, kind, value, approximate", [
    ("About 500 civilians were sheltering in the basement of the plant.", "civilians", 500, True),
    ("The strike killed 12 people near the station.", "killed", 12, False),
    ("At least 30 people were wounded in the attack.", "injured", 30, True),
    ("Hundreds of people fled the town on foot.", "people", 200, True),
    ("Dozens of soldiers were captured near the river.", "captured", 24, True),
    ("The army moved two more battalions to the front.", "battalions", 2, False),
    ("Twenty-five residents stayed behind in the village.", "people", 25, False),
    ("Some 1,200 troops took part in the exercise.", "soldiers", 1200, True),
    ("Tens of thousands of people left the region.", "people", 20_000, True),
    ("The shelling left 2.5 million residents without power.", "people", 2_500_000, False),
])
def test_counts_kind_value_and_hedge(nlp, text, kind, value, approximate):
    q = one(nlp, text)
    assert (q.kind, q.value, q.approximate) == (kind, value, approximate)
    assert text[q.start:q.end] == q.text


def test_percent_forms(nlp):
    _, found = quantities(nlp, "Rebels hold about 70% of the city and 40 percent of the district.")
    assert [(q.kind, q.value, q.approximate) for q in found] == [("percent", 70, True), ("percent", 40, False)]
    assert found[0].text == "about 70%"


@pytest.mark.parametrize("text, value", [
    ("The enemy has a tenfold advantage in artillery.", 10),
    ("Prices saw a 3-fold rise in the besieged town.", 3),
    ("Drone attacks saw a five-fold increase last month.", 5),
])
def test_ratios(nlp, text, value):
    q = one(nlp, text)
    assert (q.kind, q.value) == ("ratio", value)


def test_dates_years_ordinals_and_one_of_are_not_quantities(nlp):
    _, found = quantities(nlp, "On June 14, 2022, the first convoy left at 5 p.m. for one of the hardest routes "
                               "since 2014.")
    assert found == []


def test_killed_in_passive_and_counted_noun_without_verb(nlp):
    _, found = quantities(nlp, "Seven soldiers were killed and 40 tanks were destroyed.")
    assert [(q.kind, q.value) for q in found] == [("killed", 7), ("tanks", 40)]


def test_search_window_is_respected(nlp):
    text = "Officials said 12 people were injured. Later 30 houses burned."
    document = analyse(nlp, text)
    second = text.index("Later")
    assert [q.value for q in find_quantities(document, second, len(text))] == [30]
    assert [q.value for q in find_quantities(document, 0, second)] == [12]


def test_definite_reference_is_not_a_new_figure(nlp):
    document, found = quantities(nlp, "The two republics asked for help, and 300 volunteers arrived.")
    refs = {q.text: definite_reference(document, q) for q in found}
    assert refs == {"two republics": True, "300 volunteers": False}


# -- claims -----------------------------------------------------------------------------------

def test_claim_source_is_the_quote_speaker(nlp):
    document = analyse(nlp, "Governor Oleh Synehubov said about 300 civilians were sheltering in the Kharkiv "
                            "metro. Rebels are believed to hold 40% of the district.")
    by_value = {c.quantity.value: c for c in document.report.claims}
    assert "Synehubov" in by_value[300].source.text
    assert by_value[40].source is None
    assert by_value[300].quantity.kind == "civilians" and by_value[300].quantity.approximate


def test_claim_place_is_nearest_place_of_its_clause(nlp):
    document = analyse(nlp, "The mayor said about 200 people were trapped in Mariupol, not in Kharkiv.")
    claim = document.report.claims[0]
    names = {p.id: p.name for p in document.report.places}
    assert names[claim.place] == "Mariupol"


def test_claim_place_the_city_refers_back(nlp):
    document = analyse(nlp, "Fighting continued in Bakhmut on Sunday. Russian forces are believed to control "
                            "about 60% of the city.")
    claim = next(c for c in document.report.claims if c.quantity.kind == "percent")
    names = {p.id: p.name for p in document.report.places}
    assert names[claim.place] == "Bakhmut"


def test_claim_without_place_or_country_only(nlp):
    document = analyse(nlp, "Ukraine's army chief said the enemy had a fivefold advantage in firepower.")
    claim = document.report.claims[0]
    assert claim.quantity.kind == "ratio" and claim.place is None


def test_definite_numbers_make_no_claim(nlp):
    document = analyse(nlp, "The two breakaway republics asked Moscow for help.")
    assert document.report.claims == []


def test_part_of_a_whole_is_one_quantity(nlp):
    _, found = quantities(nlp, "Air defences shot down 34 of 48 drones overnight.")
    assert [(q.text, q.value, q.kind) for q in found] == [("34 of 48 drones", 34, "drones")]


def test_claim_place_from_the_clause_above(nlp):
    document = analyse(nlp, "Missiles struck Kharkiv overnight, killing 11 people, the governor said.")
    claim = document.report.claims[0]
    names = {p.id: p.name for p in document.report.places}
    assert claim.quantity.kind == "killed" and names[claim.place] == "Kharkiv"
    assert claim.source is not None and claim.source.text == "the governor"


def test_country_is_a_claim_place_only_as_an_area(nlp):
    area = analyse(nlp, "Russian forces occupy about 18% of Ukraine, officials said.")
    names = {p.id: p.name for p in area.report.places}
    assert names[area.report.claims[0].place] == "Ukraine"
    actor = analyse(nlp, "Air defences shot down 20 drones launched by Russia.")
    assert actor.report.claims[0].place is None


def test_numbers_in_compound_modifiers_are_not_counts(nlp):
    _, found = quantities(nlp, "A four-star general arrived for a 24-hour visit with 30 advisers.")
    assert [(q.text, q.value) for q in found] == [("30 advisers", 30)]


def test_bare_numbers_and_single_things_make_no_claim(nlp):
    document = analyse(nlp, "The team scored 53 in the final. One kidney was donated. One soldier was killed.")
    assert [(c.quantity.kind, c.quantity.value) for c in document.report.claims] == [("killed", 1)]


def test_glued_units_are_measures_not_counts(nlp):
    _, found = quantities(nlp, "Gunners fired 155mm shells from 20km away, and seven of those hit the depot.")
    assert [(q.kind, q.value) for q in found] == [("mm", 155), ("km", 20), ("count", 7)]


def test_measures_make_no_claim(nlp):
    document = analyse(nlp, "Gunners fired 155mm shells at the bridge.")
    assert document.report.claims == []


def test_ranges_and_clock_times(nlp):
    _, found = quantities(nlp, "Some 500 to 1,000 workers gathered before 0700 GMT, and 10-20 soldiers watched.")
    assert [(q.kind, q.value, q.approximate, q.text) for q in found] == [
        ("worker", 500, True, "Some 500 to 1,000 workers"), ("soldiers", 10, True, "10-20 soldiers")]


def test_distances_make_no_claim(nlp):
    document = analyse(nlp, "The town lies about 40 kilometres from the border, where 12 soldiers were killed.")
    assert [(c.quantity.kind, c.quantity.value) for c in document.report.claims] == [("killed", 12)]


@pytest.mark.parametrize("text, kind", [
    # unit nouns count military units only with a word of armed forces around them
    ("The ministry fined four companies registered in Cyprus for breaking the export ban.", "company"),
    ("Auditors said three divisions of the state bank had hidden the losses.", "division"),
    ("The army deployed three companies of infantry to the border crossing.", "units"),
    ("Troops were massing near the pass on Sunday. By evening two brigades had crossed it.", "brigades"),
    ("Rebel commanders met in the capital on Monday. Three companies later signed fuel contracts with them.",
     "company"),
])
def test_unit_nouns_need_a_military_context(nlp, text, kind):
    found = [q for q in quantities(nlp, text)[1] if q.value in (2, 3, 4)]
    assert [q.kind for q in found] == [kind]
