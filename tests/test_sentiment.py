"""The sentiment annotator: stock scores, explanations, sections and voice, the topic mask,
entity clustering and target sentiment, on the blank and the trained pipelines."""

from __future__ import annotations

import json
import math
import os
import statistics
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from annotator_plugins.sentiment.annotator import (
    SUPPLEMENT_FILE,
    TOPIC_MASK_FILE,
    Sentiment,
    distribution,
    load_supplement,
    load_topic_mask,
)
from annotator_plugins.sentiment.sentences import section_lines
from annotator_plugins.sentiment.target import TargetContext, calibrate
from annotator_plugins.sentiment.vader import NEUTRAL_BAND, vader_score
from jsonschema import Draft202012Validator
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from annotator import Article, ConfigError, sub_span
from annotator.pipeline import annotation_record
from annotator.schema import load_schema, registry

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
NYT = ROOT.parent / "shared" / "gold" / "vader-nyt" / "nytEditorialSnippets_GroundTruth.txt"
STOCK = SentimentIntensityAnalyzer()

ARTICLE = """\
Zelensky Offers to Resign for NATO

Ukrainian President Volodymyr Zelenskyy said on Sunday that he would step down if it brought \
peace. The offer drew a swift reply from Washington.

“I am ready to leave my post, and I am very proud of my people,” Zelensky said.
Analysts were not impressed, but Zelensky’s allies praised the offer.
The Ukrainian leader spoke in Kyiv. Volodymyr O. Zelenskyy did not take questions.
"""


@pytest.fixture(scope="module")
def sentiment() -> Sentiment:
    return Sentiment()


@pytest.fixture(scope="module")
def masked() -> Sentiment:
    return Sentiment(topic_mask=True)


def run(annotator: Sentiment, nlp, text: str) -> list[dict]:
    """Annotation dicts as the host writes them (offsets checked there)."""
    article = Article(id="t", text=text, source_path="t.txt")
    return [
        annotation_record(annotator.name, a, text) for a in annotator.annotate(article, nlp(text))
    ]


def sentences(annotations: list[dict]) -> list[dict]:
    return [a for a in annotations if a["label"] == "sentence"]


def by_text(annotations: list[dict]) -> dict[str, dict]:
    return {a["text"]: a for a in sentences(annotations)}


def spans_in(value):
    if isinstance(value, dict):
        if {"start", "end", "text"} <= value.keys():
            yield value
        for inner in value.values():
            yield from spans_in(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from spans_in(inner)


def assert_valid(annotations: list[dict], text: str) -> None:
    validator = Draft202012Validator(load_schema("attributes/sentiment.json"), registry=registry())
    for annotation in annotations:
        assert list(validator.iter_errors(annotation["attributes"])) == []
        for span in spans_in(annotation["attributes"]):
            assert text[span["start"] : span["end"]] == span["text"]


# --- stock VADER, explained ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!",
        "The plot was good, but the characters are uncompelling and the dialog is not great.",
        "Catch utf-8 emoji such as 💘 and 💋 and 😁",
        "Today only kinda sux! But I'll get by, lol",
        "At least it isn't a horrible book.",
        "“Not bad at all,” he said — without a doubt, an excellent idea?!",
    ],
)
def test_vader_score_reproduces_polarity_scores_with_word_offsets(text):
    result = vader_score(STOCK, text)
    assert result.scores == STOCK.polarity_scores(text)
    for word, (start, end) in zip(result.words, result.spans, strict=True):
        if not any(ch in STOCK.emojis for ch in text[start:end]):
            assert text[start:end] == word


@pytest.mark.parametrize("pipeline", ["blank_nlp", "trained_nlp"])
def test_sentence_annotations_carry_stock_scores_and_fit_the_schema(pipeline, sentiment, request):
    nlp = request.getfixturevalue(pipeline)
    annotations = run(sentiment, nlp, ARTICLE)
    assert_valid(annotations, ARTICLE)
    found = sentences(annotations)
    assert len(found) >= 7
    for annotation in found:
        stock = STOCK.polarity_scores(annotation["text"])
        attributes = annotation["attributes"]
        assert annotation["score"] == stock["compound"] == attributes["compound"]
        assert (attributes["pos"], attributes["neu"], attributes["neg"]) == (
            stock["pos"],
            stock["neu"],
            stock["neg"],
        )
        assert annotation["text"] == annotation["text"].strip()
        assert "\n" not in annotation["text"]


def test_explanation_lists_the_words_that_moved_the_score(sentiment, blank_nlp):
    text = (
        "The food was not good. The staff were very friendly! It was fine, but the wait was awful."
    )
    found = by_text(run(sentiment, blank_nlp, text))
    negated = found["The food was not good."]["attributes"]
    assert [(e["text"], e["lexicon_valence"]) for e in negated["explanation"]] == [("good", 1.9)]
    assert negated["explanation"][0]["valence"] == round(1.9 * -0.74, 4)
    assert {"rule": "negation", "cue": sub_span(text, 13, 16), "word": sub_span(text, 17, 21)} in (
        negated["rules"]
    )
    boosted = found["The staff were very friendly!"]["attributes"]
    rules = {r["rule"]: r for r in boosted["rules"]}
    assert rules["booster"]["cue"]["text"] == "very"
    assert rules["booster"]["word"]["text"] == "friendly"
    assert rules["exclamation"]["count"] == 1
    contrast = found["It was fine, but the wait was awful."]["attributes"]
    assert {"rule": "but", "cue": sub_span(text, 66, 69)} in contrast["rules"]
    fine, awful = contrast["explanation"]
    assert fine["valence"] == round(fine["lexicon_valence"] * 0.5, 4)
    assert awful["valence"] == round(awful["lexicon_valence"] * 1.5, 4)


def test_caps_emphasis_is_reported(sentiment, blank_nlp):
    text = "The plan is GREAT for everyone."
    (annotation,) = sentences(run(sentiment, blank_nlp, text))
    assert {
        "rule": "caps_emphasis",
        "cue": sub_span(text, 12, 17),
        "word": sub_span(text, 12, 17),
    } in (annotation["attributes"]["rules"])


@pytest.mark.parametrize("hash_seed", ["1", "5"])
def test_rules_sharing_a_cue_come_in_word_order_whatever_the_hash_seed(hash_seed):
    """String hashing changes per process: the order must not come from a set."""
    program = (
        "import json; from annotator_plugins.sentiment import Sentiment; "
        "from annotator.testing import run_annotator; "
        "[a] = run_annotator(Sentiment, 'It was a more significant legal step.'); "
        "print(json.dumps([r['word']['text'] for r in a['attributes']['rules']]))"
    )
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    result = subprocess.run([sys.executable, "-c", program], env=env, capture_output=True,
                            text=True, check=True)
    assert json.loads(result.stdout) == ["significant", "legal"]


def test_a_sentence_without_lexicon_words_has_no_explanation(sentiment, blank_nlp):
    (annotation,) = sentences(run(sentiment, blank_nlp, "The meeting is on Tuesday."))
    assert annotation["score"] == 0.0
    assert annotation["attributes"]["explanation"] == []
    assert annotation["attributes"]["rules"] == []


# --- sections and voice ------------------------------------------------------------------


def test_headline_lede_and_body_follow_the_documented_rule(sentiment, blank_nlp):
    found = by_text(run(sentiment, blank_nlp, ARTICLE))
    assert found["Zelensky Offers to Resign for NATO"]["attributes"]["section"] == "headline"
    assert found["The offer drew a swift reply from Washington."]["attributes"]["section"] == "lede"
    assert found["The Ukrainian leader spoke in Kyiv."]["attributes"]["section"] == "body"


def test_short_kicker_lines_are_skipped_when_finding_the_lede():
    text = "Headline Here\n\nSpread the love\nReading Time: 2 minutes\n\n" + (
        "The first real paragraph has more than twelve words and ends with a full stop.\n"
    )
    headline, lede = section_lines(text)
    assert text[slice(*headline)] == "Headline Here"
    assert text[slice(*lede)].startswith("The first real paragraph")


def test_a_first_line_ending_in_a_period_is_not_a_headline():
    text = "This article has no headline at all and starts with its lede sentence right away.\n"
    headline, lede = section_lines(text)
    assert headline is None
    assert lede == (0, len(text) - 1)


def test_voice_separates_quoted_sentences_from_the_journalists(sentiment, blank_nlp):
    found = by_text(run(sentiment, blank_nlp, ARTICLE))
    quoted = "“I am ready to leave my post, and I am very proud of my people,” Zelensky said."
    assert found[quoted]["attributes"]["voice"] == "quoted"
    assert found["The offer drew a swift reply from Washington."]["attributes"]["voice"] == (
        "journalist"
    )


# --- summary ------------------------------------------------------------------------------


def test_distribution_has_quartiles_and_shares():
    summary = distribution([-0.5, 0.0, 0.5, 1.0])
    assert summary["count"] == 4
    assert summary["mean"] == 0.25
    assert summary["median"] == 0.25
    assert (summary["q1"], summary["q3"]) == (-0.125, 0.625)
    assert (summary["min"], summary["max"]) == (-0.5, 1.0)
    assert summary["share"] == {"negative": 0.25, "neutral": 0.25, "positive": 0.5}
    empty = distribution([])
    assert empty["count"] == 0 and empty["mean"] is None and empty["share"]["neutral"] is None


def test_summary_splits_sections_voices_and_entities_and_never_scores_the_whole_text(
    sentiment, trained_nlp
):
    annotations = run(sentiment, trained_nlp, ARTICLE)
    summary = sentiment.summarize(annotations)
    scores = [a["score"] for a in sentences(annotations)]
    assert summary["count"] == len(scores)
    assert summary["mean"] == round(statistics.fmean(scores), 4)
    assert summary["median"] == round(statistics.median(scores), 4)
    assert "compound" not in summary
    assert summary["sections"]["headline"]["count"] == 1
    assert summary["sections"]["lede"]["count"] == 2
    assert summary["voice"]["quoted"]["count"] == 1
    assert summary["voice"]["journalist"]["count"] == len(scores) - 1
    assert summary["topic_mask"] is False
    zelensky = summary["entities"]["Volodymyr Zelenskyy"]
    assert zelensky["n"] == len(zelensky["mentions"]) == len(zelensky["evidence"])
    assert zelensky["mean"] == round(statistics.fmean(m["score"] for m in zelensky["mentions"]), 4)


# --- topic mask --------------------------------------------------------------------------


def test_topic_mask_neutralises_topic_words_and_keeps_stock_scores(sentiment, masked, blank_nlp):
    text = "The war killed hundreds and peace talks failed."
    (stock,) = sentences(run(sentiment, blank_nlp, text))
    (with_mask,) = sentences(run(masked, blank_nlp, text))
    assert "masked" not in stock["attributes"]
    assert stock["score"] == STOCK.polarity_scores(text)["compound"]
    assert with_mask["attributes"]["compound"] == stock["score"]
    assert [m["text"] for m in with_mask["attributes"]["masked"]] == ["war", "killed", "peace"]
    assert with_mask["score"] == with_mask["attributes"]["masked_compound"]
    assert with_mask["score"] == STOCK.polarity_scores("The talks failed.")["compound"]
    assert masked.summarize([with_mask])["topic_mask"] is True
    assert sentiment.summarize([stock])["topic_mask"] is False


def test_topic_mask_does_not_touch_the_shared_analyser(masked):
    assert "war" in masked.analyzer.lexicon
    assert "war" not in masked.masked_analyzer.lexicon


def test_mask_entries_are_documented_vader_words():
    data = yaml.safe_load(TOPIC_MASK_FILE.read_text(encoding="utf-8"))
    assert data["kind"] == "word-list"
    words = [str(e["word"]) for e in data["entries"]]
    assert len(words) == len(set(words))
    for entry in data["entries"]:
        assert entry["rationale"] and entry["source"] and entry["category"]
        assert (entry["word"] in STOCK.lexicon) is entry.get("in_vader", True)
    assert {"war", "invasion", "resign", "peace", "attack"} <= set(words)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("kind: term-lexicon\nentries: []\n", "not a word-list file"),
        ("kind: word-list\nentries:\n  - {word: war, category: x}\n", "lacks rationale, source"),
        ("kind: [unclosed\n", "not valid YAML"),
    ],
)
def test_broken_mask_file_is_a_config_error(tmp_path, content, problem):
    path = tmp_path / "mask.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=problem.replace("[", r"\[")):
        load_topic_mask(path)


def test_broken_supplement_file_is_a_config_error(tmp_path):
    path = tmp_path / "supplement.yaml"
    path.write_text(
        "kind: valence-list\ngroups:\n  - {category: negative, words: [bad]}\n", "utf-8"
    )
    with pytest.raises(ConfigError, match="group 1 lacks valence, rationale, source"):
        load_supplement(path)


# --- entities -----------------------------------------------------------------------------


def clusters(annotations: list[dict]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for a in annotations:
        if a["label"] == "entity_mention":
            found.setdefault(a["attributes"]["entity"], []).append(a["text"])
    return found


def test_mentions_cluster_spellings_possessives_initials_and_descriptions(sentiment, trained_nlp):
    annotations = run(sentiment, trained_nlp, ARTICLE)
    assert_valid(annotations, ARTICLE)
    zelensky = clusters(annotations)["Volodymyr Zelenskyy"]
    assert {
        "Zelensky",
        "Volodymyr Zelenskyy",
        "Volodymyr O. Zelenskyy",
        "The Ukrainian leader",
    } <= (set(zelensky))
    assert "Zelensky’s" not in zelensky  # the possessive is trimmed from the span
    kinds = {
        a["text"]: a["attributes"]["mention_kind"]
        for a in annotations
        if a["label"] == "entity_mention"
    }
    assert kinds["The Ukrainian leader"] == "description"
    assert kinds["Volodymyr O. Zelenskyy"] == "name"


def test_blank_pipeline_clusters_capitalised_names(sentiment, blank_nlp):
    annotations = run(sentiment, blank_nlp, ARTICLE)
    assert_valid(annotations, ARTICLE)
    found = clusters(annotations)
    assert {"Volodymyr Zelenskyy", "Zelensky", "The Ukrainian leader"} <= set(
        found["Volodymyr Zelenskyy"]
    )
    assert "The" not in found and "Analysts" not in found


def test_a_description_without_a_titled_antecedent_joins_no_cluster(sentiment, trained_nlp):
    text = "Donald Trump met Emmanuel Macron in Paris. The French president smiled."
    found = clusters(run(sentiment, trained_nlp, text))
    assert all("The French president" not in texts for texts in found.values())


def test_entity_mention_scores_are_target_scores(sentiment, trained_nlp):
    doc = trained_nlp(ARTICLE)
    article = Article(id="t", text=ARTICLE, source_path="t.txt")
    mentions = [a for a in sentiment.annotate(article, doc) if a.label == "entity_mention"]
    assert mentions
    for mention in mentions:
        assert mention.score == sentiment.target_score(doc, mention.start, mention.end)


def test_seed_summaries_score_zelensky_trump_and_putin_with_evidence(seed_records):
    assert len(seed_records) == 5
    for record in seed_records.values():
        text = record["article"]["text"]
        entities = record["summary"]["sentiment"]["entities"]
        expected = ["Zelensk", "Trump"] + (["Putin"] if "Putin" in text else [])
        for surname in expected:
            (name,) = [
                n for n in entities if surname in n and entities[n]["entity_type"] == "PERSON"
            ]
            entity = entities[name]
            assert entity["n"] >= 1 and -1 <= entity["mean"] <= 1
            for mention, evidence in zip(entity["mentions"], entity["evidence"], strict=True):
                assert text[mention["start"] : mention["end"]] == mention["text"]
                assert text[evidence["start"] : evidence["end"]] == evidence["text"]
                assert evidence["start"] <= mention["start"] < evidence["end"] or (
                    mention["text"].lower().startswith("the ")
                )


# --- target sentiment --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "target", "sign"),
    [
        ("Critics praised Smith for his brilliant and honest leadership.", "Smith", 1),
        ("Smith was accused of fraud and corruption by prosecutors.", "Smith", -1),
        ("Smith arrived in Paris on Monday for the meeting.", "Smith", 0),
        ("Jones won a great victory, but Smith suffered a humiliating defeat.", "Smith", -1),
        ("Jones won a great victory, but Smith suffered a humiliating defeat.", "Jones", 1),
        ("Smith is not corrupt.", "Smith", 1),
    ],
)
def test_target_score_direction(sentiment, trained_nlp, text, target, sign):
    start = text.index(target)
    score = sentiment.target_score(trained_nlp(text), start, start + len(target))
    assert -1 <= score <= 1
    if sign:
        assert math.copysign(1, score) == sign and abs(score) >= NEUTRAL_BAND
    else:
        assert abs(score) < NEUTRAL_BAND


def test_target_score_scopes_to_the_clause(sentiment, trained_nlp):
    text = "Smith praised the brilliant plan, while Jones, who lied, was disgraced."
    doc = trained_nlp(text)
    smith = sentiment.target_score(doc, 0, 5)
    jones = sentiment.target_score(doc, text.index("Jones"), text.index("Jones") + 5)
    assert smith > NEUTRAL_BAND > -NEUTRAL_BAND > jones


def test_target_score_falls_back_to_the_sentence_without_a_parse(sentiment, blank_nlp):
    text = "Smith won a great victory. Jones lost badly."
    doc = blank_nlp(text)
    assert sentiment.target_score(doc, 0, 5) >= NEUTRAL_BAND
    assert sentiment.target_score(doc, 27, 32) <= -NEUTRAL_BAND


def test_target_words_themselves_do_not_score(sentiment, trained_nlp):
    text = "Reality Winner spoke to reporters on Tuesday."
    assert STOCK.polarity_scores(text)["compound"] > NEUTRAL_BAND  # "Winner" is in VADER
    assert sentiment.target_score(trained_nlp(text), 0, 14) == 0.0


def test_calibration_maps_the_neutral_band_and_keeps_order():
    raws = [i / 50 - 1 for i in range(101)]
    calibrated = [calibrate(r) for r in raws]
    assert calibrated == sorted(calibrated)
    assert calibrated[0] == -1.0 and calibrated[-1] == 1.0 and calibrate(0.0) == 0.0
    assert all(
        abs(c) < NEUTRAL_BAND for r, c in zip(raws, calibrated, strict=True) if -0.14 < r < 0.07
    )


# --- regression against stock VADER -------------------------------------------------------


@pytest.mark.skipif(not NYT.exists(), reason="../shared/gold/vader-nyt is absent")
def test_stock_scores_on_nyt_snippets_are_unchanged_and_correlate_with_raters():
    rows = [line.rstrip("\n").split("\t") for line in NYT.open(encoding="utf-8", newline="")]
    rows = [r for r in rows if len(r) >= 3]
    ours = [vader_score(STOCK, r[2]).scores["compound"] for r in rows]
    assert ours == [STOCK.polarity_scores(r[2])["compound"] for r in rows]
    assert statistics.correlation(ours, [float(r[1]) for r in rows]) >= 0.49


def test_two_clusters_with_one_canonical_name_stay_apart(sentiment):
    def mention(start: int, cluster_id: int, score: float) -> dict:
        return {
            "label": "entity_mention",
            "start": start,
            "end": start + 5,
            "text": "Smith",
            "score": score,
            "attributes": {
                "entity": "Smith",
                "entity_type": "PERSON",
                "cluster_id": cluster_id,
                "mention_kind": "name",
                "evidence": {"start": start, "end": start + 5, "text": "Smith"},
            },
        }

    entities = sentiment.summarize([mention(0, 1, 0.5), mention(10, 2, -0.5)])["entities"]
    assert {k: v["mean"] for k, v in entities.items()} == {"Smith #1": 0.5, "Smith #2": -0.5}


def test_a_headline_target_is_scored_without_the_next_line(sentiment, trained_nlp):
    text = "Smith Visits Paris\nThe war drags on, killing thousands in a terrible disaster."
    doc = trained_nlp(text)
    context = TargetContext.of(doc, text)
    result = sentiment._target_sentiment(doc, 0, 5, context)
    assert result.evidence[1] <= text.index("\n")
    assert result.score == 0.0


def test_news_supplement_adds_only_words_vader_lacks():
    data = yaml.safe_load(SUPPLEMENT_FILE.read_text(encoding="utf-8"))
    assert data["kind"] == "valence-list"
    words = [w for group in data["groups"] for w in group["words"]]
    assert len(words) == len(set(words)) > 3000
    assert not set(words) & set(STOCK.lexicon)
    assert all(g["rationale"] and g["source"] and g["category"] for g in data["groups"])
    assert load_supplement(SUPPLEMENT_FILE)["corrupt"] == -1.0
