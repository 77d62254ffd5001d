"""Learned components: dev splits, `annotate train` on tiny synthetic gold, model folders."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator import ModelError
from annotator.cli import cli
from annotator.eval.sentences import LabelledSentence
from annotator.training import is_dev, item_key, load_model, split_items

SPEAKERS = ("Alice Moore", "The mayor", "Bob Chen", "Officials", "The company", "Dana Ruiz")
VERBS = ("said", "told reporters", "claimed", "argued", "warned", "denied")


def invoke(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


def write_brat(folder: Path, count: int = 12) -> Path:
    """A brat corpus of `count` short texts, one attribution each, made up here."""
    (folder / "text").mkdir(parents=True)
    (folder / "attributions").mkdir()
    for n in range(count):
        speaker, verb = SPEAKERS[n % len(SPEAKERS)], VERBS[n % len(VERBS)]
        opening = f"The river rose {n} feet overnight. "
        content = f"the bridge on street {n} would stay closed"
        text = f"{opening}{speaker} {verb} {content}. Schools opened late.\n"
        source = (len(opening), len(opening) + len(speaker))
        cue = (source[1] + 1, source[1] + 1 + len(verb))
        body = (cue[1] + 1, cue[1] + 1 + len(content))
        (folder / "text" / f"doc{n:02}.txt").write_text(text, encoding="utf-8")
        ann = "".join(
            f"T{i}\t{role} {start} {end}\t{text[start:end]}\n"
            for i, (role, (start, end)) in enumerate(
                (("Source", source), ("Cue", cue), ("Content", body)), start=1
            )
        ) + "E1\tAttribution:T2 Source:T1 Cue:T2 Content:T3\n"
        (folder / "attributions" / f"doc{n:02}_ann1.ann").write_text(ann, encoding="utf-8")
    return folder


def write_sentences(path: Path, count: int = 40) -> Path:
    rows = ["text,label"]
    for n in range(count):
        if n % 2:
            rows.append(f"Some say the tower {n} may possibly be the oldest,1")
        else:
            rows.append(f"The tower {n} was built in {1800 + n},0")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_dev_split_is_a_stable_hash_of_the_item_id():
    ids = [f"text{n}" for n in range(2000)]
    dev = [i for i in ids if is_dev(i, 0.2)]
    assert 0.17 < len(dev) / len(ids) < 0.23
    assert dev == [i for i in ids if is_dev(i, 0.2)]
    # a larger fraction keeps every dev item: nested splits
    assert set(dev) <= {i for i in ids if is_dev(i, 0.4)}


def test_dev_split_does_not_depend_on_where_the_gold_lies():
    near = [LabelledSentence(f"gold/w.csv:{n}", "x", "gold/w.csv", False) for n in range(50)]
    far = [LabelledSentence(f"/a/b/w.csv:{n}", "x", "/a/b/w.csv", False) for n in range(50)]
    assert item_key(near[3]) == item_key(far[3]) == "w.csv:3"
    assert [item_key(i) for i in split_items(near, 0.3)[1]] == [
        item_key(i) for i in split_items(far, 0.3)[1]
    ]


@pytest.mark.slow
def test_train_attribution_is_seeded_and_reports_a_dev_score_per_epoch(tmp_path, trained_nlp):
    gold = write_brat(tmp_path / "brat")
    sentences = write_sentences(tmp_path / "hedges.csv")
    outputs = []
    for run in ("a", "b"):
        out = tmp_path / run
        result = invoke("train", "attribution", gold, sentences, "-o", out, "--epochs", "2",
                        "--seed", "7", "--dev-fraction", "0.3")
        assert result.exit_code == 0, result.output
        assert "cue tagger epoch 2/2" in result.output and "dev cue_f1" in result.output
        assert "hedge classifier epoch 2/2" in result.output and "dev hedged_f1" in result.output
        outputs.append(out)
    for part in ("cue", "hedge"):
        meta = json.loads((outputs[0] / part / "meta.json").read_text())
        assert meta["seed"] == 7
        load_model(outputs[0] / part)
        for weights in sorted((outputs[0] / part).rglob("model")):
            twin = outputs[1] / weights.relative_to(outputs[0])
            assert weights.read_bytes() == twin.read_bytes(), weights


@pytest.mark.slow
def test_the_cue_tagger_is_the_mean_of_its_two_trained_members(tmp_path, trained_nlp):
    import numpy
    from annotator_plugins.attribution.learned import CueTagger

    from annotator import predict

    out = tmp_path / "model"
    result = invoke("train", "attribution", write_brat(tmp_path / "brat"), "-o", out,
                    "--epochs", "1", "--dev-fraction", "0.3")
    assert result.exit_code == 0, result.output
    nlp = load_model(out / "cue")
    tagger = CueTagger(nlp)
    assert tagger.components == ["tagger", "tagger_wide"]
    docs = [trained_nlp("Alice Moore said the bridge on street 4 would stay closed.")]
    members = [predict(nlp, docs, name)[0] for name in tagger.components]
    assert not numpy.allclose(*members)  # two models, not one read twice
    assert numpy.allclose(tagger.probabilities(docs)[0], numpy.mean(members, axis=0))


def test_train_rejects_unknown_and_untrainable_annotators_and_bad_gold(tmp_path):
    result = invoke("train", "nope", tmp_path, "-o", tmp_path / "out")
    assert result.exit_code == 2 and "unknown annotator 'nope'" in result.output
    result = invoke("train", "sentiment", tmp_path, "-o", tmp_path / "out")
    assert result.exit_code == 2 and "nothing to train" in result.output
    result = invoke("train", "attribution", tmp_path / "missing", "-o", tmp_path / "out")
    assert result.exit_code == 2 and "missing" in result.output
    assert "Traceback" not in result.output


def test_train_attribution_refuses_gold_it_cannot_learn_from(tmp_path):
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "article1.txt").write_text("Text.", encoding="utf-8")
    (tmp_path / "labels.tsv").write_text("1\tDoubt\t0\t4\n", encoding="utf-8")
    result = invoke("train", "attribution", tmp_path, "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert "attribution trains on brat or sentences gold, not ptc" in result.output


def test_a_missing_model_folder_is_one_line_naming_it(tmp_path):
    with pytest.raises(ModelError, match=f"{tmp_path / 'none'}: no such model folder"):
        load_model(tmp_path / "none")


def test_a_corrupt_model_folder_is_one_line_naming_it(tmp_path):
    (tmp_path / "meta.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ModelError, match="not a model folder"):
        load_model(tmp_path)
    (tmp_path / "meta.json").write_text('{"lang": "en", "spacy_version": ">=3.8.0,<3.9.0", '
                                        '"pipeline": ["tagger"]}', encoding="utf-8")
    with pytest.raises(ModelError, match="corrupt model folder"):
        load_model(tmp_path)


def test_a_model_for_another_spacy_version_is_refused(tmp_path):
    (tmp_path / "meta.json").write_text('{"spacy_version": ">=2.0.0,<2.1.0"}', encoding="utf-8")
    with pytest.raises(ModelError, match=r"trained for spaCy >=2.0.0,<2.1.0, installed is 3\."):
        load_model(tmp_path)


LEARNED_PROBE = '''
from annotator import Annotation, Annotator, hookimpl

class Probe(Annotator):
    """Hedges "perhaps"; its learned part (here: also "so") is off in the baseline."""
    name = "eval_probe"
    version = "0.0.1"
    default_settings = {"learned": True}
    baseline_settings = {"learned": False}

    def annotate(self, article, doc):
        words = ("perhaps", "so") if self.settings["learned"] else ("perhaps",)
        for token in doc:
            if token.lower_ in words:
                yield Annotation("hedge", token.idx, token.idx + len(token))

@hookimpl
def register_annotators(register):
    register(Probe)
'''


def eval_probe(tmp_path: Path, *options: str) -> dict:
    import spacy
    import yaml

    from annotator.eval import load_label_maps

    tmp_path.mkdir(exist_ok=True)
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.to_disk(tmp_path / "blank_model")
    (tmp_path / "probe.py").write_text(LEARNED_PROBE, encoding="utf-8")
    config = load_label_maps()
    config["sentences"]["positive"] = [{"annotator": "eval_probe", "label": "hedge"}]
    (tmp_path / "map.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    (tmp_path / "gold").mkdir()
    rows = "".join(f"It is perhaps {n}.,1\nIt is so {n}.,1\nIt is {n}.,0\n" for n in range(30))
    (tmp_path / "gold" / "s.csv").write_text("text,label\n" + rows, encoding="utf-8")
    result = invoke("eval", tmp_path / "gold", "--json", "--plugin", tmp_path / "probe.py",
                    "--label-map", tmp_path / "map.yaml", "--model", tmp_path / "blank_model",
                    *options)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_eval_scores_the_baseline_of_a_learned_annotator_in_the_same_table(tmp_path):
    report = eval_probe(tmp_path)
    ours = report["scores"]["positive"]["sentence"]
    baseline = report["scores"]["positive"]["sentence, baseline"]
    assert (ours["recall"], baseline["recall"]) == (1.0, 0.5)
    assert "baseline: eval_probe with learned=False" in report["notes"]


def test_eval_split_scores_the_dev_items_of_annotate_train(tmp_path):
    report = eval_probe(tmp_path, "--split", "dev", "--dev-fraction", "0.3")
    dev_count = report["items"]
    assert 0 < dev_count < 90
    assert f"--split dev: {dev_count} items (dev fraction 0.3, by a hash of each item id)" in (
        report["notes"]
    )
    train = eval_probe(tmp_path / "t", "--split", "train", "--dev-fraction", "0.3")
    assert train["items"] == 90 - dev_count


def test_the_threshold_scripts_folds_are_five_disjoint_bands_of_the_training_part():
    import importlib.util
    from types import SimpleNamespace

    script = Path(__file__).parent.parent / "training" / "attribution_thresholds.py"
    spec = importlib.util.spec_from_file_location("attribution_thresholds", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    items = [SimpleNamespace(id=f"gold/text{i}.ann", path="gold") for i in range(1000)]
    train, dev = split_items(items, module.DEV_FRACTION)
    parts = module.folds(train)
    ids = [[item.id for item in part] for part in parts]
    assert len(parts) == 5
    assert sorted(sum(ids, [])) == sorted(item.id for item in train)  # disjoint, all of it
    assert not {item.id for item in dev} & set(sum(ids, []))
    assert all(120 <= len(part) <= 200 for part in parts)  # 800 / 5, give or take the hash
