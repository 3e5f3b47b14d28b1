"""Where the migrations (``alembic/``) and the seed dataset (``seeds/``) are, however installed.

Both live at the top of the repository. The wheel ships them inside the package, as
``app/_resources/alembic`` and ``app/_resources/seeds`` (see pyproject.toml); a checkout or an
editable install has no such copy and reads the top-level folders beside ``app/``.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Literal

Resource = Literal["alembic", "seeds"]

PACKAGED_DIR = "_resources"  # inside the package, in an installed wheel
CHECKOUT_ROOT = Path(__file__).resolve().parent.parent  # the repository, in a checkout


def resource_dir(name: Resource) -> Path:
    """The folder holding ``name``: the wheel's packaged copy, else the checkout's own folder.

    Callers check that what they need is there (the checkout's folder is returned even when it
    is missing, so that their error names the place a checkout would have it).
    """
    packaged = files("app") / PACKAGED_DIR / name
    if packaged.is_dir():
        if not isinstance(packaged, Path):  # pragma: no cover - e.g. imported from a zip file
            raise FileNotFoundError(f"{name}/ is inside {packaged}, which is not a folder on "
                                    "disk: install the package with pip")
        return packaged
    return CHECKOUT_ROOT / name
