"""What an import did: counts per table, problems worth a look, and how to print them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.table import Table

from app.services.upsert import Counts

# Called with (rows done, rows in total) as an import advances; the CLI draws a progress bar.
Progress = Callable[[int, int], None]

_SHOWN_WARNINGS = 20
# The columns of the summary, per table: rows written, rows a newer release dropped (kept,
# marked retired), link rows removed, rows left as they were, and rows on which this dataset
# and another disagree (kept, both values visible as `discrepancies` in the API).
COLUMNS = ("inserted", "updated", "retired", "deleted", "unchanged", "discrepancies")


def no_progress(_done: int, _total: int) -> None:
    """A progress callback that ignores progress."""


@dataclass
class ImportReport:
    """The outcome of importing one file; ``warnings`` are rows kept but worth checking."""

    format: str
    path: Path
    dry_run: bool = False
    counts: dict[str, Counts] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    facts: dict[str, int] = field(default_factory=dict)

    def add(self, table: str, counts: Counts) -> None:
        self.counts.setdefault(table, Counts())
        self.counts[table] += counts

    @property
    def changed(self) -> bool:
        return any(counts.changed for counts in self.counts.values())

    def total(self, kind: str) -> int:
        """Sum of one count (``inserted``, ``updated``, ...) over every table."""
        return sum(getattr(counts, kind) for counts in self.counts.values())

    def print(self, console: Console) -> None:
        """A summary table, the facts the importer noted, and the first warnings."""
        verb = "would change" if self.dry_run else "changed"
        title = f"{self.format}: {self.path.name} ({'dry run, nothing written' if self.dry_run else 'committed'})"
        table = Table(title=title, title_justify="left")
        for column in ("table", *COLUMNS):
            table.add_column(column, justify="left" if column == "table" else "right")
        for name, counts in self.counts.items():
            table.add_row(name, *(str(getattr(counts, column)) for column in COLUMNS))
        console.print(table)
        for name, value in self.facts.items():
            console.print(f"  {name}: {value}")
        if not self.changed:
            console.print(f"Nothing {verb}: the database already holds this file.")
        if self.warnings:
            console.print(f"[yellow]{len(self.warnings)} warning(s):[/yellow]")
            for warning in self.warnings[:_SHOWN_WARNINGS]:
                console.print(f"  [yellow]{warning}[/yellow]", highlight=False)
            if len(self.warnings) > _SHOWN_WARNINGS:
                console.print(f"  ... and {len(self.warnings) - _SHOWN_WARNINGS} more")
