"""The execution paths a benchmark run can measure, as the settings that select them.

They are set as environment variables, so that the in-process app and the `atlas serve`
subprocesses of the HTTP part run the same path.
"""

from __future__ import annotations

import os

PATHS: dict[str, dict[str, str]] = {
    "compiled": {"ATLAS_BATCHED_EXECUTION": "true", "ATLAS_COMPILED_EXECUTION": "true"},
    "batched": {"ATLAS_BATCHED_EXECUTION": "true", "ATLAS_COMPILED_EXECUTION": "false"},
    "resolvers": {"ATLAS_BATCHED_EXECUTION": "false", "ATLAS_COMPILED_EXECUTION": "false"},
}


def select_path(name: str) -> None:
    os.environ.update(PATHS[name])
