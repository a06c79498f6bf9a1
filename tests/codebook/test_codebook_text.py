"""The codebook as a paper appendix: Markdown and LaTeX."""

from __future__ import annotations

import re

import pytest

from coder.codebook.spec import CodebookSpec, CodeSpec
from coder.codebook.text_formats import latex_escape, md_escape, to_latex, to_markdown

SPEC = CodebookSpec(
    title="Partnership & care",
    version="1.0",
    source="Lind 2014",
    description="First paragraph.\n\nSecond paragraph.",
    codes=[
        CodeSpec(
            "Place",
            kind="organizing-theme",
            definition="Where it happens.",
            children=[
                CodeSpec(
                    "Direct care",
                    definition="One person's own care.\n\nA second paragraph.",
                    include="Decision aids.",
                    exclude="Unit-level work (use Clinic).",
                    examples=["We chose together.", "[laughs] She asked me first."],
                ),
                CodeSpec("Clinic", kind="theme", definition="A unit."),
            ],
        ),
        CodeSpec("Phase", kind="organizing-theme", definition="When."),
    ],
)


def test_markdown_shape() -> None:
    assert to_markdown(SPEC) == (
        "# Partnership & care\n"
        "\n"
        "Version 1.0. Source: Lind 2014\n"
        "\n"
        "First paragraph.\n"
        "\n"
        "Second paragraph.\n"
        "\n"
        "## 1 Place\n"
        "\n"
        "*Organizing theme*\n"
        "\n"
        "**Definition.** Where it happens.\n"
        "\n"
        "### 1.1 Direct care\n"
        "\n"
        "**Definition.** One person's own care.\n"
        "\n"
        "A second paragraph.\n"
        "\n"
        "**Include.** Decision aids.\n"
        "\n"
        "**Exclude.** Unit-level work (use Clinic).\n"
        "\n"
        "**Examples.**\n"
        "\n"
        "- We chose together.\n"
        "- \\[laughs\\] She asked me first.\n"
        "\n"
        "### 1.2 Clinic\n"
        "\n"
        "*Theme*\n"
        "\n"
        "**Definition.** A unit.\n"
        "\n"
        "## 2 Phase\n"
        "\n"
        "*Organizing theme*\n"
        "\n"
        "**Definition.** When.\n"
    )


def test_markdown_headings_stop_at_six_levels_and_numbers_carry_on() -> None:
    code = CodeSpec("L8")
    for depth in range(7, 0, -1):
        code = CodeSpec(f"L{depth}", children=[code])
    text = to_markdown(CodebookSpec("Deep", [code]))
    assert "###### 1.1.1.1.1 L5\n" in text
    assert "###### 1.1.1.1.1.1.1.1 L8\n" in text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a*b_c", "a\\*b\\_c"),
        ("# not a heading", "\\# not a heading"),
        ("- not a list", "\\- not a list"),
        ("1. not a list", "1\\. not a list"),
        ("<b>tag</b>", "\\<b\\>tag\\</b\\>"),
        ("AT&T &amp;", "AT&T \\&amp;"),
        ("    indented", "indented"),
        ("`code` | pipe ~", "\\`code\\` \\| pipe \\~"),
    ],
)
def test_markdown_escaping(text: str, expected: str) -> None:
    assert md_escape(text) == expected


def test_latex_escapes_every_special_character() -> None:
    assert latex_escape(r"& % $ # _ { } ~ ^ \ < > |") == (
        r"\& \% \$ \# \_ \{ \} \textasciitilde{} \textasciicircum{} \textbackslash{} "
        r"\textless{} \textgreater{} \textbar{}"
    )
    # One pass: the braces and backslashes of an escape are never escaped again.
    assert latex_escape("\\{") == r"\textbackslash{}\{"
    assert latex_escape("50% of C# users_") == r"50\% of C\# users\_"


def test_latex_shape() -> None:
    spec = CodebookSpec(
        "Costs & benefits",
        [
            CodeSpec(
                "Money_talk 100%",
                kind="theme",
                definition="Pay $ or ~free~ {sic}",
                examples=["[pause] it's ^ up"],
                children=[CodeSpec("Deeper", definition="d")],
            )
        ],
        source="A & B",
    )
    text = to_latex(spec)
    assert text.startswith("% Codebook: Costs & benefits\n")
    assert "\\section*{Costs \\& benefits}\n\nSource: A \\& B\n" in text
    assert "\\subsection*{1\\quad Money\\_talk 100\\%}\n\\textit{Theme.}\n" in text
    assert (
        "  \\item[Definition] Pay \\$ or \\textasciitilde{}free\\textasciitilde{} \\{sic\\}\n"
        in text
    )
    assert "    \\item{} [pause] it's \\textasciicircum{} up\n" in text
    assert "\\subsubsection*{1.1\\quad Deeper}" in text
    # Every environment is closed, and no raw special character is left outside commands.
    assert text.count("\\begin{") == text.count("\\end{")
    body = "\n".join(line for line in text.splitlines() if not line.startswith("%"))
    stripped = re.sub(r"\\[a-zA-Z]+\*?(\{\})?|\\[&%$#_{}]", "", body)
    assert not re.search(r"[&%$#_~^]", stripped)


def test_latex_deep_codes_use_the_smallest_heading() -> None:
    code = CodeSpec("L6")
    for depth in range(5, 0, -1):
        code = CodeSpec(f"L{depth}", children=[code])
    text = to_latex(CodebookSpec("Deep", [code]))
    assert "\\subparagraph*{1.1.1.1.1.1\\quad L6}" in text
