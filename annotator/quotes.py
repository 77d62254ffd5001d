"""Quotation detection shared by annotators: pairs curly, straight and «guillemet» marks."""

from __future__ import annotations

import re
from dataclasses import dataclass

DOUBLE_OPENERS = "“«„"
DOUBLE_CLOSERS = "”»"
SINGLE_OPENER = "‘"
SINGLE_CLOSER = "’"
QUOTE_MARK = re.compile(r"``|''|[\"'“”«»„‘’\n]")
TREEBANK_OPENER, DOUBLED_MARK = "``", "''"  # Penn Treebank and NYT-archive double quotes


@dataclass(frozen=True)
class Quote:
    """A quotation: ``start``/``end`` include the marks, ``content_*`` exclude them.

    ``balanced`` is False when no closing mark was found before the end of the
    line, in which case the quote runs to the end of the line.
    """

    start: int
    end: int
    content_start: int
    content_end: int
    balanced: bool = True

    def contains(self, start: int, end: int) -> bool:
        return self.content_start <= start and end <= self.content_end


def _opens(text: str, i: int) -> bool:
    """A straight mark opens when it follows a line start, space, bracket, dash or opener."""
    return i == 0 or text[i - 1].isspace() or text[i - 1] in "([{—–-/" + DOUBLE_OPENERS + "‘"


def _is_apostrophe(text: str, i: int) -> bool:
    """’ or ' between letters (it’s, Zelensky’s) or after a digit (90’s) is an apostrophe."""
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return before.isalnum() and after.isalnum()


def find_quotes(text: str) -> list[Quote]:
    """Every quotation in ``text``, sorted by start, nested single quotes included.

    Any double opener (“ « „ " ``) pairs with any double closer (” » " ''),
    which survives the mixed marks of copy-edited text and archive text that
    doubles its marks; an opener left open at the end of a line closes there,
    unbalanced.
    """
    quotes: list[Quote] = []
    stack: list[tuple[str, int, int]] = []  # (kind, index of opening mark, its width)

    def close(kind: str, end: int, width: int, balanced: bool = True) -> None:
        while stack:
            open_kind, start, open_width = stack.pop()
            if open_kind == kind:
                quotes.append(Quote(start, end, start + open_width, end - width, balanced))
                return

    def close_line(at: int) -> None:
        end = at
        while end > 0 and text[end - 1] in " \t\r":
            end -= 1
        while stack:
            kind, start, width = stack[-1]
            close(kind, max(end, start + width), 0, balanced=False)

    def straight(kind: str, i: int, width: int) -> None:
        """A mark that may open or close: it closes an open quote of its kind unless
        it clearly opens a nested one."""
        open_kinds = [k for k, _, _ in stack]
        if kind in open_kinds and not (_opens(text, i) and stack[-1][0] != kind):
            close(kind, i + width, width)
        elif _opens(text, i):
            stack.append((kind, i, width))

    for match in QUOTE_MARK.finditer(text):
        i, mark = match.start(), match.group()
        if mark == "\n":
            close_line(i)
        elif mark in DOUBLE_OPENERS or mark == TREEBANK_OPENER:
            stack.append(("double", i, len(mark)))
        elif mark in DOUBLE_CLOSERS:
            if any(kind == "double" for kind, _, _ in stack):
                close("double", i + 1, 1)
        elif mark in ('"', DOUBLED_MARK):
            straight("double", i, len(mark))
        elif mark == SINGLE_OPENER:
            stack.append(("single", i, 1))
        elif not _is_apostrophe(text, i):  # ’ or '
            if mark == SINGLE_CLOSER and not any(kind == "single" for kind, _, _ in stack):
                continue
            straight("single", i, 1)
    close_line(len(text))
    # Unbalanced single marks are usually apostrophes (Ukrainians’ future): drop them.
    kept = [q for q in quotes if q.balanced or text[q.start] not in "'‘"]
    return sorted(kept, key=lambda q: (q.start, -q.end))
