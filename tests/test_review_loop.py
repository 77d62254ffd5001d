"""The review loop: `annotate eval` on a Label Studio export of reviewed annotations, and on
W3C and brat exports, per annotator and label, with agreement between reviewers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from annotator import InputError
from annotator.cli import cli
from annotator.eval import detect_format, load_label_maps, read_gold
from annotator.eval.labelstudio import read_labelstudio
from annotator.eval.review import score_reviews
from annotator.eval.span import Span
from annotator.eval.w3c import read_w3c

TEXT = "👍🏽 Zoë said\r\nthe plan was “a disaster”, critics claimed."
#       0  2 4   8   12  14...


def at(word: str) -> tuple[int, int]:
    start = TEXT.index(word)
    return start, start + len(word)


def region(rid: str, annotator: str, label: str, word: str, utf16: bool = False) -> dict:
    start, end = at(word)
    if utf16:  # what Label Studio wrote before its emoji fix: JavaScript string positions
        start, end = (len(TEXT[:i].encode("utf-16-le")) // 2 for i in (start, end))
    return {"id": rid, "from_name": annotator, "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "text": word, "labels": [label]}}


def ls_export(path: Path, tasks: list[dict]) -> Path:
    path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    return path


def task(annotations: list[dict], article_id: str = "story") -> dict:
    return {"id": 7, "data": {"text": TEXT, "article_id": article_id},
            "annotations": annotations, "predictions": []}


def annotation(who, result, **extra) -> dict:
    return {"id": hash(who) % 1000, "completed_by": who, "result": result,
            "was_cancelled": False, **extra}


def test_label_studio_export_is_detected_and_read_in_code_points(tmp_path):
    path = ls_export(tmp_path / "reviewed.json", [task([annotation(3, [
        region("a", "attribution", "cue/neutral", "said"),
        region("b", "attribution", "cue/distancing", "claimed"),
        {"from_id": "a", "to_id": "b", "type": "relation", "direction": "right"},
    ])]), task([], "unreviewed")])
    assert detect_format(path) == "labelstudio"
    gold = read_gold(path)
    [item] = gold.items
    assert item.id == "story" and item.text == TEXT
    [(who, spans)] = item.reviews
    assert who == "3"
    assert {(s.label, TEXT[s.start:s.end]) for s in spans} == {
        ("attribution:cue/neutral", "said"), ("attribution:cue/distancing", "claimed")}
    assert gold.notes == ["1 tasks without annotations were skipped"]


def test_old_utf16_offsets_are_recognised_by_their_text_and_converted(tmp_path):
    path = ls_export(tmp_path / "old.json", [task([annotation(1, [
        region("a", "attribution", "cue/neutral", "said", utf16=True),
        region("b", "loaded_terms", "scare_quote", "“a disaster”", utf16=True),
    ])])])
    gold = read_labelstudio(path)
    spans = gold.items[0].reviews[0][1]
    assert sorted((s.start, s.end) for s in spans) == sorted([at("said"), at("“a disaster”")])
    assert "2 regions had UTF-16 offsets" in gold.notes[0]


def test_a_region_whose_text_does_not_match_is_one_clear_error(tmp_path):
    bad = region("x", "attribution", "cue/neutral", "said")
    bad["value"]["text"] = "told"
    path = ls_export(tmp_path / "bad.json", [task([annotation(1, [bad])])])
    with pytest.raises(InputError, match=r"task story: region x: offsets \d+-\d+ do not select"):
        read_labelstudio(path)


def ours(*pairs) -> list[dict]:
    return [{"annotator": name, "label": label, "start": at(word)[0], "end": at(word)[1],
             "attributes": {"stance": stance} if stance else {}}
            for name, label, word, stance in pairs]


def test_precision_and_recall_per_annotator_and_label_with_reviewer_agreement(tmp_path):
    reference = annotation("ana@example.org", [
        region("a", "attribution", "cue/neutral", "said"),
        region("b", "attribution", "cue/discrediting", "claimed"),
        region("c", "loaded_terms", "scare_quote", "“a disaster”"),
    ], ground_truth=True)
    second = annotation("bo@example.org", [
        region("a", "attribution", "cue/neutral", "said"),
        region("b", "attribution", "cue/distancing", "claimed"),
    ])
    gold = read_labelstudio(ls_export(tmp_path / "r.json", [task([second, reference])]))
    [item] = gold.items
    assert [who for who, _ in item.reviews] == ["ana@example.org", "bo@example.org"]
    annotations = {"story": ours(("attribution", "cue", "said", "neutral"),
                                 ("attribution", "cue", "claimed", "distancing"),
                                 ("loaded_terms", "scare_quote", "“a disaster”", None),
                                 ("sentiment", "sentence", "the plan", None))}
    rows = {(r.task, r.measure): r.score
            for r in score_reviews(gold.items, annotations, load_label_maps()["labelstudio"])}
    assert rows["attribution:cue/neutral", "exact"].precision == 1.0
    discrediting = rows["attribution:cue/discrediting", "exact"]
    assert (discrediting.predicted, discrediting.gold, discrediting.recall) == (0, 1, 0.0)
    distancing = rows["attribution:cue/distancing", "exact"]
    assert (distancing.predicted, distancing.gold, distancing.precision) == (1, 0, 0.0)
    assert rows["loaded_terms:scare_quote", "any overlap"].f1 == 1.0
    assert not any(task.startswith("sentiment") for task, _ in rows)  # not reviewed
    humans = rows["attribution:cue/neutral", "exact, reviewers"]
    assert (humans.precision, humans.recall) == (1.0, 1.0)
    assert rows["loaded_terms:scare_quote", "exact, reviewers"].recall == 0.0
    assert rows["attribution:cue/discrediting", "exact, ours"].recall == 0.0


PROBE = '''
from annotator import Annotation, Annotator, hookimpl

class Probe(Annotator):
    name = "probe"
    version = "9.9.9"

    def annotate(self, article, doc):
        for word, stance in (("said", "neutral"), ("claimed", "distancing")):
            start = article.text.find(word)
            if start >= 0:
                yield Annotation("cue", start, start + len(word), attributes={"stance": stance})

@hookimpl
def register_annotators(register):
    register(Probe)
'''


def test_eval_command_scores_a_reviewed_export_with_the_installed_annotators(tmp_path):
    import spacy

    spacy.blank("en").to_disk(tmp_path / "blank")
    (tmp_path / "probe.py").write_text(PROBE, encoding="utf-8")
    path = ls_export(tmp_path / "reviewed.json", [task([annotation(1, [
        region("a", "probe", "cue/neutral", "said"),
        region("b", "probe", "cue/discrediting", "claimed"),
    ])])])
    label_map = load_label_maps()
    label_map["labelstudio"]["label_attributes"]["probe"] = "stance"
    (tmp_path / "map.yaml").write_text(yaml.safe_dump(label_map), encoding="utf-8")
    result = CliRunner().invoke(cli, [
        "eval", str(path), "--json", "--model", str(tmp_path / "blank"),
        "--label-map", str(tmp_path / "map.yaml"),
        "--plugin", str(tmp_path / "probe.py")])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["format"] == "labelstudio"
    assert report["annotators"] == [{"name": "probe", "version": "9.9.9"}]
    scores = report["scores"]
    assert scores["probe:cue/neutral"]["exact"]["precision"] == 1.0
    assert scores["probe:cue/discrediting"]["exact"]["recall"] == 0.0
    assert scores["probe:cue/distancing"]["exact"]["precision"] == 0.0


def test_w3c_quote_only_annotation_is_found_by_its_quote(tmp_path):
    (tmp_path / "story.txt").write_bytes(TEXT.encode("utf-8"))
    annotation = {
        "@context": "http://www.w3.org/ns/anno.jsonld", "id": "urn:x:1", "type": "Annotation",
        "creator": {"type": "Software", "name": "loaded_terms"},
        "body": {"type": "TextualBody", "purpose": "tagging", "value": "scare_quote"},
        "target": {"source": "story.txt", "selector": {
            "type": "TextQuoteSelector", "exact": "“a disaster”", "prefix": "was "}},
    }
    (tmp_path / "notes.jsonld").write_text(json.dumps(annotation), encoding="utf-8")
    gold = read_w3c(tmp_path)
    [item] = gold.items
    assert item.reviews[0][1] == (Span.of(*at("“a disaster”"), "loaded_terms:scare_quote"),)


def test_w3c_position_that_contradicts_its_quote_is_an_error(tmp_path):
    (tmp_path / "story.txt").write_bytes(TEXT.encode("utf-8"))
    annotation = {
        "type": "Annotation", "body": "cue", "creator": {"name": "attribution"},
        "target": {"source": "story.txt", "selector": [
            {"type": "TextPositionSelector", "start": 0, "end": 4},
            {"type": "TextQuoteSelector", "exact": "said"}]},
    }
    (tmp_path / "story.jsonld").write_text(json.dumps(annotation), encoding="utf-8")
    with pytest.raises(InputError, match="does not select the quote 'said'"):
        read_w3c(tmp_path)
