"""Fixtures for the ingest tests: the fixture folder, a sentence pipeline, a file writer."""

from __future__ import annotations

from pathlib import Path

import pytest
from ingest_helpers import Read
from spacy.language import Language

from coder.ingest import ParsedTranscript, load_pipeline, read_transcript

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def nlp() -> Language:
    return load_pipeline()


@pytest.fixture
def read(tmp_path: Path) -> Read:
    """Write `content` to a file called `name` and read it as a transcript."""

    def _read(name: str, content: str | bytes, **options: object) -> ParsedTranscript:
        path = tmp_path / name
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)
        return read_transcript(path, **options)  # type: ignore[arg-type]

    return _read
