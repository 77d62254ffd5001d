"""Writing records: atomic files in the output folder."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any


def write_atomically(path: Path, content: str | Callable[[IO[str]], None]) -> None:
    """Write via a temporary file in the same folder and a rename: never a half file.

    ``content`` is the text, or a function that writes it to the open file (for
    output streamed in parts); if that function fails, nothing is left behind.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.", delete=False
    ) as handle:
        try:
            handle.write(content) if isinstance(content, str) else content(handle)
        except BaseException:
            os.unlink(handle.name)
            raise
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(handle.name, 0o644)  # NamedTemporaryFile creates 0600; outputs are shared files
    os.replace(handle.name, path)


def record_json(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, indent=2) + "\n"
