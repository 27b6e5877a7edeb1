"""Shared by the MT tests: fixtures around the tiny Argos package, and fake engines.

Import the fixtures a test module uses by name, e.g.
``from tests.mt_support import tiny_project  # noqa: F401``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from pipeline.catalog import Catalog
from pipeline.mt.engine import ModelIdentity
from pipeline.mt.models import ModelStore
from tests.argos_tiny import shared_tiny_argosmodel


@pytest.fixture(scope="session")
def tiny_package() -> Path:
    """The copying tiny .argosmodel (read-only, shared by the session)."""
    return shared_tiny_argosmodel()


@pytest.fixture(scope="session")
def mangling_package() -> Path:
    """The tiny .argosmodel that can never write a digit."""
    return shared_tiny_argosmodel(mangle=True)


@pytest.fixture
def tiny_project(project: Path, tiny_package: Path) -> Path:
    """The scratch project with the copying tiny model installed."""
    ModelStore(project).install_file(tiny_package)
    return project


class CountingEngine:
    """A fake engine that records every sentence sent to it.

    ``transform`` turns a sentence into its "translation" (upper case by
    default, so a draft is visibly not the source).
    """

    def __init__(self, transform=str.upper, name: str = "fake", version: str = "1"):
        self.identity = ModelIdentity("fake", name, version, "f" * 64)
        self.transform = transform
        self.calls: list[list[str]] = []

    def translate(self, sentences: Sequence[str]) -> list[str]:
        self.calls.append(list(sentences))
        return [self.transform(s) for s in sentences]

    @property
    def sentences(self) -> list[str]:
        return [s for call in self.calls for s in call]


def catalog_of(*msgids: str) -> Catalog:
    """A translation catalog holding untranslated units."""
    catalog = Catalog.new("doc", language="en")
    for number, msgid in enumerate(msgids, start=1):
        catalog.add(msgid, locations=[("source/doc.txt", number)])
    return catalog
