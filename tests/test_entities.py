"""The entity stage: mentions, titles, sides, one entity per referent, spelling variants."""

from __future__ import annotations

import json

import pytest

from eventwire import entities, geo
from eventwire.document import Document
from eventwire.entities.lexicon import LexiconError, load_lexicon
from eventwire.entities.names import compatible_given, same_word
from eventwire.geo.fold import fold

TITLES = (
    "Russian troops shelled the outskirts of Kharkiv overnight, and local authorities said 12 civilians were wounded. "
    "Kharkiv Governor Oleh Synyehubov said a school was hit. Synyehubov asked residents to stay in shelters. "
    "Separatist forces reported fighting near Avdiivka. "
    "Yaroslav Yanushevych, the head of the Kherson regional military administration, told reporters the city was calm. "
    "Leonid Pasechnik, the leader of the self-declared Luhansk People's Republic, said reservists had been called up."
)
COUNTRY_AND_RANKS = (
    "Ukraine asked its allies for more artillery on Tuesday. The country's defence minister, Oleksii Reznikov, "
    "said the shells were needed within weeks. A senior Russian officer said the offensive would continue. "
    "Colonel Pavel Sorokin, the officer in charge of the assault on Bakhmut, said his units were advancing. "
    "Later, Lieutenant General Igor Konashenkov told reporters that a depot had been destroyed."
)
NO_UNNAMED = (
    "Heavy fighting went on near Bakhmut. "
    "Colonel Pavel Sorokin, the officer in charge of the assault on the town, said his units were advancing."
)
VARIANTS = (
    "Russian Defence Minister Sergei Shoigu visited troops near Kherson on Friday. Shoygu praised the units. "
    "Anton Petrenko and Mykola Petrenko, two volunteers from Odesa, helped residents leave the village. "
    "Petrenko said the roads were mined."
)
ACTORS = (
    "Russia accused Ukraine of shelling the power plant, the Kremlin said on Sunday. "
    "There was no comment from Moscow on the new strikes in Ukraine. "
    "The Ukrainian military said Russian forces had a fivefold advantage in artillery. NATO urged restraint."
)


@pytest.fixture(scope="module")
def run(nlp):
    cache: dict[str, Document] = {}

    def _run(text: str) -> Document:
        if text not in cache:
            document = Document.create(text, nlp(text), published="2023-03-07")
            geo.annotate(document)
            entities.annotate(document)
            cache[text] = document
        return cache[text]

    return _run


def by_mention(document: Document, spelling: str):
    found = [e for e in document.report.entities if any(m.text == spelling for m in e.mentions)]
    assert len(found) == 1, f"{spelling!r} is in {len(found)} entities"
    return found[0]


def find(document: Document, phrase: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = document.text.index(phrase, start + 1)
    return start, start + len(phrase)


# -- group phrases ---------------------------------------------------------------------------

def test_groups_take_country_from_demonym_and_sector_from_head(run):
    d = run(TITLES)
    troops = by_mention(d, "Russian troops")
    assert (troops.kind, troops.country, troops.sector) == ("group", "RUS", "MIL")
    authorities = by_mention(d, "local authorities")
    assert authorities.sector == "GOV"
    civilians = next(e for e in d.report.entities if any("civilians" in m.text for m in e.mentions))
    assert civilians.sector == "CVL" and civilians.name == "civilians"


def test_rebel_modifier_beats_military_head_and_rebels_take_the_country_they_fight_in(run):
    d = run(TITLES)
    separatists = by_mention(d, "Separatist forces")
    assert (separatists.country, separatists.sector) == ("UKR", "REB")
    d = run("Rebel fighters said they had taken the hill. Later, drones hit a depot in Belgorod. "
            "Pro-Russian separatists shelled a village near Horlivka.")
    assert by_mention(d, "Rebel fighters").country is None  # no place near them, the story spans two countries
    one_country = run("Rebel fighters said they had taken the hill. Pro-Russian separatists shelled Horlivka.")
    assert by_mention(one_country, "Rebel fighters").country == "UKR"
    assert (by_mention(d, "Pro-Russian separatists").country, by_mention(d, "Pro-Russian separatists").sector) == (
        "UKR", "REB")


def test_same_side_groups_are_one_entity_and_bare_definite_joins_them(run):
    text = ("The Ukrainian army pushed east on Monday. Russian troops withdrew from two villages, and Russian forces "
            "blew up a bridge. The army said it had taken prisoners.")
    d = run(text)
    russian = by_mention(d, "Russian troops")
    assert {m.text for m in russian.mentions} == {"Russian troops", "Russian forces"}
    army = by_mention(d, "The Ukrainian army")
    assert "The army" in {m.text for m in army.mentions} and army.country == "UKR"


def test_local_government_takes_the_country_of_the_place_named_near_it(run):
    text = ("As the shelling went on, local authorities said the power was cut. "
            "Drones hit a fuel depot near Belgorod overnight, regional governor Vyacheslav Gladkov said. "
            "Shells fell on the outskirts of Kharkiv, and local authorities closed two schools.")
    d = run(text)
    governor = by_mention(d, "Vyacheslav Gladkov")
    assert (governor.country, governor.sector) == ("RUS", "GOV")
    first, second = find(d, "local authorities"), find(d, "local authorities", nth=1)
    assert entities.entity_for_span(d, *first).country is None  # no place in or just before its sentence
    assert entities.entity_for_span(d, *second).country == "UKR"


def test_bare_definite_group_belongs_to_the_speakers_country(run):
    text = ("Defence Minister Rustem Umerov of Ukraine said the army had stopped an advance. "
            "Fighting went on overnight, and the army said it had repelled four attacks.")
    d = run(text)
    assert by_mention(d, "Rustem Umerov").country == "UKR"
    spoken = entities.entity_for_span(d, *find(d, "the army"))
    alone = entities.entity_for_span(d, *find(d, "the army", nth=1))
    assert spoken.country == "UKR" and spoken.sector == "MIL"
    assert alone.country is None and alone is not spoken


def test_capital_addressed_by_an_accusation_is_its_government(run):
    text = "The Kremlin accused Kyiv of delaying the talks. Missiles struck Kyiv overnight."
    d = run(text)
    accused = entities.entity_for_span(d, *find(d, "Kyiv"))
    assert (accused.kind, accused.country, accused.sector) == ("organization", "UKR", "GOV")
    assert entities.entity_for_span(d, *find(d, "Kyiv", nth=1)) is None


def test_weak_head_needs_a_word_saying_whose(run):
    text = ("A fire broke out in a nitrogen storage unit at the plant. "
            "The brigade said its units had pulled back, and rebel units took the hill.")
    d = run(text)
    assert entities.entity_for_span(d, *find(d, "nitrogen storage unit")) is None
    assert entities.entity_for_span(d, *find(d, "its units")).sector == "MIL"
    assert entities.entity_for_span(d, *find(d, "rebel units")).sector == "REB"


def test_the_bare_noun_refers_to_the_organisation_named_before(run):
    d = run("The Russian Defence Ministry said 40 drones were downed. The ministry gave no details. "
            "In Kyiv, the government met.")
    ministry = by_mention(d, "The ministry")
    assert ministry.kind == "organization" and "The Russian Defence Ministry" in {m.text for m in ministry.mentions}
    government = by_mention(d, "the government")
    assert government is not ministry and government.kind == "group"


def test_organisation_takes_a_possessive_country_before_it(run):
    text = "Russia's Defence Ministry did not comment. The Defence Ministry of Ukraine said two drones were downed."
    d = run(text)
    ministry = entities.entity_for_span(d, *find(d, "Defence Ministry"))
    assert (ministry.kind, ministry.country, ministry.sector) == ("organization", "RUS", "MIL")
    assert all(e.kind != "place" for e in d.report.entities if e.country == "RUS")


# -- titles ------------------------------------------------------------------------------------

def test_title_before_name_with_region(run):
    d = run(TITLES)
    governor = by_mention(d, "Oleh Synyehubov")
    assert "Governor" in governor.title and "Kharkiv" in governor.title
    assert (governor.country, governor.sector) == ("UKR", "GOV")
    assert "Synyehubov" in {m.text for m in governor.mentions}


def test_apposition_after_name_gives_title_country_and_sector(run):
    d = run(TITLES)
    head = by_mention(d, "Yaroslav Yanushevych")
    assert head.title.startswith("head of") and "military administration" in head.title
    assert (head.country, head.sector) == ("UKR", "GOV")


def test_separatist_leader_is_rebel_of_the_region_country(run):
    d = run(TITLES)
    leader = by_mention(d, "Leonid Pasechnik")
    assert "leader" in leader.title
    assert (leader.country, leader.sector) == ("UKR", "REB")


def test_the_countrys_title_takes_last_country_named(run):
    d = run(COUNTRY_AND_RANKS)
    minister = by_mention(d, "Oleksii Reznikov")
    assert "defence minister" in minister.title
    assert (minister.country, minister.sector) == ("UKR", "GOV")
    d = run("Ukraine's top military commander, Valerii Zaluzhnyi, said the front was holding.")
    commander = by_mention(d, "Valerii Zaluzhnyi")
    assert commander.title == "Ukraine's top military commander"
    assert (commander.country, commander.sector) == ("UKR", "MIL")
    assert not any(e.kind == "place" for e in d.report.entities)  # the country is part of the title


def test_rank_gives_military_and_event_object_gives_no_country(run):
    d = run(COUNTRY_AND_RANKS)
    general = by_mention(d, "Igor Konashenkov")
    assert "Lieutenant General" in general.title and general.sector == "MIL"
    assert general.country is None


def test_unnamed_speaker_then_named_speaker_are_one_person(run):
    d = run(COUNTRY_AND_RANKS)
    officer = by_mention(d, "Pavel Sorokin")
    assert "Colonel" in officer.title and (officer.country, officer.sector) == ("RUS", "MIL")
    assert by_mention(d, "A senior Russian officer") is officer
    assert officer.name == "Pavel Sorokin" and officer.variants == []


def test_unnamed_person_gives_country_but_stays_apart_when_not_both_speaking(run):
    text = ("A senior Russian officer said the offensive would continue. Troops under Colonel Pavel Sorokin, "
            "the officer in charge of the assault on Bakhmut, crossed the river.")
    d = run(text)
    officer = by_mention(d, "Pavel Sorokin")
    unnamed = by_mention(d, "A senior Russian officer")
    assert unnamed is not officer and (officer.country, officer.sector) == ("RUS", "MIL")
    assert d.notes["entities"]["same_as"] == {unnamed.id: officer.id}
    alone = run(NO_UNNAMED)
    officer = by_mention(alone, "Pavel Sorokin")
    assert officer.sector == "MIL" and officer.country is None


def test_title_inside_a_capitalised_run_and_the_role_noun_later(run):
    text = ("Rockets hit a school on the edge of the city overnight, Luhansk Governor Serhiy Haidai said. "
            "The governor said nobody was hurt. Workers at the Azot plant said the Azot managers had left.")
    d = run(text)
    governor = by_mention(d, "Serhiy Haidai")
    assert "Governor" in governor.title and (governor.country, governor.sector) == ("UKR", "GOV")
    assert "The governor" in {m.text for m in governor.mentions} and governor.variants == []
    assert not any(e.kind == "person" and e.name == "Azot" for e in d.report.entities)


def test_unnamed_role_holder_then_named_person(run):
    text = ("Shelling cut power across Zaporizhzhia on Monday, the head of the city's military administration said. "
            "Ivan Fedorov told local television that repairs would take two days.")
    d = run(text)
    unnamed = entities.entity_for_span(d, *find(d, "the head of the city's military administration"))
    named = by_mention(d, "Ivan Fedorov")
    assert unnamed is named and named.kind == "person" and named.name == "Ivan Fedorov"
    assert (named.country, named.sector) == ("UKR", "GOV") and "military administration" in named.title


def test_role_phrase_before_the_name_and_place_after_an_organisation(run):
    d = run("A spokesman for the Israeli military, Daniel Hagari, said tunnels were found. "
            "The Health Ministry in Gaza said 40 people were killed.")
    hagari = by_mention(d, "Daniel Hagari")
    assert hagari.title == "spokesman for the Israeli military" and (hagari.country, hagari.sector) == ("ISR", "MIL")
    ministry = by_mention(d, "The Health Ministry")
    assert (ministry.kind, ministry.country, ministry.sector) == ("organization", "PSE", "GOV")


def test_title_modifiers_and_title_start(run):
    text = ("Thousands of supporters of former Prime Minister Nawaz Sharif marched on Friday. "
            "Pakistan's human rights minister, Shireen Mazari, said the march was peaceful.")
    d = run(text)
    sharif = by_mention(d, "Nawaz Sharif")
    assert sharif.title == "former Prime Minister" and sharif.sector == "GOV"
    mazari = by_mention(d, "Shireen Mazari")
    assert "human rights minister" in mazari.title and mazari.country == "PAK"


def test_definite_role_noun_joins_the_unnamed_person_before_it(run):
    text = ("A Qatari official said the talks would resume on Monday. The official said both delegations "
            "had agreed. The police said three people were arrested. A police officer said the road was shut.")
    d = run(text)
    official = by_mention(d, "A Qatari official")
    assert {m.text for m in official.mentions} == {"A Qatari official", "The official"}
    assert (official.kind, official.country, official.sector) == ("person", "QAT", "GOV")


def test_institution_names_in_any_case_without_trailing_punctuation(run):
    text = "Fighters from al-Shabaab attacked a base. Officials blamed Al-Shabaab and the Kremlin.\n\nNATO met."
    d = run(text)
    group = by_mention(d, "al-Shabaab")
    assert {m.text for m in group.mentions} == {"al-Shabaab", "Al-Shabaab"}
    assert (group.country, group.sector) == ("SOM", "REB")
    assert by_mention(d, "Kremlin").country == "RUS"


def test_names_with_particles_and_hyphens(run):
    d = run("Syrian President Bashar al-Assad met Jean-Yves Le Drian and Staffan de Mistura in Geneva. "
            "Assad said the talks went well.")
    assad = by_mention(d, "Bashar al-Assad")
    assert (assad.country, assad.sector) == ("SYR", "GOV") and "Assad" in {m.text for m in assad.mentions}
    assert by_mention(d, "Jean-Yves Le Drian").kind == "person"
    assert by_mention(d, "Staffan de Mistura").kind == "person"


def test_surname_subject_of_a_speech_verb_is_a_person_but_bodies_are_not(run):
    text = ("Talks on the grain corridor stalled again on Friday, Peskov said. "
            "The Norwegian Refugee Council said the camps were full, and Witnesses said the roads were shut.")
    d = run(text)
    peskov = by_mention(d, "Peskov")
    assert peskov.kind == "person"
    assert not any(e.kind == "person" and ("Council" in e.name or "Witnesses" in e.name) for e in d.report.entities)


# -- one entity per referent ---------------------------------------------------------------------

def test_spelling_variant_merges_and_is_flagged(run):
    d = run(VARIANTS)
    minister = by_mention(d, "Sergei Shoigu")
    assert minister.name == "Sergei Shoigu" and minister.variants == ["Shoygu"]
    assert (minister.country, minister.sector) == ("RUS", "GOV")
    flags = [f for f in d.report.flags if f.kind == "name_variant"]
    assert len(flags) == 1
    assert {s.text for s in flags[0].spans} == {"Shoigu", "Shoygu"}
    for s in flags[0].spans:
        assert d.text[s.start:s.end] == s.text


def test_people_with_one_surname_and_different_given_names_stay_apart(run):
    d = run(VARIANTS)
    anton, mykola = by_mention(d, "Anton Petrenko"), by_mention(d, "Mykola Petrenko")
    assert anton is not mykola
    # a bare surname goes to the nearest person named before it
    assert "Petrenko" in {m.text for m in mykola.mentions}
    assert "Petrenko" not in {m.text for m in anton.mentions}
    assert not any("Petrenko" in f.message for f in d.report.flags)


def test_name_comparison():
    assert same_word("Shoigu", "Shoygu") and same_word("Zelenskyy", "Zelensky") and same_word("Peskov", "Peshkov")
    assert same_word("Kadyrov", "Kadirov")
    assert not same_word("Petrenko", "Pavlenko") and not same_word("Ivanov", "Smirnov")
    assert compatible_given("D.", "Dmytro") and compatible_given(None, "Anton") and compatible_given("Dennis", "Denis")
    assert not compatible_given("Anton", "Mykola")


# -- organisations, capitals, countries acting --------------------------------------------------

def test_institutions_capital_metonyms_and_named_organisations(run):
    d = run(ACTORS)
    kremlin = by_mention(d, "Kremlin")
    assert (kremlin.kind, kremlin.country, kremlin.sector) == ("organization", "RUS", "GOV")
    moscow_place = next(p for p in d.report.places if p.name == "Moscow")
    assert moscow_place.metonym  # geo's reading, which this stage builds on
    moscow = by_mention(d, "Moscow")
    assert (moscow.kind, moscow.country, moscow.sector) == ("organization", "RUS", "GOV")
    nato = by_mention(d, "NATO")
    assert nato.kind == "organization" and nato.sector == "IGO"
    military = by_mention(d, "The Ukrainian military")
    assert (military.country, military.sector) == ("UKR", "MIL")


def test_countries_acting_are_entities_but_locations_are_not(run):
    d = run(ACTORS)
    russia = by_mention(d, "Russia")
    assert (russia.kind, russia.country) == ("place", "RUS")
    ukraine = by_mention(d, "Ukraine")
    assert ukraine.country == "UKR"
    located = find(d, "Ukraine", nth=1)
    assert all((m.start, m.end) != located for m in ukraine.mentions)


def test_entity_for_span(run):
    d = run(ACTORS)
    start, end = find(d, "The Ukrainian military")
    word = d.text.index("military", start)
    assert entities.entity_for_span(d, word, word + len("military")).country == "UKR"
    assert entities.entity_for_span(d, start, end).sector == "MIL"
    quiet = find(d, "restraint")
    assert entities.entity_for_span(d, *quiet) is None


def test_mentions_do_not_overlap_and_notes_list_them(run):
    for text in (TITLES, COUNTRY_AND_RANKS, VARIANTS, ACTORS):
        d = run(text)
        spans = sorted((m.start, m.end) for e in d.report.entities for m in e.mentions)
        assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))
        assert [(s, e) for s, e, _ in d.notes["entities"]["mentions"]] == spans
        assert [e.id for e in d.report.entities] == [f"e{i}" for i in range(1, len(d.report.entities) + 1)]


# -- side_of ------------------------------------------------------------------------------------

@pytest.mark.parametrize("phrase, side", [
    ("Russian troops", ("RUS", "MIL")),
    ("the Ukrainian army", ("UKR", "MIL")),
    ("Ukraine's armed forces", ("UKR", "MIL")),
    ("pro-Russian separatists", (None, "REB")),
    ("Russian-backed rebel fighters", (None, "REB")),
    ("the Kremlin spokesman", ("RUS", "GOV")),
    ("South Korean officials", ("KOR", "GOV")),
    ("the Syrian Ministry of Defence", ("SYR", "MIL")),
    ("displaced residents", (None, "CVL")),
    ("us", (None, None)),
    ("", (None, None)),
])
def test_side_of_phrases(phrase, side):
    assert entities.side_of(phrase) == side


def test_side_of_uses_the_documents_entities_and_places(run):
    d = run(TITLES)
    assert entities.side_of("Kharkiv authorities", d) == ("UKR", "GOV")
    assert entities.side_of("Synyehubov", d) == ("UKR", "GOV")


# -- data files -----------------------------------------------------------------------------------

def test_bad_lexicon_file_is_one_line_naming_the_file(tmp_path):
    (tmp_path / "entities_lexicon.json").write_text("{ not json", encoding="utf-8")
    with pytest.raises(LexiconError) as err:
        load_lexicon(tmp_path)
    message = str(err.value)
    assert "entities_lexicon.json" in message and "\n" not in message


def test_lexicon_missing_field_or_wrong_type_is_named(tmp_path):
    from eventwire.entities.lexicon import DATA

    raw = json.loads((DATA / "entities_lexicon.json").read_text(encoding="utf-8"))
    del raw["weak_heads"]
    (tmp_path / "entities_lexicon.json").write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(LexiconError, match=r"entities_lexicon.json: missing field 'weak_heads'"):
        load_lexicon(tmp_path)
    raw["weak_heads"] = "units"
    (tmp_path / "entities_lexicon.json").write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(LexiconError, match=r"'weak_heads' must be a list of strings"):
        load_lexicon(tmp_path)


def test_bad_countries_line_names_file_and_line(tmp_path):
    from eventwire.entities.lexicon import DATA

    for name in ("entities_lexicon.json", "entities_given_names.tsv"):
        (tmp_path / name).write_text((DATA / name).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "entities_countries.tsv").write_text("RUS\tRussia\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"entities_countries.tsv: line 1"):
        load_lexicon(tmp_path)


# -- the seed article against its gold ----------------------------------------------------------------

def test_seed_gold_entities(shared_dir, seed_text, nlp):
    gold = json.loads((shared_dir / "gold" / "seed.json").read_text(encoding="utf-8"))
    d = Document.create(seed_text, nlp(seed_text), published=gold["article"].get("published"))
    geo.annotate(d)
    entities.annotate(d)
    for g in gold["entities"]:
        holders = [e for e in d.report.entities if any(m.text.lower().endswith(g["mentions"][0].lower())
                                                        for m in e.mentions)]
        assert len(holders) == 1, g["name"]
        e = holders[0]
        spellings = {m.text.lower() for m in e.mentions}
        for mention in g["mentions"]:
            assert any(s == mention.lower() or s == "the " + mention.lower() or mention.lower() in s
                       for s in spellings), (g["name"], mention)
        assert e.kind == g["kind"], g["name"]
        assert e.country in (g["country"], g.get("alt_country")), g["name"]
        assert e.sector in (g["sector"], g.get("alt_sector")), g["name"]
        if g.get("title_contains"):
            assert g["title_contains"].lower() in (e.title or "").lower(), g["name"]
    for flag in gold["flags"]:
        if flag["kind"] != "name_variant":
            continue
        ours = [f for f in d.report.flags if f.kind == "name_variant"]
        assert any({fold(x) for x in flag["mentions"]} <= {fold(s.text) for s in f.spans} for f in ours)


# -- varied wire reports ---------------------------------------------------------------------------

def _extracted(text: str):
    from eventwire.pipeline import extract
    return extract(text, published="2024-05-02")


def _entity(report, mention_text: str):
    return next(e for e in report.entities if any(m.text == mention_text for m in e.mentions))


def test_known_name_inside_a_longer_name_is_another_body():
    r = _extracted("The Arakan National Liberation Army said on Monday that its fighters had taken two outposts.")
    army = next(e for e in r.entities if "Liberation Army" in e.name)
    assert army.name.startswith("Arakan")
    assert army.country != "COL"
    plain = _extracted("Colombia's National Liberation Army freed two hostages on Monday.")
    assert any(e.country == "COL" and e.sector == "REB" for e in plain.entities)


def test_capital_heading_a_dateline_is_no_government():
    r = _extracted("TEHRAN, May 2 (Wire) - Police detained dozens of students in the capital on Wednesday.")
    assert not [e for e in r.entities if e.kind == "organization" and e.name.lower() == "tehran"]
    acting = _extracted("Tehran said on Wednesday that it would answer any attack.")
    assert any(e.name == "Tehran" and e.sector == "GOV" for e in r.entities + acting.entities)


def test_jihadist_and_resistance_fighters_are_rebels_while_army_fighters_are_not():
    r = _extracted("Islamist fighters ambushed a patrol near the border, and resistance fighters burned a bridge.")
    assert _entity(r, "Islamist fighters").sector == "REB"
    assert _entity(r, "resistance fighters").sector == "REB"
    army = _extracted("Ukrainian fighters held the bridge on Tuesday.")
    assert _entity(army, "Ukrainian fighters").sector == "MIL"


def test_a_junta_is_a_government():
    r = _extracted("Niger's ruling junta ordered the ambassador to leave within 48 hours.")
    junta = _entity(r, "Niger's ruling junta")
    assert (junta.country, junta.sector) == ("NER", "GOV")



def test_departments_and_commands_are_organisations_not_people():
    r = _extracted("The Defense Logistics Command said the depot had been hit. Justice Department lawyers filed a motion.")
    kinds = {e.name: e.kind for e in r.entities}
    assert kinds.get("Defense Logistics Command") == "organization", kinds
    command = _extracted("U.S. Africa Command said on Monday that its aircraft had struck a training camp.")
    body = next(e for e in command.entities if e.name.endswith("Command"))
    assert (body.kind, body.country) == ("organization", "USA")
    person = _extracted("Commander Ahmed Salim said the depot had been hit.")
    assert any(e.kind == "person" and "Salim" in e.name for e in person.entities)


def test_bare_the_army_after_a_rebel_army_is_the_states():
    r = _extracted("The rebel Kachin Independence Army said it had shot down a helicopter. "
                   "Myanmar's junta said the army had repelled the attack.")
    army = _entity(r, "the army")
    assert army.sector == "MIL"
    kia = next(e for e in r.entities if "Independence Army" in e.name)
    assert all(m.text != "the army" for m in kia.mentions)
    state = _extracted("The Sudanese Army said on Monday it had retaken the bridge. The army said 40 fighters were killed.")
    assert _entity(state, "The army").name == "Sudanese Army"


def test_rank_word_opening_a_bodys_name_is_no_rank_nor_a_person():
    r = _extracted('"We have no water," said Amina Yusuf, a spokeswoman for the General Union of Darfur Farmers.')
    amina = _entity(r, "Amina Yusuf")
    assert amina.sector != "MIL"
    assert not [e for e in r.entities if e.kind == "person" and e.name in ("Union", "General Union")]
    general = _extracted("Lieutenant General Yasser al-Atta said the offensive had begun.")
    assert _entity(general, "Yasser al-Atta").sector == "MIL"


def test_a_word_of_a_title_is_no_organisation_of_its_own():
    r = _extracted("Army chief Yasir Musa Ali promised on Monday to open the roads to Kadugli.")
    assert not [e for e in r.entities if e.kind == "organization" and e.name == "Army"]
    assert _entity(r, "Yasir Musa Ali").sector == "MIL"
    body = _extracted("The Army said on Monday that the roads to Kadugli were open.")
    assert [e for e in body.entities if e.sector == "MIL"]


def test_lone_unknown_word_after_a_preposition_of_place_is_no_person():
    r = _extracted("Gunmen overran the gold mine at Intahaka before dawn, officials said.")
    assert not [e for e in r.entities if e.kind == "person" and e.name == "Intahaka"]
    person = _extracted("The envoy met Lavrov on Monday, and Lavrov said the talks were useful.")
    assert any(e.kind == "person" and e.name == "Lavrov" for e in person.entities)


def test_dotted_us_is_the_united_states_and_a_lone_letter_is_not():
    r = _extracted("U.S. troops left the base on Monday.")
    assert _entity(r, "U.S. troops").country == "USA"
    other = _extracted("Unit S troops left the base on Monday.")
    assert all(e.country != "USA" for e in other.entities)


def test_officials_of_an_armed_force_are_military_and_ministry_officials_government():
    r = _extracted("Senior army officials met tribal elders in Kassala on Monday to discuss the roadblocks.")
    assert _entity(r, "Senior army officials").sector == "MIL"
    police = _extracted("Police officials said the checkpoint had been removed overnight.")
    assert _entity(police, "Police officials").sector == "COP"
    civil = _extracted("Interior ministry officials said the checkpoint had been removed overnight.")
    assert _entity(civil, "Interior ministry officials").sector == "GOV"
    local = _extracted("Local officials said the checkpoint had been removed overnight.")
    assert _entity(local, "Local officials").sector == "GOV"


def test_a_run_opening_with_a_given_name_is_a_person_even_when_tagged_organisation():
    r = _extracted("Soldiers detained Aung San Suu Kyi and several ministers of the ousted elected government "
                   "early on Monday.")
    assert _entity(r, "Aung San Suu Kyi").kind == "person"
    pair = _extracted("Troops loyal to the junta detained Win Myint and Aung San Suu Kyi on Monday.")
    assert _entity(pair, "Win Myint").kind == "person"  # joined by 'and' to a person's name
    movement = _extracted("The Sudan Liberation Movement and Minni Minawi signed the deal on Monday.")
    assert next(e for e in movement.entities if "Liberation Movement" in e.name).kind == "organization"
    body = _extracted("The Aung Myay Thar Zan Township Council said the market had reopened.")
    assert _entity(body, "Aung Myay Thar Zan Township Council").kind == "organization"


def test_the_with_a_singular_role_word_is_one_person_and_plural_a_group():
    r = _extracted("The Mayor said on Friday that the water plant had been shelled twice.")
    assert _entity(r, "The Mayor").kind == "person"
    lower = _extracted("Power was cut across the city, the mayor told reporters.")
    assert _entity(lower, "the mayor").kind == "person"
    owned = _extracted("Shelling cut power in Kupiansk overnight, and Kupiansk's mayor asked for generators.")
    assert _entity(owned, "Kupiansk's mayor").kind == "person"
    group = _extracted("The Mayors of three frontline towns asked for generators.")
    assert _entity(group, "The Mayors").kind == "group"
