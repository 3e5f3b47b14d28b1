"""The one error importers raise: it names the file, the line and what to fix."""

from __future__ import annotations

from pathlib import Path


class ImportFailure(Exception):
    """A file cannot be imported; nothing of it has been written.

    ``line`` is the 1-based physical line of the file where the problem starts (``None`` when
    the problem concerns the whole file, e.g. it is missing).
    """

    def __init__(self, path: Path | str, line: int | None, reason: str) -> None:
        self.path = Path(path)
        self.line = line
        self.reason = reason
        where = f"{self.path}:{line}" if line is not None else str(self.path)
        super().__init__(f"{where}: {reason}")
