"""Plugin discovery, registration and selection."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from annotator import Annotation, Annotator, Article, ConfigError, PluginError, Reader, hookimpl
from annotator.cli import cli
from annotator.plugins import (
    LOAD_PLUGINS_ENV,
    OLD_AUTOLOAD_ENV,
    annotator_classes,
    load_annotators,
    load_readers,
    plugin_manager,
)
from annotator.testing import fake_distribution, installed_plugins
from tests.conftest import SEEDS

BUILTINS = {"attribution", "loaded_terms", "sentiment"}


def make_annotator(annotator_name: str, version: str = "1.0") -> type[Annotator]:
    class Whole(Annotator):
        name = annotator_name

        def annotate(self, article, doc):
            yield Annotation("whole", 0, len(article.text))

    Whole.version = version
    return Whole


def plugin_registering(*classes: type[Annotator]) -> object:
    class Plugin:
        @hookimpl
        def register_annotators(self, register):
            for cls in classes:
                register(cls)

    return Plugin()


def test_builtins_load_through_entry_points():
    names = set(annotator_classes(plugin_manager()))
    assert BUILTINS <= names


def whole_package(package: str = "annotator-whole", name: str = "whole", entry_point: str = ""):
    plugin = plugin_registering(make_annotator(name))
    return fake_distribution(package, {entry_point or name: plugin}, "2.3")


def test_third_party_entry_point_adds_its_annotator():
    with installed_plugins(whole_package()):
        assert "whole" in annotator_classes(plugin_manager())


def loaded_names() -> set[str]:
    return set(annotator_classes(plugin_manager()))


def test_load_plugins_unset_loads_every_package(monkeypatch):
    monkeypatch.delenv(LOAD_PLUGINS_ENV, raising=False)
    with installed_plugins(whole_package(), whole_package("annotator-half", "half")):
        assert {"whole", "half"} | BUILTINS <= loaded_names()


def test_load_plugins_empty_loads_no_third_party_package_but_the_builtins(monkeypatch):
    monkeypatch.setenv(LOAD_PLUGINS_ENV, "")
    with installed_plugins(whole_package(), whole_package("annotator-half", "half")):
        names = loaded_names()
    assert not {"whole", "half"} & names and BUILTINS <= names


def test_load_plugins_list_loads_only_those_packages(monkeypatch):
    monkeypatch.setenv(LOAD_PLUGINS_ENV, " Annotator_Half ,")
    with installed_plugins(whole_package(), whole_package("annotator-half", "half")):
        names = loaded_names()
    assert "half" in names and "whole" not in names and BUILTINS <= names


def test_load_plugins_naming_a_package_that_is_not_installed_is_an_error(monkeypatch):
    monkeypatch.setenv(LOAD_PLUGINS_ENV, "annotator-whole,annotator-nope")
    with installed_plugins(whole_package()), pytest.raises(
        ConfigError, match=r"names annotator-nope, not an installed plugin package "
                           r"\(installed: annotator-whole\)"
    ):
        plugin_manager()


def test_old_autoload_variable_set_to_1_loads_no_third_party_package(monkeypatch):
    monkeypatch.setenv(OLD_AUTOLOAD_ENV, "1")
    with installed_plugins(whole_package()):
        names = loaded_names()
    assert "whole" not in names and BUILTINS <= names


@pytest.mark.parametrize("value", ["0", "false", "yes"])
def test_any_other_value_of_the_old_autoload_variable_is_an_error(monkeypatch, value):
    monkeypatch.setenv(OLD_AUTOLOAD_ENV, value)
    with pytest.raises(ConfigError, match=f"{OLD_AUTOLOAD_ENV}='{value}' is not understood"):
        plugin_manager()


def test_load_plugins_variable_errors_exit_2_in_one_line(monkeypatch):
    monkeypatch.setenv(OLD_AUTOLOAD_ENV, "0")
    result = CliRunner().invoke(cli, ["plugins"])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "is not understood" in result.stderr


def test_plugin_that_fails_to_import_is_named_with_its_package_and_a_way_out():
    broken = fake_distribution("annotator-broken", {"broken": "no_such_module_xyz"}, "0.4")
    with installed_plugins(broken), pytest.raises(
        PluginError, match=r"plugin 'broken' .*package annotator-broken 0\.4\) failed to load"
        r".*pip uninstall annotator-broken, or leave it out with ANNOTATOR_LOAD_PLUGINS"
    ):
        plugin_manager()


def test_duplicate_annotator_name_is_an_error_naming_both_pip_packages():
    with installed_plugins(whole_package("annotator-dup", "sentiment", "dup")), pytest.raises(
        PluginError,
        match=r"^annotator name 'sentiment' is registered twice, by plugin 'dup' "
              r"\(package annotator-dup 2\.3\) and plugin 'sentiment' \(package annotator .*\); "
              r"uninstall one \(pip uninstall annotator-dup\)$",
    ):
        annotator_classes(plugin_manager())


def test_two_packages_with_one_entry_point_name_is_an_error_naming_both():
    one = whole_package("annotator-one", "one", "same")
    two = whole_package("annotator-two", "two", "same")
    with installed_plugins(one, two), pytest.raises(
        PluginError, match=r"^plugin name 'same' is used twice, by package annotator-one 2\.3 and "
                           r"package annotator-two 2\.3; uninstall one \(pip uninstall "
                           r"annotator-one or annotator-two\)$"
    ):
        plugin_manager()


def test_misspelled_hook_is_caught_by_check_pending(tmp_path):
    plugin = tmp_path / "typo.py"
    plugin.write_text(
        "from annotator import hookimpl\n"
        "@hookimpl\n"
        "def register_annotator(register):\n"
        "    pass\n"
    )
    with pytest.raises(PluginError, match="register_annotator"):
        plugin_manager([plugin])


def test_plugin_file_is_loaded_explicitly(tmp_path):
    plugin = tmp_path / "one_off.py"
    plugin.write_text(
        "from annotator import Annotation, Annotator, hookimpl\n"
        "class Shout(Annotator):\n"
        "    name = 'shout'\n"
        "    version = '0.1'\n"
        "    def annotate(self, article, doc):\n"
        "        return []\n"
        "@hookimpl\n"
        "def register_annotators(register):\n"
        "    register(Shout)\n"
    )
    assert "shout" in annotator_classes(plugin_manager([plugin]))


def test_plugin_file_with_syntax_error_is_named(tmp_path):
    plugin = tmp_path / "bad.py"
    plugin.write_text("def broken(:\n")
    with pytest.raises(PluginError, match=r"bad\.py failed to load: SyntaxError"):
        plugin_manager([plugin])


def test_registering_a_non_annotator_is_an_error(monkeypatch):
    class Plugin:
        @hookimpl
        def register_annotators(self, register):
            register(object)

    manager = plugin_manager()
    manager.register(Plugin(), name="odd")
    with pytest.raises(PluginError, match="'odd' registered .*not a subclass of Annotator"):
        annotator_classes(manager)


def test_hook_implementation_may_take_fewer_arguments():
    class Plugin:
        @hookimpl
        def register_annotators(self):
            pass

    manager = plugin_manager()
    manager.register(Plugin(), name="quiet")
    assert BUILTINS <= set(annotator_classes(manager))


def test_only_and_disable_select_annotators():
    assert [a.name for a in load_annotators(only=["sentiment"])] == ["sentiment"]
    names = {a.name for a in load_annotators(disable=["sentiment"])}
    assert "sentiment" not in names and "attribution" in names


def test_unknown_annotator_in_only_is_an_error():
    with pytest.raises(ConfigError, match="--only: unknown annotator.*nope"):
        load_annotators(only=["nope"])


def test_unknown_setting_is_an_error():
    with pytest.raises(ConfigError, match="'sentiment': unknown setting.*colour"):
        load_annotators(only=["sentiment"], settings={"sentiment": {"colour": "red"}})


def make_reader(reader_name: str, suffix: str, sniffed: bytes | None = None) -> type[Reader]:
    class Lines(Reader):
        name = reader_name
        suffixes = (suffix,)

        def sniff(self, head):
            return sniffed is not None and head.startswith(sniffed)

        def read(self, source):
            for number, line in enumerate(source.read_text().splitlines(), start=1):
                yield Article(id=f"{source.article_id}-{number}", text=line,
                              source_path=f"{source.name}:{number}")

    return Lines


def reader_plugin(*classes: type[Reader]) -> object:
    class Plugin:
        @hookimpl
        def register_readers(self, register):
            for cls in classes:
                register(cls)

    return Plugin()


def test_a_plugin_reader_reads_its_suffix_and_sniffs_others(tmp_path):
    lines = reader_plugin(make_reader("lines", ".lines", sniffed=b"LINES"))
    (tmp_path / "a.lines").write_text("one\ntwo")
    (tmp_path / "b.dat").write_text("LINES\nthree")
    with installed_plugins(fake_distribution("annotator-lines", {"lines": lines})):
        readers = load_readers(plugin_manager())
    assert [a.id for a in readers.read([str(tmp_path)])] == ["a-1", "a-2"]
    assert [a.text for a in readers.read([str(tmp_path / "b.dat")])] == ["LINES", "three"]


def test_two_readers_claiming_one_suffix_is_an_error():
    mytext = reader_plugin(make_reader("mytext", ".txt"))
    with installed_plugins(fake_distribution("annotator-mytext", {"mytext": mytext})), \
            pytest.raises(PluginError, match=r"readers 'mytext' and 'text' both claim \.txt"):
        load_readers(plugin_manager())


def test_reader_settings_for_an_unknown_reader_are_an_error():
    with pytest.raises(ConfigError, match="unknown reader.*: nope"):
        load_readers(plugin_manager(), {"nope": {}})


class Typed(Annotator):
    name = "typed"
    version = "1.0"
    default_settings = {"words": ["a"], "threshold": 0.5, "limit": 3, "strict": False,
                        "label": "x", "path": None}


@pytest.mark.parametrize("settings, message", [
    ({"words": "a"}, "setting words expects a list of strings, got 'a' (a string)"),
    ({"words": ["a", 1]}, "setting words expects a list of strings, got ['a', 1] (a list)"),
    ({"threshold": "high"}, "setting threshold expects a number, got 'high' (a string)"),
    ({"limit": 2.5}, "setting limit expects an integer, got 2.5 (a number)"),
    ({"limit": True}, "setting limit expects an integer, got True (a boolean)"),
    ({"strict": 1}, "setting strict expects a boolean, got 1 (an integer)"),
    ({"label": None}, "setting label expects a string, got None"),
])
def test_a_setting_of_the_wrong_type_is_one_line_naming_setting_type_and_value(settings, message):
    with pytest.raises(ConfigError) as raised:
        Typed(**settings)
    assert str(raised.value) == f"annotator 'typed': {message}"


def test_settings_of_the_default_types_are_accepted():
    typed = Typed(words=("b", "c"), threshold=1, limit=7, strict=True, label="y", path=42)
    assert typed.settings["threshold"] == 1 and typed.settings["path"] == 42


def test_a_declared_settings_schema_replaces_the_default_types():
    class Schemed(Typed):
        settings_schema = {"type": "object", "properties": {
            "path": {"type": "string"}, "limit": {"type": "integer", "minimum": 1}}}

    assert Schemed(path="x.yaml", words="a").settings["path"] == "x.yaml"
    with pytest.raises(ConfigError, match=r"^annotator 'typed': setting path: 42 is not of type "
                                          r"'string'$"):
        Schemed(path=42)
    with pytest.raises(ConfigError, match="setting limit: 0 is less than the minimum of 1"):
        Schemed(limit=0)


def test_readers_check_setting_types_too():
    class Sized(Reader):
        name = "sized"
        default_settings = {"max_bytes": 1000}

    with pytest.raises(ConfigError, match="^reader 'sized': setting max_bytes expects an integer"):
        Sized(max_bytes="1 kB")


def test_configuration_with_a_wrong_type_exits_2_in_one_line(tmp_path):
    config = tmp_path / "annotator.toml"
    config.write_text('[tool.annotator.loaded_terms]\nextra_lexicons = "mine.yaml"\n')
    result = CliRunner().invoke(cli, [str(SEEDS), "--config", str(config), "-o",
                                      str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.stderr == ("error: annotator 'loaded_terms': setting extra_lexicons expects a "
                             "list, got 'mine.yaml' (a string)\n")


def test_plugins_command_shows_package_version_hooks_and_annotators_of_each_plugin(tmp_path):
    plugin = tmp_path / "shout.py"
    plugin.write_text(
        "from annotator import Annotator, hookimpl\n"
        "class Shout(Annotator):\n"
        "    name = 'shout'\n"
        "    version = '0.7'\n"
        "    requires = ('parser',)\n"
        "    uses = ('attribution',)\n"
        "    def annotate(self, article, doc):\n"
        "        return []\n"
        "@hookimpl\n"
        "def register_annotators(register):\n"
        "    register(Shout)\n"
    )
    with installed_plugins(whole_package()):
        result = CliRunner().invoke(cli, ["plugins", "--plugin", str(plugin)])
        as_json = CliRunner().invoke(cli, ["plugins", "--json"])
    assert result.exit_code == 0, result.output
    blocks = {block.splitlines()[0]: block.splitlines()[1:]
              for block in re.split(r"\n(?=\S)", result.stdout.strip())}
    assert blocks["whole  (annotator-whole 2.3)"] == ["  hooks: register_annotators",
                                                      "  annotator whole 1.0"]
    assert blocks[f"file:{plugin}  (file {plugin})"] == [
        "  hooks: register_annotators",
        "  annotator shout 0.7  (requires parser; uses attribution)"]
    assert blocks["readers  (annotator 0.1.0, built-in)"][0] == "  hooks: register_readers"
    described = {entry["name"]: entry for entry in json.loads(as_json.stdout)}
    assert described["whole"]["package"] == "annotator-whole"
    assert described["sentiment"]["builtin"] is True
    assert described["sentiment"]["annotators"][0]["attributes_schema"].endswith(
        "attributes/sentiment.json")
