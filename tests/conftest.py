"""Shared fixtures: the packaged knowledge base, extractors with and without trained models,
shared/."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from spacy.language import Language

from cyberveille.extract import Extractor
from cyberveille.extract.nlp import blank_pipeline
from cyberveille.kb import KnowledgeBase, load_kb


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    """The packaged knowledge base (loaded once per session)."""
    return load_kb()


@cache
def blank_pipelines(language: str) -> tuple[Language, bool]:
    """``(blank pipeline, trained=False)`` for a language, built once per session."""
    return blank_pipeline(language), False


@pytest.fixture(scope="session")
def blank_extractor(kb: KnowledgeBase) -> Extractor:
    """An extractor over blank spaCy pipelines: the rules and the KB, no trained model."""
    return Extractor(kb, pipelines=blank_pipelines)


@pytest.fixture(scope="session")
def extractor(kb: KnowledgeBase) -> Extractor:
    """An extractor over the trained pipelines (blank ones where none is installed)."""
    return Extractor(kb)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The project's shared/ folder (next to the repository); skips when it is absent."""
    path = Path(__file__).resolve().parents[1].parent / "shared"
    if not path.is_dir():
        pytest.skip(f"{path} is absent")
    return path
