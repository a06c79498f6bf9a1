"""spaCy's rule-based sentencizer, applied to a doc's token arrays.

`Sentencizer.predict` makes a Python object of every token to read its text and punctuation
flag; on an interview study that is most of an import's time. The rule itself is simple, and
the arrays spaCy keeps (`Doc.to_array`) hold everything it reads, so this module applies the
same rule to them with NumPy: a sentence starts at the first token, and at every token that is
neither punctuation nor one of the sentencizer's `punct_chars` when one of those chars came
after the previous such token. The pipeline's own sentencizer supplies `punct_chars`; the
tests check the sentences against spaCy's own on varied text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

# Imported where used: spaCy and NumPy are loaded by the process that segments (see
# segment.py), not by every importer of the package.
if TYPE_CHECKING:
    import numpy as np
    from spacy.language import Language
    from spacy.tokens import Doc


def punct_of(nlp: Language, active: list[str]) -> np.ndarray | None:
    """The hashes of the sentence-ending chars, when the only component `nlp` runs (of
    `active`) is the rule-based sentencizer; None for any other pipeline."""
    import numpy as np
    from spacy.pipeline import Sentencizer

    if active != ["sentencizer"]:
        return None
    component = nlp.get_pipe("sentencizer")
    if not isinstance(component, Sentencizer):
        return None
    return np.array(
        sorted(nlp.vocab.strings.as_int(c) for c in component.punct_chars), dtype=np.uint64
    )


def sentence_spans(doc: Doc, punct: np.ndarray) -> list[tuple[int, int]]:
    """(start_char, end_char) of each sentence the sentencizer would mark in `doc` (made by
    the tokenizer alone), as `doc.sents` would give them."""
    import numpy as np
    from spacy.attrs import IDX, IS_PUNCT, LENGTH, ORTH

    if len(doc) == 0:
        return []
    table = doc.to_array([ORTH, IS_PUNCT, IDX, LENGTH])
    orth, is_punct, idx, length = (table[:, i] for i in range(4))
    # `punct` is sorted and short: a binary search per token, rather than `np.isin`'s sort of
    # every token's hash together with it.
    if len(punct):
        ends_sentence = punct[np.minimum(np.searchsorted(punct, orth), len(punct) - 1)] == orth
    else:
        ends_sentence = np.zeros(len(orth), dtype=bool)
    candidate = np.flatnonzero((is_punct == 0) & ~ends_sentence)
    seen = np.cumsum(ends_sentence)
    # A candidate starts a sentence when a sentence-ending char lies between it and the
    # candidate before it (none can start in between, so that char is still pending).
    before = np.concatenate(([0], seen[candidate[:-1]]))
    picked = candidate[seen[candidate] > before]  # sorted already: no `union1d` needed
    starts = picked if len(picked) and picked[0] == 0 else np.concatenate(([0], picked))
    last = np.append(starts[1:], len(doc)) - 1
    return list(zip(idx[starts].tolist(), (idx[last] + length[last]).tolist(), strict=True))
