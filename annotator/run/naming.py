"""Output file names: an article id becomes a safe, unique path inside the output folder.

An id made of ``/``-separated parts, each a plain name, keeps its shape:
``politics/2024/story-1`` is written to ``politics/2024/story-1.json``. A part is
plain when it is not empty, does not start with ``.``, has no control character
or backslash, and is at most 100 bytes in UTF-8. Any other id (too long, a NUL or
newline, ``..``, a hidden name, a leading or doubled ``/``) becomes one file at the
top of the folder: a slug of the id, ``-``, and the first 12 hex digits of the
id's sha256, as in ``my-odd-id-3f2a9c1b7d4e.json``. The id itself is always kept,
unchanged, in the record's ``article.id``. The empty id is not an id: such an
article is reported and skipped.
"""

from __future__ import annotations

import hashlib
import re

MAX_PART_BYTES = 100  # leaves room for ".json" and the temporary-file affixes under 255
SLUG_CHARS = 60
UNSAFE = re.compile(r"[\x00-\x1f\x7f\\]")
NOT_SLUG = re.compile(r"[^A-Za-z0-9_-]+")


def is_plain(part: str) -> bool:
    return (
        bool(part)
        and not part.startswith(".")
        and not UNSAFE.search(part)
        and len(part.encode("utf-8", "surrogatepass")) <= MAX_PART_BYTES
    )


def record_name(article_id: str, suffix: str = ".json") -> str:
    """The relative path (``/``-separated) of the file for ``article_id``."""
    if not article_id:
        raise ValueError("the empty string is not an article id")
    parts = article_id.split("/")
    if all(map(is_plain, parts)):
        return article_id + suffix
    digest = hashlib.sha256(article_id.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    slug = NOT_SLUG.sub("-", article_id).strip("-")[:SLUG_CHARS].strip("-") or "article"
    return f"{slug}-{digest}{suffix}"
