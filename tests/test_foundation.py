"""The package contract: schema file, CLI errors, sentence boundaries around quotes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from eventwire.schema import SCHEMA_VERSION, json_schema
from tests.conftest import ROOT

EVENTWIRE = [sys.executable, "-m", "eventwire.cli"]


def run_cli(*args, input=None):
    return subprocess.run(EVENTWIRE + list(args), input=input, capture_output=True, timeout=120)


def test_checked_in_schema_matches_models():
    checked_in = json.loads((ROOT / "docs" / "report.schema.json").read_text())
    assert checked_in == json_schema(), "regenerate with: eventwire schema > docs/report.schema.json"
    assert checked_in["title"] == SCHEMA_VERSION


@pytest.mark.parametrize(
    "args, data, needle",
    [
        (["extract", "no/such/file.txt"], None, "no/such/file.txt: no such file"),
        (["extract", "-"], b"   \n", "<stdin>: the file is empty"),
        (["extract", "-"], b"caf\xe9 bombed", "<stdin>: not UTF-8 text"),
        (["extract", "-", "--published", "14/06/2022"], b"Troops shelled the town.", "published: '14/06/2022' is not a date"),
        (["extract", "-", "--format", "xml"], b"Troops shelled the town.", "--format: 'xml'"),
    ],
)
def test_bad_input_gives_one_line_and_exit_2(args, data, needle):
    result = run_cli(*args, input=data)
    assert result.returncode == 2
    err = result.stderr.decode()
    assert needle in err
    assert len(err.strip().splitlines()) == 1, err


def test_extract_prints_valid_report(tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    article = tmp_path / "a.txt"
    article.write_text("Rebels attacked a police post in Goma on Friday, officials said.", encoding="utf-8")
    result = run_cli("extract", str(article), "--published", "2023-03-10", "--title", "Goma attack")
    assert result.returncode == 0, result.stderr.decode()
    report = json.loads(result.stdout)
    jsonschema.validate(report, json_schema())
    assert report["schema"] == SCHEMA_VERSION
    assert report["article"]["published"] == "2023-03-10"
    assert report["article"]["title"] == "Goma attack"
    assert len(report["article"]["id"]) == 64
    assert report["sentences"] == [{"start": 0, "end": len(article.read_text())}]


def _sentences(nlp, text):
    return [s.text for s in nlp(text).sents]


def test_sentence_ends_after_closing_quote_before_next_quote(nlp):
    text = ("“The road is open, but it is dangerous,” the mayor said, adding that buses leave “whenever the "
            "shelling stops.” “Our people are not leaving,” she added.")
    sents = _sentences(nlp, text)
    assert sents[-1] == "“Our people are not leaving,” she added."
    assert sents[0].endswith("stops.”")


def test_lowercase_attribution_stays_with_its_quote(nlp):
    text = '"We will hold the bridge." he said. The army later withdrew.'
    sents = _sentences(nlp, text)
    assert sents[0] == '"We will hold the bridge." he said.'
    assert sents[1] == "The army later withdrew."


def test_stray_quote_mark_closes_previous_sentence(nlp):
    text = "The losses are very heavy. It is terrible. “ On Friday, the council met again in the capital."
    sents = _sentences(nlp, text)
    assert sents[-1] == "On Friday, the council met again in the capital."
    assert sents[-2].endswith("terrible. “")


def test_blank_line_ends_a_headline_without_a_stop(nlp):
    text = "Drone strike hits fuel depot near Odesa\n\nODESA (Wire) -- A drone struck a fuel depot overnight."
    sents = [s.strip() for s in _sentences(nlp, text)]
    assert sents[0] == "Drone strike hits fuel depot near Odesa"
    assert sents[-1].endswith("struck a fuel depot overnight.")


def test_hard_wrapped_line_does_not_split_a_sentence(nlp):
    text = "Border guards said the convoy of\ntrucks crossed at dawn. They counted forty vehicles."
    assert _sentences(nlp, text) == [
        "Border guards said the convoy of\ntrucks crossed at dawn.", "They counted forty vehicles."]


def test_quote_after_paragraph_break_opens_a_new_sentence(nlp):
    text = '"The bridge is gone," the engineer said.\n\n"We need pontoons," his deputy added.'
    assert [s.strip() for s in _sentences(nlp, text)] == ['"The bridge is gone," the engineer said.', '"We need pontoons," his deputy added.']


def test_text_format_shows_each_event_with_its_evidence_offsets():
    text = "Rebels attacked a police post in Goma on Friday, killing four officers, the army said."
    result = run_cli("extract", "-", "--published", "2023-03-10", "--format", "text", input=text.encode())
    assert result.returncode == 0, result.stderr.decode()
    out = result.stdout.decode()
    assert "ASSAULT" in out and "@ Goma" in out and "2023-03-10" in out
    assert f"[0-{len(text)}]" in out  # the evidence sentence, by character offsets
    assert "according to" in out  # the army is the source of the claim
