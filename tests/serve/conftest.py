"""Fixtures for the preview: a running `briefgen serve` in-process on an ephemeral port."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from briefgen.serve.app import PreviewApp, ServeOptions
from tests.serve.kit import SITE
from tests.sitekit import NOW

StartPreview = Callable[..., PreviewApp]


@pytest.fixture
def start_preview(make_site: Callable[..., Path]) -> Iterator[StartPreview]:
    """start_preview(spec=SITE, **ServeOptions) -> a started PreviewApp after its first build."""
    apps: list[PreviewApp] = []

    def start(spec: str = SITE, rebuilder: Any = None, **options: Any) -> PreviewApp:
        root = make_site(spec)
        logs: list[str] = []
        options.setdefault("port", 0)
        app = PreviewApp(ServeOptions(root, now=NOW, **options), log=logs.append,
                         rebuilder=rebuilder)
        app.logs = logs  # type: ignore[attr-defined]
        apps.append(app)
        app.start()
        assert app.wait_first_build(120), "the first build did not finish"
        return app

    yield start
    for app in apps:
        app.stop()
