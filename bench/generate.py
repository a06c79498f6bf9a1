"""Synthetic projects for the benchmarks: transcripts, a manifest and two coders' codings.

    python -m bench.generate --size M            # writes bench/data/M/

Everything is drawn from a seeded NumPy generator, one stream per transcript, so transcript
`i` is the same file in every size and on every machine: S is the first 20 transcripts of M,
M the first 200 of L.

A corpus folder holds:

- `transcripts/*.txt`: interviews of about 8,000 words with `Name: ` speaker turns; short
  `Interviewer:` questions, answers of one to three paragraphs (one line each) in a turn;
- `manifest.csv`: file, site (A-G), role (leader, patient, provider), participant, and
  interview (the document's own name: an attribute to tabulate by document, as peers do);
- `codings-ana.csv`, `codings-ben.csv`: about 125 codings per transcript for each of two coders
  (`document,start,end,code,coder,memo,text`, the format `coder codings import` reads),
  against the 61-code codebook of codebooks/alidina-2021.yaml. The coders share most passages,
  with realistic differences: a sentence more or less, a boundary moved by a few words, a
  sibling code instead of the same one, passages only one of them coded;
- `meta.json`: what was generated, with which seed, generator version and codebook (a folder whose
  meta matches is reused as it is).

`tui_corpus` writes a single long transcript (60,000 words) with 3,000 codings by one coder,
for the workbench benchmark.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
CODEBOOK = ROOT / "codebooks" / "alidina-2021.yaml"

VERSION = 2  # bump when the output changes, so that cached corpora are rebuilt
SEED = 20250601
SIZES = {"S": 20, "M": 200, "L": 2000}
WORDS = 8_000
CODINGS_PER_CODER = 125  # two coders: about 250 codings per transcript
CODERS = ("ana", "ben")
SITES = tuple("ABCDEFG")
ROLES = ("leader", "patient", "provider")

# Common English words, then domain words; drawn with Zipf-like weights in this order.
VOCABULARY = """
the and to of a I that in it we was you they is for but so on with like be have what just
not this were there had at all about as do know think would our people one or my me them
from out when if really can are get more because which then time some very go going patients
patient up how who things thing meeting meetings their said could also been team by us him
she he an well no lot into other did see its way work first make much clinic those these
back even kind did now say where still something little want never always two sometimes feel
felt maybe right actually different how good idea together change changes council committee
nurse nurses doctor doctors staff manager partner partners improvement project projects
survey surveys feedback plan plans process room table question questions answer voice
decision decisions learning learned hospital community practice family families waiting
phone appointment appointments schedule evening evenings morning volunteer volunteers
training session sessions report reports data chart charts goal goals budget money hours
week weeks month months year years story stories trust respect listen listened heard hear
talk talked share shared role roles member members group groups advice advisory board leader
leaders provider providers receptionist front desk access care quality safety experience
experiences approach method methods cycle cycles test tested small steps pilot results
outcome outcomes worried worry afraid fear honest honestly open opened closed agenda agendas
priority priorities support supported helped help helpful hard harder difficult easy easier
new old whole part parts place places front behind slowly quickly later early wonderful
strange nervous comfortable welcome welcomed invited invite asked ask asking understand
understood explain explained jargon acronyms language words paper papers café naïve résumé
Zoë Chloé Geneviève Mathis Renée José Ångström façade coöperate
""".split()  # noqa: SIM905

FIRST_NAMES = """
Dana Amira Tomas Nadia Farah Tessa Winston Marcus Priya Kwame Ines Lucía Noor Oskar Hannah
Mateo Aisha Jonas Léa Ravi Sofia Yusuf Mei Elena Björn Camille Daniel Grace Hiroshi Ingrid
Javier Kofi Laila Magnus Nia Omar Paola Quinn Rosa Samir Thea Uma Viktor
""".split()  # noqa: SIM905
SURNAMES = """
Petrakis Tremblay Morrow Haddad Lindqvist Okafor Silva Nguyen Kowalski Moreau Haas Rossi
Andersen Mensah Park Dubois Fischer Costa Ivanova Jensen Kaur Laurent Müller
""".split()  # noqa: SIM905


@dataclass
class Transcript:
    name: str
    site: str
    role: str
    participant: str
    text: str
    # (start, end, paragraph) of every sentence the participant said
    sentences: list[tuple[int, int, int]] = field(default_factory=list)
    words: int = 0


@dataclass
class Codebook:
    paths: list[str]  # every code, as Parent/Child paths
    leaves: list[str]
    parent: dict[str, str | None]


def load_codebook(path: Path = CODEBOOK) -> Codebook:
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    paths: list[str] = []
    leaves: list[str] = []
    parent: dict[str, str | None] = {}

    def walk(codes: list[dict[str, Any]], above: str | None) -> None:
        for code in codes:
            here = f"{above}/{code['name']}" if above else str(code["name"])
            paths.append(here)
            parent[here] = above
            children = code.get("children") or []
            if children:
                walk(children, here)
            else:
                leaves.append(here)

    walk(spec["codes"], None)
    return Codebook(paths=paths, leaves=leaves, parent=parent)


# -- transcripts ---------------------------------------------------------------------------


def _weights(n: int, shift: float = 2.7) -> np.ndarray:
    w: np.ndarray = 1.0 / (np.arange(n) + shift)
    return np.asarray(w / w.sum())


class _Words:
    """Words drawn in blocks from a seeded generator (fast even for millions of words)."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.vocabulary = np.array(VOCABULARY, dtype=object)
        self.p = _weights(len(VOCABULARY))
        self.block: list[str] = []
        self.at = 0

    def take(self, n: int) -> list[str]:
        if self.at + n > len(self.block):
            self.block = list(self.rng.choice(self.vocabulary, size=max(4096, n), p=self.p))
            self.at = 0
        out = self.block[self.at : self.at + n]
        self.at += n
        return out


def _sentence(words: _Words, rng: np.random.Generator, question: bool) -> str:
    n = int(rng.integers(5, 26))
    chosen = words.take(n)
    if n > 8 and rng.random() < 0.35:
        comma = int(rng.integers(2, n - 2))
        chosen[comma] = chosen[comma] + ","
    chosen[0] = chosen[0][:1].upper() + chosen[0][1:]
    return " ".join(chosen) + ("?" if question else ".")


def transcript(index: int, words: int = WORDS, seed: int = SEED) -> Transcript:
    """Transcript number `index`: the same text for the same index, seed and length."""
    rng = np.random.default_rng([seed, index, words])
    draw = _Words(rng)
    site = SITES[index % len(SITES)]
    role = ROLES[(index // len(SITES)) % len(ROLES)]
    first = FIRST_NAMES[int(rng.integers(len(FIRST_NAMES)))]
    surname = SURNAMES[int(rng.integers(len(SURNAMES)))]
    name = f"site-{site.lower()}-{role}-{index + 1:04d}"
    doc = Transcript(name, site, role, f"{first} {surname} {index + 1:04d}", "")
    parts: list[str] = []
    at = 0
    paragraph = 0

    def put(piece: str) -> int:
        nonlocal at
        start = at
        parts.append(piece)
        at += len(piece)
        return start

    count = 0
    while count < words:
        # The interviewer: a sentence of context, sometimes, then a question.
        put("Interviewer: ")
        asked = [_sentence(draw, rng, question=True)]
        if rng.random() < 0.3:
            asked.insert(0, _sentence(draw, rng, question=False))
        if rng.random() < 0.05:
            asked.append("[laughs]")
        line = " ".join(asked)
        put(line + "\n\n")
        count += line.count(" ") + 1
        # The participant: one to three paragraphs, one line each.
        put(f"{first}: ")
        for p in range(int(rng.choice([1, 1, 2, 2, 3]))):
            if p:
                put("\n")
            sentences = [_sentence(draw, rng, question=False) for _ in range(rng.integers(2, 9))]
            for s, sentence in enumerate(sentences):
                if s:
                    put(" ")
                start = put(sentence)
                doc.sentences.append((start, start + len(sentence), paragraph))
                count += sentence.count(" ") + 1
            paragraph += 1
        put("\n\n")
    doc.text = "".join(parts)
    doc.words = count
    return doc


# -- codings -------------------------------------------------------------------------------


def _span(doc: Transcript, first: int, last: int) -> tuple[int, int]:
    return doc.sentences[first][0], doc.sentences[last][1]


def _passage(doc: Transcript, rng: np.random.Generator) -> tuple[int, int]:
    """One to three consecutive sentences of one paragraph, as sentence indices."""
    first = int(rng.integers(len(doc.sentences)))
    paragraph = doc.sentences[first][2]
    last = first
    for _ in range(int(rng.choice([0, 0, 0, 1, 1, 2]))):
        if last + 1 < len(doc.sentences) and doc.sentences[last + 1][2] == paragraph:
            last += 1
    return first, last


def _word_edge(text: str, start: int, end: int, rng: np.random.Generator) -> tuple[int, int]:
    """Move the start a few words in, or the end a few words back (as a coder trims)."""
    if rng.random() < 0.5:
        cut = start
        for _ in range(int(rng.integers(1, 4))):
            nxt = text.find(" ", cut + 1, end)
            if nxt < 0:
                break
            cut = nxt
        return (cut + 1, end) if cut + 1 < end else (start, end)
    cut = end
    for _ in range(int(rng.integers(1, 4))):
        prev = text.rfind(" ", start, cut - 1)
        if prev <= start:
            break
        cut = prev
    return (start, cut) if cut > start else (start, end)


def codings(
    doc: Transcript,
    book: Codebook,
    index: int,
    per_coder: int = CODINGS_PER_CODER,
    coders: tuple[str, ...] = CODERS,
    seed: int = SEED,
) -> list[tuple[str, int, int, str, str]]:
    """(coder, start, end, code, memo) for each coder's codings of `doc`."""
    rng = np.random.default_rng([seed, index, 1])
    # Sites emphasise different codes, so that matrices have something to show.
    site_rng = np.random.default_rng([seed, ord(doc.site)])
    weights = _weights(len(book.leaves), 4.0)[site_rng.permutation(len(book.leaves))]
    themes = [p for p in book.paths if p not in book.leaves]
    siblings: dict[str | None, list[str]] = {}
    for leaf in book.leaves:
        siblings.setdefault(book.parent[leaf], []).append(leaf)

    def code() -> str:
        if rng.random() < 0.05:
            return themes[int(rng.integers(len(themes)))]
        return book.leaves[int(rng.choice(len(book.leaves), p=weights))]

    base = [(*_passage(doc, rng), code()) for _ in range(int(per_coder * 0.9))]
    out: list[tuple[str, int, int, str, str]] = []
    for j, coder in enumerate(coders):
        keep = 0.9 if j == 0 else 0.85
        seen: set[tuple[int, int, str]] = set()
        mine: list[tuple[int, int, str]] = []
        for first, last, chosen in base:
            if rng.random() >= keep:
                continue
            if j:
                roll = rng.random()
                if roll < 0.2:  # a sentence more or less
                    paragraph = doc.sentences[first][2]
                    if last > first and rng.random() < 0.5:
                        last -= 1
                    elif last + 1 < len(doc.sentences) and doc.sentences[last + 1][2] == paragraph:
                        last += 1
                start, end = _span(doc, first, last)
                if 0.2 <= roll < 0.35:
                    start, end = _word_edge(doc.text, start, end, rng)
                if rng.random() < 0.15:
                    family = siblings.get(book.parent.get(chosen), [chosen])
                    chosen = family[int(rng.integers(len(family)))]
            else:
                start, end = _span(doc, first, last)
            if (start, end, chosen) not in seen:
                seen.add((start, end, chosen))
                mine.append((start, end, chosen))
        while len(mine) < per_coder:
            first, last = _passage(doc, rng)
            start, end = _span(doc, first, last)
            chosen = code()
            if (start, end, chosen) not in seen:
                seen.add((start, end, chosen))
                mine.append((start, end, chosen))
        for start, end, chosen in sorted(mine):
            memo = "check with the team" if rng.random() < 0.02 else ""
            out.append((coder, start, end, chosen, memo))
    return out


# -- writing corpora -----------------------------------------------------------------------


def _meta(kind: str, **values: Any) -> dict[str, Any]:
    # The codebook's own digest too: the codings name its codes, so a corpus generated
    # against an earlier version of it would name codes that are no longer there.
    codebook = hashlib.sha256(CODEBOOK.read_bytes()).hexdigest()[:16]
    return {"kind": kind, "version": VERSION, "seed": SEED, "codebook": codebook, **values}


def _current(folder: Path, meta: dict[str, Any]) -> bool:
    path = folder / "meta.json"
    if not path.exists():
        return False
    found = json.loads(path.read_text())
    return all(found.get(k) == v for k, v in meta.items())


def corpus(size: str, data: Path = DATA, *, quiet: bool = False) -> Path:
    """The corpus folder for `size` (S, M or L), generated unless it is there already."""
    count = SIZES[size]
    folder = data / size
    meta = _meta("corpus", size=size, transcripts=count, words=WORDS, per_coder=CODINGS_PER_CODER)
    if _current(folder, meta):
        return folder
    began = time.perf_counter()
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "transcripts").mkdir(parents=True)
    book = load_codebook()
    writers = {}
    handles = []
    for coder in CODERS:
        handle = (folder / f"codings-{coder}.csv").open("w", newline="", encoding="utf-8")
        handles.append(handle)
        writers[coder] = csv.writer(handle, lineterminator="\n")
        writers[coder].writerow(["document", "start", "end", "code", "coder", "memo", "text"])
    words = 0
    n_codings = 0
    with (folder / "manifest.csv").open("w", newline="", encoding="utf-8") as manifest_file:
        manifest = csv.writer(manifest_file, lineterminator="\n")
        manifest.writerow(["file", "site", "role", "participant", "interview"])
        for i in range(count):
            doc = transcript(i)
            (folder / "transcripts" / f"{doc.name}.txt").write_text(doc.text, encoding="utf-8")
            manifest.writerow(
                [f"transcripts/{doc.name}.txt", doc.site, doc.role, doc.participant, doc.name]
            )
            words += doc.words
            for coder, start, end, code, memo in codings(doc, book, i):
                writers[coder].writerow(
                    [doc.name, start, end, code, coder, memo, doc.text[start:end]]
                )
                n_codings += 1
            if not quiet and (i + 1) % 100 == 0:
                print(f"  generated {i + 1}/{count} transcripts", file=sys.stderr)
    for handle in handles:
        handle.close()
    meta.update(total_words=words, codings=n_codings, seconds=round(time.perf_counter() - began, 1))
    (folder / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    return folder


TUI_WORDS = 60_000
TUI_CODINGS = 3_000


def tui_corpus(data: Path = DATA) -> Path:
    """One 60,000-word transcript with 3,000 codings by `ana`, for the workbench benchmark."""
    folder = data / "tui"
    meta = _meta("tui", words=TUI_WORDS, codings=TUI_CODINGS)
    if _current(folder, meta):
        return folder
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    book = load_codebook()
    doc = transcript(0, words=TUI_WORDS)
    doc.name = "long-interview"
    (folder / f"{doc.name}.txt").write_text(doc.text, encoding="utf-8")
    (folder / "manifest.csv").write_text(
        f"file,site,role,participant\n{doc.name}.txt,{doc.site},{doc.role},{doc.participant}\n",
        encoding="utf-8",
    )
    with (folder / "codings.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["document", "start", "end", "code", "coder", "memo", "text"])
        rows = codings(doc, book, 0, per_coder=TUI_CODINGS, coders=("ana",))
        for coder, start, end, code, memo in rows:
            writer.writerow([doc.name, start, end, code, coder, memo, doc.text[start:end]])
    meta.update(total_words=doc.words, codings=len(rows))
    (folder / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    return folder


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="S")
    parser.add_argument("--data", type=Path, default=DATA, help="where corpora are written")
    args = parser.parse_args(argv)
    folder = corpus(args.size, args.data)
    tui_corpus(args.data)
    print(json.dumps(json.loads((folder / "meta.json").read_text()), indent=2))


if __name__ == "__main__":
    main()
