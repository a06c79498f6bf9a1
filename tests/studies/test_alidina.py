"""docs/studies/alidina.md runs as written, and its tables hold what the corpus says.

The page's commands run in a temporary folder and must print what the page shows. The key
tables are then counted again here, from the corpus files alone (the manifest, the focus-group
transcript's speaker labels and maya's codings CSV), and compared with the page and with the
project. After a deliberate change of output, rewrite the page with
`CODER_UPDATE_STUDIES=1 .venv/bin/pytest tests/studies/test_alidina.py` and read the diff.
"""

from __future__ import annotations

import csv
import os
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from console_docs import BLOCK, steps

from coder import Project

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "studies" / "alidina.md"
CORPUS = ROOT / "corpora" / "partnership-demo"
SITES = list("ABCDEFG")
SPEAKER = re.compile(r"^\[\d\d:\d\d:\d\d\] ([^:]+): ", re.M)


@dataclass(frozen=True)
class Passage:
    """One coded span of maya's, with every code she applied to it."""

    document: str
    site: str
    role: str
    participant: str
    codes: frozenset[str]


def strong_sites() -> set[str]:
    """The sites the corpus's classification (which the page sets and imports) calls strong."""
    with (CORPUS / "classification.csv").open(encoding="utf-8", newline="") as handle:
        return {row["site"] for row in csv.DictReader(handle) if row["partnership"] == "strong"}


@cache
def manifest() -> dict[str, dict[str, str]]:
    with (CORPUS / "manifest.csv").open(encoding="utf-8", newline="") as handle:
        return {Path(row["file"]).stem: row for row in csv.DictReader(handle)}


def focus_group_turns(document: str) -> list[tuple[int, str]]:
    """(offset, speaker) for each turn of a timestamped focus-group transcript."""
    text = (CORPUS / "transcripts" / f"{document}.txt").read_text(encoding="utf-8")
    return [(m.start(), m.group(1)) for m in SPEAKER.finditer(text)]


def focus_group_members(document: str) -> set[str]:
    return {speaker for _, speaker in focus_group_turns(document)} - {"Facilitator"}


def speaker_of(document: str, text: str) -> str:
    raw = (CORPUS / "transcripts" / f"{document}.txt").read_text(encoding="utf-8")
    start = raw.index(text)
    return [speaker for offset, speaker in focus_group_turns(document) if offset < start][-1]


@cache
def passages() -> list[Passage]:
    files = manifest()
    codes: dict[tuple[str, str], set[str]] = defaultdict(set)
    with (CORPUS / "codings" / "maya.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            codes[(row["document"], row["text"])].add(row["code"])
    found = []
    for (document, text), applied in codes.items():
        row = files[document]
        who = row["participant"] or speaker_of(document, text)
        found.append(Passage(document, row["site"], row["role"], who, frozenset(applied)))
    return found


def people(roles: set[str] | None = None, sites: set[str] | None = None) -> set[str]:
    """The participants of the corpus: the manifest's, and the focus groups' speakers."""
    found = set()
    for document, row in manifest().items():
        if (roles is None or row["role"] in roles) and (sites is None or row["site"] in sites):
            named = {row["participant"]} if row["participant"] else focus_group_members(document)
            found |= named
    return found


def sites_with(code: str, roles: set[str] | None = None) -> set[str]:
    return {p.site for p in passages() if code in p.codes and (roles is None or p.role in roles)}


def participants_with(code: str, site: str) -> int:
    return len({p.participant for p in passages() if code in p.codes and p.site == site})


def under(prefix: str) -> set[str]:
    return {c for p in passages() for c in p.codes if c == prefix or c.startswith(prefix + "/")}


# The page's outputs, read back as tables.


def shown(command: str) -> list[str]:
    text = PAGE.read_text(encoding="utf-8")
    for block in BLOCK.finditer(text):
        for step in steps(block.group(1)):
            if step.command == command:
                return list(step.expected)
    raise AssertionError(f"the page has no command {command!r}")


def rows(command: str) -> Iterator[tuple[str, list[str]]]:
    """(row label, cells) for each row of a one-header table the page shows."""
    lines = shown(command)
    dashes = next(i for i, line in enumerate(lines) if line.startswith("---"))
    for line in lines[dashes + 1 :]:
        if line.strip() and line != "…":
            label, *cells = re.split(r"\s{2,}", line.strip())
            yield label, cells


def test_the_page_prints_what_it_shows(tmp_path: Path) -> None:
    from console_docs import check

    for folder in ("corpora", "codebooks"):
        (tmp_path / folder).symlink_to(ROOT / folder)
    update = os.environ.get("CODER_UPDATE_STUDIES") == "1"
    problems = check(PAGE, tmp_path, update=update)
    assert not problems, "\n\n".join(problems)
    with Project.open(tmp_path / "alidina.coder") as project:
        _check_the_project(project)


def _check_the_project(project: Project) -> None:
    # Themes evidenced in at least two sites: every code of Challenges and Resources coded
    # at two sites or more, and no other.
    for top in ("Challenges", "Resources"):
        matrix = project.matrices.matrix(
            "site", level="codes", codes=[top], measure="participants", min_groups=2
        ).frame
        expected = {code for code in under(top) if len(sites_with(code)) >= 2}
        assert set(matrix.index) == expected
        for code in expected:
            assert [matrix.loc[code, s] for s in SITES] == [
                participants_with(code, s) for s in SITES
            ]
    # Table 1 and 2: documents and participants by site and role, all of them.
    table = project.matrices.describe("site", split="role")
    for (site, role), documents in _documents_by_site_and_role().items():
        counted = people({role}, {site})
        row = table.loc[f"{site} / {role}"]
        assert (row["documents"], row["participants"]) == (len(documents), len(counted))
    # The classification made after import is a column at once.
    values = project.matrices.describe("partnership", split="site")
    strong = strong_sites()
    assert list(values.index[:-1]) == [
        f"{'strong' if site in strong else 'weaker'} / {site}"
        for site in sorted(SITES, key=lambda s: (s not in strong, s))
    ]


def _documents_by_site_and_role() -> dict[tuple[str, str], list[str]]:
    found: dict[tuple[str, str], list[str]] = defaultdict(list)
    for document, row in manifest().items():
        found[(row["site"], row["role"])].append(document)
    return found


def test_participants_by_role() -> None:
    table = dict(rows("coder describe --by role"))
    for role in ("leader", "patient", "provider", "focus group"):
        documents = [d for d, row in manifest().items() if row["role"] == role]
        assert table[role][:2] == [str(len(documents)), str(len(people({role})))]
    assert table["Total"][:2] == [str(len(manifest())), str(len(people()))]


@pytest.mark.parametrize("top", ["Challenges", "Resources"])
def test_themes_in_at_least_two_sites(top: str) -> None:
    command = (
        f"coder matrix --by site --level codes --codes {top} --measure participants --min-groups 2"
    )
    table = dict(rows(command))
    assert table, "the page shows no rows"
    for code, cells in table.items():
        counts = [participants_with(code, s) for s in SITES]
        groups = sum(1 for c in counts if c)
        assert groups >= 2
        assert cells == [str(c) for c in counts] + [str(groups)], code
    # A code at one site only is left out: the page says so of this one.
    know_how = "Challenges/Technical challenges/Improvement-method know-how"
    assert len(sites_with(know_how)) == 1
    assert know_how not in table


@pytest.mark.parametrize(
    ("command", "roles"),
    [
        (
            "coder matrix --by site --where role=leader --where role=provider --level codes "
            '--codes "Challenges/Sociocultural challenges" --measure presence',
            {"leader", "provider"},
        ),
        (
            "coder matrix --by site --where role=patient --level codes "
            '--codes "Challenges/Sociocultural challenges" --measure presence',
            {"patient"},
        ),
        (
            "coder matrix --by site --level codes "
            '--codes "Challenges/Material challenges/Attrition and turnover" --measure presence',
            None,
        ),
    ],
)
def test_sites_where_a_role_said_it(command: str, roles: set[str] | None) -> None:
    table = dict(rows(command))
    assert table
    for code, cells in table.items():
        present = sites_with(code, roles)
        assert cells == [str(int(s in present)) for s in SITES] + [str(len(present))], code


def test_sources_of_the_sociocultural_resources() -> None:
    command = (
        'coder cooccurrence --rows "Resources/Sociocultural resources" '
        '--columns "Source of the resource" --unit passage'
    )
    sources = ["External source", "Organizational source", "Individual source"]
    table = dict(rows(command))
    assert len(table) == 6
    for resource, cells in table.items():
        counts = [
            sum(1 for p in passages() if {resource, f"Source of the resource/{s}"} <= p.codes)
            for s in sources
        ]
        assert cells == [str(c) for c in counts], resource


@pytest.mark.parametrize(
    "theme", ["Forms of engagement/Partnership and codesign", "Shared learning journey"]
)
def test_strong_and_weaker_partnerships(theme: str) -> None:
    table = dict(rows(f'coder matrix --by partnership --level "{theme}" --measure share'))
    strong = people(sites=strong_sites())
    weaker = people(sites=set(SITES) - strong_sites())
    assert (len(strong), len(weaker)) == (9, 17)
    assert set(table) == {c for c in under(theme) if c != theme}
    for code, cells in table.items():
        said = {p.participant for p in passages() if code in p.codes}
        shares = [len(said & strong) / len(strong), len(said & weaker) / len(weaker)]
        assert cells[:2] == [f"{share:.2f}" for share in shares], code


def test_quotes_are_cited_by_site_and_role() -> None:
    command = (
        'coder quotes --code "Challenges/Sociocultural challenges/Patient doubts about their '
        'role" --where site=D --where role=patient --search "just the patient" '
        '--template "(Site {site} {role:title})"'
    )
    [quote] = [line for line in shown(command) if line.startswith("> ")]
    code = "Challenges/Sociocultural challenges/Patient doubts about their role"
    with (CORPUS / "codings" / "maya.csv").open(encoding="utf-8", newline="") as handle:
        [text] = [
            row["text"]
            for row in csv.DictReader(handle)
            if row["document"] == "site-d-patient"
            and row["code"] == code
            and "just the patient" in row["text"]
        ]
    assert quote == "> " + " ".join(text.split()) + " (Site D Patient)"
