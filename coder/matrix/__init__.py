"""Aggregating codings: code x group matrices, code co-occurrence, exemplar quotes.

`coder.matrix.measures` computes matrices from plain pandas tables, and `cooccurrences` code x
code co-occurrence from the same tables; `gather` reads those tables from a project; `export`,
`heatmap` and `workbook` write the results; `exemplars` picks quotes.
The public entry point is `project.matrices` (`coder.matrix.api.Matrices`).
"""

from coder.matrix.cooccurrences import COOCCURRENCE_MEASURES, cooccurrence
from coder.matrix.measures import (
    EVIDENCE,
    MEASURES,
    TOTAL,
    Corpus,
    Groups,
    matrix,
)
from coder.matrix.rows import Rows, select_rows

__all__ = [
    "COOCCURRENCE_MEASURES",
    "EVIDENCE",
    "MEASURES",
    "TOTAL",
    "Corpus",
    "Groups",
    "Rows",
    "cooccurrence",
    "matrix",
    "select_rows",
]
