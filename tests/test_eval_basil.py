"""The BASIL gold format of `annotate eval`: reading marks onto the text, and its measures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator import InputError
from annotator.eval import detect_format, load_label_maps, read_gold
from annotator.eval.basil import score_basil, spearman

ARTICLE = {
    "title": "Senator Slams Plan",
    "source": "FOX",
    "triplet-uuid": "event-1",
    "body-paragraphs": [
        ["The senator blasted the plan.", "He called it “a disaster,” aides said."],
        ["Voters shrugged."],
    ],
}
MARKS = [  # offsets within their sentence
    {"id": "title", "start": 8, "end": 13, "txt": "Slams", "bias": "lex", "quote": "no",
     "speaker": "", "polarity": "neg", "target": "plan"},
    {"id": "p0", "start": 12, "end": 19, "txt": "blasted", "bias": "lex", "quote": "no",
     "speaker": "", "polarity": "neg", "target": "plan"},
    {"id": "p1", "start": 14, "end": 24, "txt": "a disaster", "bias": "lex", "quote": "yes",
     "speaker": "senator", "polarity": "neg", "target": "plan"},
    {"id": "p2", "start": 0, "end": 16, "txt": "Voters shrugged.", "bias": "inf", "quote": "no",
     "speaker": "", "polarity": "neg", "target": "plan"},
]


def write_basil(root: Path, articles: dict[str, tuple[dict, list]]) -> Path:
    for name, (article, marks) in articles.items():
        (root / "articles" / "2012").mkdir(parents=True, exist_ok=True)
        (root / "annotations" / "2012").mkdir(parents=True, exist_ok=True)
        (root / "articles" / "2012" / f"{name}.json").write_text(json.dumps(article), "utf-8")
        (root / "annotations" / "2012" / f"{name}_ann.json").write_text(
            json.dumps({"phrase-level-annotations": marks}), "utf-8")
    return root


def test_marks_are_moved_onto_the_title_and_paragraph_text(tmp_path):
    gold = read_gold(write_basil(tmp_path, {"e_1": (ARTICLE, MARKS)}))
    [item] = gold.items
    assert item.text.startswith("Senator Slams Plan\n\nThe senator blasted the plan. He called")
    assert item.text.endswith("aides said.\n\nVoters shrugged.")
    assert [item.text[m.start:m.end] for m in item.marks] == [m["txt"] for m in MARKS]
    assert (item.source, item.event) == ("fox", "event-1")
    assert [m.quoted for m in item.marks] == [False, False, True, False]


def test_basil_is_detected_before_ptc_which_also_has_articles(tmp_path):
    assert detect_format(write_basil(tmp_path, {"e_1": (ARTICLE, MARKS)})) == "basil"


def test_a_mark_that_does_not_slice_its_text_names_the_file(tmp_path):
    bad = [dict(MARKS[0], txt="Slam")]
    root = write_basil(tmp_path, {"e_1": (ARTICLE, bad)})
    with pytest.raises(InputError, match=r"e_1_ann.json: phrase-level-annotations\[0\]"):
        read_gold(root)


def hit(text: str, word: str, category: str, voice: str = "own") -> dict:
    start = text.index(word)
    return {"annotator": "loaded_terms", "label": "loaded_term", "start": start,
            "end": start + len(word), "attributes": {"category": category, "voice": voice}}


def test_scores_any_overlap_rate_correlation_and_quoted_voice(tmp_path):
    quiet = dict(ARTICLE, **{"body-paragraphs": [["The senator spoke about the plan today."]]})
    root = write_basil(tmp_path, {"e_1": (ARTICLE, MARKS), "e_2": (quiet, [])})
    gold = read_gold(root)
    loud, calm = gold.items
    text = loud.text
    annotations = {
        loud.id: [hit(text, "blasted", "loaded_verb"), hit(text, "disaster", "pejorative",
                                                            "quoted"),
                  hit(text, "shrugged", "evaluative"), hit(text, "plan.", "evaluative")],
        calm.id: [],
    }
    rows, values = score_basil(gold.items, annotations, load_label_maps())
    scores = {(r.task, r.measure): r.score for r in rows}
    lexical = scores[("lexical_bias", "any overlap")]
    assert (lexical.precision, lexical.recall) == (0.5, 2 / 3)  # 2 of 4 hits; 2 of 3 marks
    assert scores[("any_bias", "any overlap")].precision == 0.75
    assert scores[("lexical_bias[evaluative]", "any overlap")].precision == 0.0
    quoted = scores[("quoted_marks", "voice: quoted")]
    assert (quoted.recall, quoted.gold) == (1.0, 1)
    assert values["rate_spearman"] == pytest.approx(1.0)  # more hits where experts mark more


def test_spearman_uses_mean_ranks_for_ties():
    assert spearman([1, 2, 3, 4], [10, 20, 30, 40]) == pytest.approx(1.0)
    assert spearman([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1.0)
    assert spearman([1, 1, 2, 2], [1, 1, 2, 2]) == pytest.approx(1.0)
    assert spearman([1, 1, 1], [1, 2, 3]) == 0.0
