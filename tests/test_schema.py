"""The record schema and the checks beyond it: each corruption fails with a precise message."""

from __future__ import annotations

import copy
import json

import pytest

from annotator import Annotation, Annotator, Article, sub_span
from annotator.pipeline import SCHEMA_VERSION, annotate_articles
from annotator.schema import load_schema, read_record, record_problems, registry

TEXT = "Trump called him a “dictator” 😀.\r\nZelensky said he was ready."


class Words(Annotator):
    name = "words"
    version = "1.0"

    def annotate(self, article, doc):
        for token in doc:
            if token.is_alpha:
                yield Annotation(
                    "word", token.idx, token.idx + len(token),
                    attributes={"first": sub_span(article.text, token.idx, token.idx + 1)},
                )


@pytest.fixture
def record(blank_nlp) -> dict:
    article = Article(id="a", text=TEXT, source_path="a.txt")
    [record] = annotate_articles([article], blank_nlp, [Words()])
    return record


def messages(record) -> list[str]:
    return [f"{p.pointer}: {p.message}" for p in record_problems(record)]


def test_valid_record_has_no_problems(record):
    assert record["annotations"], "the fixture must produce annotations"
    assert messages(record) == []


def test_shifted_offset_fails_with_pointer_and_both_texts(record):
    record["annotations"][1]["start"] += 1
    [problem] = messages(record)
    assert problem.startswith("/annotations/1: text 'called' does not equal article.text[7:12]")


def test_nested_span_is_resliced_too(record):
    record["annotations"][0]["attributes"]["first"]["end"] = 3
    assert messages(record) == [
        "/annotations/0/attributes/first: text 'T' does not equal article.text[0:3] 'Tru'"
    ]


def test_missing_field_is_named(record):
    del record["annotations"][2]["label"]
    assert messages(record) == ["/annotations/2: 'label' is a required property"]


def test_wrong_type_is_named(record):
    record["annotations"][0]["end"] = "5"
    assert messages(record) == ["/annotations/0/end: '5' is not of type 'integer'"]


def test_wrong_hash_is_named(record):
    record["article"]["text"] = TEXT.replace("ready", "READY")
    assert "/article/sha256: does not match the sha256 of article.text" in messages(record)


def test_out_of_range_offset_is_named(record):
    record["annotations"][-1]["end"] = len(TEXT) + 5
    assert messages(record)[0].endswith(f"outside the text (length {len(TEXT)})")


def test_unsorted_annotations_fail(record):
    record["annotations"][0], record["annotations"][1] = (
        record["annotations"][1], record["annotations"][0]
    )
    assert "/annotations/1: out of order (sorted by start, end, annotator, label)" in messages(
        record
    )


def test_unknown_annotator_fails(record):
    record["annotations"][0]["annotator"] = "ghost"
    assert messages(record) == [
        "/annotations/0/annotator: unknown annotator 'ghost' (not in provenance.annotators)"
    ]


def test_attributes_are_checked_against_the_annotator_schema(record):
    schema = {"type": "object", "required": ["first"], "properties": {"first": {"type": "object"}}}
    broken = copy.deepcopy(record)
    broken["annotations"][0]["attributes"] = {"first": 3}
    problems = record_problems(broken, {"words": schema})
    assert [(p.pointer, p.message) for p in problems] == [
        ("/annotations/0/attributes/first", "3 is not of type 'object'")
    ]


def test_file_that_is_not_json_is_one_problem(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text("{oops")
    _, [problem] = read_record(path)
    assert problem.line(str(path)).startswith(f"{path}: /: not JSON: Expecting property name")


def test_every_published_schema_is_a_valid_2020_12_schema_with_id_and_version():
    from jsonschema import Draft202012Validator

    for uri in registry():
        schema = registry().contents(uri)
        Draft202012Validator.check_schema(schema)
        assert schema["$id"].startswith("https://annotator.dev/schemas/")
    record_schema = load_schema("record.json")
    versions = record_schema["properties"]["schema_version"]["enum"]
    assert record_schema["version"] == versions[-1] == SCHEMA_VERSION


def test_record_round_trips_through_json(record):
    assert record_problems(json.loads(json.dumps(record))) == []


def test_a_missing_end_is_reported_once(record):
    del record["annotations"][0]["end"]
    assert messages(record) == ["/annotations/0: 'end' is a required property"]


def test_many_annotations_out_of_order_are_one_line_with_a_count(record):
    record["annotations"].reverse()
    lines = [m for m in messages(record) if "out of order" in m]
    assert len(lines) == 1
    assert lines[0].endswith(f"{len(record['annotations']) - 1} annotations out of order in all")


def test_start_after_end_and_float_offsets_say_so(record):
    first, second = record["annotations"][0], record["annotations"][1]
    first["start"], first["end"] = first["end"], first["start"]
    second["start"] = float(second["start"])
    found = messages(record)
    assert f"/annotations/0: start {first['start']} is after end {first['end']}" in found
    assert any(m.startswith("/annotations/1: offsets must be integers") for m in found)
