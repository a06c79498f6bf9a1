"""A small study with everything a project can hold, for exchange tests: transcripts with
accents, CJK and emoji (one of them with timestamps), typed attributes on documents and
participants, a code tree with every field, two coders, a consensus layer with decisions,
a retired code that keeps its codings, and memos on everything a memo can be on."""

from __future__ import annotations

from pathlib import Path

from coder import Project
from coder.ingest.api import ImportOptions

LEADER = """Interviewer: How did the café council start? 🙂

Amira Haddad: Slowly — Straße by Straße. Time was the big thing 👍🏽, honestly.
We met at noon and nobody could come.

Interviewer: And the jargon?

Amira Haddad: PDSA this, 東京 that. I didn’t know 😅 what they meant.
"""

PATIENT = """WEBVTT

00:00:01.000 --> 00:00:04.000
<v Interviewer>What got in the way?</v>

00:00:05.000 --> 00:00:09.500
<v Dana Roy>The jargon. Ça m'a perdu 🙃. Meetings at noon when I’m at work.</v>

00:00:10.000 --> 00:00:12.000
<v Interviewer>And peer support?</v>

00:00:12.500 --> 00:00:16.000
<v Dana Roy>Other patients 🤝 helped: we met for coffee before.</v>
"""

MANIFEST = """file,site,role,age,score,date,participant
site-a-leader.txt,A,leader,52,3.5,2025-03-05,Amira Haddad
site-b-patient.vtt,B,patient,67,4,2025-03-11,Dana Roy
"""

CODERS = ("maya", "tomas")


def span(project: Project, document: str, passage: str) -> tuple[int, int]:
    text = project.document(document).text
    start = text.index(passage)
    return start, start + len(passage)


def build(project: Project, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "site-a-leader.txt").write_text(LEADER, encoding="utf-8")
    (folder / "site-b-patient.vtt").write_text(PATIENT, encoding="utf-8")
    (folder / "manifest.csv").write_text(MANIFEST, encoding="utf-8")
    report = project.import_files(
        [folder / "site-a-leader.txt", folder / "site-b-patient.vtt"],
        ImportOptions(manifest=folder / "manifest.csv"),
        actor="lead",
    )
    assert not report.failed, report.failed

    cb = project.codebook
    cb.add(
        "Challenges",
        kind="organizing-theme",
        color="#aa0000",
        definition="What got in the way.",
        actor="lead",
    )
    cb.add(
        "Time",
        parent="Challenges",
        key="t",
        definition="Meeting times and schedules.",
        include="Talk about when meetings are held.",
        exclude="Time spent on tasks (use Workload).",
        examples=["We met at noon and nobody could come."],
        keywords=["noon", "schedule"],
        color="#00aa00",
        actor="lead",
    )
    jargon = cb.add("Jargon", parent="Challenges", key="j", actor="lead")
    with project._store.write("lead") as tx:  # a codebook's own id, as `codebook load` sets it
        tx.edit_code(jargon, {"ident": "challenge.jargon"})
        tx.log("code.edit", "code", jargon.id, {"fields": ["ident"]})
    cb.add("Trust/Doubt", parent="Challenges", actor="lead")
    cb.add("Resources", kind="theme", actor="lead")
    cb.add("Peer support", parent="Resources", actor="lead")
    cb.add("Old code", actor="lead")

    for coder in CODERS:
        project.add_coder(coder, actor="lead")
    project.add_coder("lead", role="lead", actor="lead")
    leader, patient = "site-a-leader", "site-b-patient"
    coded = [
        ("maya", leader, "Challenges/Time", "Time was the big thing 👍🏽, honestly."),
        ("tomas", leader, "Challenges/Time", "Time was the big thing 👍🏽, honestly."),
        ("maya", leader, "Challenges/Jargon", "PDSA this, 東京 that."),
        ("tomas", leader, "Challenges/Time", "We met at noon and nobody could come."),
        ("maya", patient, "Challenges/Jargon", "The jargon."),
        ("tomas", patient, "Challenges/Jargon", "The jargon. Ça m'a perdu 🙃."),
        ("maya", patient, "Resources/Peer support", "Other patients 🤝 helped"),
        ("tomas", patient, "Challenges/Trust\\/Doubt", "Ça m'a perdu 🙃."),
        ("maya", leader, "Old code", "Slowly — Straße by Straße."),
    ]
    for coder, document, code, passage in coded:
        start, end = span(project, document, passage)
        project.coding.apply(document, code, start, end, coder=coder, actor=coder)
    cb.retire("Old code", actor="lead")

    project.reconcile.accept_agreements(CODERS, actor="lead")
    for disagreement in project.reconcile.pending(CODERS):
        project.reconcile.decide(
            disagreement, "both", coders=CODERS, rationale="Both readings hold.", actor="lead"
        )
        break

    first = project.coding.frame().iloc[0]
    project.memos.add("project", "Double-coded: both sites.", title="Plan", actor="lead")
    project.memos.add(f"document:{leader}", "Recorded in the café.\r\nNoisy.", actor="maya")
    project.memos.add("participant:Dana Roy", "Joined the council in 2024.", actor="lead")
    project.memos.add("code:Challenges/Time", "Merge with Workload?", actor="tomas")
    project.memos.add(f"coding:{int(first['id'])}", "Clear example 🙂", actor="maya")
    project.memos.add("site=A", "Site A is a teaching hospital.", title="Site A", actor="lead")
    project.set_phase("reconcile", actor="lead")
