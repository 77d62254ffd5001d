"""Parsing JSON from outside (input lines, records read back) within limits.

Only what JSON allows and every writer can write again: no NaN, Infinity or
numbers beyond a double's range, no lone surrogate escapes, and at most
MAX_DEPTH levels of nesting (deeper values overflow the recursion of the
validators and writers downstream).
"""

from __future__ import annotations

import json
from typing import Any

import orjson

MAX_DEPTH = 100


class JSONError(ValueError):
    """Why some bytes are not acceptable JSON, in one line; ``malformed`` when not JSON at all."""

    def __init__(self, message: str, malformed: bool = False) -> None:
        super().__init__(message)
        self.malformed = malformed


def _refuse_constant(name: str) -> None:
    raise JSONError(f"non-finite number {name} (JSON has no NaN or Infinity)")


def _explain(data: bytes | str, orjson_message: str) -> JSONError:
    """The standard library's words for what orjson refused, where it has them."""
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        json.loads(text, parse_constant=_refuse_constant)
    except UnicodeDecodeError:
        return JSONError("not UTF-8")
    except json.JSONDecodeError as error:
        return JSONError(f"{error.msg} at line {error.lineno} column {error.colno}", True)
    except RecursionError:
        return JSONError(f"nested deeper than {MAX_DEPTH} levels")
    except JSONError as error:
        return error
    # what the standard library accepts: a lone surrogate escape, or a number like 1e400
    if "surrogate" in orjson_message:
        return JSONError(f"not valid Unicode (a lone surrogate escape; {orjson_message})")
    if "infinity" in orjson_message:
        return JSONError(f"non-finite number ({orjson_message})")
    return JSONError(f"unsupported JSON ({orjson_message})")


def depth(value: Any, limit: int) -> int:
    """How deeply lists and objects nest in ``value`` (a scalar: 0), counted up to ``limit + 1``."""
    if not isinstance(value, dict | list):
        return 0
    level, deepest = [value], 0
    while level and deepest <= limit:  # one level at a time: no recursion, no stack of pairs
        deepest += 1
        level = [child for item in level
                 for child in (item.values() if isinstance(item, dict) else item)
                 if isinstance(child, dict | list)]
    return deepest


def parse_json(data: bytes | str, max_depth: int = MAX_DEPTH) -> Any:
    """The value of one JSON text; anything outside the limits raises JSONError."""
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError as error:
        raise _explain(data, str(error)) from None
    if depth(value, max_depth) > max_depth:
        raise JSONError(f"nested deeper than {max_depth} levels")
    return value
