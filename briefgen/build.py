"""`briefgen build`'s entry point: run the engine's steps (engine/steps.py) once."""

from __future__ import annotations

from briefgen.engine.steps import (
    BuildOptions,
    BuildResult,
    Engine,
    adopt_output,
    build,
    published_state,
)

__all__ = ["BuildOptions", "BuildResult", "Engine", "adopt_output", "build", "published_state"]
