"""The loaded_terms annotator: matching, flags, scare quotes, user lexicons, seeds."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import spacy
from annotator_plugins.loaded_terms import LoadedTerms
from click.testing import CliRunner
from jsonschema import Draft202012Validator

from annotator import Article, ConfigError
from annotator.cli import cli
from annotator.pipeline import find_english_pipeline
from annotator.schema import load_schema, registry

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
IMMIGRATION = ROOT / "examples" / "lexicons" / "immigration.yaml"

TEST_LEXICON = """\
kind: term-lexicon
name: test-lexicon
version: 0.1.0
categories:
  labeling: Labels.
  loaded_verb: Loaded verbs.
  hyperbole: Exaggeration.
entries:
  - {term: dictator, category: labeling, rationale: Brands., alternative: leader, source: test}
  - {term: staged referendum, category: labeling, rationale: Casts a vote as fake., source: test}
  - {term: war of words, category: hyperbole, rationale: Frames a dispute as war., source: test}
  - {term: would-be, category: labeling, rationale: Belittles., source: test}
  - {term: slam, category: loaded_verb, rationale: Criticism as a blow., pos: [VERB], source: test}
  - {term: Reds, category: labeling, rationale: Cold-war slur., case_sensitive: true, source: test}
  - {term: brutal, category: hyperbole, rationale: Savage., source: test}
  - {pattern: '\\b\\w+gate\\b', category: labeling, rationale: Scandal suffix., source: test}
  - {term: brat, category: labeling, rationale: Childish., source: test}
  - {term: fox, category: labeling, rationale: Sly., source: test}
  - {term: witch hunt, category: labeling, rationale: Persecution., source: test}
  - {term: regime, category: labeling, rationale: Bad., unless: [regime change], source: test}
  - {term: hack, category: labeling, rationale: Bad., pos: [NOUN], unless: [hack attack], source: t}
  - {term: hero, category: labeling, rationale: Glorifies., source: test}
  - {term: thug, category: labeling, rationale: Brute., valence: negative, source: test}
category_valence: {labeling: negative}
demoted: {hyperbole: "test: low precision"}
"""


def write(tmp_path: Path, text: str, name: str = "lexicon.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def builtin() -> LoadedTerms:
    return LoadedTerms()


@pytest.fixture(scope="module")
def lexicon_only() -> LoadedTerms:
    return LoadedTerms(model="none")


@pytest.fixture
def small(tmp_path: Path) -> LoadedTerms:
    return LoadedTerms(include_builtin=False, extra_lexicons=[str(write(tmp_path, TEST_LEXICON))],
                       model="none")


def run(annotator: LoadedTerms, nlp, text: str) -> list:
    annotations = list(annotator.annotate(Article("t", text, "t.txt"), nlp(text)))
    for annotation in annotations:
        assert 0 <= annotation.start < annotation.end <= len(text)
    return annotations


def terms(annotations: list) -> dict[str, dict]:
    return {a.attributes["term_span"]["text"]: a.attributes for a in annotations
            if a.label == "loaded_term"}


def seed_text(name_prefix: str) -> str:
    return next(SEEDS.glob(f"{name_prefix}_*.txt")).read_text(encoding="utf-8")


# --- seeds (trained pipeline) ---------------------------------------------------------


def test_quoted_dictator_is_one_scare_quoted_loaded_term(builtin, trained_nlp):
    text = seed_text("001")
    annotations = run(builtin, trained_nlp, text)
    dictator = [a for a in annotations if a.label == "loaded_term"
                and a.attributes["term"] == "dictator"]
    scare = [a for a in annotations if a.label == "scare_quote"
             and text[a.start:a.end] == "“dictator”"]
    assert len(dictator) == 1 and dictator[0].attributes["in_quote"] is True
    assert dictator[0].attributes["scare_quoted"] is True
    assert not scare


def test_staged_referendums_and_moscow_staged_votes_are_found(lexicon_only, trained_nlp):
    found = terms(run(lexicon_only, trained_nlp, seed_text("003")))
    assert found["staged referendums"]["term"] == "staged referendum"
    found = terms(run(lexicon_only, trained_nlp, seed_text("004")))
    assert found["staged votes"]["term"] == "staged vote"


def test_every_seed_hit_explains_itself_and_fits_the_schema(builtin, trained_nlp):
    validator = Draft202012Validator(
        load_schema("attributes/loaded_terms.json"), registry=registry()
    )
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        annotations = run(builtin, trained_nlp, text)
        assert annotations, path.name
        for annotation in annotations:
            assert not list(validator.iter_errors(annotation.attributes)), annotation
            if annotation.label == "loaded_term":
                attributes = annotation.attributes
                assert attributes["category"] in {*builtin.categories, "learned"}
                assert attributes["rationale"] and attributes["source"]
                span = attributes["term_span"]
                assert text[span["start"]:span["end"]] == span["text"]


# --- matching ---------------------------------------------------------------------------


def test_lemma_match_finds_inflected_multiword_terms(small, trained_nlp):
    found = terms(run(small, trained_nlp, "Moscow held staged referendums in the east."))
    assert found["staged referendums"]["matched_by"] == "lemma"


def test_pos_constraint_keeps_the_verb_and_drops_the_noun(small, trained_nlp):
    assert "slammed" in terms(run(small, trained_nlp, "The senator slammed the plan on Monday."))
    assert not terms(run(small, trained_nlp, "She won a grand slam in Paris."))


def test_hyphen_and_case_variants_match(small, trained_nlp):
    found = terms(run(small, trained_nlp, "A WAR-OF-WORDS broke out after the Dictator spoke."))
    assert set(found) == {"WAR-OF-WORDS", "Dictator"}


def test_hyphenated_term_needs_the_hyphen_and_compound_modifiers_are_skipped(small, trained_nlp):
    assert not terms(run(small, trained_nlp, "It would be wrong to wait."))
    assert "would-be" in terms(run(small, trained_nlp, "The would-be reformer resigned."))
    assert not terms(run(small, trained_nlp, "A dictator-style decree was issued."))


@pytest.mark.parametrize("pipeline", ["trained_nlp", "blank_nlp"])
def test_case_sensitive_entry_matches_only_as_written(small, pipeline, request):
    nlp = request.getfixturevalue(pipeline)
    assert "Reds" in terms(run(small, nlp, "He warned about the Reds in Hollywood."))
    assert not terms(run(small, nlp, "He bought two reds and a white."))


def test_pattern_entry_matches_text(small, trained_nlp):
    found = terms(run(small, trained_nlp, "Critics called it Russiagate for months."))
    assert found["Russiagate"]["matched_by"] == "pattern"


def test_phrase_span_covers_the_framed_noun_phrase_unless_disabled(tmp_path, trained_nlp):
    lexicon = str(write(tmp_path, TEST_LEXICON))
    text = "It was a brutal crackdown."
    wide = LoadedTerms(model="none", include_builtin=False, extra_lexicons=[lexicon])
    narrow = LoadedTerms(model="none", include_builtin=False, extra_lexicons=[lexicon],
                         phrase_spans=False)
    [hit] = run(wide, trained_nlp, text)
    assert text[hit.start:hit.end] == "a brutal crackdown"
    assert hit.attributes["term_span"]["text"] == "brutal"
    [hit] = run(narrow, trained_nlp, text)
    assert text[hit.start:hit.end] == "brutal"


def test_phrase_span_does_not_cross_quote_marks(small, trained_nlp):
    text = "Trump labeled Zelensky a “dictator” on Wednesday."
    [hit] = [a for a in run(small, trained_nlp, text) if a.label == "loaded_term"]
    assert text[hit.start:hit.end] == "dictator"


def test_blank_pipeline_matches_regular_inflections_and_skips_unverifiable_pos(small, blank_nlp):
    found = terms(run(small, blank_nlp, "They slammed the staged referendums. A grand slam."))
    assert found["slammed"]["matched_by"] == "inflection"
    assert found["staged referendums"]["matched_by"] == "inflection"
    assert "slam" not in found
    assert found["slammed"]["negated"] is None


# --- proper names and senses --------------------------------------------------------------


def test_words_inside_proper_names_are_not_loaded_terms(small, trained_nlp):
    text = ("Rep. Dave Brat met Vicente Fox in Richmond. Brat said the regime must end, "
            "and the brat next door agreed.")
    found = [a.attributes["term_span"]["text"] for a in run(small, trained_nlp, text)
             if a.label == "loaded_term"]
    assert found == ["regime", "brat"]


def test_a_title_case_headline_keeps_its_loaded_words_but_not_its_names(small, trained_nlp):
    text = ("Dave Brat Calls Maduro A Brutal Dictator\n\n"
            "Rep. Dave Brat spoke on Monday. Brat was angry.")
    found = [a.attributes["term_span"]["text"] for a in run(small, trained_nlp, text)
             if a.label == "loaded_term"]
    assert found == ["Dictator"]  # "Brutal" frames the same phrase: one span, core tier


def test_a_multiword_term_that_is_the_whole_name_stays(small, trained_nlp):
    text = "The president again attacked what he calls the Witch Hunt."
    assert "Witch Hunt" in terms(run(small, trained_nlp, text))


def test_unless_phrases_and_pos_keep_the_neutral_sense_out(small, trained_nlp):
    assert not terms(run(small, trained_nlp, "They pushed for regime change in Iraq."))
    assert "regime" in terms(run(small, trained_nlp, "The regime jailed its critics."))
    assert not terms(run(small, trained_nlp, "The hack attack exposed emails."))
    assert not terms(run(small, trained_nlp, "His hacked account posted spam."))
    assert "hack" in terms(run(small, trained_nlp, "He is a party hack with no ideas."))


# --- valence, target, tier and voice ---------------------------------------------------------


def test_valence_comes_from_the_entry_then_vader_then_the_category(small, trained_nlp):
    found = terms(run(small, trained_nlp, "A thug and a hero faced the regime."))
    assert (found["thug"]["valence"], found["thug"]["valence_source"]) == ("negative", "lexicon")
    assert (found["hero"]["valence"], found["hero"]["valence_source"]) == ("positive", "vader")
    assert (found["regime"]["valence"], found["regime"]["valence_source"]) == (
        "negative", "category")


@pytest.mark.parametrize(("text", "term", "target"), [
    ("Maduro is a dictator.", "dictator", "Maduro"),
    ("The Assad regime bombed the city.", "regime", "Assad"),
    ("Critics slammed Pelosi on Tuesday.", "slammed", "Pelosi"),
    ("It was a brutal winter.", "brutal", None),
])
def test_target_is_the_entity_the_parse_ties_the_term_to(small, trained_nlp, text, term, target):
    found = terms(run(small, trained_nlp, text))[term]
    assert (found["target"] or {}).get("text") == target
    if found["target"]:
        span = found["target"]
        assert text[span["start"]:span["end"]] == span["text"]


def test_a_demoted_category_is_the_low_tier(small, trained_nlp):
    found = terms(run(small, trained_nlp, "A brutal crackdown. The dictator ruled."))
    assert (found["brutal"]["tier"], found["dictator"]["tier"]) == ("low", "core")


def test_voice_and_speaker_come_from_quotes_and_attribution_cues(small, trained_nlp):
    text = 'The thug left. “The regime must go,” Smith said.'
    start = text.index("“")
    cue = {"label": "cue", "attributes": {
        "source": {"start": text.index("Smith"), "end": text.index("Smith") + 5, "text": "Smith"},
        "source_resolved": None,
        "content": {"start": start + 1, "end": text.index("”"), "text": "The regime must go,"}}}
    article = Article("t", text, "t.txt")
    hits = terms(small.annotate(article, trained_nlp(text), annotations={"attribution": (cue,)}))
    assert (hits["thug"]["voice"], hits["thug"]["speaker"]) == ("own", None)
    assert hits["regime"]["voice"] == "quoted"
    assert hits["regime"]["speaker"]["text"] == "Smith"
    alone = terms(small.annotate(article, trained_nlp(text)))
    assert (alone["regime"]["voice"], alone["regime"]["speaker"]) == ("quoted", None)


# --- flags -----------------------------------------------------------------------------


def test_in_quote_separates_quoted_speech_from_the_outlets_voice(small, trained_nlp):
    text = 'The dictator left. “The dictator must go now,” the minister said.'
    hits = [a for a in run(small, trained_nlp, text) if a.label == "loaded_term"]
    assert [h.attributes["in_quote"] for h in hits] == [False, True]
    assert not any(h.attributes["scare_quoted"] for h in hits)


def test_negated_flag_follows_the_parse(small, trained_nlp):
    [negated] = run(small, trained_nlp, "He is not a dictator.")
    [plain] = run(small, trained_nlp, "He is a dictator.")
    assert negated.attributes["negated"] is True
    assert plain.attributes["negated"] is False


# --- scare quotes ------------------------------------------------------------------------


def test_scare_quote_span_covers_the_marks_and_speech_is_not_a_scare_quote(small, blank_nlp):
    text = 'Critics called the vote “free and fair” a farce. He said: "We won."'
    scare = [a for a in run(small, blank_nlp, text) if a.label == "scare_quote"]
    assert [text[a.start:a.end] for a in scare] == ["“free and fair”"]
    assert scare[0].attributes["content"]["text"] == "free and fair"
    assert scare[0].attributes["words"] == 3


def test_scare_quote_modes(tmp_path, blank_nlp):
    lexicon = str(write(tmp_path, TEST_LEXICON))
    text = "The talks were “promising” and the leader a “dictator” to some."

    def scare(mode: str) -> list[str]:
        annotator = LoadedTerms(model="none", include_builtin=False, extra_lexicons=[lexicon],
                                scare_quotes=mode)
        return [text[a.start:a.end] for a in run(annotator, blank_nlp, text)
                if a.label == "scare_quote"]

    assert scare("labels") == []  # “dictator” is a scare-quoted loaded term, counted once
    assert scare("all") == ["“promising”"]
    assert scare("none") == []
    with pytest.raises(ConfigError, match="scare_quotes"):
        LoadedTerms(model="none", include_builtin=False, scare_quotes="some")


def test_long_or_sentence_quotes_are_not_scare_quotes(small, blank_nlp):
    text = 'Officials called it “a very long and winding road ahead”. She asked “Why? Now?”'
    assert not [a for a in run(small, blank_nlp, text) if a.label == "scare_quote"]


# --- user lexicons and settings ------------------------------------------------------------


def test_user_lexicon_changes_output_without_code(builtin, trained_nlp):
    text = "Officials described a border crisis as an invasion by illegal immigrants."
    plain = {a["term"] for a in terms(run(builtin, trained_nlp, text)).values()}
    domain = LoadedTerms(model="none", extra_lexicons=[str(IMMIGRATION)])
    found = terms(run(domain, trained_nlp, text))
    assert {"border crisis", "invasion", "illegal immigrant"} <= {a["term"] for a in found.values()}
    assert not {"border crisis", "illegal immigrant"} & plain
    assert found["invasion"]["category"] == "dehumanizing"
    assert found["invasion"]["lexicon"] == "immigration-coverage"
    assert IMMIGRATION in domain.data_files
    names = [f["name"] for f in domain.provenance()["data_files"]]
    assert names == ["loaded_terms.yaml", "immigration.yaml"]


def test_user_entry_with_same_term_and_category_overrides_the_builtin(builtin, trained_nlp):
    text = "He called the child an anchor baby."
    before = terms(run(builtin, trained_nlp, text))["anchor baby"]
    domain = LoadedTerms(model="none", extra_lexicons=[str(IMMIGRATION)])
    after = terms(run(domain, trained_nlp, text))
    assert before["lexicon"] == "annotator-loaded-terms"
    assert after["anchor baby"]["lexicon"] == "immigration-coverage"
    assert after["anchor baby"]["rationale"] != before["rationale"]


def test_disable_categories_removes_their_hits(tmp_path, trained_nlp):
    lexicon = str(write(tmp_path, TEST_LEXICON))
    text = "The dictator slammed the press."
    kept = LoadedTerms(model="none", include_builtin=False, extra_lexicons=[lexicon],
                       disable_categories=["labeling"])
    assert {a["category"] for a in terms(run(kept, trained_nlp, text)).values()} == {"loaded_verb"}
    with pytest.raises(ConfigError, match="unknown categories nonsense"):
        LoadedTerms(model="none", include_builtin=False, extra_lexicons=[lexicon],
                    disable_categories=["nonsense"])


def test_broken_user_lexicon_is_one_clear_config_error(tmp_path):
    path = write(tmp_path, """\
        kind: term-lexicon
        name: broken
        version: 1.0.0
        entries:
          - {term: thug, category: labeling, rationale: Slur., source: me}
          - {term: goon, category: nonsense, rationale: Slur., source: me}
        """)
    with pytest.raises(ConfigError) as error:
        LoadedTerms(model="none", extra_lexicons=[str(path)])
    message = str(error.value)
    assert "\n" not in message
    assert str(path) in message and "entry 2 ('goon')" in message
    assert "unknown category 'nonsense'" in message


def test_missing_lexicon_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="cannot read"):
        LoadedTerms(model="none", extra_lexicons=[str(tmp_path / "absent.yaml")])


def test_summary_counts_by_category_and_voice(small, trained_nlp):
    text = "The dictator slammed critics. “A dictator,” one said."
    annotations = run(small, trained_nlp, text)
    records = [{"label": a.label, "attributes": a.attributes} for a in annotations]
    summary = small.summarize(records)
    assert summary["loaded_terms"] == 3
    assert summary["by_category"] == {"labeling": 2, "loaded_verb": 1}
    assert (summary["own_voice"], summary["quoted"]) == (2, 1)
    assert summary["top_terms"][0] == {"term": "dictator", "count": 2}
    assert summary["lexicons"] == ["test-lexicon 0.1.0"]


def test_blank_pipeline_still_finds_the_seed_labels(builtin, blank_nlp):
    text = seed_text("004")
    annotations = run(builtin, blank_nlp, text)
    found = {a.attributes["term"] for a in annotations if a.label == "loaded_term"}
    assert {"dictator", "war of words", "staged vote", "undeterred"} <= found
    assert any(a.attributes["term"] == "dictator" and a.attributes["scare_quoted"]
               for a in annotations if a.label == "loaded_term")


# --- the learned span scorer ---------------------------------------------------------------


def test_every_span_has_a_probability_and_learned_spans_explain_themselves(builtin,
                                                                            trained_nlp):
    text = seed_text("003")
    annotations = run(builtin, trained_nlp, text)
    for annotation in annotations:
        attributes = annotation.attributes
        assert 0 <= attributes["probability"] <= 1
        assert annotation.score == attributes["probability"]
        if attributes["category"] == "learned":
            assert attributes["tier"] == "learned"
            assert attributes["matched_by"] == "model"
            assert "cue words:" in attributes["rationale"]
            assert attributes["probability"] >= builtin.settings["threshold"]


def test_a_higher_threshold_keeps_fewer_spans_and_never_drops_core_hits(trained_nlp):
    text = " ".join(seed_text(prefix) for prefix in ("000", "001", "002"))
    doc = trained_nlp(text)
    loose, strict = LoadedTerms(threshold=0.05), LoadedTerms(threshold=0.95)
    many = list(loose.annotate(Article("t", text, "t"), doc))
    few = list(strict.annotate(Article("t", text, "t"), doc))
    assert len(few) < len(many)
    core = {(a.start, a.end) for a in many if a.attributes.get("tier") == "core"}
    assert core <= {(a.start, a.end) for a in few}
    for annotation in few:
        if annotation.attributes.get("tier") in ("low", "learned"):
            assert annotation.attributes["probability"] >= 0.95


def test_without_a_model_every_hit_stays_and_has_no_probability(tmp_path, trained_nlp):
    plain = LoadedTerms(model="none")
    [hit] = [a for a in run(plain, trained_nlp, "Nothing but outright lies.")
             if a.attributes["term"] == "outright"]
    assert (hit.attributes["tier"], hit.attributes["probability"], hit.score) == (
        "low", None, None)


@pytest.mark.parametrize("make", [
    lambda folder: None,
    lambda folder: (folder.mkdir(), (folder / "meta.json").write_text("{not json")),
    lambda folder: (folder.mkdir(), (folder / "meta.json").write_text(
        '{"spacy_version": ">=3.8.0,<3.9.0"}')),
])
def test_a_missing_or_corrupt_model_folder_is_one_line_and_exit_2(tmp_path, make):
    folder = tmp_path / "model"
    make(folder)
    config = tmp_path / "annotator.toml"
    config.write_text(f'[tool.annotator.loaded_terms]\nmodel = "{folder.as_posix()}"\n')
    result = CliRunner().invoke(cli, [str(next(SEEDS.glob("000_*.txt"))), "--config",
                                      str(config), "-o", str(tmp_path / "out"), "-q"])
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1
    assert str(folder) in result.stderr


@pytest.mark.parametrize("threshold", [-0.1, 1.5, "high", True])
def test_threshold_must_be_a_number_from_0_to_1(threshold):
    with pytest.raises(ConfigError, match="threshold"):
        LoadedTerms(model="none", threshold=threshold)


@pytest.mark.slow
def test_annotate_train_retrains_the_scorer_on_ptc_style_gold(tmp_path):
    gold = tmp_path / "gold"
    (gold / "articles").mkdir(parents=True)
    rows = []
    sentences = ["The corrupt regime crushed peaceful protesters again.",
                 "Officials met on Tuesday to discuss the budget.",
                 "These thugs and their puppet masters lie shamelessly."]
    for number in range(10):
        text = " ".join(sentences[(number + k) % 3] for k in range(3))
        (gold / "articles" / f"article{number}.txt").write_text(text, encoding="utf-8")
        for word in ("corrupt regime", "thugs", "puppet masters"):
            start = text.index(word)
            rows.append(f"{number}\tLoaded_Language\t{start}\t{start + len(word)}")
    (gold / "labels.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "model"
    result = CliRunner().invoke(cli, ["train", "loaded_terms", str(gold), "-o", str(out),
                                      "--epochs", "1"])
    assert result.exit_code == 0, result.output
    assert "loaded-terms tagger epoch 1/1" in result.stderr
    retrained = LoadedTerms(model=str(out))
    text = sentences[0]
    hits = [a for a in retrained.annotate(Article("t", text, "t"), spacy.load(
        find_english_pipeline())(text))]
    assert all(0 <= a.attributes["probability"] <= 1 for a in hits)
