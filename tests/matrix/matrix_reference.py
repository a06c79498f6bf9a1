"""An independent, deliberately plain computation of every matrix measure.

It reads the codings table and the segments through the public API and works one character
at a time: every coding becomes the set of characters it covers, every sentence and turn the
set of characters it spans. Nothing here shares code with coder.matrix.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
from matrix_study import MANIFEST

from coder import Project

CONSENSUS = "consensus"
ROLE_OF_PERSON = {
    person: role
    for _, _, role, people in MANIFEST
    for person in (p.split("=")[-1].strip() for p in people.split(";"))
}


@dataclass
class Tables:
    chars: pd.DataFrame  # document, code (path), coder, char: one row per coded character
    sentences: pd.DataFrame  # document, sentence, char
    speech: pd.DataFrame  # document, participant (id), char: participants' turns
    documents: pd.DataFrame  # document, site, role, length
    people: pd.DataFrame  # participant (id), name


def tables(project: Project, coder: str | None = None) -> Tables:
    frame = project.coding.frame()
    if coder is None:
        reconciled = set(frame.loc[frame["coder"] == CONSENSUS, "document"])
        keep = [
            (c == CONSENSUS) or (d not in reconciled)
            for d, c in zip(frame["document"], frame["coder"], strict=True)
        ]
        frame = frame[keep]
    else:
        frame = frame[frame["coder"] == coder]
    tree = project.codebook.tree(include_inactive=True)
    paths = {c.id: tree.path(c) for c in tree.codes}
    chars = [
        (d, paths[k], who, i)
        for d, k, who, s, e in zip(
            frame["document"],
            frame["code_id"],
            frame["coder"],
            frame["start"],
            frame["end"],
            strict=True,
        )
        for i in range(s, e)
    ]
    sentences, speech, docs, people = [], [], [], {}
    for summary in project.documents():
        for n, s in enumerate(project.segments(summary.name, "sentence")):
            sentences += [(summary.name, f"{summary.name}#{n}", i) for i in range(s.start, s.end)]
        for t in project.segments(summary.name, "turn"):
            if t.participant_id is not None:
                speech += [(summary.name, t.participant_id, i) for i in range(t.start, t.end)]
                people[t.participant_id] = _name(summary.participants, t.speaker)
        docs.append(
            (
                summary.name,
                summary.attributes.get("site"),
                summary.attributes.get("role"),
                summary.characters,
            )
        )
    return Tables(
        chars=pd.DataFrame(chars, columns=["document", "code", "coder", "char"]).drop_duplicates(),
        sentences=pd.DataFrame(sentences, columns=["document", "sentence", "char"]),
        speech=pd.DataFrame(speech, columns=["document", "participant", "char"]),
        documents=pd.DataFrame(docs, columns=["document", "site", "role", "length"]),
        people=pd.DataFrame(list(people.items()), columns=["participant", "name"]),
    )


def _name(participants: tuple[str, ...], speaker: str | None) -> str:
    if len(participants) == 1:
        return participants[0]
    return next(p for p in participants if speaker and p.startswith(speaker))


def in_row(code: str, row: str, rolled_up: bool) -> bool:
    return code == row or (rolled_up and code.startswith(row + "/"))


def untouched_runs(coded: pd.DataFrame, sentences: pd.DataFrame) -> int:
    """Runs of consecutive coded characters (per document) with no character in a sentence."""
    in_sentence = set(zip(sentences["document"], sentences["char"], strict=True))
    count = 0
    for document, group in coded.groupby("document"):
        run: list[int] = []
        for char in [*sorted(group["char"]), None]:
            if run and (char is None or char != run[-1] + 1):
                count += not any((document, c) in in_sentence for c in run)
                run = []
            if char is not None:
                run.append(char)
    return count


def runs(chars: list[int]) -> list[set[int]]:
    """Maximal runs of consecutive characters."""
    out: list[set[int]] = []
    for char in sorted(set(chars)):
        if out and char - 1 in out[-1]:
            out[-1].add(char)
        else:
            out.append({char})
    return out


def coded_segments(coded: pd.DataFrame) -> int:
    """Segments among coded characters (document, coder, char): each coder's runs of
    consecutive characters, then runs of different coders that share a character joined."""
    count = 0
    for _, in_document in coded.groupby("document"):
        pieces = [
            run for _, mine in in_document.groupby("coder") for run in runs(mine["char"].tolist())
        ]
        # Join pieces sharing a character until none do: the number left is the count.
        joined: list[set[int]] = []
        for piece in pieces:
            touching = [j for j in joined if j & piece]
            for j in touching:
                joined.remove(j)
                piece = piece | j
            joined.append(piece)
        count += len(joined)
    return count


def reference(
    t: Tables,
    rows: list[str],
    rolled_up: bool,
    measure: str,
    group_of: Callable[[pd.DataFrame], pd.Series],
    scope: str,
    labels: list[object],
) -> pd.DataFrame:
    """rows x labels of `measure`. `group_of` maps a frame with document (and, for participant
    scope, participant) to group labels (None: in no group)."""
    speech = t.speech.merge(t.people, on="participant")
    result = pd.DataFrame(0.0, index=rows, columns=range(len(labels)))
    if scope == "document":
        members = t.documents.assign(group=group_of(t.documents))
        members = members[members["group"].notna()]
        people_in = speech.drop_duplicates(["document", "participant"])
        people_in = people_in.assign(group=group_of(people_in))
        text_in = members.groupby("group")["length"].sum()
    else:
        pairs = speech.drop_duplicates(["document", "participant"])
        people_in = pairs.assign(group=group_of(pairs))
        said = speech.assign(group=group_of(speech))
        text_in = said[said["group"].notna()].groupby("group").size()
    for r, row in enumerate(rows):
        by_coder = t.chars[[in_row(c, row, rolled_up) for c in t.chars["code"]]]
        by_coder = by_coder[["document", "coder", "char"]].drop_duplicates()
        coded = by_coder[["document", "char"]].drop_duplicates()
        spoken = coded.merge(speech, on=["document", "char"])
        spoken = spoken.assign(group=group_of(spoken))
        coded = coded.assign(group=group_of(coded)) if scope == "document" else spoken
        if scope == "document":
            by_coder = by_coder.assign(group=group_of(by_coder))
        else:
            by_coder = by_coder.merge(speech, on=["document", "char"])
            by_coder = by_coder.assign(group=group_of(by_coder))
        for c, label in enumerate(labels):
            here = coded[coded["group"] == label]
            who = spoken[spoken["group"] == label]
            if measure == "segments":
                value = coded_segments(by_coder[by_coder["group"] == label])
            elif measure == "sentences":
                hit = here.merge(t.sentences, on=["document", "char"])
                value = hit["sentence"].nunique() + untouched_runs(here, t.sentences)
            elif measure == "documents":
                value = here["document"].nunique()
            elif measure == "participants":
                value = who["participant"].nunique()
            elif measure == "presence":
                value = int(len(here) > 0)
            elif measure == "share":
                total = people_in.loc[people_in["group"] == label, "participant"].nunique()
                value = who["participant"].nunique() / total if total else 0.0
            elif measure == "coverage":
                total = text_in.get(label, 0)
                value = len(here.drop_duplicates(["document", "char"])) / total if total else 0.0
            else:
                raise ValueError(measure)
            result.iloc[r, c] = value
    result.columns = pd.Index(labels)
    return result


def by_document(t: Tables, attributes: list[str]) -> Callable[[pd.DataFrame], pd.Series]:
    info = t.documents.set_index("document")

    def group(frame: pd.DataFrame) -> pd.Series:
        values = [frame["document"].map(info[a]) for a in attributes]
        if len(values) == 1:
            return values[0]
        return pd.Series(
            [
                (a, b) if pd.notna(a) and pd.notna(b) else None
                for a, b in zip(values[0], values[1], strict=True)
            ],
            index=frame.index,
            dtype=object,
        )

    return group


def by_participant_role(t: Tables) -> Callable[[pd.DataFrame], pd.Series]:
    names = t.people.set_index("participant")["name"]

    def group(frame: pd.DataFrame) -> pd.Series:
        return frame["participant"].map(names).map(ROLE_OF_PERSON)

    return group
