"""Plugin discovery, registration and selection."""

from __future__ import annotations

import pytest

from annotator import Annotation, Annotator, Article, ConfigError, PluginError, Reader, hookimpl
from annotator.plugins import (
    AUTOLOAD_OFF_ENV,
    annotator_classes,
    load_annotators,
    load_readers,
    plugin_manager,
)
from tests.fakes import FakeDistribution, fake_module, install_fake_distributions

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


def test_third_party_entry_point_adds_its_annotator(monkeypatch):
    fake_module(monkeypatch, "fake_whole", plugin=plugin_registering(make_annotator("whole")))
    install_fake_distributions(
        monkeypatch, FakeDistribution("annotator-whole", {"whole": "fake_whole:plugin"})
    )
    assert "whole" in annotator_classes(plugin_manager())


def test_autoload_off_skips_third_party_but_keeps_builtins(monkeypatch):
    fake_module(monkeypatch, "fake_whole", plugin=plugin_registering(make_annotator("whole")))
    install_fake_distributions(
        monkeypatch, FakeDistribution("annotator-whole", {"whole": "fake_whole:plugin"})
    )
    monkeypatch.setenv(AUTOLOAD_OFF_ENV, "1")
    names = set(annotator_classes(plugin_manager()))
    assert "whole" not in names
    assert BUILTINS <= names


def test_plugin_that_fails_to_import_is_named(monkeypatch):
    install_fake_distributions(
        monkeypatch, FakeDistribution("annotator-broken", {"broken": "no_such_module_xyz"})
    )
    with pytest.raises(PluginError, match=r"plugin 'broken' .*annotator-broken.*failed to load"):
        plugin_manager()


def test_duplicate_annotator_name_is_an_error(monkeypatch):
    fake_module(monkeypatch, "fake_dup", plugin=plugin_registering(make_annotator("sentiment")))
    install_fake_distributions(
        monkeypatch, FakeDistribution("annotator-dup", {"dup": "fake_dup:plugin"})
    )
    with pytest.raises(PluginError, match="'sentiment' is registered twice"):
        annotator_classes(plugin_manager())


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


def test_a_plugin_reader_reads_its_suffix_and_sniffs_others(monkeypatch, tmp_path):
    fake_module(monkeypatch, "fake_lines", plugin=reader_plugin(make_reader("lines", ".lines",
                                                                           sniffed=b"LINES")))
    install_fake_distributions(
        monkeypatch, FakeDistribution("annotator-lines", {"lines": "fake_lines:plugin"})
    )
    (tmp_path / "a.lines").write_text("one\ntwo")
    (tmp_path / "b.dat").write_text("LINES\nthree")
    readers = load_readers(plugin_manager())
    assert [a.id for a in readers.read([str(tmp_path)])] == ["a-1", "a-2"]
    assert [a.text for a in readers.read([str(tmp_path / "b.dat")])] == ["LINES", "three"]


def test_two_readers_claiming_one_suffix_is_an_error(monkeypatch):
    fake_module(monkeypatch, "fake_txt", plugin=reader_plugin(make_reader("mytext", ".txt")))
    install_fake_distributions(
        monkeypatch, FakeDistribution("annotator-mytext", {"mytext": "fake_txt:plugin"})
    )
    with pytest.raises(PluginError, match=r"readers 'mytext' and 'text' both claim \.txt files"):
        load_readers(plugin_manager())


def test_reader_settings_for_an_unknown_reader_are_an_error():
    with pytest.raises(ConfigError, match="unknown reader.*: nope"):
        load_readers(plugin_manager(), {"nope": {}})
