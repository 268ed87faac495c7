"""`briefgen build`'s entry point: run the engine's steps (engine/steps.py) once."""

from __future__ import annotations

from briefgen.engine.steps import BuildOptions, BuildResult, Engine, build

__all__ = ["BuildOptions", "BuildResult", "Engine", "build"]
