"""A small two-site study, built through the store so the coding tests need no importer."""

from __future__ import annotations

import hashlib

from coder import Project

LEADER = (
    "Interviewer: How did the council start?\n\n"
    "Amira Haddad: Slowly. Time was the big thing, honestly. We met at noon and nobody could come."
)
PATIENT = (
    "Interviewer: What got in the way?\n\n"
    "Dana: The jargon. PDSA this, run chart that. I didn’t know what they were talking about.\n\n"
    "Interviewer: And time?\n\n"
    "Dana: Time too — meetings at noon when I’m at work."
)


def add_document(
    project: Project, name: str, text: str, attributes: dict[str, str], person: str
) -> None:
    with project._store.write("setup") as tx:
        doc = tx.add_document(
            name=name,
            text=text,
            sha256=hashlib.sha256(text.encode()).hexdigest(),
            source_name=f"{name}.txt",
            source_format="txt",
            encoding="utf-8",
        )
        participant = tx.ensure_participant(person)
        tx.link_participant(doc.id, participant.id, person.split()[0])
        for key, value in attributes.items():
            for scope, owner in (("document", doc.id), ("participant", participant.id)):
                attribute = tx.ensure_attribute(scope, key, "text")  # type: ignore[arg-type]
                tx.set_attribute_value(attribute, owner, value)
        turns = []
        offset = 0
        for block in text.split("\n\n"):
            label, _, utterance = block.partition(": ")
            start = offset + len(label) + 2
            interviewer = label == "Interviewer"
            turns.append(
                {
                    "kind": "turn",
                    "start": start,
                    "end": start + len(utterance),
                    "speaker": label,
                    "speaker_role": "interviewer" if interviewer else "participant",
                    "participant_id": None if interviewer else participant.id,
                }
            )
            offset += len(block) + 2
        tx.add_segments(doc, turns)


def span_of(text: str, passage: str) -> tuple[int, int]:
    start = text.index(passage)
    return start, start + len(passage)
