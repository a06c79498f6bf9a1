"""A small study for the saturation and report tests: seven one-answer interviews with a
date, a site and a role, a theme with two codes and four plain codes, one coder."""

from __future__ import annotations

from pathlib import Path

from coder import Project
from coder.ingest.api import ImportOptions

# document, date, codes coded in it (all by one coder)
STUDY = [
    ("p1", "2025-03-01", ["A/a1", "A/a2", "B"]),
    ("p2", "2025-03-02", ["A/a1", "C"]),
    ("p3", "2025-03-04", ["B", "D"]),
    ("p4", "2025-03-03", ["E"]),
    ("p5", "2025-03-05", ["A/a1"]),
    ("p6", "2025-03-06", ["B", "C"]),
    ("p7", "2025-03-07", ["A/a2"]),
]


def build(project: Project, folder: Path) -> None:
    folder.mkdir(exist_ok=True)
    lines = ["file,date,site,role"]
    for name, date, _ in STUDY:
        (folder / f"{name}.txt").write_text(
            f"Interviewer: Tell me.\n\n{name.upper()}: It was fine. We met often. It helped.",
            encoding="utf-8",
        )
        site = "X" if name in ("p1", "p2", "p3") else "Y"
        role = "patient" if int(name[1:]) % 2 else "provider"
        lines.append(f"{name}.txt,{date},{site},{role}")
    (folder / "manifest.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = project.import_files(
        [folder / f"{name}.txt" for name, _, _ in STUDY],
        ImportOptions(manifest=folder / "manifest.csv"),
    )
    assert not report.failed
    for path in ("A", "A/a1", "A/a2", "B", "C", "D", "E"):
        parent, _, name = path.rpartition("/")
        project.codebook.add(name, parent=parent or None, kind="theme" if path == "A" else "code")
    project.add_coder("ann")
    for name, _, codes in STUDY:
        text = project.document(name).text
        start = text.index("It was fine.")
        for code in codes:
            project.coding.apply(name, code, start, start + 12, coder="ann")
