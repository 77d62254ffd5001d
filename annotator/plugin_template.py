"""``annotate new-plugin``: write a plugin package from the template in templates/plugin/."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .errors import ConfigError

NAME = re.compile(r"[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*")

# template file -> path in the package ({module} is the import name)
FILES = {
    "pyproject.toml.j2": "pyproject.toml",
    "README.md.j2": "README.md",
    "gitignore.j2": ".gitignore",
    "module.py.j2": "{module}/__init__.py",
    "attributes.json.j2": "{module}/attributes.json",
    "test_plugin.py.j2": "tests/test_{annotator}.py",
    "workflow.yml.j2": ".github/workflows/test.yml",
}


@dataclass(frozen=True)
class PluginNames:
    """The names one plugin goes by, from what the user typed (``anonymous-sources``)."""

    annotator: str  # anonymous_sources: the annotator's name, a JSON key
    package: str  # annotator-anonymous-sources: the pip package
    module: str  # annotator_anonymous_sources: the import name
    class_name: str  # AnonymousSources

    @classmethod
    def parse(cls, name: str) -> PluginNames:
        bare = name.lower().removeprefix("annotator-").removeprefix("annotator_")
        if not NAME.fullmatch(bare):
            raise ConfigError(
                f"plugin name {name!r}: use letters, digits, '-' or '_', starting with a letter"
            )
        words = re.split(r"[-_]", bare)
        return cls(
            annotator="_".join(words),
            package="annotator-" + "-".join(words),
            module="annotator_" + "_".join(words),
            class_name="".join(word.capitalize() for word in words),
        )


def write_plugin(names: PluginNames, parent: Path) -> list[Path]:
    """Write the package into ``parent/<package>/``; return the files written.

    An existing folder is a ConfigError: nothing is overwritten.
    """
    from jinja2 import Environment, PackageLoader, StrictUndefined

    root = parent / names.package
    if root.exists():
        raise ConfigError(f"{root} already exists")
    environment = Environment(
        loader=PackageLoader("annotator", "templates/plugin"), autoescape=False,
        keep_trailing_newline=True, undefined=StrictUndefined,
    )
    values = {**vars(names), "annotator_version": __version__}
    written = []
    for template, target in FILES.items():
        path = root / target.format(**values)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(environment.get_template(template).render(values), encoding="utf-8")
        written.append(path)
    return written
