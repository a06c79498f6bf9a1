"""The codebook as an appendix: Markdown and LaTeX.

Both show the hierarchy as numbered headings ("1.2.3 Time and meeting timing"), and under each
code its definition, when to apply it, when not to, and examples. The numbers carry the
hierarchy where the heading levels run out (Markdown has six, LaTeX five). Every text from the
codebook is escaped, so a "#" or "%" in a definition prints as itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from coder.codebook.spec import CodebookSpec, CodeSpec, Visit
from coder.tables import latex_escape

_KIND_LABELS = {"organizing-theme": "Organizing theme", "theme": "Theme"}


def _numbered(spec: CodebookSpec) -> Iterator[tuple[str, Visit]]:
    counters: list[int] = []
    for visit in spec.walk():
        del counters[visit.depth + 1 :]
        if len(counters) <= visit.depth:
            counters.append(0)
        counters[visit.depth] += 1
        yield ".".join(map(str, counters)), visit


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


# -- Markdown ---------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~]|&(?=#?\w+;))")
# Starts of lines that Markdown would read as a list item, a quote or a heading underline.
_MD_LINE_START = re.compile(r"([-+=]|\d+[.)])")


def md_escape(text: str) -> str:
    lines = []
    for raw in text.split("\n"):
        # Leading spaces would make an indented code block; they carry no meaning here.
        line = _MD_SPECIAL.sub(r"\\\1", raw.strip())
        if match := _MD_LINE_START.match(line):
            line = line[: match.end() - 1] + "\\" + line[match.end() - 1 :]
        lines.append(line)
    return "\n".join(lines)


def _md_field(label: str, text: str) -> list[str]:
    paragraphs = [md_escape(p) for p in _paragraphs(text)]
    if not paragraphs:
        return []
    return [
        f"**{label}.** {paragraphs[0]}",
        "",
        *(line for p in paragraphs[1:] for line in (p, "")),
    ]


def _md_code(number: str, visit: Visit) -> list[str]:
    code = visit.code
    lines = [f"{'#' * min(visit.depth + 2, 6)} {number} {md_escape(code.name)}", ""]
    if code.kind in _KIND_LABELS:
        lines += [f"*{_KIND_LABELS[code.kind]}*", ""]
    lines += _md_field("Definition", code.definition)
    lines += _md_field("Include", code.include)
    lines += _md_field("Exclude", code.exclude)
    if code.examples:
        lines += ["**Examples.**", ""]
        for example in code.examples:
            lines.append("- " + md_escape(example).replace("\n", "\n  "))
        lines.append("")
    lines += _md_field("Source", code.source)
    return lines


def to_markdown(spec: CodebookSpec) -> str:
    """The codebook as Markdown: a title, then one numbered heading per code."""
    lines = [f"# {md_escape(spec.title)}", ""]
    about = " ".join(
        part
        for part in (
            f"Version {spec.version}." if spec.version else "",
            f"Source: {spec.source}" if spec.source else "",
        )
        if part
    )
    if about:
        lines += [md_escape(about), ""]
    for paragraph in _paragraphs(spec.description):
        lines += [md_escape(paragraph), ""]
    for number, visit in _numbered(spec):
        lines += _md_code(number, visit)
    return "\n".join(lines).rstrip("\n") + "\n"


# -- LaTeX ------------------------------------------------------------------------------------

_SECTIONS = ("section", "subsection", "subsubsection", "paragraph", "subparagraph")


def _latex_text(text: str) -> str:
    return "\n\n".join(latex_escape(p) for p in _paragraphs(text))


def _latex_code(number: str, visit: Visit) -> list[str]:
    code: CodeSpec = visit.code
    command = _SECTIONS[min(visit.depth + 1, len(_SECTIONS) - 1)]
    lines = [f"\\{command}*{{{number}\\quad {latex_escape(code.name)}}}"]
    if code.kind in _KIND_LABELS:
        lines.append(f"\\textit{{{_KIND_LABELS[code.kind]}.}}")
    items = [
        (label, _latex_text(text))
        for label, text in (
            ("Definition", code.definition),
            ("Include", code.include),
            ("Exclude", code.exclude),
        )
        if text
    ]
    source = [("Source", _latex_text(code.source))] if code.source else []
    if items or code.examples or source:
        lines.append("\\begin{description}")
        lines += [f"  \\item[{label}] {text}" for label, text in items]
        if code.examples:
            lines.append("  \\item[Examples] \\begin{itemize}")
            # "{}" after \item: an example starting with "[" must not become the item's label.
            lines += [f"    \\item{{}} {_latex_text(example)}" for example in code.examples]
            lines.append("  \\end{itemize}")
        lines += [f"  \\item[{label}] {text}" for label, text in source]
        lines.append("\\end{description}")
    return [*lines, ""]


def to_latex(spec: CodebookSpec) -> str:
    """The codebook as a LaTeX fragment to \\input into an appendix (UTF-8, no preamble)."""
    lines = [
        f"% Codebook: {spec.title.replace(chr(10), ' ')}",
        "% Written by coder; needs UTF-8 input (the default since LaTeX 2018).",
        f"\\section*{{{latex_escape(spec.title)}}}",
    ]
    about = " ".join(
        part
        for part in (
            f"Version {latex_escape(spec.version)}." if spec.version else "",
            f"Source: {latex_escape(spec.source)}" if spec.source else "",
        )
        if part
    )
    if about:
        lines += ["", about]
    if spec.description:
        lines += ["", _latex_text(spec.description)]
    lines.append("")
    for number, visit in _numbered(spec):
        lines += _latex_code(number, visit)
    return "\n".join(lines).rstrip("\n") + "\n"
