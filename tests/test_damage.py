"""Text damage flags on texts written for these tests: off-topic and truncated sentences."""

from __future__ import annotations

import pytest

from eventwire.pipeline import extract

STORY = [
    "Artillery fire hit the eastern town of Avdiivka overnight, local officials said.",
    "The regional governor said three apartment blocks in Avdiivka were damaged in the shelling.",
    "Ukrainian troops repelled an assault on the town's southern edge, the army said on Tuesday.",
    "Residents of Avdiivka have been sheltering in basements for weeks.",
]
PASTED = "The bakery's sourdough recipe won a regional baking prize after a panel tasted forty loaves."


def flags(report, kind):
    return [f for f in report.flags if f.kind == kind]


@pytest.fixture(scope="module")
def damaged():
    return extract(" ".join(STORY[:2] + [PASTED] + STORY[2:]), published="2023-02-07")


def test_pasted_sentence_is_flagged_off_topic(damaged):
    found = flags(damaged, "off_topic_sentence")
    assert len(found) == 1
    assert found[0].spans[0].text.startswith("The bakery's sourdough")


def test_story_sentences_are_not_flagged(damaged):
    for f in damaged.flags:
        assert not any(s.text.startswith(("Artillery", "The regional", "Ukrainian troops", "Residents"))
                       for s in f.spans), f


def test_sentence_on_topic_without_repeated_names_is_kept():
    # the extra sentence names no place of the story but speaks of its events
    text = " ".join(STORY + ["Rescue workers pulled two injured people from the rubble after the shelling."])
    r = extract(text, published="2023-02-07")
    assert flags(r, "off_topic_sentence") == []


def test_short_articles_are_never_judged_off_topic():
    r = extract(STORY[0] + " " + PASTED, published="2023-02-07")
    assert flags(r, "off_topic_sentence") == []


def test_sentence_starting_mid_clause_is_flagged_truncated():
    text = ("The commander said the bridge had been destroyed. east bank from the old mill, but that the "
            "engineers were already building a pontoon crossing.")
    r = extract(text, published="2023-02-07")
    found = flags(r, "truncated_sentence")
    assert len(found) == 1 and found[0].spans[0].text.startswith("east bank")


def test_verbless_fragment_running_into_but_that_is_truncated():
    text = ("The commander said the bridge had been destroyed. Dnipro River from Kherson, but that the "
            "engineers were already building a pontoon crossing.")
    r = extract(text, published="2023-02-07")
    found = flags(r, "truncated_sentence")
    assert len(found) == 1 and found[0].spans[0].text.startswith("Dnipro River")


def test_sentence_opening_with_but_and_a_full_clause_is_whole():
    text = ("The commander said the bridge had been destroyed. But the engineers were already building a "
            "pontoon crossing, and that work went on through the night.")
    r = extract(text, published="2023-02-07")
    assert flags(r, "truncated_sentence") == []


def test_sentence_with_a_topic_word_is_kept():
    text = " ".join(STORY + ["Ambulances could not get through to the neighbourhood for hours."])
    assert flags(extract(text, published="2023-02-07"), "off_topic_sentence") == []


def test_sentence_referring_back_to_a_noun_of_the_story_is_kept():
    text = " ".join(STORY + ["The blocks were built in the nineteen-sixties and lack proper cellars."])
    assert flags(extract(text, published="2023-02-07"), "off_topic_sentence") == []


def test_users_can_add_topic_words(tmp_path, monkeypatch):
    from eventwire.events.damage import topic_lemmas

    extra = tmp_path / "topic.json"
    extra.write_text('{"topic_lemmas": ["sourdough"]}', encoding="utf-8")
    monkeypatch.setenv("EVENTWIRE_PLOVER_TOPIC", str(extra))
    topic_lemmas.cache_clear()
    try:
        r = extract(" ".join(STORY[:2] + [PASTED] + STORY[2:]), published="2023-02-07")
        assert flags(r, "off_topic_sentence") == []
    finally:
        monkeypatch.delenv("EVENTWIRE_PLOVER_TOPIC")
        topic_lemmas.cache_clear()


def test_a_bad_topic_file_is_named_in_one_line(tmp_path, monkeypatch):
    from eventwire.events.damage import topic_lemmas

    bad = tmp_path / "topic.json"
    bad.write_text('{"topic_lemmas": "war"}', encoding="utf-8")
    monkeypatch.setenv("EVENTWIRE_PLOVER_TOPIC", str(bad))
    topic_lemmas.cache_clear()
    try:
        with pytest.raises(ValueError) as err:
            topic_lemmas()
        assert str(bad) in str(err.value) and "\n" not in str(err.value)
    finally:
        monkeypatch.delenv("EVENTWIRE_PLOVER_TOPIC")
        topic_lemmas.cache_clear()
