"""Speakers and targets: the right name speaks, headings, places and outlets never do, and
a labelling verb's target is its object (issue 23, item 4)."""

from __future__ import annotations

from typing import Any

import pytest
from annotator_plugins.attribution import Attribution
from annotator_plugins.attribution.document import DocAnalysis
from annotator_plugins.loaded_terms.target import target_entity
from spacy.tokens import Doc

from annotator import Article
from annotator.compare.article import ComparedArticle
from annotator.compare.entity import is_heading_line, source_entity
from annotator.eval.brat import AttributionText, Relation, head_word, speaker_name_score
from annotator.eval.span import Span
from annotator.pipeline import annotation_record


@pytest.fixture(scope="module")
def attribution() -> Attribution:
    return Attribution(learned=False)


def speakers(nlp: Any, text: str, annotator: Attribution) -> dict[str, str | None]:
    """Speaker name by cue text."""
    article = Article(id="t", text=text, source_path="-")
    records = [annotation_record(annotator.name, a, text)
               for a in annotator.annotate(article, nlp(text))]
    return {r["text"]: r["attributes"]["source_name"] for r in records if r["label"] == "cue"}


def test_speaker_is_the_person_not_the_department_in_a_title(trained_nlp, attribution):
    text = "US Defense Secretary Pete Hegseth said the talks would continue next week."
    assert speakers(trained_nlp, text, attribution)["said"] == "Pete Hegseth"


def test_a_heading_line_gives_no_speaker(trained_nlp, attribution):
    text = "Kremlin Welcomes US-Russia Dialogue\n\nThe talks went on for hours on Tuesday."
    assert not any(
        name and "Kremlin" in name for name in speakers(trained_nlp, text, attribution).values()
    )


@pytest.mark.parametrize("text", [
    "Bridgeport said on Monday that the budget was balanced.",
    "The New York Times reported that the mayor had resigned.",
])
def test_places_and_outlets_are_not_speakers(trained_nlp, attribution, text):
    names = speakers(trained_nlp, text, attribution)
    assert names and all(
        name is None or not {"Bridgeport", "Times"} & set(name.split()) for name in names.values()
    )


@pytest.mark.parametrize(("text", "word", "target"), [
    ('Donald Trump labeled Zelensky a "dictator" on Wednesday.', "dictator", "Zelensky"),
    ("Kremlin spokesman Dmitry Peskov lauded Trump for his stance.", "lauded", "Trump"),
    ("Dmitry Peskov lauded the talks.", "lauded", None),
])
def test_the_target_of_a_labelling_verb_is_its_object(trained_nlp, text, word, target):
    doc = trained_nlp(text)
    found = target_entity(next(t for t in doc if t.text == word))
    assert (found.text if found is not None else None) == target


def compared(text: str, mentions: list[tuple[str, str, str]]) -> ComparedArticle:
    """An article whose record holds entity mentions (surface, cluster name, type)."""
    annotations = [
        {"annotator": "sentiment", "label": "entity_mention", "start": text.index(surface),
         "end": text.index(surface) + len(surface), "text": surface,
         "attributes": {"entity": cluster, "entity_type": kind}}
        for surface, cluster, kind in mentions
    ]
    record = {"article": {"id": "a", "text": text, "source": "fox", "sha256": "0"},
              "annotations": annotations, "errors": [],
              "provenance": {"annotators": [{"name": "sentiment"}]}}
    return ComparedArticle.from_record(record)


def test_compare_credits_the_person_over_the_department():
    text = "US Defense Secretary Pete Hegseth said the talks would go on."
    article = compared(text, [("Defense", "Defense", "ORG"), ("Pete Hegseth", "Pete Hegseth",
                                                              "PERSON")])
    assert source_entity(article, (0, text.index(" said"))) == "Pete Hegseth"


def test_a_title_case_line_is_a_heading_and_a_sentence_is_not():
    text = "Kremlin Welcomes US-Russia Dialogue\nThe Kremlin welcomed the talks, Peskov said."
    assert is_heading_line(text, 3)
    assert not is_heading_line(text, text.index("Peskov"))


def test_gold_head_word_is_the_last_word_before_a_modifier():
    assert head_word("US Defense Secretary Pete Hegseth, who spoke") == "hegseth"
    assert head_word("the head of the campaign") == "head"
    assert head_word("he") is None


def test_speaker_name_score_counts_a_name_right_only_with_the_head_word():
    text = "Pete Hegseth said it. The mayor said so."
    relations = (
        Relation(Span.of(13, 17), Span.of(0, 12), None),
        Relation(Span.of(32, 36), Span.of(22, 31), None),
    )
    item = AttributionText("a", text, "a.txt", relations)
    ours = [
        {"annotator": "attribution", "label": "cue", "start": 13, "end": 17,
         "attributes": {"source": {"start": 0, "end": 12, "text": "Pete Hegseth"},
                        "source_name": "Pete Hegseth"}},
        {"annotator": "attribution", "label": "cue", "start": 32, "end": 36,
         "attributes": {"source": None, "source_name": "Hegseth"}},
    ]
    config = {"brat": {"cue": {"annotator": "attribution", "label": "cue"},
                       "source_attribute": "source", "content_attribute": "content",
                       "speaker_name_attribute": "source_name"}}
    row = speaker_name_score([item], {"a": ours}, config)
    assert (row.score.precision, row.score.recall) == (0.5, 0.5)


@pytest.mark.parametrize(("text", "word"), [
    ("Fox News reported that the mayor had resigned.", "Fox"),
    ("TASS reported that the talks had ended.", "TASS"),
    ("The Shelton Weekly reported that the school would close.", "Weekly"),
    ("Kyiv said on Monday that the proposal was unacceptable.", "Kyiv"),
    ("Kyiv has rejected the proposal, which it viewed as a trap.", "Kyiv"),
    ("The deal, which Kyiv viewed as economically burdensome, was shelved.", "Kyiv"),
])
def test_outlets_and_capitals_named_for_their_government_do_not_speak(
        trained_nlp, attribution, text, word):
    names = speakers(trained_nlp, text, attribution)
    assert names and all(name is None or word not in name.split() for name in names.values())


def test_a_description_of_another_nationality_does_not_resolve(trained_nlp, attribution):
    text = ("Russian President Vladimir Putin met the envoys on Monday. "
            "The Ukrainian leader said that more sanctions were needed.")
    names = speakers(trained_nlp, text, attribution)
    assert names and not any(name and "Putin" in name for name in names.values())


def test_a_pronoun_does_not_reach_past_two_sentences(trained_nlp, attribution):
    text = ("Maria Lopez arrived early. The room was cold. The chairs were empty. "
            "The lights were dim. She said the meeting would start late.")
    assert speakers(trained_nlp, text, attribution)["said"] != "Maria Lopez"


@pytest.mark.parametrize(("text", "name"), [
    ("His comments came as Russia’s TASS news agency reported upcoming talks between U.S. "
     "and Russian diplomats.", "TASS"),
    ("Moscow said the talks would go on.", "Moscow"),
])
def test_a_learned_source_that_is_an_outlet_or_a_city_does_not_speak(trained_nlp, text, name):
    names = speakers(trained_nlp, text, Attribution())
    assert names and not any(found and name in found for found in names.values())


def test_one_stray_place_tag_does_not_make_a_person_a_place(blank_nlp):
    words = "Volodymyr Zelenskyy spoke . Zelenskyy left . Trump and Zelenskyy met in Kyiv .".split()
    doc = Doc(blank_nlp.vocab, words=words, ents=[
        "B-PERSON", "I-PERSON", "O", "O", "B-PERSON", "O", "O",
        "O", "O", "B-GPE", "O", "O", "B-GPE", "O",
    ])
    places = DocAnalysis(doc, doc.text, []).places()
    assert "kyiv" in places and "zelenskyy" not in places


def test_a_described_speaker_is_named_without_its_relative_clause(trained_nlp, attribution):
    text = ("The attack originated with a Wall Street Journal article that referenced his "
            "remarks about Medicare.")
    assert speakers(trained_nlp, text, attribution)["referenced"] == "a Wall Street Journal article"


def test_compare_credits_no_mention_the_speaker_name_leaves_out():
    text = "The votes were dismissed by Kyiv and international observers."
    article = compared(text, [("Kyiv", "Kyiv", "PERSON")])
    for mention in article.kept("sentiment", "entity_mention"):
        mention["attributes"]["mention_kind"] = "name"
    source = (text.index("Kyiv"), text.index("."))
    assert source_entity(article, source, "international observers") is None
    assert source_entity(article, source, "Kyiv and international observers") == "Kyiv"


def test_a_city_conjoined_before_a_group_is_left_out_of_the_name(trained_nlp, attribution):
    text = "The referendum was dismissed by Kyiv and international observers as a sham."
    names = speakers(trained_nlp, text, attribution)
    assert names and not any(name and "Kyiv" in name for name in names.values())
