"""Turns, paragraphs and sentences: the units codings snap to, computed once at import.

Paragraphs are the blocks a turn was built from (each with its own times), or the non-empty
lines of a turn found in text that was not rebuilt; outside turns (a preamble, or a document with
no speaker labels) they are the blank-line separated blocks, never including the `Label: `
that starts the next turn. Sentences come from spaCy, run on each paragraph on its own, so a
sentence never crosses a paragraph or a turn; their offsets are mapped back to the document
and trimmed to start and end on a non-space character.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator, Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any

from coder.errors import UsageError
from coder.ingest import sentences as sentences_rule
from coder.ingest.model import ParsedTranscript, SegmentSpec, spec_of

# spaCy is imported when a pipeline is first loaded, not with this module: an import reads
# and segments its files in a process of its own (coder/ingest/ahead.py), which loads spaCy
# while the importer opens the project, and the importer itself never needs it.
if TYPE_CHECKING:
    from spacy.language import Language

DEFAULT_MODEL = "blank:en"
# spaCy refuses texts over its max_length; a longer paragraph is cut at a line or a space.
_CHUNK = 100_000
_SEPARATOR = "\n\n"
_BLOCKS = re.compile(r"[^\n]+(?:\n[^\n]+)*")
_LINES = re.compile(r"[^\n]+")
_pipelines: dict[str, Language] = {}
# Components of trained pipelines that sentence splitting does not need (the parser does need
# tok2vec or the transformer, so only these are switched off while segmenting).
_NOT_FOR_SENTENCES = frozenset(
    (
        "ner",
        "lemmatizer",
        "textcat",
        "textcat_multilabel",
        "entity_linker",
        "entity_ruler",
        "spancat",
    )
)


def load_pipeline(model: str | None = None) -> Language:
    """A spaCy pipeline that splits sentences, cached per model name.

    None gives `spacy.blank("en")` with the rule-based `sentencizer` (nothing to download);
    a name loads that installed trained pipeline (e.g. `en_core_web_sm`), adding the
    sentencizer if it has no parser or sentence recogniser.
    """
    key = model or DEFAULT_MODEL
    if key in _pipelines:
        return _pipelines[key]
    import_spacy()
    import spacy

    if key == DEFAULT_MODEL:
        nlp = spacy.blank("en")
    else:
        try:
            nlp = spacy.load(key)
        except OSError:
            raise UsageError(
                f"the spaCy pipeline {key!r} is not installed; install it (for example "
                f"`pip install {key}`) or leave the model unset to use the built-in sentence "
                "splitter"
            ) from None
    if not {"parser", "senter", "sentencizer"} & set(nlp.pipe_names):
        nlp.add_pipe("sentencizer")
    _pipelines[key] = nlp
    return nlp


def import_spacy() -> None:
    """Import the `spacy` package without its command line, where nothing loaded it yet.

    spaCy's package imports its whole command line (Typer, Weasel, an HTTP client and every
    training command) to offer `spacy.info`, a third of the time it takes to import; none of
    it splits sentences. While spaCy is imported, `spacy.cli` and `spacy.cli.info` are empty
    stand-ins; afterwards they are gone again, so that `spacy.cli` imports as usual when
    something asks for it, and `spacy.info` imports the real one when called.
    """
    if "spacy" in sys.modules or "spacy.cli" in sys.modules:
        return
    cli = ModuleType("spacy.cli")
    cli.__path__ = []  # a package, as far as importing its submodule goes
    info = ModuleType("spacy.cli.info")
    info.info = _info  # type: ignore[attr-defined]
    sys.modules.update({"spacy.cli": cli, "spacy.cli.info": info})
    try:
        import spacy  # noqa: F401
    finally:
        for name, stand_in in (("spacy.cli", cli), ("spacy.cli.info", info)):
            if sys.modules.get(name) is stand_in:
                del sys.modules[name]
        package = sys.modules.get("spacy")
        if package is not None and getattr(package, "cli", None) is cli:
            delattr(package, "cli")


def _info(*args: Any, **kwargs: Any) -> Any:
    """`spacy.info`, from spaCy's command line, imported when first called."""
    from spacy.cli.info import info

    return info(*args, **kwargs)


_OPENING = "([{“‘«"


def segment(parsed: ParsedTranscript, nlp: Language) -> list[SegmentSpec]:
    return segment_many([parsed], nlp)[0]


def segment_many(
    documents: Sequence[ParsedTranscript], nlp: Language, *, batch_size: int = 256
) -> list[list[SegmentSpec]]:
    """Segments for each document, in document order (a turn, then each of its paragraphs
    followed by that paragraph's sentences). All paragraphs go through `nlp.pipe` together."""
    layouts = [list(_layout(d)) for d in documents]
    pieces = [
        (d, p, start, end)
        for d, (document, layout) in enumerate(zip(documents, layouts, strict=True))
        for p, paragraph in enumerate(layout)
        if paragraph.kind == "paragraph"
        for start, end in _chunks(document.text, paragraph.start, paragraph.end)
    ]
    found: dict[int, list[tuple[int, int]]] = {}  # piece -> its sentences
    disabled = [name for name in nlp.pipe_names if name in _NOT_FOR_SENTENCES]
    active = [name for name in nlp.pipe_names if name not in disabled]
    # The rule-based sentencizer alone can take many paragraphs in one doc (see
    # `_split_sentences`) and runs on the tokenizer's arrays (see sentences.py); a trained
    # parser reads context, so it gets each paragraph alone, through spaCy's own pipe.
    punct = sentences_rule.punct_of(nlp, active)
    groups = [[i] for i in range(len(pieces))] if punct is None else list(_groups(pieces))
    texts = (
        _SEPARATOR.join(documents[d].text[a:b] for d, _, a, b in (pieces[i] for i in group))
        for group in groups
    )
    with nlp.select_pipes(disable=disabled):
        from spacy.tokenizer import Tokenizer

        if punct is None:
            docs = nlp.pipe(texts, batch_size=batch_size)
            spans = ([(s.start_char, s.end_char) for s in doc.sents] for doc in docs)
        else:
            assert isinstance(nlp.tokenizer, Tokenizer)
            docs = nlp.tokenizer.pipe(texts, batch_size=batch_size)
            spans = (sentences_rule.sentence_spans(doc, punct) for doc in docs)
        for group, found_spans in zip(groups, spans, strict=True):
            _split_sentences(found_spans, group, pieces, documents, found)
    sentences: dict[tuple[int, int], list[SegmentSpec]] = {}
    for i, (d, p, _, _) in enumerate(pieces):
        paragraph = layouts[d][p]
        released = _release_openers(documents[d].text, found.get(i, []))
        # A sentence's own time is not known; its paragraph's is not its own.
        speaker, turn = paragraph.speaker, paragraph.turn_index
        sentences.setdefault((d, p), []).extend(
            spec_of(("sentence", a, b, speaker, None, None, turn)) for a, b in released
        )
    result: list[list[SegmentSpec]] = []
    for d, layout in enumerate(layouts):
        specs: list[SegmentSpec] = []
        for p, spec in enumerate(layout):
            specs.append(spec)
            specs.extend(sentences.get((d, p), ()))
        result.append(specs)
    return result


def _groups(pieces: Sequence[tuple[int, int, int, int]]) -> Iterator[list[int]]:
    """Consecutive pieces of one document, joined up to `_CHUNK` characters: one spaCy doc
    each, rather than one per paragraph (whose set-up costs more than the splitting)."""
    group: list[int] = []
    size = 0
    for i, (d, _, start, end) in enumerate(pieces):
        if group and (pieces[group[0]][0] != d or size + len(_SEPARATOR) + end - start > _CHUNK):
            yield group
            group, size = [], 0
        size += (len(_SEPARATOR) if group else 0) + end - start
        group.append(i)
    if group:
        yield group


def _split_sentences(
    spans: list[tuple[int, int]],
    group: list[int],
    pieces: Sequence[tuple[int, int, int, int]],
    documents: Sequence[ParsedTranscript],
    found: dict[int, list[tuple[int, int]]],
) -> None:
    """The sentences of a joined doc (its character spans), cut at its pieces' ends, in
    document offsets.

    The separator is a token of whitespace only, after which the sentencizer is in the state
    it starts a doc in (no full stop pending), and the tokenizer splits at whitespace before
    anything else: so within a piece the sentences are those it finds in the piece alone.
    """
    bounds: list[tuple[int, int, int]] = []  # (start, end) in the joined text, piece offset
    at = 0
    for i in group:
        _, _, start, end = pieces[i]
        bounds.append((at, at + end - start, start))
        at += end - start + len(_SEPARATOR)
    k = 0
    for a, b in spans:
        while k < len(bounds) and bounds[k][1] <= a:
            k += 1
        j = k
        while j < len(bounds) and bounds[j][0] < b:
            lo, hi, offset = bounds[j]
            piece = group[j]
            text = documents[pieces[piece][0]].text
            span = _trim(text, offset + max(a, lo) - lo, offset + min(b, hi) - lo)
            if span is not None:
                found.setdefault(piece, []).append(span)
            if hi > b:
                break
            j += 1


def _layout(parsed: ParsedTranscript) -> Iterator[SegmentSpec]:
    """Turns and paragraphs in document order (sentences are added by the caller)."""
    text = parsed.text
    position = 0
    for index, turn in enumerate(parsed.turns):
        # Text before the line where this turn's label starts lies outside every turn.
        label_line = (
            text.rfind("\n", position, turn.start) + 1 if turn.start > position else turn.start
        )
        yield from _outside(text, position, max(position, label_line))
        speaker = turn.speaker
        # Made by `spec_of` (in C): the named tuple's own constructor is a Python call, once
        # per turn and paragraph.
        yield spec_of(
            ("turn", turn.start, turn.end, speaker, turn.started_at, turn.ended_at, index)
        )
        if turn.paragraphs:
            for paragraph in turn.paragraphs:
                span = _trim(text, paragraph.start, paragraph.end)
                if span is not None:
                    yield spec_of(
                        (
                            "paragraph",
                            *span,
                            speaker,
                            paragraph.started_at,
                            paragraph.ended_at,
                            index,
                        )
                    )
        else:
            for line in _LINES.finditer(text, turn.start, turn.end):
                span = _trim(text, line.start(), line.end())
                if span is not None:
                    yield spec_of(("paragraph", *span, speaker, None, None, index))
        position = turn.end
    yield from _outside(text, position, len(text))


def _outside(text: str, start: int, end: int) -> Iterator[SegmentSpec]:
    for block in _BLOCKS.finditer(text, start, end):
        span = _trim(text, block.start(), block.end())
        if span is not None:
            yield SegmentSpec("paragraph", *span)


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def _release_openers(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Give an opening bracket left at the end of a sentence to the next one.

    The sentencizer keeps punctuation after a full stop with the sentence it ends, which is
    right for closing quotes but splits a transcriber's aside: `not sure. [laughs] Which`
    would give `not sure. [` and `laughs] Which`.
    """
    # Most paragraphs have no sentence ending in an opener: those are left as they are.
    if not any(text[end - 1] in _OPENING for _, end in spans[:-1]):
        return spans
    fixed = list(spans)
    for i in range(len(fixed) - 1):
        start, end = fixed[i]
        cut = end
        while cut > start + 1 and text[cut - 1] in _OPENING:
            cut -= 1
        if cut == end:
            continue
        trimmed = _trim(text, start, cut)
        if trimmed is None:
            continue
        fixed[i] = trimmed
        fixed[i + 1] = (cut, fixed[i + 1][1])
    return fixed


def _chunks(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while end - start > _CHUNK:
        cut = text.rfind("\n", start, start + _CHUNK)
        if cut <= start:
            cut = text.rfind(" ", start, start + _CHUNK)
        if cut <= start:
            cut = start + _CHUNK
        yield start, cut
        start = cut
    yield start, end
