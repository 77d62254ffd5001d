"""Tests of the anonymous_sources annotator, with the helpers annotator ships for plugins."""

import pytest
from annotator_anonymous_sources import AnonymousSources

from annotator import ConfigError
from annotator.testing import annotate_text, installed_annotators, run_annotator

TEXT = (
    "A senior official, speaking on condition of anonymity, said talks stalled. "
    "Critics claim the deal is a sham. "
    "Officials, who asked not to be named because they were not authorized to speak "
    "publicly, said the offer stands. "
    "Zelensky said he would resign."
)


@pytest.fixture(scope="module")
def found():
    # The installed attribution annotator runs first; it needs the trained pipeline.
    return {a["text"]: a["attributes"] for a in run_annotator(AnonymousSources, TEXT,
                                                              nlp="installed")}


def test_each_unnamed_speaker_is_marked_with_cue_stance_and_claim(found):
    assert set(found) == {"A senior official, speaking on condition of anonymity", "Critics",
                          "Officials, who asked not to be named because they were not "
                          "authorized to speak publicly"}
    critics = found["Critics"]
    assert (critics["cue"]["text"], critics["stance"]) == ("claim", "distancing")
    assert critics["claim"]["text"] == "the deal is a sham"


def test_an_explanation_of_anonymity_is_found_in_the_speakers_sentence(found):
    official = found["A senior official, speaking on condition of anonymity"]
    assert official["explained"] is True
    assert official["explanation"]["text"] == "on condition of anonymity"
    officials = found["Officials, who asked not to be named because they were not authorized "
                      "to speak publicly"]
    assert officials["explanation"]["category"] == "condition"
    assert found["Critics"] == {**found["Critics"], "explained": False, "explanation": None}


def test_the_summary_counts_explained_sources():
    record = annotate_text(TEXT, [AnonymousSources], nlp="installed")
    assert record["summary"]["anonymous_sources"] == {"count": 3, "explained": 2}


def test_the_explanations_setting_must_be_a_path():
    with pytest.raises(ConfigError, match="setting explanations: 3 is not of type 'string'"):
        AnonymousSources(explanations=3)


def test_the_installed_package_registers_the_annotator():
    # Needs the package installed (pip install -e .): the entry point is what `annotate` loads.
    assert installed_annotators()["anonymous_sources"] is AnonymousSources
