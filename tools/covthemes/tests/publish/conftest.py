"""Fixtures of the publish tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import isolate_publish, make_repo, measure

from covthemes.settings import config


@pytest.fixture(scope="module")
def measured(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny repository with every theme measured and nothing published, for child publishes."""
    root = make_repo(tmp_path_factory.mktemp("measured") / "repo")
    with pytest.MonkeyPatch.context() as patch:
        isolate_publish(patch, root, tmp_path_factory)
        settings = config.load(root)
        for theme in settings.themes:
            measure(settings, theme)
    return root
