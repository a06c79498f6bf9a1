"""Attributes set after import: set, unset, import, undo, and the new column in every table."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from coder import Project
from coder.attributes.api import Targets
from coder.cli import cli
from coder.errors import CoderError, InputError, UsageError
from coder.ingest.api import ImportOptions

PEOPLE = {  # document: (site, role, participant)
    "d-patient": ("D", "patient", "Dee"),
    "d-provider": ("D", "provider", "Dov"),
    "e-patient": ("E", "patient", "Eve"),
    "f-provider": ("F", "provider", "Fay"),
}


@pytest.fixture
def sites(project: Project, tmp_path: Path) -> Project:
    rows = ["file,site,role,participant"]
    for name, (site, role, person) in PEOPLE.items():
        (tmp_path / f"{name}.txt").write_text(
            f"Interviewer: What helped?\n{person}: The coach helped us a lot.\n"
        )
        rows.append(f"{name}.txt,{site},{role},{person}")
    (tmp_path / "manifest.csv").write_text("\n".join(rows) + "\n")
    project.import_files(
        sorted(tmp_path.glob("*.txt")),
        ImportOptions(manifest=tmp_path / "manifest.csv", interviewer_labels=("Interviewer",)),
    )
    project.codebook.add("Coaching")
    for name in PEOPLE:
        text = project.document(name).text
        start = text.index("The coach")
        project.coding.apply(name, "Coaching", start, len(text.rstrip()), coder="maya")
    return project


def partnership(project: Project) -> dict[str, object]:
    values = project.attributes.values("document")
    column = values.get("partnership")
    return {} if column is None else column.dropna().to_dict()


def test_a_classification_becomes_a_column_at_once(sites: Project) -> None:
    changed = sites.attributes.set(
        "partnership", "strong", Targets(where={"site": ["D", "E"]}), actor="maya"
    )
    assert changed == 3
    sites.attributes.set("partnership", "weaker", Targets(names=["f-provider"]), actor="maya")
    assert partnership(sites) == {
        "d-patient": "strong",
        "d-provider": "strong",
        "e-patient": "strong",
        "f-provider": "weaker",
    }
    m = sites.matrices.matrix("partnership", split="role", measure="participants")
    counted = {label: int(m.frame.loc["Coaching", label]) for label in m.frame.columns[:-1]}
    # Counted from PEOPLE: strong sites D and E, weaker F.
    assert counted == {
        ("strong", "patient"): 2,
        ("strong", "provider"): 1,
        ("weaker", "provider"): 1,
    }
    only_strong = sites.matrices.matrix(
        "role", measure="participants", where={"partnership": ["strong"]}
    )
    assert only_strong.frame.loc["Coaching", "provider"] == 1
    quotes = sites.coding.quotes(template="({partnership} {role:title})")
    assert sorted({q.citation for q in quotes}) == [
        "(strong Patient)",
        "(strong Provider)",
        "(weaker Provider)",
    ]


def test_set_unset_and_undo(sites: Project) -> None:
    sites.attributes.set("partnership", "strong", Targets(everyone=True), actor="maya")
    sites.attributes.unset("partnership", Targets(names=["e-patient"]), actor="maya")
    assert "e-patient" not in partnership(sites)
    sites.undo(actor="maya")
    assert partnership(sites)["e-patient"] == "strong"
    sites.undo(actor="maya")
    assert partnership(sites) == {}
    events = [e.action for e in sites.events()]
    assert "attribute.set" in events and "attribute.unset" in events


def test_participants_and_numbers(sites: Project) -> None:
    sites.attributes.set("years", "12", Targets("participant", ["Dee"]))
    sites.attributes.set("years", "3", Targets("participant", where={"site": ["E"]}))
    values = sites.attributes.values("participant")["years"].dropna().to_dict()
    assert values == {"Dee": 12, "Eve": 3}
    table = sites.attributes.table().set_index(["scope", "name"])
    assert table.loc[("participant", "years"), "type"] == "number"


def test_an_attribute_emptied_in_one_scope_means_the_other(sites: Project) -> None:
    # A per-interview attribute (period, date) taken off the participants after import, as
    # a longitudinal study does for people interviewed more than once: the name still exists
    # for participants, with no values, and every table reads the documents' values.
    sites.attributes.set("period", "1", Targets(where={"site": ["D"]}))
    sites.attributes.set("period", "2", Targets(where={"site": ["E", "F"]}))
    sites.attributes.set("period", "1", Targets("participant", everyone=True))
    sites.attributes.unset("period", Targets("participant", everyone=True))
    table = sites.attributes.table().set_index(["scope", "name"])
    assert table.loc[("participant", "period"), "with a value"] == 0
    m = sites.matrices.matrix("period", measure="documents")
    # From PEOPLE: site D has two documents, E and F one each.
    assert m.frame.loc["Coaching", ["1", "2"]].tolist() == [2, 2]
    described = sites.matrices.describe("period")
    assert list(described["documents"]) == [2, 2, 4]


def test_import_csv_is_all_or_nothing(sites: Project, tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_text("document,partnership,cohort\nd-patient,strong,1\nf-provider,weaker,\n")
    result = sites.attributes.import_csv(good)
    assert (result.rows, result.changed) == (2, {"partnership": 2, "cohort": 1})
    bad = tmp_path / "bad.csv"
    bad.write_text("document,partnership\ne-patient,strong\nnobody,weaker\n")
    with pytest.raises(InputError, match=r"bad.csv, line 3: no document named 'nobody'"):
        sites.attributes.import_csv(bad)
    assert "e-patient" not in partnership(sites)


def test_import_csv_by_site_sets_every_document_of_the_site(sites: Project, tmp_path: Path) -> None:
    # A site classification is one row per site: each row stands for the site's documents.
    table = tmp_path / "sites.csv"
    table.write_text("site,partnership\nD,strong\nF,weaker\n")
    result = sites.attributes.import_csv(table, actor="maya")
    assert (result.key, result.rows, result.changed) == ("site", 2, {"partnership": 3})
    # Counted from PEOPLE: D has two documents, F one, E none in the table.
    assert partnership(sites) == {
        "d-patient": "strong",
        "d-provider": "strong",
        "f-provider": "weaker",
    }
    sites.undo(actor="maya")
    assert partnership(sites) == {}
    unknown = tmp_path / "unknown.csv"
    unknown.write_text("site,partnership\nD,strong\nQ,weaker\n")
    with pytest.raises(InputError, match=r"unknown.csv, line 3: no document with site named 'Q'"):
        sites.attributes.import_csv(unknown)
    assert partnership(sites) == {}
    neither = tmp_path / "neither.csv"
    neither.write_text("clinic,partnership\nD,strong\n")
    with pytest.raises(InputError, match=r"line 1: .*a document attribute .*\(role, site\)"):
        sites.attributes.import_csv(neither)


def test_mistakes_are_clear(sites: Project) -> None:
    with pytest.raises(UsageError, match="say which documents"):
        sites.attributes.set("partnership", "strong", Targets())
    with pytest.raises(UsageError, match="cannot name an attribute"):
        sites.attributes.set("site:x", "strong", Targets(everyone=True))
    with pytest.raises(CoderError, match="no document named 'zz'"):
        sites.attributes.set("partnership", "strong", Targets(names=["zz"]))


def test_the_command_line(sites: Project, tmp_path: Path) -> None:
    def run(*args: str) -> tuple[int, str]:
        result = CliRunner().invoke(cli, [*args, "-p", sites.location, "--as", "maya"])
        return result.exit_code, result.output

    assert run("attributes", "set", "partnership=strong", "--where", "site=D") == (
        0,
        "Set partnership=strong on 2 documents.\n",
    )
    code, out = run("attributes", "set", "partnership=strong", "--document", "d-patient", "--all")
    assert code == 2 and "not both" in out
    result = CliRunner().invoke(cli, ["attributes", "list", "-p", sites.location])
    assert "partnership" in result.output and "strong" in result.output
    table = tmp_path / "sites.csv"
    table.write_text("site,cohort\nE,2\n")
    assert run("attributes", "import", str(table)) == (
        0,
        "Read 1 row by site; changed: cohort (1).\n",
    )


def test_agreement_keeps_the_documents_where_keeps(sites: Project) -> None:
    for name in ("d-patient", "e-patient"):
        text = sites.document(name).text
        start = text.index("The coach")
        sites.coding.apply(name, "Coaching", start, start + 9, coder="tomas")
    report = sites.agreement(["maya", "tomas"], "turn", where={"site": ["D", "E"]})
    assert list(report.documents) == ["d-patient", "d-provider", "e-patient"]
    patients = sites.agreement.unitized(["maya", "tomas"], where={"participant:role": ["patient"]})
    assert set(patients.documents) == {"d-patient", "e-patient"}
    with pytest.raises(UsageError, match="no document matches"):
        sites.agreement(["maya", "tomas"], where={"site": ["F"]}, documents=["d-patient"])


def test_list_fits_the_terminal_and_csv_keeps_every_value(
    sites: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Visit dates and clinic names too long for the terminal: the text table names the dates'
    range and the first names that fit; CSV lists them all; numbers in numeric order."""
    rows = ["document,visit,score,clinic"]
    for i, name in enumerate(PEOPLE):
        rows.append(f"{name},2025-0{i + 1}-1{i},{[10, 2, 33, 4][i]},Clinic number {i + 1:02d} West")
    (tmp_path / "more.csv").write_text("\n".join(rows) + "\n")
    sites.attributes.import_csv(tmp_path / "more.csv")
    monkeypatch.setenv("COLUMNS", "160")
    out = CliRunner().invoke(cli, ["attributes", "list", "-p", sites.location]).output
    assert "2025-01-10, 2025-02-11, 2025-03-12, 2025-04-13" in out  # room for them all
    assert "2, 4, 10, 33" in out
    monkeypatch.setenv("COLUMNS", "80")
    out = CliRunner().invoke(cli, ["attributes", "list", "-p", sites.location]).output
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "2025-01-10 … 2025-04-13 (4 values)" in out
    assert "Clinic number 01 West, … (3 more)" in out
    csv = CliRunner().invoke(cli, ["attributes", "list", "-p", sites.location, "--format", "csv"])
    assert (
        '"Clinic number 01 West, Clinic number 02 West, Clinic number 03 West, '
        'Clinic number 04 West"' in csv.output
    )


def test_list_counts_values_that_hold_commas(
    sites: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A value may hold ", " itself: the text table counts values, not comma-separated
    pieces."""
    rows = ["document,clinic"]
    rows += [f'{name},"Clinic {i}, West wing of the old building"' for i, name in enumerate(PEOPLE)]
    (tmp_path / "clinics.csv").write_text("\n".join(rows) + "\n")
    sites.attributes.import_csv(tmp_path / "clinics.csv")
    monkeypatch.setenv("COLUMNS", "120")
    out = CliRunner().invoke(cli, ["attributes", "list", "-p", sites.location]).output
    line = next(line for line in out.splitlines() if " clinic " in line)
    assert line.endswith("Clinic 0, West wing of the old building, … (3 more)")
    monkeypatch.setenv("COLUMNS", "60")  # not even one value fits: its beginning, and a count
    out = CliRunner().invoke(cli, ["attributes", "list", "-p", sites.location]).output
    line = next(line for line in out.splitlines() if " clinic " in line)
    assert line.endswith("  Clinic 0, We… (4 values)")  # the 24 columns kept for values
