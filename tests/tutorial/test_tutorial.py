"""The tutorial's commands run as written and print what the tutorial shows.

After a deliberate change of output, rewrite the tutorial's outputs with
`CODER_UPDATE_TUTORIAL=1 .venv/bin/pytest tests/tutorial` and read the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

from console_docs import check

from coder import Project

ROOT = Path(__file__).resolve().parents[2]


def test_tutorial_commands_print_what_it_shows(tmp_path: Path) -> None:
    for folder in ("corpora", "codebooks"):
        (tmp_path / folder).symlink_to(ROOT / folder)
    update = os.environ.get("CODER_UPDATE_TUTORIAL") == "1"
    problems = check(ROOT / "docs" / "tutorial.md", tmp_path, update=update)
    assert not problems, "\n\n".join(problems)
    # The study the tutorial builds has the documented shape.
    with Project.open(tmp_path / "study.coder") as project:
        matrix = project.matrices.matrix("site", measure="participants", level="themes").frame
        assert list(matrix.columns) == ["A", "B", "C", "D", "E", "F", "G", "groups"]
        assert len(matrix) == 12
