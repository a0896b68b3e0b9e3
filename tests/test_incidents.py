"""Incidents across articles, on hand-built event rows (no database, no model)."""

from __future__ import annotations

import random

import pytest

from eventwire.store.incidents import IncidentConfig, cluster, haversine_km, incident_id

# Coordinates of real places used below.
KRAMATORSK = (48.7305, 37.5563, 704508)
SLOVIANSK = (48.8667, 37.6167, 700646)      # ~16 km north of Kramatorsk
DNIPRO = (48.4500, 34.9833, 709930)         # ~190 km west of Kramatorsk
KHARKIV = (49.9808, 36.2527, 706483)        # ~170 km north of Kramatorsk


def row(n, *, article="a1", outlet="Wire One", type="ASSAULT", mode="aerial", date="2024-03-10",
        place=KRAMATORSK, name="Kramatorsk", feature="city", actor="RUS", recipient="UKR",
        quantities=(), status="happened", published=None, source=None, precision="day"):
    lat, lon, gid = place if place else (None, None, None)
    return {
        "id": f"{article}-ev{n}", "article_id": article, "event_id": f"ev{n}", "type": type, "mode": mode,
        "status": status, "date": date, "date_precision": precision if date else None,
        "actor": "Russian forces", "actor_country": actor, "actor_sector": "MIL",
        "recipient": "civilians", "recipient_country": recipient, "recipient_sector": "CVL",
        "place": name if place or name else None, "geonameid": gid, "lat": lat, "lon": lon,
        "feature": feature, "country": "UA", "admin1": "Donetsk", "source": source, "outlet": outlet,
        "title": None, "url": None, "published": published or date, "evidence_start": 0,
        "evidence_end": 10, "evidence": f"evidence {article} {n}",
        "quantities": [{"kind": k, "value": v, "text": str(v), "approximate": False} for k, v in quantities],
        "confidence": 0.8, "incident_id": None,
    }


def by_event(incidents):
    return {eid: inc for inc in incidents for eid in inc["event_ids"]}


def test_haversine_known_distance():
    # Kyiv to Lviv is about 470 km
    assert 460 < haversine_km(50.4501, 30.5234, 49.8397, 24.0297) < 480
    assert haversine_km(*KRAMATORSK[:2], *KRAMATORSK[:2]) == 0


def test_same_incident_from_three_outlets_merges():
    rows = [row(1, article="a1", outlet="Wire One"),
            row(1, article="a2", outlet="Daily Two", date="2024-03-11"),
            row(2, article="a3", outlet="Radio Three", place=SLOVIANSK, name="Sloviansk")]
    incidents = cluster(rows)
    assert len(incidents) == 1
    inc = incidents[0]
    assert inc["corroboration"] == 3 and inc["articles"] == 3
    assert inc["outlets"] == ["Daily Two", "Radio Three", "Wire One"]
    assert inc["date_first"] == "2024-03-10" and inc["date_last"] == "2024-03-11"
    assert sorted(inc["event_ids"]) == inc["event_ids"] == sorted(r["id"] for r in rows)
    assert {r["outlet"] for r in inc["reports"]} == {"Wire One", "Daily Two", "Radio Three"}


def test_same_place_ten_days_apart_stays_apart():
    rows = [row(1, article="a1"), row(1, article="a2", outlet="Daily Two", date="2024-03-20")]
    assert len(cluster(rows)) == 2
    assert len(cluster(rows, IncidentConfig(max_days=10))) == 1


def test_same_day_far_apart_stays_apart():
    rows = [row(1, article="a1"), row(1, article="a2", outlet="Daily Two", place=DNIPRO, name="Dnipro")]
    dist = haversine_km(*KRAMATORSK[:2], *DNIPRO[:2])
    assert 150 < dist < 250
    assert len(cluster(rows)) == 2
    assert len(cluster(rows, IncidentConfig(max_km=dist + 1))) == 1


def test_one_outlet_repeating_itself_counts_once():
    rows = [row(1, article="a1", outlet="Wire One"), row(1, article="a2", outlet="wire one"),
            row(1, article="a3", outlet="Daily Two")]
    inc, = cluster(rows)
    assert inc["articles"] == 3
    assert inc["corroboration"] == 2


def test_articles_without_outlet_count_each():
    rows = [row(1, article="a1", outlet=None), row(1, article="a2", outlet=None)]
    inc, = cluster(rows)
    assert inc["corroboration"] == 2 and inc["outlets"] == []


def test_disagreement_lists_values_by_outlet():
    rows = [row(1, article="a1", outlet="Wire One", quantities=[("civilians", 500)], source="the governor"),
            row(1, article="a2", outlet="Daily Two", quantities=[("civilians", 568.0)]),
            row(1, article="a3", outlet="Wire One", quantities=[("civilians", 500)]),
            row(1, article="a4", outlet="Radio Three", quantities=[("civilians", 500), ("killed", 2)])]
    inc, = cluster(rows)
    assert len(inc["disagreements"]) == 1
    dis = inc["disagreements"][0]
    assert dis["kind"] == "civilians"
    pairs = [(v["value"], v["outlet"]) for v in dis["values"]]
    assert pairs == [(500, "Radio Three"), (500, "Wire One"), (568, "Daily Two")]
    assert isinstance(dis["values"][2]["value"], int)
    assert dis["values"][1]["source"] == "the governor"


def test_same_figures_or_one_outlet_are_no_disagreement():
    same = [row(1, article="a1", quantities=[("killed", 12)]),
            row(1, article="a2", outlet="Daily Two", quantities=[("killed", 12)])]
    assert cluster(same)[0]["disagreements"] == []
    lone = [row(1, article="a1", quantities=[("killed", 12), ("killed", 15)]),
            row(1, article="a2", outlet="Daily Two")]
    assert cluster(lone)[0]["disagreements"] == []


def test_kind_aliases_fold_before_comparing():
    rows = [row(1, article="a1", quantities=[("killed", 12)]),
            row(1, article="a2", outlet="Daily Two", quantities=[("dead", 15)])]
    inc, = cluster(rows)
    assert [d["kind"] for d in inc["disagreements"]] == ["killed"]
    inc, = cluster(rows, IncidentConfig(kind_aliases={}))
    assert inc["disagreements"] == []


def test_incompatible_types_stay_apart_and_listed_pairs_merge():
    rows = [row(1, article="a1", type="ASSAULT"), row(1, article="a2", outlet="Daily Two", type="PROTEST", mode="demo")]
    assert len(cluster(rows)) == 2
    swap = [row(1, article="a1", type="COOPERATE", mode=None),
            row(1, article="a2", outlet="Daily Two", type="RETREAT", mode="release")]
    assert len(cluster(swap)) == 1
    withdraw = [row(1, article="a1", type="COOPERATE", mode=None),
                row(1, article="a2", outlet="Daily Two", type="RETREAT", mode="withdraw")]
    assert len(cluster(withdraw)) == 2


def test_modes_ignored_unless_asked():
    rows = [row(1, article="a1", mode="aerial"), row(1, article="a2", outlet="Daily Two", mode="heavy-weapons")]
    assert len(cluster(rows)) == 1
    assert len(cluster(rows, IncidentConfig(ignore_mode=False))) == 2


def test_conflicting_actor_countries_stay_apart():
    rows = [row(1, article="a1", actor="RUS"), row(1, article="a2", outlet="Daily Two", actor="UKR", recipient="RUS")]
    assert len(cluster(rows)) == 2
    unknown = [row(1, article="a1", actor="RUS"), row(1, article="a2", outlet="Daily Two", actor=None)]
    assert len(cluster(unknown)) == 1


def test_symmetric_types_allow_swapped_sides():
    rows = [row(1, article="a1", type="COOPERATE", mode=None, actor="RUS", recipient="UKR"),
            row(1, article="a2", outlet="Daily Two", type="COOPERATE", mode=None, actor="UKR", recipient="RUS")]
    assert len(cluster(rows)) == 1
    assault = [row(1, article="a1", actor="RUS", recipient="UKR"),
               row(1, article="a2", outlet="Daily Two", actor="UKR", recipient="RUS")]
    assert len(cluster(assault)) == 2


def test_facility_inside_city_matches_city():
    plant = row(1, article="a1", name="Azot chemical plant", feature="facility",
                place=(KRAMATORSK[0], KRAMATORSK[1], None))
    city = row(1, article="a2", outlet="Daily Two")
    inc, = cluster([city, plant])
    assert inc["place"] == "Azot chemical plant" and inc["feature"] == "facility"
    assert inc["lat"] == KRAMATORSK[0]


def test_same_geonameid_matches_even_without_coordinates():
    a = row(1, article="a1", place=(None, None, 704508))
    b = row(1, article="a2", outlet="Daily Two", place=(None, None, 704508))
    c = row(1, article="a3", outlet="Radio Three", place=(None, None, 709930), name="Dnipro")
    incidents = cluster([a, b, c])
    assert len(incidents) == 2
    assert by_event(incidents)["a1-ev1"] is by_event(incidents)["a2-ev1"]


def test_place_names_match_only_without_coordinates():
    a = row(1, article="a1", place=None, name="Azot plant", feature="facility")
    b = row(1, article="a2", outlet="Daily Two", place=None, name="AZOT  Plant", feature="facility")
    c = row(1, article="a3", outlet="Radio Three", place=None, name="Avdiivka coke plant", feature="facility")
    incidents = cluster([a, b, c])
    assert len(incidents) == 2


def test_unlocated_events_merge_only_when_asked():
    rows = [row(1, article="a1", place=None, name=None), row(1, article="a2", outlet="Daily Two", place=None, name=None)]
    assert len(cluster(rows)) == 2
    assert len(cluster(rows, IncidentConfig(merge_unlocated=True))) == 1


def test_coarse_places_match_only_when_asked():
    country = row(1, article="a1", name="Ukraine", feature="country", place=(49.0, 32.0, 690791))
    city = row(1, article="a2", outlet="Daily Two")
    assert len(cluster([country, city])) == 2
    assert len(cluster([country, city], IncidentConfig(coarse_places=True))) == 1
    twice = [country, dict(country, id="a2-ev1", article_id="a2", outlet="Daily Two")]
    assert len(cluster(twice)) == 2      # "in Ukraine" twice is no evidence of one incident
    assert len(cluster(twice, IncidentConfig(coarse_places=True))) == 1
    other = dict(country, id="a1-ev9", country="MD")
    assert len(cluster([other, city], IncidentConfig(coarse_places=True))) == 2


def test_planned_and_reported_events_stay_apart():
    rows = [row(1, article="a1", status="planned"), row(1, article="a2", outlet="Daily Two")]
    assert len(cluster(rows)) == 2
    rows[0]["status"] = "claimed"
    assert len(cluster(rows)) == 1


def test_undated_event_uses_publication_date():
    rows = [row(1, article="a1", date=None, published="2024-03-11"), row(1, article="a2", outlet="Daily Two")]
    assert len(cluster(rows)) == 1
    assert len(cluster(rows, IncidentConfig(use_published=False))) == 2
    month = [row(1, article="a1", date="2024-03-01", precision="month", published="2024-03-11"),
             row(1, article="a2", outlet="Daily Two")]
    assert len(cluster(month)) == 1


def test_complete_linkage_does_not_chain():
    # day 10, 12, 14: the first and last are 4 days apart, so they cannot share an incident
    rows = [row(1, article="a1", date="2024-03-10"), row(1, article="a2", outlet="Daily Two", date="2024-03-12"),
            row(1, article="a3", outlet="Radio Three", date="2024-03-14")]
    incidents = cluster(rows)
    assert len(incidents) == 2
    groups = sorted(len(i["event_ids"]) for i in incidents)
    assert groups == [1, 2]


def test_ids_are_deterministic_and_order_independent():
    rows = [row(i, article=f"a{i}", outlet=f"Outlet {i % 3}", date=f"2024-03-{10 + i % 5:02d}",
                place=[KRAMATORSK, DNIPRO, KHARKIV][i % 3]) for i in range(12)]
    first = cluster(rows)
    shuffled = rows[:]
    random.Random(7).shuffle(shuffled)
    second = cluster(shuffled)
    assert [i["id"] for i in first] == [i["id"] for i in second]
    assert first == second
    for inc in first:
        assert inc["id"] == incident_id(inc["event_ids"])
    assert incident_id(["b", "a"]) == incident_id(["a", "b"]) != incident_id(["a"])


def test_every_event_in_exactly_one_incident():
    rows = [row(i, article=f"a{i // 2}", outlet=f"Outlet {i % 4}", date=f"2024-03-{1 + i:02d}") for i in range(20)]
    incidents = cluster(rows)
    ids = [e for inc in incidents for e in inc["event_ids"]]
    assert sorted(ids) == sorted(r["id"] for r in rows)


@pytest.mark.parametrize("bad", [{"date": "not a date"}, {"lat": None}, {"type": None}])
def test_odd_rows_do_not_crash(bad):
    r = row(1)
    r.update(bad)
    inc, = cluster([r])
    assert inc["event_ids"] == ["a1-ev1"]


def test_config_from_dict_and_errors():
    from eventwire.store.incidents import IncidentConfigError

    config = IncidentConfig.from_dict({"max_km": 50, "max_days": 1.0, "compatible": [["protest", "coerce:restrict"]]})
    assert config.max_km == 50 and config.max_days == 1 and config.compatible == (("PROTEST", "COERCE:restrict"),)
    rows = [row(1, article="a1", type="PROTEST", mode="demo"),
            row(1, article="a2", outlet="Daily Two", type="COERCE", mode="restrict")]
    assert len(cluster(rows, config)) == 1
    assert len(cluster(rows)) == 2
    for bad, field in (({"max_km": -1}, "max_km"), ({"max_days": "3"}, "max_days"), ({"max_days": 1.5}, "max_days"),
                       ({"radius": 3}, "radius"), ({"coarse_places": "yes"}, "coarse_places"),
                       ({"compatible": [["ASSAULT"]]}, "compatible"), ({"compatible": 3}, "compatible"), ({"kind_aliases": ["x"]}, "kind_aliases")):
        with pytest.raises(IncidentConfigError, match=f"incidents: {field}:"):
            IncidentConfig.from_dict(bad)


def test_demonstrators_and_protesters_are_one_kind():
    rows = [row(1, article="a1", type="PROTEST", mode="demo", quantities=[("protesters", 20000)]),
            row(1, article="a2", outlet="Daily Two", type="PROTEST", mode="demo", quantities=[("demonstrators", 50000)])]
    inc, = cluster(rows)
    assert [(d["kind"], [v["value"] for v in d["values"]]) for d in inc["disagreements"]] == [("protesters", [20000, 50000])]
