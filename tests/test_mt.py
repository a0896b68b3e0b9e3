"""The machine_translation flag (events/mt.py): signs of machine translation, and clean reports left alone."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from eventwire.document import Document
from eventwire.events import mt
from eventwire.events.mt import MTLexiconError, load_lexicon, machine_translation_flags, machine_translation_signs

ROOT = Path(__file__).resolve().parents[1]

# Clean wire copy, including constructions that resemble the signs: 'according to', 'the so-called',
# 'in turn', 'in hospital', 'attend school', 'had had', 'five years is', an original spelling given
# in brackets, a headline without articles, 'it' for a ministry, 'which' for a unit.
CLEAN_REPORTS = [
    """Drone hits apartment block in Dnipro

Russian drones struck an apartment block in the eastern city of Dnipro overnight, killing two people and
wounding nine, regional governor Serhiy Lysak said on Wednesday. According to the governor, rescuers pulled
a woman from the rubble shortly before dawn. Three of the wounded remain in hospital. The city's schools
were closed for the day, and children who attend school in the district will study online until Friday.""",
    """The Defence Ministry in Moscow said its air defences had shot down 14 drones over the Belgorod region.
It said there were no casualties. The ministry, which gave no evidence for the claim, did not say where the
drones had been launched from. The regional governor had had to cancel a visit to the border district,
his office said. Five years is a long time for the residents of Shebekino, one of them told reporters.""",
    """Fighters of the so-called Islamic State (داعش in Arabic) attacked an army checkpoint near the town of
Mocimboa da Praia, the police said. The army, in turn, sent reinforcements from the provincial capital.
A unit of the national army, which had arrived on Monday, repelled the attack after a two-hour firefight.
The number of soldiers killed was not disclosed. Local officials said they had heard of the attack only
hours later.""",
    """Sudan's army and the Rapid Support Forces traded accusations on Thursday after shelling hit a market
in Omdurman. The army and the police are investigating, a government spokesman said. Aid groups warned of
a growing risk of famine in Darfur, where the United Nations says more than two million people need food
aid. The talks in Jeddah, which were suspended last month, are expected to resume next week.""",
]

MT_RUSSIAN = (
    "On the territory of the Kherson region the enemy carried out shelling of settlements during the day. "
    "According to the information of the regional administration, in the area of the settlement of Beryslav "
    "two peaceful residents was wounded. Enemy shelled village near city and destroyed house. "
    "The so-named people's militia declared about the capture of the position, but at the present moment "
    "this information is not confirmed. The officials take measures on restoring of the water supply."
)
MT_ARABIC = (
    "The foreign minister stressed on the necessity of stopping the aggression against the peaceful population "
    "in the city. The two sides discussed about the latest developments and the ways of supporting the truce. "
    "It is worth mentioning that the aircraft targeted a house in the town of Rafah. The minister, in his turn, "
    "emphasized on the importance of the role of the United Nations in delivering of the aid."
)


@pytest.fixture(scope="module")
def document_of(nlp):
    def make(text: str) -> Document:
        return Document.create(text, nlp(text))

    return make


@pytest.fixture(scope="module")
def flags_of(document_of):
    return lambda text: machine_translation_flags(document_of(text))


@pytest.fixture(scope="module")
def kinds_of(document_of):
    def kinds(text: str) -> list[str]:
        return [s.kind for signs in machine_translation_signs(document_of(text)).values() for s in signs]

    return kinds


def _flagged_texts(flags) -> list[str]:
    return [f.spans[0].text for f in flags if len(f.spans) == 1 and not f.message.startswith("article")]


def _article_flags(flags):
    return [f for f in flags if f.message.startswith("article")]


# -- clean reports get nothing -----------------------------------------------------------------


@pytest.mark.parametrize("text", CLEAN_REPORTS)
def test_clean_wire_reports_get_no_flag(flags_of, text):
    assert flags_of(text) == []


def test_clean_reports_show_no_sign_but_a_bracketed_original_spelling(kinds_of):
    kinds = [k for text in CLEAN_REPORTS for k in kinds_of(text)]
    assert kinds == ["script_run_glossed"]


def test_example_and_corpus_articles_get_no_flag(nlp):
    corpus = ROOT / "examples" / "corpus" / "texts"
    paths = [ROOT / "examples" / "kharkiv-shelling.txt"] + sorted(corpus.glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in paths]
    assert len(texts) > 10
    for path, doc in zip(paths, nlp.pipe(texts)):
        flags = machine_translation_flags(Document.create(doc.text, doc))
        assert flags == [], f"{path.name}: {[f.message for f in flags]}"


def test_seed_article_gets_the_machine_translation_flags_the_gold_lists(shared_dir, seed_text):
    from eventwire.pipeline import extract

    gold = json.loads((shared_dir / "gold" / "seed.json").read_text(encoding="utf-8"))
    expected = [f for f in gold.get("flags", []) if f["kind"] == "machine_translation"]
    report = extract(seed_text, published=gold["article"].get("published"))
    found = [f for f in report.flags if f.kind == "machine_translation"]
    assert len(found) == len(expected)
    assert any(f.kind != "machine_translation" for f in report.flags)  # the other damage flags still run


def test_text_not_in_english_is_left_alone(flags_of):
    assert flags_of("Российские войска обстреляли город Херсон во вторник, сообщил губернатор области.") == []


# -- untranslated fragments ----------------------------------------------------------------------


def test_untranslated_cyrillic_run_flags_its_sentence(flags_of):
    text = ("Ukrainian forces held their positions on Tuesday, the army said. Russian artillery shelled the "
            "district of Корабельный overnight, the regional governor said.")
    flags = flags_of(text)
    assert _flagged_texts(flags) == ["Russian artillery shelled the district of Корабельный overnight, the "
                                     "regional governor said."]
    assert "Cyrillic" in flags[0].message


def test_single_cyrillic_conjunction_and_transliteration_are_signs(flags_of):
    flags = flags_of("The shelling damaged a school и a clinic. Crews worked all night dlya restoring power.")
    assert len(_flagged_texts(flags)) == 2
    assert any("dlya" in f.message for f in flags)


def test_original_spelling_in_brackets_is_only_a_weak_sign(flags_of, kinds_of):
    text = "The Azov regiment (полк «Азов») defended the plant for weeks, its commander said."
    assert kinds_of(text) == ["script_run_glossed"]
    assert flags_of(text) == []
    assert kinds_of("The Azov regiment полк «Азов» defended the plant.") == ["script_run"]


def test_word_mixing_latin_and_cyrillic_letters_is_a_sign(kinds_of):
    assert "mixed_script_word" in kinds_of("Shelling hit the centre of Кharkiv on Monday, officials said.")
    assert "mixed_script_word" not in kinds_of("Shelling hit the centre of Kharkiv on Monday, officials said.")


def test_weak_transliteration_alone_does_not_flag(flags_of, kinds_of):
    text = "Troops moved v the direction of the river, the statement said."
    assert kinds_of(text) == ["transliterated_weak"]
    assert flags_of(text) == []


def test_weak_transliterations_count_once_a_sentence(kinds_of):
    quoted = 'He sang a line in his language, "ako na po ang bahala na sa lahat", to the crowd.'
    assert kinds_of(quoted).count("transliterated_weak") == 1


def test_stray_letters_of_a_decoding_slip_and_handles_are_no_untranslated_text(kinds_of):
    assert kinds_of("The club paid آ£44 million for the striker in June.") == []
    assert kinds_of("The video was posted by ＠ميدان24 on Sunday, the agency said.") == ["script_run_glossed"]


# -- calques -------------------------------------------------------------------------------------


def test_calques_flag_russian_and_arabic_style_sentences(flags_of):
    ru = _flagged_texts(flags_of(MT_RUSSIAN))
    assert any(t.startswith("According to the information of") for t in ru)
    assert any(t.startswith("The so-named") for t in ru)
    assert any(t.startswith("The officials take measures on") for t in ru)
    ar = _flagged_texts(flags_of(MT_ARABIC))
    assert any(t.startswith("The foreign minister stressed on") for t in ar)
    assert any(t.startswith("The minister, in his turn") for t in ar)


def test_a_calque_that_careful_english_also_uses_needs_company(flags_of, kinds_of):
    alone = "Russian troops remain on the territory of Belarus, the Ukrainian border guard said."
    assert kinds_of(alone) == ["calque"]
    assert flags_of(alone) == []
    together = "Russian troops remain on the territory of Belarus at the present moment, the border guard said."
    assert len(_flagged_texts(flags_of(together))) == 1


def test_plain_according_to_and_so_called_are_no_calques(kinds_of):
    assert kinds_of("According to the General Staff, the so-called volunteers withdrew, in turn.") == []
    assert kinds_of("The minister stressed on Monday that the talks would go on.") == []


def test_calques_may_overlap_and_hold_a_word_slot(document_of):
    signs = machine_translation_signs(document_of(
        "The two sides discussed about the talks. Fighting went on on the Pokrovsk direction, the army said."))
    found = {s.text for group in signs.values() for s in group}
    assert {"calque 'discussed about'", "calque 'on the Pokrovsk direction'"} <= found
    shorter = machine_translation_signs(document_of("The so-named referendum was held."))
    assert [s.text for group in shorter.values() for s in group] == ["calque 'The so-named'"]


# -- grammar breaks ------------------------------------------------------------------------------


def test_bare_count_nouns_flag_a_sentence(flags_of):
    flags = flags_of("The army said the shelling stopped. Enemy shelled village near city and destroyed house.")
    assert _flagged_texts(flags) == ["Enemy shelled village near city and destroyed house."]
    assert "no article before 'village'" in flags[0].message


def test_title_run_into_the_text_keeps_its_bare_nouns(kinds_of):
    title = "Soldier killed as shell hits car near Kherson.\n\nA soldier was killed on Monday, the army said."
    assert kinds_of(title) == []
    later = "The army said little. Soldier killed shell near car, officials said."
    assert kinds_of(later).count("bare_count_noun") >= 2


@pytest.mark.parametrize("text", [
    "Militants rammed a VBIED (vehicle borne improvised explosive device) into the gate, the army said.",
    "The army launched a counter-attack on Monday and fighting went on in Aleppo city.",
    "Two of the men were taken prisoner, and the others returned to base.",
])
def test_acronym_expansions_hyphenated_words_and_idioms_are_no_sign(kinds_of, text):
    assert "bare_count_noun" not in kinds_of(text)


def test_bare_nouns_english_allows_are_no_sign(kinds_of):
    assert kinds_of("Two soldiers were taken to hospital, and the children could not attend school.") == []
    assert kinds_of("Missile hits school in Kharkiv\n\nThe building was empty, officials said.") == []


def test_plural_subject_with_singular_verb_is_a_sign(kinds_of):
    assert "number_disagreement" in kinds_of("The soldiers was forced to leave their positions.")
    assert "number_disagreement" in kinds_of("Two residents was wounded in the attack.")


@pytest.mark.parametrize("text", [
    "Five years is a long time for the displaced.",
    "The number of soldiers was not disclosed.",
    "The army and the police are searching the area.",
    "Among the wounded are two children.",
    "Closing schools is one answer to the shortage, the report said.",
    "The data was released on Monday, and the news is not good.",
    "The officers - one was pulled from his car - were treated in hospital.",
])
def test_agreeing_subjects_are_no_sign(kinds_of, text):
    assert "number_disagreement" not in kinds_of(text)


def test_doubled_words_and_article_before_preposition_flag(flags_of, kinds_of):
    text = "The the troops withdrew from the of positions they held, , the report said."
    kinds = kinds_of(text)
    assert {"doubled_word", "article_before_preposition", "dangling_comma"} <= set(kinds)
    assert len(_flagged_texts(flags_of(text))) == 1


def test_legitimate_doubles_and_hyphenated_prepositions_are_no_sign(kinds_of):
    assert kinds_of("The governor had had no word from the by-election officials, he said.") == []
    assert kinds_of("Staff at Jo Jo's Cafe reported a break-in in May, police said.") == []


@pytest.mark.parametrize("kind, with_sign, without", [
    ("capitalised_function_word", "Troops of The brigade withdrew, the commander said.",
     "Read the report here The situation remained difficult."),
    ("lowercase_country", "He said russian troops were massing near the border.",
     "The commander told us that The Guardian had the story."),
    ("which_for_person", "The soldier which was wounded was taken to Pokrovsk.",
     "The unit, which was hit badly, withdrew to Pokrovsk."),
    ("it_for_person", "The governor visited the wounded. It said the evacuation would go on.",
     "The governor spoke. The ministry spoke too. It said more was needed."),
    ("gerund_of", "Crews worked for restoring of the bridge, officials said.",
     "Residents fled after hearing of the attack and after the shelling of the city."),
    ("count_before_verb", "During the day the enemy 38 times shelled the border villages.",
     "The enemy shelled the border villages 38 times, three times more than in May."),
    ("adverb_before_object", "The envoy visited yesterday the city of Aleppo.",
     "The envoy visited Aleppo yesterday. He said today the talks had failed."),
])
def test_a_grammar_sign_and_its_counter_case(kinds_of, kind, with_sign, without):
    assert kind in kinds_of(with_sign)
    assert kinds_of(without) == []


# -- the article ---------------------------------------------------------------------------------


def test_article_of_mt_sentences_gets_one_article_flag(flags_of):
    flags = flags_of(MT_RUSSIAN)
    articles = _article_flags(flags)
    assert len(articles) == 1
    assert len(articles[0].spans) >= 3
    assert all(f.kind == "machine_translation" for f in flags)


def test_one_mt_sentence_in_a_clean_article_gets_no_article_flag(flags_of):
    text = CLEAN_REPORTS[3] + (" The minister stressed on the need for talks, according to the information of "
                               "the ministry.")
    flags = flags_of(text)
    assert len(_flagged_texts(flags)) == 1
    assert _article_flags(flags) == []


def test_articles_missing_at_a_high_rate_flag_the_article(flags_of):
    text = ("Shelling continued overnight in the south of the region. Enemy struck the village of Bilozerka. "
            "The regional police said two people were hurt. Rescuers put out the fire at the depot by the morning. "
            "Later, soldier was wounded near the bridge. The governor urged residents to stay in shelters. "
            "Power returned to most homes by noon. Officials said that strike destroyed the warehouse. "
            "The water supply was not affected, the utility said. Schools will reopen on Monday.")
    flags = flags_of(text)
    assert _flagged_texts(flags) == []  # one bare noun per sentence flags no sentence
    articles = _article_flags(flags)
    assert len(articles) == 1 and re.search(r"\b3 of \d+ count nouns lack an article", articles[0].message)


def test_spans_point_into_the_text(flags_of):
    for flag in flags_of(MT_ARABIC):
        for span in flag.spans:
            assert MT_ARABIC[span.start:span.end] == span.text


# -- the lexicon is data -------------------------------------------------------------------------


def test_users_extend_the_calques_through_the_environment(tmp_path, monkeypatch, flags_of):
    text = "Shelling continued in the zone of the special operation, the ministry said."
    assert flags_of(text) == []
    extra = tmp_path / "mine.json"
    extra.write_text(json.dumps({"calques": [{"phrase": "in the zone of the special operation", "weight": 1.0}]}))
    monkeypatch.setenv(mt.ENV_VAR, str(extra))
    assert len(_flagged_texts(flags_of(text))) == 1


def test_bad_lexicon_file_is_one_line_naming_the_file(tmp_path):
    bad = tmp_path / "broken.json"
    bad.write_text("{not json")
    with pytest.raises(MTLexiconError) as err:
        load_lexicon(bad)
    assert str(bad) in str(err.value) and "\n" not in str(err.value)
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps({"weights": {"calque": "heavy"}}))
    with pytest.raises(MTLexiconError, match="weights.calque"):
        load_lexicon(wrong)
