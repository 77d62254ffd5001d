"""The attribution annotator's learned parts: shipped weights, merging with the rules,
hedged sentences, provenance and model folders."""

from __future__ import annotations

import shutil

import pytest
from annotator_plugins.attribution import Attribution
from annotator_plugins.attribution.learned import MODELS, token_runs
from click.testing import CliRunner

from annotator import model_provenance, model_sha256
from annotator.cli import cli
from annotator.testing import annotate_text, run_annotator

TEXT = (
    "Trump also falsely claimed that Ukraine started the war. Officials said the talks "
    "would resume on Monday, and Zelensky remained confident about the plan. Some critics "
    "believe the deal may perhaps be doomed.\n"
)


def test_the_shipped_weights_are_in_the_package():
    for part in ("cue", "hedge"):
        assert (MODELS / part / "meta.json").is_file(), part
    # the budget is 40 MB for every shipped weight; attribution's share of it is 20 MB
    size = sum(p.stat().st_size for p in MODELS.rglob("*") if p.is_file())
    assert size < 20_000_000


@pytest.fixture(scope="module")
def shipped() -> list[dict]:
    """The attribution records of TEXT with the shipped weights, made once."""
    return run_annotator(Attribution, TEXT, nlp="installed")


def test_every_cue_says_how_it_was_found_and_with_what_probability(shipped):
    cues = [a for a in shipped if a["label"] == "cue"]
    assert cues
    for cue in cues:
        assert cue["attributes"]["method"] in ("learned", "rules")
        assert 0.0 <= cue["attributes"]["probability"] <= 1.0
    falsely = next(c for c in cues if "falsely" in c["text"])
    assert falsely["attributes"]["stance"] == "discrediting"
    assert falsely["attributes"]["source_name"] == "Trump"


def test_hedged_sentences_point_at_their_words_with_the_sentence_probability(shipped):
    hedges = [a for a in shipped if a["label"] == "hedge"]
    assert hedges
    for hedge in hedges:
        assert hedge["attributes"]["method"] in ("learned", "rules")
        assert 0.0 <= hedge["attributes"]["probability"] <= 1.0
        assert hedge["text"].strip()


def test_without_a_parse_the_rules_alone_mark_hedges_and_cues():
    found = run_annotator(Attribution, TEXT)  # blank pipeline: tokens and sentences
    hedges = [a for a in found if a["label"] == "hedge"]
    assert {h["text"] for h in hedges} >= {"perhaps", "Some critics"}
    for annotation in found:
        if annotation["label"] in ("cue", "hedge"):
            assert annotation["attributes"]["method"] == "rules"
            assert annotation["attributes"]["probability"] is None


def test_rules_only_is_said_in_the_provenance_and_on_every_cue():
    record = annotate_text(TEXT, [Attribution], {"attribution": {"learned": False}}, "installed")
    [provenance] = record["provenance"]["annotators"]
    assert provenance["method"] == "rules only (learned = false)"
    cues = [a for a in record["annotations"] if a["label"] == "cue"]
    assert cues and all(c["attributes"]["method"] == "rules" for c in cues)
    assert all(c["attributes"]["probability"] is None for c in cues)


def test_the_provenance_names_and_hashes_the_models_that_ran():
    record = annotate_text(TEXT, [Attribution], nlp="installed")
    [provenance] = record["provenance"]["annotators"]
    assert provenance["method"].startswith("learned: cue model (built in) and hedge model ")
    names = [f["name"] for f in provenance["data_files"]]
    assert names[-2:] == ["cue model (built in)", "hedge model (built in)"]


def test_a_models_provenance_is_the_same_wherever_it_is_installed(tmp_path):
    copy = tmp_path / "cue"
    shutil.copytree(MODELS / "cue", copy)
    assert model_provenance("cue", MODELS / "cue", MODELS / "cue") == {
        "name": "cue model (built in)", "sha256": model_sha256(copy)}
    assert model_provenance("cue", copy, MODELS / "cue")["name"] == f"cue model ({copy})"


def test_without_a_parser_the_rules_find_the_cues():
    found = run_annotator(Attribution, "Officials said the talks would resume.", nlp="blank")
    cues = [a for a in found if a["label"] == "cue"]
    assert [c["attributes"]["method"] for c in cues] == ["rules"]


def test_the_shared_doc_is_not_changed(trained_nlp):
    from annotator import Article

    doc = trained_nlp(TEXT)
    before = doc.to_bytes()
    list(Attribution().annotate(Article(id="t", text=TEXT), doc))
    assert doc.to_bytes() == before


def test_a_configured_model_folder_that_is_missing_is_one_line_and_exit_2(tmp_path):
    config = tmp_path / "annotator.toml"
    config.write_text(f'[tool.annotator.attribution]\nmodel = "{tmp_path / "nope"}"\n')
    (tmp_path / "a.txt").write_text("Officials said so.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, [str(tmp_path / "a.txt"), "-o", str(tmp_path / "out"),
                                      "--config", str(config)])
    assert result.exit_code == 2
    assert result.output.strip() == f"error: {tmp_path / 'nope'}: no such model folder"


def test_a_user_model_folder_without_any_part_is_refused(tmp_path):
    config = tmp_path / "annotator.toml"
    config.write_text(f'[tool.annotator.attribution]\nmodel = "{tmp_path}"\n')
    (tmp_path / "a.txt").write_text("Officials said so.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, [str(tmp_path / "a.txt"), "-o", str(tmp_path / "out"),
                                      "--config", str(config)])
    assert result.exit_code == 2
    assert "no cue/ or hedge/ model folder in it" in result.output


def test_token_runs_are_maximal_runs_of_true_flags():
    assert token_runs([True, True, False, True, False, False, True]) == [(0, 2), (3, 4), (6, 7)]
    assert token_runs([]) == []


class FixedTagger:
    """A stand-in cue tagger that tags the given words CUE with probability 0.9."""

    cue_column, source_column = 0, 1

    def __init__(self, words: set[str]) -> None:
        self.words = words

    def probabilities(self, docs):
        import numpy

        return [numpy.array([[0.9 if t.text in self.words else 0.0, 0.0, 0.1] for t in doc])
                for doc in docs]

    def runs(self, doc, probabilities, threshold):
        from annotator_plugins.attribution.learned import CUE, SOURCE, tag_runs

        return {CUE: tag_runs(doc, probabilities, 0, threshold),
                SOURCE: tag_runs(doc, probabilities, 1, threshold)}


@pytest.mark.parametrize("text, tagged, expected", [
    # a word of the run, not only its head, may make it a cue: "is critical of", "made clear"
    ("Republicans made clear that they would like to see him come around.", {"made", "clear"},
     ["made clear"]),
    ("Sanders has been critical of the trade deal that Obama signed.", {"been", "critical"},
     ["been critical"]),
    ("Sanders has been in Iowa since the trade deal was signed.", {"been"}, []),
    # a run without a reporting or evaluative word is an act
    ("The House passed the bill on Tuesday after a long debate.", {"passed"}, []),
    ("Clinton celebrated in Florida with supporters on Tuesday night.", {"celebrated"}, []),
])
def test_a_tagged_run_is_a_cue_only_with_a_reporting_or_evaluative_word(
    trained_nlp, text, tagged, expected
):
    from annotator_plugins.attribution.annotator import Attribution as Annotator
    from annotator_plugins.attribution.document import DocAnalysis
    from annotator_plugins.attribution.learned import merge_cues

    from annotator import find_quotes

    annotator = Annotator()
    analysis = DocAnalysis(trained_nlp(text), text, find_quotes(text))
    cues = merge_cues(analysis, annotator.lexicon, [], FixedTagger(tagged), annotator.thresholds,
                      skip_in_quotes=True)
    assert [text[c.start : c.end] for c in cues] == expected
