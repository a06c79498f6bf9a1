"""A small three-site study for the matrix tests, built through the importer and the API.

Site A: a leader and a patient; the patient's interview also has consensus codings (which
replace the coders' there by default). Site B: a focus group of two (one coding spans both
speakers) and a provider nobody coded. Site C: a patient with no codings at all (an empty
group). A pilot interview has no site and is left out of site groups. There are overlapping
codings, codings of a theme and of its sub-code on the same text, a coding that starts in the
interviewer's question, a coding that touches no sentence, and a suggested and a rejected
coding that must count nowhere.
"""

from __future__ import annotations

import csv
from pathlib import Path

from coder import Project
from coder.ingest.api import ImportOptions

TRANSCRIPTS = {
    "a-leader": (
        "Interviewer: How did the council start?\n\n"
        "Amira Haddad: Slowly. Time was the big thing, honestly. We met at noon and nobody "
        "could come. The jargon did not help either.\n\n"
        "Interviewer: What helped?\n\n"
        "Amira Haddad: Training. We ran a short course for the patient partners."
    ),
    "a-patient": (
        "Interviewer: What got in the way?\n\n"
        "Dana Roy: The jargon. PDSA this, run chart that. I did not know what they meant.\n\n"
        "Interviewer: And time?\n\n"
        "Dana Roy: Time too. Meetings at noon when I am at work."
    ),
    "b-group": (
        "Facilitator: Tell me about the meetings.\n\n"
        "Lena: They were always at noon. I could never get there.\n\n"
        "Omar: For me it was the words they used. Acronyms everywhere.\n\n"
        "Lena: The training helped with that, later on."
    ),
    "b-provider": (
        "Interviewer: How was it for you?\n\n"
        "Kim Lee: Fine, really. The partners brought good ideas to the team."
    ),
    "c-patient": (
        "Interviewer: How did you join?\n\n"
        "Rosa Diaz: A nurse asked me. I said yes because I wanted to help."
    ),
    "x-pilot": (
        "Interviewer: Is this working?\n\nPat Quinn: Yes. Time is short for all of us here."
    ),
}

MANIFEST = [
    ("a-leader", "A", "leader", "Amira Haddad"),
    ("a-patient", "A", "patient", "Dana Roy"),
    ("b-group", "B", "patient", "Lena=Lena Park; Omar=Omar Said"),
    ("b-provider", "B", "provider", "Kim Lee"),
    ("c-patient", "C", "patient", "Rosa Diaz"),
    ("x-pilot", "", "patient", "Pat Quinn"),
]

THEMES = ["Challenges/Time", "Challenges/Jargon", "Resources/Training"]

# (document, code, coder, passage, occurrence): the passage's text, found in the transcript.
CODINGS = [
    ("a-leader", "Challenges/Time", "maya", "Time was the big thing, honestly.", 0),
    ("a-leader", "Challenges/Time/Noon", "maya", "We met at noon and nobody could come.", 0),
    # Overlaps maya's Time coding, and her Noon coding of the same sentence.
    ("a-leader", "Challenges/Time", "tomas", "the big thing, honestly. We met at noon", 0),
    ("a-leader", "Challenges/Jargon", "tomas", "The jargon did not help either.", 0),
    # Starts in the interviewer's question, ends in the answer.
    ("a-leader", "Resources/Training", "maya", "helped?\n\nAmira Haddad: Training.", 0),
    ("a-leader", "Resources", "tomas", "We ran a short course for the patient partners.", 0),
    # Only the label: touches no sentence.
    ("a-leader", "Challenges", "tomas", "Amira Haddad:", 0),
    # The patient's interview has consensus codings: the coders' own are set aside.
    ("a-patient", "Challenges/Jargon", "maya", "The jargon. PDSA this, run chart that.", 0),
    ("a-patient", "Challenges/Time", "maya", "Time too.", 0),
    ("a-patient", "Challenges/Jargon", "consensus", "The jargon.", 0),
    ("a-patient", "Challenges/Time/Noon", "consensus", "Meetings at noon when I am at work.", 0),
    ("b-group", "Challenges/Time/Noon", "maya", "They were always at noon.", 0),
    # Spans Lena's turn and Omar's.
    (
        "b-group",
        "Challenges/Jargon",
        "tomas",
        "never get there.\n\nOmar: For me it was the words",
        0,
    ),
    ("b-group", "Challenges/Jargon", "maya", "Acronyms everywhere.", 0),
    ("b-group", "Resources/Training", "maya", "The training helped with that, later on.", 0),
    ("x-pilot", "Challenges/Time", "maya", "Time is short for all of us here.", 0),
]
# Suggestions count nowhere, accepted or not.
UNCOUNTED = [
    ("b-provider", "Resources/Training", "maya", "The partners brought good ideas", "suggested"),
    ("c-patient", "Challenges/Time", "maya", "A nurse asked me.", "rejected"),
]


def span(text: str, passage: str, occurrence: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(passage, start + 1)
    return start, start + len(passage)


def write_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in TRANSCRIPTS.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    manifest = folder / "manifest.csv"
    with manifest.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "site", "role", "participant"])
        for name, site, role, person in MANIFEST:
            writer.writerow([f"{name}.txt", site, role, person])
    return manifest


def build(project: Project, folder: Path) -> Project:
    manifest = write_corpus(folder)
    report = project.import_files(
        [folder / f"{name}.txt" for name in TRANSCRIPTS],
        ImportOptions(manifest=manifest, interviewer_labels=("Interviewer", "Facilitator")),
        actor="lead",
    )
    assert not report.failed, report.failed
    cb = project.codebook
    cb.add("Challenges", kind="organizing-theme")
    cb.add("Time", parent="Challenges", kind="theme")
    cb.add("Noon", parent="Challenges/Time")
    cb.add("Jargon", parent="Challenges", kind="theme")
    cb.add("Resources", kind="organizing-theme")
    cb.add("Training", parent="Resources", kind="theme")
    project.add_coder("consensus", "consensus")
    for document, code, coder, passage, occurrence in CODINGS:
        start, end = span(TRANSCRIPTS[document], passage, occurrence)
        project.coding.apply(document, code, start, end, coder=coder)
    tree = project.codebook.tree()
    with project._store.write("lead") as tx:
        maya = next(c.id for c in tx.coders() if c.name == "maya")
        rows = []
        for document, code, _, passage, origin in UNCOUNTED:
            start, end = span(TRANSCRIPTS[document], passage)
            rows.append(
                {
                    "document_id": tx.document(document).id,
                    "code_id": tree.find(code).id,
                    "coder_id": maya,
                    "start": start,
                    "end": end,
                    "origin": origin,
                }
            )
        tx.add_codings(rows)
        tx.log("coding.suggest", "coding", None, {"count": len(rows)})
    return project
