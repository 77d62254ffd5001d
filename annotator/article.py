"""Reading inputs (.txt, .md, .jsonl, folders, stdin) into Article records."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError

TEXT_SUFFIXES = (".txt", ".md")
CORPUS_SUFFIXES = (".jsonl",)
OPTIONAL_FIELDS = ("title", "source", "url", "date")


@dataclass(frozen=True)
class Article:
    """One article: its text exactly as read (after decoding), and where it came from."""

    id: str
    text: str
    source_path: str
    title: str | None = None
    source: str | None = None
    url: str | None = None
    date: str | None = None


def decode(data: bytes, where: str) -> str:
    """UTF-8 with or without BOM; binary or undecodable bytes are an InputError."""
    if b"\x00" in data:
        raise InputError(f"{where}: binary file (contains NUL bytes), skipped")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            f"{where}: not valid UTF-8 (byte {error.start}: {data[error.start:error.start + 1]!r})"
        ) from None


def title_of(text: str) -> str | None:
    """The first non-empty line, without Markdown heading marks."""
    for line in text.splitlines():
        if line.strip():
            return line.strip().lstrip("#").strip() or None
    return None


def text_article(article_id: str, text: str, source_path: str) -> Article:
    if not text.strip():
        raise InputError(f"{source_path}: empty article, skipped")
    return Article(id=article_id, text=text, source_path=source_path, title=title_of(text))


def jsonl_articles(path: Path, lines: list[str]) -> Iterator[Article | InputError]:
    """One article per JSON line with ``id`` and ``text``; bad lines become errors."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            yield InputError(f"{where}: malformed JSON ({error.msg}), skipped")
            continue
        if not isinstance(record, dict):
            yield InputError(f"{where}: expected a JSON object, skipped")
            continue
        missing = [key for key in ("id", "text") if not isinstance(record.get(key), str)]
        if missing:
            yield InputError(f"{where}: missing string field(s) {', '.join(missing)}, skipped")
            continue
        if not record["text"].strip():
            yield InputError(f"{where}: empty text, skipped")
            continue
        extra = {k: str(record[k]) for k in OPTIONAL_FIELDS if record.get(k) is not None}
        yield Article(id=record["id"], text=record["text"], source_path=where, **extra)


def file_articles(path: Path, article_id: str) -> Iterator[Article | InputError]:
    try:
        text = decode(path.read_bytes(), str(path))
        if path.suffix == ".jsonl":
            yield from jsonl_articles(path, text.splitlines())
        else:
            yield text_article(article_id, text, str(path))
    except InputError as error:
        yield error
    except OSError as error:
        yield InputError(f"{path}: cannot read ({error.strerror})")


def read_articles(paths: list[str]) -> Iterator[Article | InputError]:
    """Yield articles from files, folders (recursive, sorted) and ``-`` (stdin).

    Problems come back as InputError values in place, so one bad file never
    stops the rest. A folder's article ids are paths relative to it, without
    the suffix; a file's id is its stem.
    """
    for name in paths:
        if name == "-":
            try:
                yield text_article("stdin", decode(sys.stdin.buffer.read(), "<stdin>"), "<stdin>")
            except InputError as error:
                yield error
            continue
        path = Path(name)
        if path.is_dir():
            files = sorted(
                p for p in path.rglob("*")
                if p.is_file() and p.suffix in TEXT_SUFFIXES + CORPUS_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not files:
                yield InputError(f"{path}: no .txt, .md or .jsonl files found")
            for file in files:
                yield from file_articles(file, file.relative_to(path).with_suffix("").as_posix())
        elif path.is_file():
            yield from file_articles(path, path.stem)
        else:
            yield InputError(f"{path}: no such file or folder")
