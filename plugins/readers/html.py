"""Saved web pages: the article body, title, site name, date and canonical URL, via trafilatura.

Navigation, adverts, related links and comment sections are left out. The record stores
the extracted text, and every offset points into it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from annotator import Article, InputError, Reader, Source, article_from_fields

HTML_START = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b",
                        re.I | re.S)
WORD = re.compile(r"\w+")
EXTRA_FIELDS = ("author", "hostname", "description", "language", "categories", "tags")


class HtmlReader(Reader):
    """One article per page, extracted with trafilatura (no network access).

    A page whose extracted text has fewer than ``min_words`` words (a navigation-only
    page, an index, a login wall) is reported and skipped. ``source`` overrides the
    site name for every page.
    """

    name = "html"
    suffixes = (".html", ".htm")
    default_settings = {
        "favor_precision": False, "include_tables": True, "min_words": 15, "source": None,
    }

    def sniff(self, head: bytes) -> bool:
        return bool(HTML_START.match(head))

    def read(self, source: Source) -> Iterator[Article | InputError]:
        try:
            from trafilatura import bare_extraction
        except ImportError:
            raise InputError(f"{source.name}: reading HTML needs trafilatura "
                             "(pip install 'annotator[interchange]'), skipped") from None
        page = source.read_text()
        document = bare_extraction(
            page, with_metadata=True, include_comments=False,
            include_tables=self.settings["include_tables"],
            favor_precision=self.settings["favor_precision"],
        )
        text = (document.text or "").strip() if document is not None else ""
        words = len(WORD.findall(text))
        if words < self.settings["min_words"]:
            raise InputError(
                f"{source.name}: no article body found in the page ({words} words extracted, "
                f"min_words is {self.settings['min_words']}), skipped"
            )
        found = document.as_dict()
        fields: dict[str, Any] = {
            "id": source.article_id,
            "text": text,
            "title": found.get("title"),
            "source": self.settings["source"] or found.get("sitename"),
            "url": found.get("url"),
            "date": found.get("date"),
        }
        fields.update({key: found[key] for key in EXTRA_FIELDS if found.get(key)})
        yield article_from_fields(
            {key: value for key, value in fields.items() if value is not None}, source.name
        )
