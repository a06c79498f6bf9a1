from __future__ import annotations

from coder import Project
from coder.history import describe
from coder.storage import schema_head


def test_events_read_as_sentences(tmp_path: object) -> None:
    with Project.create(f"{tmp_path}/s.coder", title="Study") as project:
        project.add_coder("amira", "lead")
        project.set_title("Partnership study")
        lines = [describe(e) for e in project.events()]
    assert lines[:2] == ["Set the title to 'Partnership study'", "Added coder amira (lead)"]
    assert lines[-1] == f"Created the project (schema {schema_head()})"
