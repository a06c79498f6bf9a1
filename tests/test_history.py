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


def test_every_action_the_code_logs_has_a_sentence() -> None:
    """A new kind of event must say in words what it did, not show its raw action name."""
    import ast
    from pathlib import Path

    from coder.history import _DESCRIPTIONS

    logged = set()
    for path in (Path(__file__).resolve().parents[1] / "coder").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "log"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                logged.add(node.args[0].value)
    assert "coding.add" in logged
    assert sorted(logged - set(_DESCRIPTIONS)) == []


def test_a_memo_in_the_log_says_its_title(tmp_path: object) -> None:
    with Project.create(f"{tmp_path}/s.coder") as project:
        project.memos.add("project", "First pass done.", title="Coding notes", actor="maya")
        project.memos.add("project", "Untitled thought.", actor="maya")
        lines = [describe(e) for e in project.events(limit=2)]
    assert lines == [
        "Wrote a memo on the project",
        "Wrote a memo on the project: “Coding notes”",
    ]
