"""Quote pairing on the marks real copy uses, and the quote-attribution gold format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator import InputError
from annotator.cli import cli
from annotator.eval import GOLD_FORMATS, detect_format, load_label_maps, read_gold
from annotator.quotes import find_quotes


def contents(text: str) -> list[str]:
    return [text[q.content_start:q.content_end] for q in find_quotes(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He said “I am ready,” and left.", ["I am ready,"]),
        ('He said "I am ready," and left.', ["I am ready,"]),
        ("«One could feel offended by being called a ‘dictator’,» he said.",
         ["One could feel offended by being called a ‘dictator’,", "dictator"]),
        ("as potentially “promising.» Then", ["promising."]),
        ("Zelensky’s aides said it’s the Ukrainians’ future.", []),
        ("He called it 'a farce' again.", ["a farce"]),
        ("He said ``we will win'' and left.", ["we will win"]),
        ("It was called `` the best '' by some, and ''I will go,'' he said.",
         [" the best ", "I will go,"]),
        ("''We will win,'' he said, citing ''progress.''", ["We will win,", "progress."]),
        ('A 5" screen, he said "fine".', ["fine"]),
    ],
)
def test_pairs(text, expected):
    assert contents(text) == expected


def test_unclosed_quote_runs_to_the_end_of_its_line_unbalanced():
    text = "He said “we will win\nNext paragraph."
    [quote] = find_quotes(text)
    assert not quote.balanced
    assert text[quote.content_start:quote.content_end] == "we will win"


# ---- quote-attribution gold (annotate eval, *.quotes.jsonl)

QUOTES_DATA = Path(__file__).parent / "data" / "quotes"


def quotes_file(folder: Path, *records: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "mine.quotes.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                    encoding="utf-8")
    return path


def cue(text: str, cue_text: str, content: str, speaker: str | None) -> dict:
    """A cue annotation as the attribution annotator writes it (only what the scorer reads)."""
    start = text.index(cue_text)
    content_start = text.index(content)
    return {
        "annotator": "attribution", "label": "cue", "start": start,
        "end": start + len(cue_text), "text": cue_text,
        "attributes": {
            "content": {"start": content_start, "end": content_start + len(content),
                        "text": content},
            "source": None, "source_name": speaker,
        },
    }


def test_the_packaged_quote_set_is_detected_and_read():
    assert detect_format(QUOTES_DATA) == "quotes"
    gold = read_gold(QUOTES_DATA)
    assert len(gold.items) >= 30
    assert sum(len(item.quotes) for item in gold.items) >= 50


@pytest.mark.parametrize(
    ("record", "problem"),
    [
        ({"text": "He left.", "quotes": [{"content": "“Bye,”", "speaker": "he", "cue": "said"}]},
         "does not occur"),
        ({"text": "“Go.” “Go.” he said.", "quotes": [
            {"content": "“Go.”", "speaker": "he", "cue": "said"}]}, "occurs more than once"),
        ({"text": "He said “go.”", "quotes": [{"content": "“go.”", "speaker": "he"}]},
         "not a quotes record"),
    ],
)
def test_a_bad_quotes_record_names_the_file_and_line(tmp_path, record, problem):
    path = quotes_file(tmp_path, {"text": "“Fine,” she said.", "quotes": []}, record)
    with pytest.raises(InputError, match=rf"mine\.quotes\.jsonl:2: .*{problem}"):
        read_gold(path)


def test_quotes_are_scored_for_content_speaker_and_cue(tmp_path):
    text = "“Rain tomorrow,” the forecaster said. “Sun on Sunday.” The mayor said the fair is on."
    path = quotes_file(tmp_path, {"id": "t", "text": text, "quotes": [
        {"content": "“Rain tomorrow,”", "speaker": "the forecaster", "cue": "said"},
        {"content": "Sun on Sunday.", "speaker": "the forecaster", "cue": "said"},
        {"content": "the fair is on", "speaker": "The mayor", "cue": "said"},
    ]})
    gold = read_gold(path)
    ours = {"t": [
        cue(text, "said", "“Rain tomorrow,”", "the forecaster"),  # all right
        cue(text, "said", "“Sun on Sunday.”", "the mayor"),  # content and cue right
        {**cue(text, "The mayor said", "the fair", "The mayor"), "start": text.index("said the")},
        cue(text, "said", "tomorrow", "nobody"),  # a tiny fragment matches nothing
    ]}
    ours["t"][2]["text"] = "said"
    rows, _ = GOLD_FORMATS["quotes"].score(gold.items, ours, load_label_maps(), {"quotes"})
    scores = {row.measure: (row.score.precision, row.score.recall) for row in rows}
    # content: the third content ("the fair" of "the fair is on") shares more than half of both
    assert scores == {"content": (3 / 4, 3 / 3), "speaker": (2 / 4, 2 / 3),
                      "cue": (3 / 4, 3 / 3)}


def test_eval_prints_the_quotes_table(trained_nlp):
    result = CliRunner().invoke(cli, ["eval", str(QUOTES_DATA), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["format"] == "quotes"
    measures = ("content", "speaker", "cue")
    assert set(report["scores"]["quotes"]) == {*measures, *(f"{m}, baseline" for m in measures)}
    assert report["scores"]["quotes"]["content"]["gold"] == sum(
        len(item.quotes) for item in read_gold(QUOTES_DATA).items)
