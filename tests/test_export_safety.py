"""`annotate export` loses nothing: a transaction, never over the records, ids named once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator import InputError
from annotator.atomic import Commit
from annotator.cli import cli
from annotator.run.naming import FileNames, file_stem, record_name


def export(*args: str):
    return CliRunner().invoke(cli, ["export", *args])


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def records_with_ids(seed_records: dict, folder: Path, ids: list[str]) -> Path:
    """A records folder holding the first seed record once under each of ``ids``."""
    folder.mkdir(parents=True)
    seed = next(iter(seed_records.values()))
    for number, article_id in enumerate(ids):
        record = json.loads(json.dumps(seed))
        record["article"]["id"] = article_id
        (folder / f"r{number}.json").write_text(json.dumps(record), encoding="utf-8")
    return folder


@pytest.mark.parametrize("where", ["same", "parent", "inside"])
def test_an_output_overlapping_the_records_is_refused_before_anything_is_written(
        seed_records, tmp_path, where):
    records = records_with_ids(seed_records, tmp_path / "top" / "ann", ["a", "b"])
    output = {"same": records, "parent": tmp_path / "top", "inside": records / "csv"}[where]
    before = tree(tmp_path)
    result = export("csv", str(records), "-o", str(output), "--force")
    assert result.exit_code == 2
    assert result.output.count("\n") == 1
    assert "overlaps the records" in result.output
    assert tree(tmp_path) == before
    assert sorted(p.name for p in tmp_path.rglob("*")) == sorted(
        ["top", "ann", "r0.json", "r1.json"])


def test_force_never_replaces_a_folder_holding_records(seed_records, tmp_path):
    records = records_with_ids(seed_records, tmp_path / "ann", ["a"])
    other = records_with_ids(seed_records, tmp_path / "other", ["b"])
    before = tree(other)
    result = export("csv", str(records), "-o", str(other), "--force")
    assert result.exit_code == 2
    assert "holds annotation records" in result.output
    assert tree(other) == before


def test_a_new_export_replaces_the_old_one_whole(seed_records, tmp_path):
    records = records_with_ids(seed_records, tmp_path / "ann", ["a", "b", "c/d"])
    assert export("w3c", str(records), "-o", str(tmp_path / "w3c")).exit_code == 0
    (records / "r1.json").unlink()
    (records / "r2.json").unlink()
    result = export("w3c", str(records), "-o", str(tmp_path / "w3c"), "--force")
    assert result.exit_code == 0, result.output
    assert sorted(tree(tmp_path / "w3c")) == ["a.jsonld", "a.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ann", "w3c"]  # no staging left


def test_an_export_that_fails_half_way_leaves_the_previous_export(monkeypatch, seed_records,
                                                                  tmp_path):
    from annotator_plugins.exporters import w3c

    records = records_with_ids(seed_records, tmp_path / "ann", ["a", "b"])
    assert export("w3c", str(records), "-o", str(tmp_path / "out")).exit_code == 0
    before = tree(tmp_path / "out")
    written = w3c.write_exact

    def interrupted(path, text):
        written(path, text)
        raise KeyboardInterrupt

    monkeypatch.setattr(w3c, "write_exact", interrupted)
    result = export("w3c", str(records), "-o", str(tmp_path / "out"), "--force")
    assert result.exit_code != 0
    assert tree(tmp_path / "out") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ann", "out"]


def test_a_commit_cut_short_is_finished_by_the_next_export(monkeypatch, seed_records, tmp_path):
    records = records_with_ids(seed_records, tmp_path / "ann", ["a", "b"])
    assert export("csv", str(records), "-o", str(tmp_path / "out")).exit_code == 0
    (records / "r1.json").unlink()
    applied = Commit._apply

    def killed(self):
        raise SystemExit(137)  # the journal is written, no rename made

    monkeypatch.setattr(Commit, "_apply", killed)
    export("csv", str(records), "-o", str(tmp_path / "out"), "--force")
    assert (tmp_path / ".out.annotator-export" / "commit.json").exists()
    monkeypatch.setattr(Commit, "_apply", applied)
    result = export("labelstudio", str(records), "-o", str(tmp_path / "ls"))
    assert result.exit_code == 0  # another output's export does not touch this commit
    unfinished = export("csv", str(records), "-o", str(tmp_path / "out"), "--force")
    assert unfinished.exit_code == 0, unfinished.output
    articles = (tmp_path / "out" / "articles.csv").read_text("utf-8").splitlines()
    assert len(articles) == 2  # the header and article a
    assert not (tmp_path / ".out.annotator-export").exists()


@pytest.mark.parametrize("first, second", [("a", "./a"), ("x//y", "x/y"), ("A", "a")])
@pytest.mark.parametrize("fmt", ["w3c", "brat"])
def test_two_ids_with_one_file_name_are_an_error_naming_both(seed_records, tmp_path, fmt,
                                                              first, second):
    records = records_with_ids(seed_records, tmp_path / "ann", [first, second])
    result = export(fmt, str(records), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    [line] = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert repr(first) in line and repr(second) in line
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("fmt, suffixes",
                         [("w3c", (".txt", ".jsonld")), ("brat", (".txt", ".ann"))])
def test_long_escaping_and_reserved_ids_export_under_hashed_names(seed_records, tmp_path, fmt,
                                                                   suffixes):
    ids = ["x" * 300, "../esc", "events", "plain/one"]
    records = records_with_ids(seed_records, tmp_path / "ann", ids)
    result = export(fmt, str(records), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    written = tree(tmp_path / "out")
    for article_id in ids:
        for suffix in suffixes:
            assert f"{file_stem(article_id)}{suffix}" in written
    assert "plain/one.txt" in written
    assert all("/" not in file_stem(i) for i in ids[:3])
    assert not (tmp_path / "esc.txt").exists()


def test_naming_normalises_paths_and_reserves_compares_file_names():
    assert record_name("./a") == record_name("a") == "a.json"
    assert record_name("x//y/") == "x/y.json"
    for reserved in ("events", "comparison", "index", "profile", "differences", "report",
                     "x/Events"):
        name = record_name(reserved)
        assert "/" not in name and name != f"{reserved}.json", name
    names = FileNames()
    assert names.claim("a") == names.claim("a") == "a"
    with pytest.raises(InputError, match="'a' and './a'"):
        names.claim("./a")
