"""The curated seed dataset in ``seeds/``: checked, then loaded in one transaction."""

from app.seeding.errors import SeedError
from app.seeding.loader import DEFAULT_SEEDS_DIR, load_seeds, read_seeds
from app.seeding.report import SeedReport

__all__ = ["DEFAULT_SEEDS_DIR", "SeedError", "SeedReport", "load_seeds", "read_seeds"]
