"""`annotate eval`: gold readers, metrics (hand-computed answers) and the label mapping."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator import Annotation, Annotator, InputError
from annotator.cli import cli
from annotator.eval import FORMATS, Report, Span, detect_format, load_label_maps, read_gold
from annotator.eval.brat import score_brat
from annotator.eval.gold_format import annotate_gold
from annotator.eval.metrics import (
    any_overlap_score,
    class_scores,
    macro_f1,
    pair_overlap_score,
    partial_overlap_score,
    pearson,
    positive_class_score,
)
from annotator.eval.newsmtsc import newsmtsc_report, polarity_of, score_targets
from annotator.eval.ptc import ptc_tasks, score_ptc
from annotator.eval.sentences import score_sentences
from annotator.eval.span import merge_overlapping

GOLD = Path(__file__).resolve().parents[2] / "shared" / "gold"


def spans(*pairs: tuple[int, int], label: str = "") -> list[Span]:
    return [Span.of(start, end, label) for start, end in pairs]


def approx(value: float) -> object:
    return pytest.approx(value, abs=1e-4)


# --- SemEval-2020 Task 11 partial overlap ---------------------------------------------------


def test_partial_overlap_half_shifted_span_scores_one_half():
    score = partial_overlap_score({"d": spans((5, 15))}, {"d": spans((0, 10))})
    assert (score.precision, score.recall, score.f1) == (0.5, 0.5, 0.5)


def test_partial_overlap_ignores_spans_of_another_label():
    predicted, gold = {"d": spans((0, 10), label="B")}, {"d": spans((0, 10), label="A")}
    score = partial_overlap_score(predicted, gold)
    assert (score.precision, score.recall, score.f1, score.predicted, score.gold) == (0, 0, 0, 1, 1)


def test_partial_overlap_merges_overlapping_gold_spans_before_scoring():
    # gold [0,4) and [2,8) merge into [0,8): P = 4/4, R = 4/8, F1 = 2/3
    score = partial_overlap_score({"d": spans((0, 4))}, {"d": spans((0, 4), (2, 8))})
    assert (score.precision, score.recall, score.f1) == (1.0, 0.5, approx(2 / 3))
    assert score.gold == 1


def test_partial_overlap_sums_a_prediction_over_several_gold_spans():
    # pred [2,8) covers 2 of [0,4) and 2 of [6,10): P = 4/6, R = (2/4 + 2/4) / 2, F1 = 4/7
    score = partial_overlap_score({"d": spans((2, 8))}, {"d": spans((0, 4), (6, 10))})
    assert (score.precision, score.recall, score.f1) == (approx(2 / 3), 0.5, approx(4 / 7))


def test_partial_overlap_averages_over_all_documents():
    predicted = {"a": spans((0, 10)), "c": spans((0, 5))}
    gold = {"a": spans((0, 10)), "b": spans((0, 4))}
    score = partial_overlap_score(predicted, gold)
    assert (score.precision, score.recall, score.predicted, score.gold) == (0.5, 0.5, 2, 2)


def test_partial_overlap_counts_only_the_parts_of_a_discontinuous_span():
    gold = {"d": [Span(((0, 3), (10, 13)))]}
    score = partial_overlap_score({"d": spans((0, 13))}, gold)
    assert (score.precision, score.recall) == (approx(6 / 13), 1.0)


def test_nothing_to_find_and_nothing_found_is_a_perfect_score():
    assert partial_overlap_score({}, {}).f1 == 1.0
    assert any_overlap_score({"d": []}, {"d": []}).f1 == 1.0


def test_merge_keeps_labels_apart_and_joins_chains():
    merged = merge_overlapping(
        spans((0, 4), (3, 6), (5, 9), label="A") + spans((0, 2), label="B")
    )
    assert sorted((s.label, s.parts) for s in merged) == [("A", ((0, 9),)), ("B", ((0, 2),))]


# --- any overlap, pairs, classes ------------------------------------------------------------


def test_any_overlap_counts_hit_predictions_and_hit_gold_spans():
    # 1 of 2 predictions hits, 1 of 3 gold spans is hit: F1 = 2 * 1/2 * 1/3 / (5/6) = 0.4
    score = any_overlap_score(
        {"d": spans((2, 3), (30, 31))}, {"d": spans((0, 4), (10, 14), (20, 24))}
    )
    assert (score.precision, score.recall, score.f1) == (0.5, approx(1 / 3), approx(0.4))


def test_any_overlap_needs_a_shared_code_point_not_adjacency():
    assert any_overlap_score({"d": spans((4, 8))}, {"d": spans((0, 4))}).f1 == 0


def test_a_pair_matches_only_when_cue_and_source_both_overlap():
    gold = {"d": [(Span.of(10, 15), Span.of(0, 5))]}
    predicted = {"d": [(Span.of(11, 12), Span.of(3, 4)), (Span.of(11, 12), Span.of(6, 8))]}
    score = pair_overlap_score(predicted, gold)
    assert (score.precision, score.recall, score.f1) == (0.5, 1.0, approx(2 / 3))


def test_positive_class_score_counts_true_positives():
    score = positive_class_score([True, True, False, False], [True, False, True, False])
    assert (score.precision, score.recall, score.f1, score.predicted, score.gold) == (
        0.5, 0.5, 0.5, 2, 2
    )


def test_macro_f1_is_the_unweighted_mean_over_classes():
    # neg P=R=1/2 F1=1/2; neu P=1/2 R=1 F1=2/3; pos never predicted F1=0 -> (1/2 + 2/3) / 3
    per_class = class_scores(
        ["neg", "neg", "neu", "pos"], ["neg", "neu", "neu", "neg"], ("neg", "neu", "pos")
    )
    assert per_class["neu"].f1 == approx(2 / 3)
    assert macro_f1(per_class) == approx(7 / 18)


def test_pearson_matches_a_hand_computed_value():
    # sxy = 5, sxx = 2, syy = 114/9 -> r = 5 / sqrt(2 * 114 / 9)
    assert pearson([1, 2, 3], [2, 4, 7]) == approx(5 / (2 * 114 / 9) ** 0.5)


# --- readers ---------------------------------------------------------------------------------


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(text)
    return path


BRAT_TEXT = "He said “so” today.\r\nAccording to aides, it failed."


def brat_folder(root: Path) -> Path:
    write(root / "text" / "story.txt", BRAT_TEXT)
    write(
        root / "attributions" / "story_b222.ann",
        "T1\tSource 0 2\tHe\nT2\tCue 3 7\tsaid\nT3\tContent 8 12\t“so”\n"
        "T4\tAttribution 3 7\tsaid\nE1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n"
        "#1\tAnnotatorNotes T2\ta note\nstray text line\n"
        "T5\tCue 21 33;34 35\tAccording to a\nT6\tContent 41 50\tit failed\n"
        "E2\tAttribution-no-source:T5 Content:T6 Cue:T5\n",
    )
    write(
        root / "attributions" / "story_z999.ann",
        "T1\tCue 3 7\tsaid\nT2\tSource 0 2\tHe\nE1\tAttribution:T1 Cue:T1 Source:T2\n",
    )
    return root


def test_brat_reader_keeps_offsets_discontinuous_cues_and_missing_sources(tmp_path):
    gold = read_gold(brat_folder(tmp_path))
    assert gold.format == "brat" and len(gold.items) == 1
    item = gold.items[0]
    first, second = item.relations
    assert item.text[first.cue.start:first.cue.end] == "said"
    assert item.text[first.content.start:first.content.end] == "“so”"
    assert second.source is None
    assert second.cue.parts == ((21, 33), (34, 35))
    assert "several annotators" in gold.notes[0]


def test_brat_reader_rejects_offsets_outside_the_text(tmp_path):
    write(tmp_path / "text" / "s.txt", "short")
    write(tmp_path / "attributions" / "s_a1.ann", "T1\tCue 3 70\tsaid\n")
    with pytest.raises(InputError, match="outside the text"):
        read_gold(tmp_path)


def ptc_folder(root: Path) -> Path:
    write(root / "articles" / "article7.txt", "The regime's thugs, reportedly, lied.")
    write(root / "articles" / "article8.txt", "Nothing here.")
    write(root / "labels.tsv", "7\tLoaded_Language\t4\t10\n7\tName_Calling,Labeling\t13\t18\n"
          "7\tDoubt\t20\t30\n")
    return root


def test_ptc_reader_reads_every_article_with_its_spans(tmp_path):
    gold = read_gold(ptc_folder(tmp_path))
    assert [(i.id, len(i.spans)) for i in gold.items] == [("7", 3), ("8", 0)]
    article = gold.items[0]
    assert [article.text[s.start:s.end] for s in article.spans] == [
        "regime", "thugs", "reportedly"
    ]


def test_sentence_reader_keeps_quoted_newlines_and_labels(tmp_path):
    write(tmp_path / "train.csv", 'text,label\n"Some say\nit works.",1\n"\n",0\nIt works.,0\n')
    gold = read_gold(tmp_path)
    assert gold.format == "sentences"
    assert [(i.text, i.positive) for i in gold.items] == [
        ("Some say\nit works.", True), ("It works.", False)
    ]
    assert gold.notes == ["1 empty sentences skipped"]


def test_newsmtsc_reader_maps_polarity_codes(tmp_path):
    record = {"sentence_normalized": "Biden praised Trump.", "targets": [
        {"from": 0, "to": 5, "mention": "Biden", "polarity": 4.0},
        {"from": 14, "to": 19, "mention": "Trump", "polarity": 6.0},
    ]}
    write(tmp_path / "train.jsonl", json.dumps(record) + "\n")
    gold = read_gold(tmp_path)
    assert [(t.mention, t.polarity) for t in gold.items[0].targets] == [
        ("Biden", "neu"), ("Trump", "pos")
    ]


def test_vader_reader_and_limit(tmp_path):
    write(tmp_path / "snippets.txt", "1_1\t0.4\tGood.\n1_2\t-1.5\tAwful, awful.\n1_3\t0\tA.\n")
    write(tmp_path / "LICENSE", "MIT\n")
    gold = read_gold(tmp_path, limit=2)
    assert gold.format == "vader"
    assert [(i.id, i.rating) for i in gold.items] == [("1_1", 0.4), ("1_2", -1.5)]
    assert "--limit 2" in gold.notes[0]


def test_an_unknown_folder_is_one_clear_error(tmp_path):
    with pytest.raises(InputError, match="not a gold folder"):
        detect_format(tmp_path)
    with pytest.raises(InputError, match="no such file or folder"):
        detect_format(tmp_path / "missing")


def test_ptc_format_on_a_folder_without_labels_is_an_error(tmp_path):
    write(tmp_path / "articles" / "article1.txt", "text")
    with pytest.raises(InputError, match="not a PTC corpus"):
        read_gold(tmp_path, "ptc")


# --- mapping our annotations onto gold ---------------------------------------------------------


def annotation(annotator: str, label: str, start: int, end: int, **attributes) -> dict:
    return {"annotator": annotator, "label": label, "start": start, "end": end,
            "attributes": attributes}


def test_brat_scoring_uses_the_cue_span_and_its_source_sub_span(tmp_path):
    gold = read_gold(brat_folder(tmp_path))
    ours = {"story": [
        annotation("attribution", "cue", 3, 7, source={"start": 0, "end": 2, "text": "He"},
                   content=None),
        annotation("attribution", "cue", 41, 47, source=None, content=None),
        annotation("attribution", "hedge", 21, 33),
    ]}
    rows = {(r.task, r.measure): r.score for r in score_brat(gold.items, ours, load_label_maps())}
    cue = rows["cue", "any overlap"]
    assert (cue.precision, cue.recall) == (0.5, 0.5)
    source = rows["source", "any overlap"]
    assert (source.precision, source.recall) == (1.0, 1.0)
    assert rows["content", "any overlap"].predicted == 0
    triple = rows["triple", "cue+source"]
    assert (triple.precision, triple.recall, triple.gold) == (1.0, 1.0, 1)


def test_brat_scoring_puts_human_agreement_beside_ours_on_the_same_texts(tmp_path):
    gold = read_gold(brat_folder(tmp_path))
    assert len(gold.items[0].other_annotators) == 1
    ours = {"story": [annotation("attribution", "cue", 21, 24, source=None, content=None)]}
    rows = {(r.task, r.measure): r.score for r in score_brat(gold.items, ours, load_label_maps())}
    humans = rows["cue", "any overlap, humans"]
    assert (humans.precision, humans.recall) == (1.0, 0.5)
    assert rows["triple", "cue+source, humans"].f1 == 1.0
    assert rows["cue", "any overlap, ours"].recall == 0.5
    assert rows["triple", "cue+source, ours"].predicted == 0


def test_ptc_scoring_merges_gold_labels_and_breaks_down_categories(tmp_path):
    gold = read_gold(ptc_folder(tmp_path))
    ours = {"7": [
        annotation("loaded_terms", "loaded_term", 4, 10, category="pejorative"),
        annotation("loaded_terms", "scare_quote", 30, 36),
        annotation("attribution", "cue", 32, 36, stance="distancing"),
        annotation("attribution", "cue", 0, 3, stance="neutral"),
    ]}
    rows = {(r.task, r.measure): r.score
            for r in score_ptc(gold.items, ours, ptc_tasks(load_label_maps()))}
    loaded = rows["loaded_language", "any overlap"]
    assert (loaded.precision, loaded.recall) == (0.5, 0.5)
    assert rows["loaded_language", "partial"].recall == 0.5
    assert rows["loaded_language[pejorative]", "any overlap"].precision == 1.0
    assert rows["loaded_language[scare_quote]", "any overlap"].precision == 0.0
    doubt = rows["doubt", "any overlap"]
    assert (doubt.predicted, doubt.recall) == (1, 0.0)


def test_a_sentence_is_positive_when_a_hedge_or_vague_source_is_in_it(tmp_path):
    write(tmp_path / "s.csv", "text,label\nA,1\nB,1\nC,0\n")
    gold = read_gold(tmp_path)
    first, second, third = (item.id for item in gold.items)
    ours = {first: [annotation("attribution", "vague_source", 0, 1)],
            second: [annotation("attribution", "cue", 0, 1)],
            third: [annotation("attribution", "hedge", 0, 1)]}
    rows, values = score_sentences(gold.items, ours, load_label_maps())
    assert (rows[0].score.precision, rows[0].score.recall) == (0.5, 0.5)
    assert values["accuracy"] == approx(1 / 3)


def test_target_scores_map_to_polarity_with_the_configured_band():
    config = load_label_maps()
    assert [polarity_of(s, config) for s in (-0.5, -0.05, 0.0, 0.049, 0.05)] == [
        "neg", "neg", "neu", "neu", "pos"
    ]
    rows, values = score_targets(["neg", "pos"], ["neg", "neg"])
    assert values["accuracy"] == 0.5
    assert values["macro_f1"] == approx((2 / 3 + 1.0 + 0.0) / 3)
    assert [r.task for r in rows] == ["neg", "neu", "pos"]


class PerhapsHedge(Annotator):
    """Throwaway annotator: every "perhaps" is a hedge."""

    name = "attribution"
    version = "0.0.1"

    def annotate(self, article, doc):
        for token in doc:
            if token.lower_ == "perhaps":
                yield Annotation("hedge", token.idx, token.idx + len(token))


def test_gold_texts_run_through_the_pipeline_and_score_as_sentences(tmp_path):
    import spacy

    write(tmp_path / "s.csv", "text,label\nIt is perhaps true.,1\nIt is true.,1\nNo.,0\n")
    gold = read_gold(tmp_path)
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    done = []
    annotations, failures = annotate_gold(gold.items, [PerhapsHedge()], nlp, done.append, 2)
    assert failures == [] and sum(done) == 3
    assert [a["text"] for a in annotations[gold.items[0].id]] == ["perhaps"]
    rows, _ = score_sentences(gold.items, annotations, load_label_maps())
    assert (rows[0].score.precision, rows[0].score.recall) == (1.0, 0.5)


class FixedTargetScore:
    """Throwaway sentiment annotator: "Ann" is liked, everyone else disliked."""

    def target_score(self, doc, start, end):
        return 0.5 if doc.text[start:end] == "Ann" else -0.5


def newsmtsc_gold(root: Path):
    lines = [
        {"sentence_normalized": "Ann met Bob.", "targets": [
            {"from": 0, "to": 3, "mention": "Ann", "polarity": 6.0},
            {"from": 8, "to": 11, "mention": "Bob", "polarity": 2.0}]},
        {"sentence_normalized": "Cy slept.", "targets": [
            {"from": 0, "to": 2, "mention": "Cy", "polarity": 4.0}]},
    ]
    write(root / "t.jsonl", "".join(json.dumps(line) + "\n" for line in lines))
    return read_gold(root)


def test_newsmtsc_scores_target_score_and_the_stock_baseline_beside_it(tmp_path):
    import spacy

    spacy.blank("en").to_disk(tmp_path / "blank_model")
    gold = newsmtsc_gold(tmp_path / "gold")
    report = Report("newsmtsc", "gold", len(gold.items))
    newsmtsc_report(gold, report, [FixedTargetScore()], str(tmp_path / "blank_model"),
                    load_label_maps(), lambda _: None)
    # pred pos, neg, neg vs gold pos, neg, neu: F1 neg 2/3, neu 0, pos 1
    assert report.values["macro_f1"] == approx(5 / 9)
    assert report.values["accuracy"] == approx(2 / 3)
    # stock VADER scores all three sentences 0.0 -> neu: F1 neu 1/2, neg 0, pos 0
    assert report.values["baseline_macro_f1"] == approx(1 / 6)
    assert report.notes == []


def test_newsmtsc_without_target_score_scores_the_baseline_and_says_so(tmp_path):
    gold = newsmtsc_gold(tmp_path)
    report = Report("newsmtsc", "gold", len(gold.items))
    newsmtsc_report(gold, report, [], None, load_label_maps(), lambda _: None)
    assert report.values["macro_f1"] == approx(1 / 6)
    assert "no annotator has target_score()" in report.notes[0]


# --- command line ---------------------------------------------------------------------------


def test_eval_command_offers_every_format():
    command = cli.commands["eval"]
    option = next(p for p in command.params if p.name == "fmt")
    assert tuple(option.type.choices) == FORMATS


def test_eval_vader_prints_pearson_as_table_and_json(tmp_path):
    write(tmp_path / "snippets.txt",
          "1\t3.0\tWonderful, brilliant success.\n2\t-3.0\tA horrible, tragic failure.\n"
          "3\t0.1\tThe meeting is on Tuesday.\n")
    table = CliRunner().invoke(cli, ["eval", str(tmp_path)])
    assert table.exit_code == 0, table.output
    assert "pearson_r" in table.output
    result = CliRunner().invoke(cli, ["eval", str(tmp_path), "--json"])
    report = json.loads(result.stdout)
    assert report["format"] == "vader" and report["values"]["pearson_r"] > 0.9


PROBE_PLUGIN = """
from annotator import Annotation, Annotator, hookimpl

class Probe(Annotator):
    name = "eval_probe"
    version = "0.0.1"

    def annotate(self, article, doc):
        start = article.text.find("perhaps")
        if start >= 0:
            yield Annotation("hedge", start, start + 7)

@hookimpl
def register_annotators(register):
    register(Probe)
"""


def test_eval_runs_a_plugin_file_with_its_own_label_map(tmp_path):
    import spacy
    import yaml

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.to_disk(tmp_path / "blank_model")
    write(tmp_path / "probe.py", PROBE_PLUGIN)
    config = load_label_maps()
    config["sentences"]["positive"] = [{"annotator": "eval_probe", "label": "hedge"}]
    write(tmp_path / "map.yaml", yaml.safe_dump(config))
    write(tmp_path / "gold" / "s.csv", "text,label\nIt is perhaps so.,1\nIt is so.,0\nSo.,1\n")
    result = CliRunner().invoke(cli, [
        "eval", str(tmp_path / "gold"), "--json", "--plugin", str(tmp_path / "probe.py"),
        "--label-map", str(tmp_path / "map.yaml"), "--model", str(tmp_path / "blank_model"),
    ])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["annotators"] == [{"name": "eval_probe", "version": "0.0.1"}]
    positive = report["scores"]["positive"]["sentence"]
    assert (positive["precision"], positive["recall"], positive["gold"]) == (1.0, 0.5, 2)


def test_eval_skips_a_task_whose_annotator_is_not_installed_with_a_note(tmp_path):
    import yaml

    config = load_label_maps()
    config["sentences"]["positive"] = [{"annotator": "no_such_annotator", "label": "hedge"}]
    write(tmp_path / "map.yaml", yaml.safe_dump(config))
    write(tmp_path / "gold" / "s.csv", "text,label\nMaybe.,1\n")
    result = CliRunner().invoke(
        cli, ["eval", str(tmp_path / "gold"), "--label-map", str(tmp_path / "map.yaml")]
    )
    assert result.exit_code == 0, result.output
    assert "note: positive: skipped, annotator(s) no_such_annotator not installed" in result.stdout
    assert "measure" not in result.stdout


def test_eval_on_a_bad_folder_is_one_line_and_exit_2(tmp_path):
    result = CliRunner().invoke(cli, ["eval", str(tmp_path)])
    assert result.exit_code == 2
    assert result.output.strip().startswith("error:") and "not a gold folder" in result.output


@pytest.mark.skipif(not (GOLD / "wikiweasel-train").is_dir(), reason="no ../shared/gold")
def test_gold_folders_are_detected_by_layout():
    expected = {"polnear-train": "brat", "ptc-train": "ptc", "wikiweasel-train": "sentences",
                "newsmtsc-train": "newsmtsc", "vader-nyt": "vader"}
    assert {name: detect_format(GOLD / name) for name in expected} == expected
