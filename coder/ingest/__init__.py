"""Reading transcripts: formats, encodings, speaker turns, timestamps, manifests, segments.

Pure functions on files and text; nothing here touches the database. The stored text a reader
returns is what researchers read and quote, and every offset in coder points into it.
"""

from coder.ingest.manifest import (
    AttributeType,
    Manifest,
    ManifestMatch,
    ManifestRow,
    check_manifest,
    convert_value,
    infer_type,
    read_manifest,
)
from coder.ingest.model import ParsedTranscript, SegmentKind, SegmentSpec, Turn
from coder.ingest.readers import DEFAULT_MAX_BYTES, SUPPORTED_EXTENSIONS, read_transcript
from coder.ingest.segment import load_pipeline, segment, segment_many
from coder.ingest.speakers import DEFAULT_INTERVIEWER_LABELS, SpeakerRole, speaker_role

__all__ = [
    "DEFAULT_INTERVIEWER_LABELS",
    "DEFAULT_MAX_BYTES",
    "SUPPORTED_EXTENSIONS",
    "AttributeType",
    "Manifest",
    "ManifestMatch",
    "ManifestRow",
    "ParsedTranscript",
    "SegmentKind",
    "SegmentSpec",
    "SpeakerRole",
    "Turn",
    "check_manifest",
    "convert_value",
    "infer_type",
    "load_pipeline",
    "read_manifest",
    "read_transcript",
    "segment",
    "segment_many",
    "speaker_role",
]
