"""docs/examples/methods.md is what `coder report methods` writes for the demo project: the test
writes it again and compares, dates aside (the demo is built on the day the test runs).

To regenerate it: coder demo build/demo.coder --force &&
    coder report methods -p build/demo.coder -o docs/examples/methods.md
"""

from __future__ import annotations

import re
from pathlib import Path

from coder import Project

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "methods.md"
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def test_the_example_in_the_docs_is_what_the_demo_gives(demo_path: Path, tmp_path: Path) -> None:
    with Project.open(demo_path) as project:
        project.reports.write(project.reports.methods(), tmp_path / "methods.md")
    fresh = (tmp_path / "methods.md").read_text(encoding="utf-8")
    kept = EXAMPLE.read_text(encoding="utf-8")
    assert DATE.sub("DATE", fresh) == DATE.sub("DATE", kept), (
        "docs/examples/methods.md is out of date; regenerate it as this test's docstring says"
    )
    assert (EXAMPLE.parent / "methods-saturation.png").is_file()
