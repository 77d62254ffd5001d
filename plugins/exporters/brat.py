"""brat standoff: ``<id>.txt`` and ``<id>.ann`` per article, with ``annotation.conf``.

Every annotation is a text-bound ``T`` line typed ``<annotator>-<label>``; sub-spans named
in ``relations`` (the attribution cue's source and content) get their own ``T`` lines and a
binary relation from the cue (``R1<TAB>Source Arg1:T1 Arg2:T2``), which brat shows as an
arc and INCEpTION's brat import reads into its Relation layer. Chosen attributes become
brat attributes (``A`` lines). A span that crosses a line break is written as fragments
that skip the break, as brat requires (so a span's line breaks at its very edges are
dropped, and a span of nothing but line breaks is not written). Offsets count code points
by default (the standoff convention, and what ``annotate eval`` and other Python tools
read); ``offsets = "utf16"`` counts UTF-16 code units instead, as Java tools such as
INCEpTION do. docs/export.md says where each tool stands.
"""

from __future__ import annotations

import re
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from annotator import ConfigError, Exporter

from .files import ArticleFiles, selected, sub_spans, write_exact

LINE_BREAK = re.compile(r"\r\n|[\r\n\u2028\u2029\x85\x0b\x0c]")
TYPE_CHARACTERS = re.compile(r"[^A-Za-z0-9_-]")
OFFSET_UNITS = ("codepoints", "utf16")


def brat_type(*parts: str) -> str:
    return TYPE_CHARACTERS.sub("_", "-".join(parts))


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``[start, end)`` cut at line breaks (which brat cannot show in a span), empty pieces
    dropped: a span that begins or ends with a line break loses it, one that is nothing but
    line breaks has no fragments."""
    pieces, position = [], start
    for match in LINE_BREAK.finditer(text[:end], start):
        pieces.append((position, match.start()))
        position = match.end()
    pieces.append((position, end))
    return [(s, e) for s, e in pieces if e > s]


class Utf16Offsets:
    """Code-point offsets of one text as UTF-16 code-unit offsets."""

    def __init__(self, text: str) -> None:
        self.units = [0]
        for character in text:
            self.units.append(self.units[-1] + (2 if ord(character) > 0xFFFF else 1))

    def __getitem__(self, offset: int) -> int:
        return self.units[offset]


class Standoff:
    """The lines of one ``.ann`` file, numbered as brat expects."""

    def __init__(self, text: str, units: str) -> None:
        self.text = text
        self.convert = Utf16Offsets(text).__getitem__ if units == "utf16" else int
        self.lines: list[str] = []
        self.counts: dict[str, int] = defaultdict(int)

    def next_id(self, prefix: str) -> str:
        self.counts[prefix] += 1
        return f"{prefix}{self.counts[prefix]}"

    def span(self, kind: str, start: int, end: int) -> str | None:
        """The new ``T`` id, or None for a span of nothing but line breaks (not written)."""
        parts = fragments(self.text, start, end)
        if not parts:
            return None
        offsets = ";".join(f"{self.convert(s)} {self.convert(e)}" for s, e in parts)
        covered = " ".join(self.text[s:e] for s, e in parts)
        identifier = self.next_id("T")
        self.lines.append(f"{identifier}\t{kind} {offsets}\t{covered}")
        return identifier

    def relation(self, kind: str, head: str, tail: str) -> None:
        self.lines.append(f"{self.next_id('R')}\t{kind} Arg1:{head} Arg2:{tail}")

    def attribute(self, name: str, target: str, value: str | None) -> None:
        suffix = f" {value}" if value is not None else ""
        self.lines.append(f"{self.next_id('A')}\t{name} {target}{suffix}")


class BratExporter(Exporter):
    """A brat collection: the texts exactly as annotated, their standoff, and the config."""

    name = "brat"
    description = "brat standoff (.txt + .ann, annotation.conf) for brat and INCEpTION"
    default_settings = {
        "skip": [],
        "relations": {"attribution": ["source", "content"]},
        "attributes": {"attribution": ["stance", "quote_type"], "loaded_terms": ["category"]},
        "offsets": "codepoints",
        "zip": False,
    }

    def __init__(self, **settings: Any) -> None:
        super().__init__(**settings)
        if self.settings["offsets"] not in OFFSET_UNITS:
            raise ConfigError(f"exporter 'brat': offsets must be one of {', '.join(OFFSET_UNITS)}")

    def standoff(self, record: Mapping[str, Any], config: dict[str, Any]) -> Standoff:
        text = record["article"]["text"]
        standoff = Standoff(text, self.settings["offsets"])
        for annotation in selected(record["annotations"], self.settings["skip"]):
            name = annotation["annotator"]
            kind = brat_type(name, annotation["label"])
            config["entities"].add(kind)
            head = standoff.span(kind, annotation["start"], annotation["end"])
            if head is None:
                continue
            for key, span in sub_spans(annotation):
                if key in self.settings["relations"].get(name, ()):
                    part_kind, relation = brat_type(name, key), brat_type(key.capitalize())
                    config["entities"].add(part_kind)
                    config["relations"][relation].add((kind, part_kind))
                    tail = standoff.span(part_kind, span["start"], span["end"])
                    if tail is not None:
                        standoff.relation(relation, head, tail)
            for key in self.settings["attributes"].get(name, ()):
                value = (annotation.get("attributes") or {}).get(key)
                if isinstance(value, bool) and value:
                    config["attributes"][brat_type(key)].setdefault(kind, set())
                    standoff.attribute(brat_type(key), head, None)
                elif isinstance(value, str) and value:
                    config["attributes"][brat_type(key)][kind].add(brat_type(value))
                    standoff.attribute(brat_type(key), head, brat_type(value))
        return standoff

    def export(self, records: Iterable[dict[str, Any]], output: Path) -> None:
        config: dict[str, Any] = {
            "entities": set(),
            "relations": defaultdict(set),
            "attributes": defaultdict(lambda: defaultdict(set)),
        }
        files = ArticleFiles(output)
        for record in records:
            article = record["article"]
            ann = "".join(line + "\n" for line in self.standoff(record, config).lines)
            if self.settings["zip"]:
                write_zip(files.path(article["id"], ".zip"), article["text"], ann)
                continue
            write_exact(files.path(article["id"], ".txt"), article["text"])
            files.path(article["id"], ".ann").write_text(
                ann, encoding="utf-8", newline="\n"
            )
        (output / "annotation.conf").write_text(
            "\n".join(annotation_conf(config)) + "\n", encoding="utf-8"
        )


def write_zip(path: Path, text: str, ann: str) -> None:
    """``<id>.zip`` holding ``<name>.txt`` and ``<name>.ann``, as INCEpTION's brat import
    wants one document per file; fixed timestamps keep the bytes reproducible."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for suffix, content in ((".txt", text), (".ann", ann)):
            entry = zipfile.ZipInfo(path.stem + suffix, date_time=(1980, 1, 1, 0, 0, 0))
            archive.writestr(entry, content.encode("utf-8"), zipfile.ZIP_DEFLATED)


def annotation_conf(config: Mapping[str, Any]) -> Iterator[str]:
    """brat's ``annotation.conf``: the entity, relation and attribute types used."""
    yield "[entities]"
    yield from sorted(config["entities"])
    yield "[relations]"
    for relation, pairs in sorted(config["relations"].items()):
        heads = "|".join(sorted({head for head, _ in pairs}))
        tails = "|".join(sorted({tail for _, tail in pairs}))
        yield f"{relation}\tArg1:{heads}, Arg2:{tails}"
    yield "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>"
    yield "[events]"
    yield "[attributes]"
    for name, by_type in sorted(config["attributes"].items()):
        targets = "|".join(sorted(by_type))
        values = sorted(set().union(*by_type.values()))
        yield f"{name}\tArg:{targets}" + (f", Value:{'|'.join(values)}" if values else "")
