"""Output file names: an article id becomes a safe, unique path inside an output folder.

Every writer names an article's files here: the run's records, and every exporter.

An id is first normalised as a path: empty and ``.`` parts are dropped, so ``./a`` is
``a`` and ``x//y`` is ``x/y``. If every part is then plain, the id keeps its shape:
``politics/2024/story-1`` is written to ``politics/2024/story-1.json``. A part is plain
when it is not empty, does not start with ``.``, has no control character or backslash,
and is at most 100 bytes in UTF-8. Any other id (too long, a NUL or newline, ``..``, a
hidden name) becomes one file at the top of the folder: a slug of the id, ``-``, and the
first 12 hex digits of the id's sha256, as in ``my-odd-id-3f2a9c1b7d4e.json``. So does an
id whose last part is one of the names ``annotate compare`` writes (``RESERVED``: an
article ``events`` would otherwise be ``events.json``, which readers skip as compare's).
The id itself is always kept, unchanged, in the record's ``article.id``. The empty id is
not an id: such an article is reported and skipped.

Two ids with one file name (``a`` and ``./a``) are an error naming both: ``FileNames``.
"""

from __future__ import annotations

import hashlib
import re

from ..errors import InputError

MAX_PART_BYTES = 100  # leaves room for ".json" and the temporary-file affixes under 255
SLUG_CHARS = 60
UNSAFE = re.compile(r"[\x00-\x1f\x7f\\]")
NOT_SLUG = re.compile(r"[^A-Za-z0-9_-]+")
RESERVED = frozenset({"comparison", "differences", "events", "index", "profile", "report"})


def is_plain(part: str) -> bool:
    return (
        bool(part)
        and not part.startswith(".")
        and not UNSAFE.search(part)
        and len(part.encode("utf-8", "surrogatepass")) <= MAX_PART_BYTES
    )


def file_stem(article_id: str) -> str:
    """The relative path (``/``-separated, no suffix) that ``article_id``'s files take."""
    if not article_id:
        raise ValueError("the empty string is not an article id")
    parts = [part for part in article_id.split("/") if part not in ("", ".")]
    if parts and all(map(is_plain, parts)) and parts[-1].casefold() not in RESERVED:
        return "/".join(parts)
    digest = hashlib.sha256(article_id.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    slug = NOT_SLUG.sub("-", article_id).strip("-")[:SLUG_CHARS].strip("-") or "article"
    return f"{slug}-{digest}"


def record_name(article_id: str, suffix: str = ".json") -> str:
    """The relative path (``/``-separated) of the file for ``article_id``."""
    return file_stem(article_id) + suffix


class FileNames:
    """The file stems given out in one output folder: a second id with a stem already
    given (``a`` after ``./a``, or ``A`` after ``a``: one file on macOS and Windows) is an
    InputError naming both ids."""

    def __init__(self) -> None:
        self.owners: dict[str, str] = {}

    def claim(self, article_id: str) -> str:
        """``article_id``'s file stem, reserved for it (claiming it again is fine)."""
        stem = file_stem(article_id)
        owner = self.owners.setdefault(stem.casefold(), article_id)
        if owner != article_id:
            raise InputError(f"article ids {owner!r} and {article_id!r} would be written to "
                             f"one file name ({stem!r}); give one of them another id")
        return stem
