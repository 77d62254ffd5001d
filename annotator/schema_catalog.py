"""Where attribute schemas come from: the published ones, files beside the output, plugins.

Every record names, for each annotator in its provenance, the JSON Schema its
``attributes`` were written against: ``{"$id": ..., "sha256": ...}``, the sha256
being that of the schema's canonical JSON (keys sorted, no spaces, UTF-8), or
``null`` when the annotator declares no schema. ``annotate`` writes each schema
the tool does not publish itself (third-party plugins') into
``.schemas/<annotator>-<sha256>.json`` in its output folder, so that ``annotate
validate`` finds every schema there, among the published ones, or in an
installed plugin, without importing spaCy.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from .schema import SCHEMA_PACKAGE, Problem, pointer

SCHEMAS_FOLDER = ".schemas"


def schema_sha256(schema: Mapping[str, Any]) -> str:
    """The sha256 of a schema's canonical JSON (sorted keys, no spaces, UTF-8)."""
    canonical = json.dumps(schema, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def schema_reference(schema: Mapping[str, Any] | None) -> dict[str, str] | None:
    """``{"$id", "sha256"}`` naming ``schema`` in provenance (no ``$id`` key if it has none)."""
    if schema is None:
        return None
    reference = {"$id": schema["$id"]} if isinstance(schema.get("$id"), str) else {}
    return {**reference, "sha256": schema_sha256(schema)}


@cache
def published_schemas() -> dict[str, dict[str, Any]]:
    """Every schema shipped with the tool, by its path under schemas/ (``attributes/x.json``)."""
    found: dict[str, dict[str, Any]] = {}
    root = files(SCHEMA_PACKAGE)
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        children = sorted(entry.iterdir(), key=lambda e: e.name) if entry.is_dir() else [entry]
        prefix = f"{entry.name}/" if entry.is_dir() else ""
        for child in children:
            if child.name.endswith(".json"):
                found[prefix + child.name] = json.loads(child.read_text(encoding="utf-8"))
    return found


def schema_file_name(annotator: str, sha256: str) -> str:
    return f"{annotator}-{sha256}.json"


@cache
def published_hashes() -> frozenset[str]:
    return frozenset(schema_sha256(schema) for schema in published_schemas().values())


def write_schemas(out_dir: Path, schemas: Mapping[str, Mapping[str, Any] | None]) -> None:
    """Write each annotator's attribute schema into ``out_dir/.schemas/`` (once per hash).

    Schemas the tool publishes itself (the built-ins') ship with ``annotate validate``
    and are not copied.
    """
    from .atomic import write_atomically

    for name, schema in sorted(schemas.items()):
        if schema is None or schema_sha256(schema) in published_hashes():
            continue
        path = out_dir / SCHEMAS_FOLDER / schema_file_name(name, schema_sha256(schema))
        if not path.is_file():
            write_atomically(path, json.dumps(schema, indent=2, ensure_ascii=False) + "\n")


class SchemaCatalog:
    """Finds, for one record, the attribute schema each of its annotators was written against.

    Looked for by sha256 in order: the published schemas, ``.schemas/`` folders
    in the record file's folder or any folder above it, then the installed
    plugins and ``plugin_files`` (loaded only if needed, as loading may import
    their dependencies).
    """

    def __init__(self, plugin_files: Iterable[str | Path] = ()) -> None:
        self.plugin_files = tuple(plugin_files)
        self.by_hash = {schema_sha256(s): s for s in published_schemas().values()}
        self._installed: dict[str, dict[str, Any] | None] | None = None
        self._folders: dict[Path, list[Path]] = {}

    def installed(self) -> dict[str, dict[str, Any] | None]:
        """Each installed annotator's attribute schema (None if it declares none), by name."""
        if self._installed is None:
            from .plugins import annotator_classes, plugin_manager

            classes = annotator_classes(plugin_manager(self.plugin_files))
            self._installed = {name: cls.attributes_schema for name, cls in classes.items()}
            self.by_hash |= {schema_sha256(s): s for s in self._installed.values() if s}
        return self._installed

    def schema_folders(self, directory: Path) -> list[Path]:
        """The ``.schemas`` folders in ``directory`` and the folders above it, nearest first."""
        directory = directory.resolve()
        if directory not in self._folders:
            here = [directory / SCHEMAS_FOLDER] if (directory / SCHEMAS_FOLDER).is_dir() else []
            above = self.schema_folders(directory.parent) if directory.parent != directory else []
            self._folders[directory] = here + above
        return self._folders[directory]

    def beside(self, path: Path | None, name: str, sha256: str) -> dict[str, Any] | None:
        if path is None:
            return None
        for folder in self.schema_folders(path.parent):
            candidate = folder / schema_file_name(name, sha256)
            try:
                schema = json.loads(candidate.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if isinstance(schema, dict) and schema_sha256(schema) == sha256:
                self.by_hash[sha256] = schema
                return schema
        return None

    def find(self, name: str, sha256: str, path: Path | None) -> dict[str, Any] | None:
        if sha256 in self.by_hash:
            return self.by_hash[sha256]
        if schema := self.beside(path, name, sha256):
            return schema
        self.installed()
        return self.by_hash.get(sha256)

    def schemas_for(
        self, record: Mapping[str, Any], path: Path | None = None
    ) -> tuple[dict[str, dict[str, Any]], list[Problem]]:
        """The attribute schema of each annotator in ``record``'s provenance, and one
        problem per annotator whose schema cannot be found (its attributes go unchecked).
        ``record`` must already match the record schema."""
        schemas: dict[str, dict[str, Any]] = {}
        unchecked: list[Problem] = []
        for index, entry in enumerate(record["provenance"]["annotators"]):
            name = entry["name"]
            at = pointer("provenance", "annotators", index)
            if "attributes_schema" not in entry:  # written before schemas were named
                installed = self.installed()
                if name not in installed:
                    unchecked.append(Problem(at, f"cannot check the attributes of {name!r}: "
                                                 "the file names no schema and no installed "
                                                 "plugin provides it", unchecked=True))
                elif schema := installed[name]:
                    schemas[name] = schema
                continue
            reference = entry["attributes_schema"]
            if reference is None:
                continue
            if schema := self.find(name, reference["sha256"], path):
                schemas[name] = schema
                continue
            unchecked.append(Problem(at, self.unavailable(name, reference), unchecked=True))
        return schemas, unchecked

    def unavailable(self, name: str, reference: Mapping[str, str]) -> str:
        schema_id = reference.get("$id", "without $id")
        message = (f"cannot check the attributes of {name!r}: its schema {schema_id} "
                   f"(sha256 {reference['sha256'][:12]}…) is not installed and not in a "
                   f"{SCHEMAS_FOLDER} folder beside the file")
        if installed := self.installed().get(name):
            message += f" (the installed {name!r} has sha256 {schema_sha256(installed)[:12]}…)"
        return message
