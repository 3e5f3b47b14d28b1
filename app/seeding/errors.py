"""The one error the seed loader raises: it names the file, the line and what to fix."""

from __future__ import annotations

from pathlib import Path


class SeedError(Exception):
    """A seed file holds something the loader cannot accept; nothing was written.

    ``file`` is relative to the seed folder where possible; ``line`` is 1-based (None when the
    problem concerns a whole file or the database).
    """

    def __init__(self, file: str | Path | None, line: int | None, reason: str) -> None:
        self.file = str(file) if file is not None else None
        self.line = line
        self.reason = reason
        where = self.file or "seeds"
        if line is not None:
            where = f"{where}, line {line}"
        super().__init__(f"{where}: {reason}")
