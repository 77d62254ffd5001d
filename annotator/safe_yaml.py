"""Loading YAML from outside (front matter, data files) within limits.

PyYAML's safe loader still builds what aliases expand to (a few hundred bytes of
anchors can stand for billions of values), nests as deep as the text does, and
accepts tags such as ``!!binary`` and ``!!set`` that no JSON record can hold. The
event stream is checked first, cheaply, and only YAML within the limits is built.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it
CORE = "tag:yaml.org,2002:"
ALLOWED_TAGS = frozenset(
    {None, "!", *(CORE + name for name in ("str", "int", "float", "bool", "null", "map", "seq",
                                           "timestamp"))}
)


@dataclass(frozen=True)
class Limits:
    """How much YAML may hold: bytes, nesting levels, aliases, and values once aliases expand."""

    max_bytes: int
    max_depth: int
    max_aliases: int
    max_values: int


FRONT_MATTER = Limits(max_bytes=64 * 1024, max_depth=20, max_aliases=100, max_values=10_000)
DATA_FILE = Limits(max_bytes=16 * 1024 * 1024, max_depth=32, max_aliases=10_000,
                   max_values=2_000_000)


class YAMLProblem(ValueError):
    """Why a YAML text is refused, as a verb phrase ("is nested deeper than..."), and the
    line (1-based, in the text) where, when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


@dataclass
class _Open:
    """A mapping or sequence being read: its anchor, the values before it, its height so far."""

    anchor: str | None
    values_before: int
    height: int = 0


def check_events(text: str, limits: Limits) -> None:
    """Raise YAMLProblem at the first event past the limits or with a tag not allowed."""
    values = aliases = 0
    expanded: dict[str, tuple[int, int]] = {}  # anchor -> (values, height)
    stack: list[_Open] = []
    for event in yaml.parse(text, Loader=SAFE_LOADER):
        line = event.start_mark.line + 1
        height = 0
        if isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > limits.max_aliases:
                raise YAMLProblem(f"has more than {limits.max_aliases} aliases", line)
            size, height = expanded.get(event.anchor, (1, 0))
            values += size
        elif isinstance(event, yaml.ScalarEvent | yaml.CollectionStartEvent):
            if event.tag not in ALLOWED_TAGS:
                raise YAMLProblem(
                    f"has the tag {event.tag.replace(CORE, '!!')}, which is not accepted "
                    "(plain values, lists and mappings only)", line)
            values += 1
            if isinstance(event, yaml.ScalarEvent):
                if event.anchor:
                    expanded[event.anchor] = (1, 0)
            else:
                stack.append(_Open(event.anchor, values - 1))
                if len(stack) > limits.max_depth:
                    raise YAMLProblem(f"is nested deeper than {limits.max_depth} levels", line)
                continue
        elif isinstance(event, yaml.CollectionEndEvent):
            done = stack.pop()
            height = done.height + 1
            if done.anchor:
                expanded[done.anchor] = (values - done.values_before, height)
        else:
            continue
        if values > limits.max_values:
            raise YAMLProblem(
                f"has more than {limits.max_values:,} values once aliases expand", line)
        if stack:
            if len(stack) + height > limits.max_depth:
                raise YAMLProblem(f"is nested deeper than {limits.max_depth} levels", line)
            stack[-1].height = max(stack[-1].height, height)


def load_yaml(text: str, limits: Limits) -> Any:
    """The value of a YAML text within ``limits``; YAMLProblem for invalid or refused YAML."""
    size = len(text.encode("utf-8"))
    if size > limits.max_bytes:
        raise YAMLProblem(f"is {size:,} bytes, more than the limit of {limits.max_bytes:,}")
    try:
        check_events(text, limits)
        return yaml.load(text, Loader=SAFE_LOADER)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        reason = str(getattr(error, "problem", None) or error).splitlines()[0]
        raise YAMLProblem(f"is not valid YAML ({reason})",
                          mark.line + 1 if mark is not None else None) from None
