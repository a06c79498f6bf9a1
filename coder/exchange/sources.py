"""Text sources of a project.qde: their text, selections, codings, notes and values.

The text comes from `plainTextPath` (a file in the package), inline `PlainTextContent`, or, for
a source that has only a Word file (`richTextPath`), that file's text. Selections are placed in
the stored text by `coder.exchange.offsets`; one that does not fit its source refuses the whole
file, naming the source, the selection and the position. A PDF source is read through its
plain-text representation, the only part with text offsets.
"""

from __future__ import annotations

import codecs
import xml.etree.ElementTree as ET

from coder import model
from coder.errors import InputError
from coder.exchange import offsets
from coder.exchange.model import Coding, Segment, Source, derived_guid, guid_key
from coder.exchange.read_state import ReadState, moment, note_refs
from coder.exchange.xmlparse import child, children, local, text_of
from coder.names import name_from

_KINDS: dict[str, model.SegmentKind] = {"t": "turn", "p": "paragraph", "s": "sentence"}
_UNMAPPED_SOURCES = {
    "PictureSource": "coder works with text; pictures and their regions are not imported",
    "AudioSource": "coder works with text; audio and its transcripts are not imported",
    "VideoSource": "coder works with text; video and its transcripts are not imported",
}


class SourcesReader:
    def __init__(self, state: ReadState) -> None:
        self.state = state
        self.sources: list[Source] = []

    def read(self, element: ET.Element | None) -> list[Source]:
        if element is None:
            return []
        for item in element:
            kind = local(item.tag)[1]
            name = item.get("name") or item.get("guid") or "?"
            if kind == "TextSource":
                self.source(item, item, name)
            elif kind == "PDFSource":
                self.pdf(item, name)
            elif kind:
                why = _UNMAPPED_SOURCES.get(kind, "coder does not know this kind of source")
                self.state.report.drop(f"{kind}s", why, name)
        return self.sources

    def pdf(self, element: ET.Element, name: str) -> None:
        representation = child(element, "Representation")
        if representation is None:
            self.state.report.drop(
                "PDF sources without a text representation",
                "coder needs text; import the PDF itself with `coder import`",
                name,
            )
            return
        selections = children(element, "PDFSelection")
        if selections:
            self.state.report.drop(
                "PDF selections", "they are regions of a page, not text", name, len(selections)
            )
        self.source(representation, element, name)

    # -- one source --------------------------------------------------------------------------

    def text(self, element: ET.Element, name: str) -> str | None:
        state = self.state
        path = element.get("plainTextPath")
        rich = element.get("richTextPath") or ""
        word = rich.lower().endswith(".docx")
        if path:
            text = _decode(self.file(element, path, name), state, element, name)
            # NVivo for Mac may leave the plain text empty and keep the text in the Word file.
            if text.strip() or not word:
                return text
        inline = child(element, "PlainTextContent")
        if inline is not None and not path:
            return text_of(inline)
        if word:
            data = self.file(element, rich, name)
            from coder.ingest.documents import docx_lines

            state.warn(
                element,
                f"source {name!r} has no plain text, only a Word file; its text was taken from "
                "that file, and its selections may not fit it exactly",
            )
            return "\n".join(docx_lines(data, state.path / rich))
        return None

    def file(self, element: ET.Element, reference: str, name: str) -> bytes:
        state = self.state
        if state.package is None:
            raise state.fail(
                element,
                f"source {name!r} is in the file {reference!r}, but this is a bare project.qde; "
                "import the whole .qdpx package",
            )
        try:
            info = state.package.resolve(reference)
        except InputError as exc:
            raise state.fail(element, f"source {name!r}: {exc.detail}") from None
        if info is None:
            raise state.fail(
                element,
                f"source {name!r} refers to {reference!r}, which is missing from the package's "
                "sources/ folder; export the project again",
            )
        return state.package.read(info)

    def source(self, element: ET.Element, outer: ET.Element, name: str) -> None:
        state = self.state
        raw = self.text(element, name)
        if raw is None:
            raise state.fail(
                element,
                f"source {name!r} has neither a plainTextPath nor PlainTextContent; "
                "it has no text to import",
            )
        text = offsets.SourceText.of(raw)
        if text.replaced_nul:
            state.warn(element, f"{text.replaced_nul} NUL character(s) in {name!r} became U+FFFD")
        guid = guid_key(outer.get("guid") or derived_guid("source", name, text.text))
        if not text.text:
            state.report.drop("sources with no text", "there is nothing to code", name)
            return
        source = Source(
            guid=guid,
            name=name_from(" ".join((outer.get("name") or "").split())) or f"source {guid[:8]}",
            text=text.text,
            source_format="txt",
            created_at=moment(outer.get("creationDateTime")),
            line=state.line(outer),
        )
        self.extras(element, source)
        self.selections(element, source, text)
        for holder in dict.fromkeys((element, outer)):
            self.whole(holder, source)
            for note in note_refs(holder):
                state.note_targets.append((note, "document", guid, None))
            for value in children(holder, "VariableValue"):
                found = state.value(value)
                if found is not None:
                    source.values[found[0]] = found[1]
                    state.kinds.setdefault(("document", found[0]), set()).add(found[2])
            description = text_of(child(holder, "Description")).strip()
            if description:
                state.described("document", guid, description, holder)
        self.sources.append(source)

    def extras(self, element: ET.Element, source: Source) -> None:
        if not self.state.coder_made:
            return
        from coder.exchange import extras

        found = extras.read(element, extras.DOCUMENT)
        if found is None:
            return
        source.source_name = found.get("source_name")
        source.source_format = found.get("source_format")
        source.encoding = found.get("encoding")
        cases: list[str] = [guid_key(c) for c in found.get("cases", [])]

        def case(index: object) -> str | None:
            return cases[index] if isinstance(index, int) and 0 <= index < len(cases) else None

        source.people = [
            (guid, speaker if isinstance(speaker, str) else None)
            for index, speaker in found.get("people", [])
            if (guid := case(index)) is not None
        ]
        segments = []
        for compact in found.get("segments", []):
            kind, start, end, speaker, role, person, begun, ended = [*compact, *[None] * 5][:8]
            segments.append(
                Segment(
                    kind=_KINDS[kind],
                    start=start,
                    end=end,
                    speaker=speaker if isinstance(speaker, str) else None,
                    speaker_role=role if role in ("interviewer", "participant") else None,
                    participant=case(person),
                    started_at=begun if isinstance(begun, int | float) else None,
                    ended_at=ended if isinstance(ended, int | float) else None,
                )
            )
        source.segments = segments

    def whole(self, holder: ET.Element, source: Source) -> None:
        """A coding directly on a source codes all of it."""
        for coding in children(holder, "Coding"):
            self.coding(coding, source, 0, len(source.text), None)

    def selections(self, element: ET.Element, source: Source, text: offsets.SourceText) -> None:
        state = self.state
        found = children(element, "PlainTextSelection")
        spans = []
        for selection in found:
            try:
                start = int((selection.get("startPosition") or "").strip())
                end = int((selection.get("endPosition") or "").strip())
            except ValueError:
                raise state.fail(
                    selection,
                    f"selection {selection.get('guid')!r} of source {source.name!r} has no "
                    "whole-number startPosition and endPosition",
                ) from None
            spans.append(offsets.Span(start, end, selection.get("name") or ""))
        if not spans:
            return
        preferred = offsets.preferred_models(state.origin)
        placed = offsets.place(text, spans, preferred, trusted=state.coder_made)
        if placed.model != offsets.STANDARD:
            state.report.notes.append(
                f"positions in {source.name!r} were counted as {placed.model} (as "
                f"{state.origin or 'its producer'} does), not in code points as the standard says"
            )
        for selection, span, fitted in zip(found, spans, placed.spans, strict=True):
            if fitted is None:
                raise state.fail(
                    selection,
                    f"selection {selection.get('guid')!r} of source {source.name!r} runs from "
                    f"{span.start} to {span.end}, outside the source's text ({len(text.raw)} "
                    "characters); the file is damaged or was not written by a REFI-QDA program",
                )
            self.selection(selection, source, *fitted)

    def selection(self, element: ET.Element, source: Source, start: int, end: int) -> None:
        state = self.state
        key = guid_key(element.get("guid") or derived_guid("selection", source.guid, start, end))
        codings = children(element, "Coding")
        notes = note_refs(element)
        description = text_of(child(element, "Description")).strip()
        if start == end:
            state.report.drop("empty selections", "they select no text", source.name)
            return
        made = [self.coding(c, source, start, end, element) for c in codings]
        guids = [guid for guid in made if guid is not None]
        state.selections[key] = (guids, source.guid)
        for note in notes:
            state.note_targets.append((note, "coding", key, None))
        if description:
            state.described("coding", key, description, element)
        if not codings and not notes and not description:
            state.report.drop("selections with no code", "coder keeps codes, not bare selections")

    def coding(
        self,
        element: ET.Element,
        source: Source,
        start: int,
        end: int,
        selection: ET.Element | None,
    ) -> str | None:
        state = self.state
        ref = child(element, "CodeRef")
        target = guid_key(ref.get("targetGUID") or "") if ref is not None else ""
        code = state.code_refs.get(target)
        if code is None:
            state.report.drop(
                "codings of codes the codebook does not have",
                "they refer to no <Code>",
                target or source.name,
            )
            return None
        user = state.user(
            element.get("creatingUser"),
            selection.get("creatingUser") if selection is not None else None,
            state.project_user,
        )
        guid = guid_key(
            element.get("guid") or derived_guid("coding", source.guid, code, user, start, end)
        )
        origins = state.extras.get("origins", {})
        origin = origins.get(guid, state.extras.get("origin", "manual"))
        if not state.coder_made or origin not in model.CODING_ORIGINS:
            origin = "imported"
        source.codings.append(
            Coding(
                guid=guid,
                code=code,
                user=user,
                start=start,
                end=end,
                origin=origin,
                created_at=moment(element.get("creationDateTime"))
                or (moment(selection.get("creationDateTime")) if selection is not None else None),
            )
        )
        for note in note_refs(element):
            state.note_targets.append((note, "coding", guid, None))
        return guid


def _decode(data: bytes, state: ReadState, element: ET.Element, name: str) -> str:
    """Plain text is UTF-8 by the standard; a byte-order mark says otherwise, and a legacy code
    page is a last resort, reported."""
    for bom, encoding in ((codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        state.warn(
            element,
            f"the text of {name!r} is not UTF-8 as REFI-QDA requires; it was read as "
            "Windows-1252, and its selections may be shifted",
        )
        return data.decode("cp1252", errors="replace")
