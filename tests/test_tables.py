"""Tables printed to a terminal: folded to its width, with nothing left out."""

from __future__ import annotations

import pandas as pd

from coder.tables import layout, shorten, text_table

PATHS = [
    "Challenges/Material challenges/Diversity and representativeness",
    "Challenges/Sociocultural challenges/Patient doubts about their role",
    "Resources",
]


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "code": PATHS,
            "units": [1402, 1402, 71502],
            "kappa": [0.943, 0.887, 0.715],
            "kappa 95% CI": ["[0.89, 1.00]", "[0.82, 0.95]", "[0.69, 0.74]"],
            "alpha": [0.943, 0.887, 0.715],
            "AC1": [0.997, 0.992, 0.993],
            "AC1 95% CI": ["[0.99, 1.00]", "[0.99, 1.00]", "[0.99, 1.00]"],
        }
    )


def test_without_a_width_every_line_is_whole() -> None:
    lines = text_table(frame()).splitlines()
    assert len(lines) == 5
    assert lines[2].startswith(PATHS[0] + "  ")
    assert lines[2].split()[-1] == "1.00]"


def test_a_wide_table_folds_into_blocks_that_fit_and_repeat_the_labels() -> None:
    blocks = text_table(frame(), width=72).split("\n\n")
    assert len(blocks) > 1
    seen: list[str] = []
    for block in blocks:
        lines = block.splitlines()
        assert all(len(line) <= 72 for line in lines)
        assert lines[0].startswith("code")
        labels = [line[: line.index("  ")] for line in lines[2:]]
        assert labels[-1] == "Resources"
        assert labels[0].endswith("/Diversity and representativeness")
        seen += lines[0].split("  ")
    # Every column is in one block or another, once (the labels in every block).
    headers = [h.strip() for h in seen if h.strip() and h.strip() != "code"]
    assert headers == ["units", "kappa", "kappa 95% CI", "alpha", "AC1", "AC1 95% CI"]


def test_labels_keep_their_first_and_last_parts_then_their_last() -> None:
    assert shorten("A/B/C", 5) == "A/B/C"
    assert shorten("Challenges/Material challenges/Attrition", 25) == "Challenges/…/Attrition"
    assert shorten("Challenges/Material challenges/Attrition", 12) == "…/Attrition"
    assert shorten("Challenges/Material challenges/Attrition", 8) == "…/Attri…"
    assert shorten("A long name without parts", 10) == "A long na…"


def test_a_two_line_header_names_its_group_once_per_block() -> None:
    headers = [["", "A", "A", "A", "B"], ["code", "leader", "patient", "provider", "leader"]]
    rows = [["Value and impact", "4", "3", "5", "6"]]
    blocks = layout(headers, rows, [False, True, True, True, True], width=40).split("\n\n")
    tops = [block.splitlines()[0].split() for block in blocks]
    assert tops == [["A"], ["A", "B"]]
    assert all(len(line) <= 40 for block in blocks for line in block.splitlines())
