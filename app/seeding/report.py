"""What a seed run did, per table, and how to show it."""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.console import Console
from rich.table import Table

from app.importers.report import COLUMNS
from app.services.upsert import Counts


@dataclass
class SeedReport:
    """Counts per table (inserted / updated / retired / deleted / unchanged / discrepancies)."""

    tables: dict[str, Counts] = field(default_factory=dict)
    dry_run: bool = False
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        """True when the run wrote (or, on a dry run, would write) anything."""
        return any(counts.changed for counts in self.tables.values())

    def total(self) -> Counts:
        total = Counts()
        for counts in self.tables.values():
            total += counts
        return total

    def render(self, console: Console) -> None:
        """Print a summary table and a one-line verdict."""
        title = "Seed dataset (dry run: nothing written)" if self.dry_run else "Seed dataset"
        table = Table(title=title)
        table.add_column("table")
        for name in COLUMNS:
            table.add_column(name, justify="right")
        for name, counts in self.tables.items():
            table.add_row(name, *(str(getattr(counts, column)) for column in COLUMNS))
        total = self.total()
        table.add_section()
        table.add_row("total", *(str(getattr(total, column)) for column in COLUMNS))
        console.print(table)
        if not self.changed:
            console.print("Nothing to change: the database already holds these seeds.")
        elif self.dry_run:
            console.print("Dry run: these changes were not written.")
        console.print(f"Done in {self.seconds:.2f} s.")
