"""Date expressions: finding them in wire-style texts and resolving them against the published date."""

from __future__ import annotations

import pytest

from eventwire.document import Document
from eventwire.events import dates
from eventwire.events.dates import resolve

# 2023-03-08 is a Wednesday
PUB = "2023-03-08"


def found_in_order(nlp, text: str, published=PUB) -> list[tuple[str, tuple]]:
    document = Document.create(text, nlp(text), published=published)
    dates.annotate(document)
    for d in document.report.dates:
        assert text[d.start:d.end] == d.text
    return [(d.text, (d.value, d.precision, d.end_value)) for d in document.report.dates]


def found(nlp, text: str, published=PUB) -> dict[str, tuple]:
    return dict(found_in_order(nlp, text, published))


# -- resolve(): one expression at a time ---------------------------------------------------------

@pytest.mark.parametrize("expr, expected", [
    ("Wednesday", ("2023-03-08", "day", None)),          # the day of publication counts
    ("on Monday", ("2023-03-06", "day", None)),
    ("Thursday", ("2023-03-02", "day", None)),           # past reading: the Thursday before
    ("Sunday night", ("2023-03-05", "day", None)),
    ("last Wednesday", ("2023-03-01", "day", None)),     # 'last' is strictly before
    ("last Friday", ("2023-03-03", "day", None)),
    ("next Monday", ("2023-03-13", "day", None)),
    ("yesterday", ("2023-03-07", "day", None)),
    ("today", ("2023-03-08", "day", None)),
    ("tomorrow", ("2023-03-09", "day", None)),
    ("last night", ("2023-03-07", "day", None)),
    ("two days ago", ("2023-03-06", "day", None)),
    ("a week ago", ("2023-03-01", "day", None)),
    ("three months ago", ("2022-12-01", "month", None)),
    ("last week", ("2023-02-27", "range", "2023-03-05")),
    ("next week", ("2023-03-13", "range", "2023-03-19")),
    ("earlier this month", ("2023-03-01", "month", None)),
    ("last month", ("2023-02-01", "month", None)),
    ("last year", ("2022-01-01", "year", None)),
    ("in February", ("2023-02-01", "month", None)),
    ("in October", ("2022-10-01", "month", None)),       # a later month: last year's
    ("March 3", ("2023-03-03", "day", None)),
    ("on Feb. 24", ("2023-02-24", "day", None)),
    ("Dec. 30", ("2022-12-30", "day", None)),
    ("March 15", ("2023-03-15", "day", None)),           # a week ahead stays in this year
    ("3 March 2022", ("2022-03-03", "day", None)),
    ("the 9th of November 2021", ("2021-11-09", "day", None)),
    ("Sept. 4, 2019", ("2019-09-04", "day", None)),
    ("2021-11-30", ("2021-11-30", "day", None)),
    ("October 2020", ("2020-10-01", "month", None)),
    ("in 2014", ("2014-01-01", "year", None)),
    ("mid-January", ("2023-01-11", "range", "2023-01-20")),
    ("late February", ("2023-02-21", "range", "2023-02-28")),
    ("since January", ("2023-01-01", "month", "2023-03-08")),
    ("since Feb. 2", ("2023-02-02", "day", "2023-03-08")),
    ("since last week", ("2023-02-27", "range", "2023-03-08")),
    ("from Feb. 5 to 8", ("2023-02-05", "range", "2023-02-08")),
    ("Jan. 30-Feb. 2", ("2023-01-30", "range", "2023-02-02")),
    ("between 5 and 9 February", ("2023-02-05", "range", "2023-02-09")),
    ("Tuesday, Feb. 14", ("2023-02-14", "day", None)),
    ("09.03.2018", ("2018-03-09", "day", None)),
    ("24/02/2022", ("2022-02-24", "day", None)),
    ("2/24/2022", ("2022-02-24", "day", None)),
    ("the past two weeks", ("2023-02-22", "range", "2023-03-08")),
    ("the last 24 hours", ("2023-03-07", "range", "2023-03-08")),
    ("the past weekend", ("2023-03-04", "range", "2023-03-05")),
    ("the current year", ("2023-01-01", "year", None)),
    ("over the weekend", ("2023-03-04", "range", "2023-03-05")),
    ("this weekend", ("2023-03-11", "range", "2023-03-12")),
    ("last weekend", ("2023-03-04", "range", "2023-03-05")),
])
def test_resolve_against_published(expr, expected):
    assert resolve(expr, PUB) == expected


@pytest.mark.parametrize("expr, expected", [
    ("Friday", ("2023-03-10", "day", None)),
    ("Wednesday", ("2023-03-08", "day", None)),
    ("in February", ("2024-02-01", "month", None)),
    ("March 1", ("2024-03-01", "day", None)),
])
def test_resolve_future_reads_forward(expr, expected):
    assert resolve(expr, PUB, future=True) == expected


@pytest.mark.parametrize("expr", ["for three weeks", "24 hours", "three days", "weeks", "the militants", "",
                                  "03/04/2022", "the 1990s", "2014-15"])
def test_durations_and_other_words_are_not_dates(expr):
    assert resolve(expr, PUB) == (None, None, None)


def test_without_published_relative_dates_stay_unresolved_but_absolute_ones_resolve():
    assert resolve("on Monday", None) == (None, "day", None)
    assert resolve("last week", None) == (None, "range", None)
    assert resolve("3 March 2022", None) == ("2022-03-03", "day", None)


def test_year_boundary_and_impossible_days():
    assert resolve("Dec. 29", "2023-01-03") == ("2022-12-29", "day", None)
    assert resolve("last month", "2023-01-03") == ("2022-12-01", "month", None)
    assert resolve("Dec. 29 to Jan. 2", "2023-01-05") == ("2022-12-29", "range", "2023-01-02")
    assert resolve("February 30", PUB) == (None, None, None)


# -- annotate(): expressions in text -------------------------------------------------------------

def test_weekdays_in_past_tense_reports_point_back(nlp):
    got = found(nlp, "Rebels shelled the village of Tal Afar on Thursday, a police officer said Monday.")
    assert got["Thursday"] == ("2023-03-02", "day", None)
    assert got["Monday"] == ("2023-03-06", "day", None)


def test_weekdays_with_will_or_ready_to_point_forward(nlp):
    got = found(nlp, "The ministers will meet in Geneva on Friday.")
    assert got["Friday"] == ("2023-03-10", "day", None)
    got = found(nlp, "The army said it was ready to open a corridor for civilians on Saturday morning.")
    assert got["Saturday morning"] == ("2023-03-11", "day", None)
    got = found(nlp, "Talks between the two sides are scheduled for Monday.")
    assert got["Monday"] == ("2023-03-13", "day", None)


@pytest.mark.parametrize("sentence", [
    "The president is to visit the front line on Friday.",
    "The minister is travelling to Odesa on Friday.",
    "Talks are due to resume on Friday.",
    "The convoy is expected to arrive on Friday.",
    "The rebels said they would release the hostages on Friday.",
])
def test_arrangements_point_forward(nlp, sentence):
    assert found(nlp, sentence)["Friday"] == ("2023-03-10", "day", None)


@pytest.mark.parametrize("sentence", [
    "Fighting was raging on Friday.",
    "The rebels released the hostages on Friday.",
    "The president was to visit the front line on Friday but the trip was cancelled.",
])
def test_past_forms_point_back(nlp, sentence):
    assert found(nlp, sentence)["Friday"] == ("2023-03-03", "day", None)


@pytest.mark.parametrize("sentence, forward", [
    # what a call asks for happens after the call
    ("Opposition leaders called for a nationwide strike on Friday.", True),
    ("The union urged its members to walk out on Friday.", True),
    ("The march is scheduled for Friday, organisers said.", True),
    ("Exiled activists plan a vigil outside the embassy on Friday.", True),
    ("Bring water and masks to the square on Friday, the students wrote.", True),
    # counter-cases: the call itself is dated, or the plea is for a state of things, or the act is done
    ("On Friday, opposition leaders called for a nationwide strike.", False),
    ("Church leaders called for restraint on Friday.", False),
    ("Opposition supporters staged a nationwide strike on Friday.", False),
])
def test_calls_plans_and_imperatives_point_forward(nlp, sentence, forward):
    expected = "2023-03-10" if forward else "2023-03-03"
    assert found(nlp, sentence)["Friday"] == (expected, "day", None)


def test_infinitive_after_a_past_verb_stays_in_the_past(nlp):
    got = found(nlp, "Troops tried to storm the airport on Saturday but were pushed back.")
    assert got["Saturday"] == ("2023-03-04", "day", None)


def test_relative_words_and_periods_in_text(nlp):
    got = found(nlp, "Two soldiers were killed yesterday near the border, three days after clashes that began "
                     "last week. The ceasefire agreed earlier this month has collapsed.")
    assert got["yesterday"] == ("2023-03-07", "day", None)
    assert got["last week"] == ("2023-02-27", "range", "2023-03-05")
    assert got["earlier this month"] == ("2023-03-01", "month", None)
    assert "three days" not in got  # a distance between events, not a date


def test_since_and_ranges_in_text(nlp):
    got = found(nlp, "About 4,000 people have fled the district since Feb. 20, and the shelling from March 1 "
                     "to 3 destroyed the bridge.")
    assert got["since Feb. 20"] == ("2023-02-20", "day", "2023-03-08")
    assert got["from March 1 to 3"] == ("2023-03-01", "range", "2023-03-03")


def test_relative_dates_in_a_quote_count_from_the_day_it_was_said(nlp):
    got = found_in_order(nlp, '"They shelled the market yesterday," the mayor said on Monday. '
                              'Residents said the water came back yesterday.')
    assert got == [
        ("yesterday", ("2023-03-05", "day", None)),  # the quote's yesterday: the day before Monday
        ("Monday", ("2023-03-06", "day", None)),
        ("yesterday", ("2023-03-07", "day", None)),  # the article's yesterday
    ]
    got = found(nlp, "\u201cWe lost two soldiers yesterday,\u201d the commander told reporters.")
    assert got["yesterday"] == ("2023-03-07", "day", None)  # no day of speaking: the published date


def test_durations_are_left_out(nlp):
    got = found(nlp, "The town was under siege for three weeks and without power for 24 hours.")
    assert got == {}
    # a span that ends at publication is a range, not a duration
    got = found(nlp, "Over the past 24 hours, shelling killed two people in the town.")
    assert got == {"the past 24 hours": ("2023-03-07", "range", "2023-03-08")}


def test_may_the_modal_and_numbers_are_not_dates(nlp):
    got = found(nlp, "Officials said the talks may resume, and that 2014 families had been moved. "
                     "Fighting in May 2014 displaced thousands.")
    assert list(got) == ["May 2014"]
    assert got["May 2014"] == ("2014-05-01", "month", None)


def test_weekend_on_a_sunday_is_the_current_one():
    assert resolve("over the weekend", "2023-03-12") == ("2023-03-11", "range", "2023-03-12")
    assert resolve("last weekend", "2023-03-12") == ("2023-03-04", "range", "2023-03-05")


def test_a_bare_month_needs_a_preposition(nlp):
    got = found(nlp, "\u201cWe are done,\u201d January said. The March for Peace drew crowds in Tbilisi in April.")
    assert got == {"April": ("2022-04-01", "month", None)}


def test_names_that_look_like_months_are_not_dates(nlp):
    got = found(nlp, "UN envoy Jan Kubis met the delegation of Jan Egeland in March.")
    assert list(got) == ["March"]
    assert got["March"] == ("2023-03-01", "month", None)


def test_named_days_are_not_relative_weekdays(nlp):
    got = found(nlp, "The Good Friday agreement was signed long ago; the march took place on Friday.")
    assert list(got) == ["Friday"]
    got = found(nlp, "Pilgrims gathered ahead of Easter Sunday, hoping for a better tomorrow. They left today.")
    assert list(got) == ["today"]


def test_years_in_compounds_and_decades_are_not_bare_years(nlp):
    got = found(nlp, "The 2009-born commander, a veteran of the 1990s wars, has led the unit since 2019.")
    assert list(got) == ["since 2019"]
    assert got["since 2019"] == ("2019-01-01", "year", "2023-03-08")


def test_article_without_a_date_keeps_mentions_with_null_values(nlp):
    got = found(nlp, "Police said the blast happened on Sunday, on 3 March 2022.", published=None)
    assert got["Sunday"] == (None, "day", None)
    assert got["3 March 2022"] == ("2022-03-03", "day", None)


def test_dates_of_the_shared_seed_match_its_gold(shared_dir, nlp):
    import json

    gold = json.loads((shared_dir / "gold" / "seed.json").read_text(encoding="utf-8"))
    text = (shared_dir / gold["article"]["text_path"]).read_text(encoding="utf-8")
    document = Document.create(text, nlp(text), published=gold["article"]["published"])
    dates.annotate(document)
    for item in gold["dates"]:
        at = text.find(item["mention"])
        assert at >= 0
        hits = [d for d in document.report.dates if d.start < at + len(item["mention"]) and at < d.end]
        assert [d.value for d in hits] == [item["value"]], item["mention"]
