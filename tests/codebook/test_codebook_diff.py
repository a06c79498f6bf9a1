"""`codebook diff`: the codebook between two points of history, rebuilt from the log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from click.testing import CliRunner

from coder import Project
from coder.cli.main import cli


def last_event(project: Project) -> int:
    return project.events(limit=1)[0].id


def describe(
    project: Project, since: int | datetime | None = None, until: int | None = None
) -> list[str]:
    return [c.describe() for c in project.codebook.diff(since, until)]


def build(project: Project) -> int:
    cb = project.codebook
    cb.add("Challenges", kind="organizing-theme")
    cb.add("Time", parent="Challenges", key="t")
    cb.add("Jargon", parent="Challenges")
    cb.add("Jargn", parent="Challenges")
    cb.add("Resources", kind="organizing-theme")
    return last_event(project)


def test_every_kind_of_change_is_reported(project: Project) -> None:
    base = build(project)
    cb = project.codebook
    cb.rename("Challenges/Time", "Time and meeting timing")
    cb.move("Challenges/Jargon", "Resources")
    cb.edit("Resources", definition="What helped.")
    cb.merge("Challenges/Jargn", "Resources/Jargon")
    cb.add("Champions", parent="Resources")
    cb.delete("Resources/Champions")
    cb.add("Attrition", parent="Challenges")
    assert describe(project, base) == [
        "~ Challenges/Time → Challenges/Time and meeting timing  (renamed)",
        "! Challenges/Jargn  (active → merged into Resources/Jargon)",
        "+ Challenges/Attrition  (added)",
        "* Resources  (edited: definition)",
        "> Challenges/Jargon → Resources/Jargon  (moved)",
    ]  # in the later tree's order; the deleted Champions was added after `base`: not shown


def test_from_the_start_everything_is_added(project: Project) -> None:
    build(project)
    assert describe(project) == [
        "+ Challenges  (added)",
        "+ Challenges/Time  (added)",
        "+ Challenges/Jargon  (added)",
        "+ Challenges/Jargn  (added)",
        "+ Resources  (added)",
    ]


def test_between_two_past_points(project: Project) -> None:
    build(project)
    cb = project.codebook
    cb.rename("Challenges/Time", "Timing")
    before_edit = last_event(project)
    cb.edit("Challenges/Timing", definition="Hours, scheduling.", key="h")
    after_edit = last_event(project)
    cb.add("Later", parent="Resources")
    assert describe(project, before_edit, after_edit) == [
        "* Challenges/Timing  (edited: definition, key)"
    ]
    assert describe(project, after_edit, after_edit) == []


def test_undone_changes_leave_no_difference(project: Project) -> None:
    base = build(project)
    project.codebook.rename("Challenges/Time", "Timing")
    project.codebook.add("Extra")
    project.undo()
    project.undo()
    assert describe(project, base) == []
    removed = project.codebook.diff(last_event(project) - 3, last_event(project))
    assert [c.kind for c in removed] == ["renamed"]


def test_a_moment_means_the_last_event_before_it(project: Project) -> None:
    build(project)
    later = datetime.now(UTC) + timedelta(days=1)
    assert describe(project, later) == []
    earlier = datetime(2000, 1, 1, tzinfo=UTC)
    assert len(describe(project, earlier)) == 5


def test_cli_diff(project: Project) -> None:
    base = build(project)
    project.codebook.rename("Challenges/Time", "Timing")
    location = project.location
    project.close()
    runner = CliRunner()
    result = runner.invoke(cli, ["codebook", "diff", "-p", location, "--from", f"#{base}"])
    assert result.exit_code == 0, result.output
    assert result.output == "~ Challenges/Time → Challenges/Timing  (renamed)\n1 change.\n"
    log = runner.invoke(cli, ["log", "-p", location, "-n", "1"])
    assert log.output.startswith(f"#{base + 1} ")
    bad = runner.invoke(cli, ["codebook", "diff", "-p", location, "--from", "last week"])
    assert bad.exit_code == 2
    assert "not a point of history" in bad.output
    as_json = runner.invoke(cli, ["codebook", "diff", "-p", location, "--json", "--to", "start"])
    assert as_json.exit_code == 0
    assert as_json.output.strip() == "[]"


def test_a_deleted_code_is_reported_removed(project: Project) -> None:
    base = build(project)
    project.codebook.delete("Challenges/Jargn")
    assert describe(project, base) == ["- Challenges/Jargn  (removed)"]
