"""Each file format: Markdown, Word, OpenDocument, RTF, PDF, WebVTT and SubRip."""

from __future__ import annotations

from pathlib import Path

import pytest
from ingest_helpers import Read, times, turns

from coder.errors import InputError
from coder.ingest import SUPPORTED_EXTENSIONS, read_transcript


def test_supported_extensions() -> None:
    assert set(SUPPORTED_EXTENSIONS) == {
        ".txt",
        ".md",
        ".docx",
        ".vtt",
        ".srt",
        ".odt",
        ".rtf",
        ".pdf",
    }


def test_markdown_emphasis_around_labels_is_removed(fixtures: Path) -> None:
    parsed = read_transcript(fixtures / "interview.md")
    assert parsed.format == "md"
    assert parsed.convention == "name-colon"
    assert parsed.text == (
        "# Interview 2, Site A\n\n"
        "Interviewer: How were patients recruited?\n\n"
        "Patient Partner: Through a poster in the waiting room. It was *very* informal.\n\n"
        "Interviewer: Did that work?\n\n"
        "Patient Partner: Better than we hoped."
    )
    assert [s for s, _ in turns(parsed)] == ["Interviewer", "Patient Partner"] * 2


def test_docx_paragraphs_bold_labels_tables_and_line_breaks(fixtures: Path) -> None:
    parsed = read_transcript(fixtures / "interview.docx")
    assert parsed.format == "docx"
    assert parsed.encoding is None
    assert parsed.text == (
        "Focus group, Site D\n\n"
        "Moderator: Welcome, everyone. Let’s start with introductions.\n\n"
        "Amira Haddad: I’m a patient partner at Site D. I joined in 2019.\n"
        "I also sit on the advisory council.\n\n"
        "Li Wei: We used surveys first.\n\n"
        "Moderator: And later?\n\n"
        "Li Wei: Codesign, eventually.\nIt took two years."
    )
    assert [s for s, _ in turns(parsed)] == [
        "Moderator",
        "Amira Haddad",
        "Li Wei",
        "Moderator",
        "Li Wei",
    ]


def test_docx_bold_labels_without_colons(fixtures: Path) -> None:
    parsed = read_transcript(fixtures / "bold_labels.docx")
    assert turns(parsed) == [
        ("Interviewer", "How did the partnership begin?"),
        ("Participant", "With a survey. It was really important to us."),
        # A bold word that starts one paragraph only is emphasis, not a speaker.
        ("Interviewer", "And then?\nImportant things happened after that, I suppose."),
        ("Participant", "An advisory council, and then codesign."),
    ]


def test_odt_skips_footnotes_and_keeps_spacing(fixtures: Path) -> None:
    parsed = read_transcript(fixtures / "interview.odt")
    assert parsed.format == "odt"
    assert parsed.convention == "i-r"
    assert parsed.text == (
        "Interview 5, Site E\n\n"
        "I: What was the hardest part?\n\n"
        "R: Finding time.  Everyone was busy.\nEspecially the clinicians.\n\n"
        "I: And the easiest?\n\n"
        "R: The patients were keen, très motivés."
    )


def test_rtf_with_code_page_escapes(fixtures: Path) -> None:
    parsed = read_transcript(fixtures / "interview.rtf")
    assert parsed.format == "rtf"
    assert parsed.convention == "q-a"
    assert turns(parsed) == [
        ("Q", "How did the café meetings work?"),
        ("A", "Informally. We didn’t take minutes."),
        ("Q", "Who came?"),
        ("A", "Patients, staff, sometimes the director — everyone."),
    ]


def test_pdf_lines_are_rejoined_across_wraps_and_pages(fixtures: Path) -> None:
    parsed = read_transcript(fixtures / "interview.pdf")
    assert parsed.format == "pdf"
    long_answer = (
        "They were equal members of the team. They came to every meeting, they read the data "
        "with us, and they often asked the questions that we had stopped asking ourselves. "
        "That changed how we planned the next cycle of the project."
    )
    expected = [
        (
            "Interviewer",
            "How would you describe the role of patient partners on the improvement team?",
        ),
        ("Participant", long_answer),
        ("Interviewer", "Was that easy?"),
        ("Participant", "No. It took time and a lot of trust on both sides."),
    ] * 3
    assert turns(parsed) == expected
    # The page numbers printed in the footer are not part of the transcript.
    assert "\n1\n" not in parsed.text and not parsed.text.endswith("2")


def test_zoom_vtt(fixtures: Path) -> None:
    parsed = read_transcript(fixtures / "zoom.vtt")
    assert parsed.format == "vtt"
    assert parsed.convention == "vtt-colon"
    assert parsed.text == (
        "Maria Gonzalez: Welcome, everyone, and thanks for joining. Let's start with "
        "introductions.\n\n"
        "James O'Neil: Hi, I'm James & I work at Site B. I joined the council in 2019.\n\n"
        "Maria Gonzalez: Great."
    )
    assert times(parsed) == [(1.0, 6.0), (7.0, 12.0), (13.0, 14.0)]
    # Cue 4 has no label: Zoom could not tell who spoke, so it goes to the speaker before it.
    assert parsed.warnings == (
        "1 of 5 cues have no speaker label; each was given to the speaker before it",
    )


def test_teams_vtt_voices(fixtures: Path) -> None:
    parsed = read_transcript(fixtures / "teams.vtt")
    assert parsed.convention == "vtt-voice"
    assert turns(parsed) == [
        ("Alice Smith", "Good morning, can everyone hear me? Let's get started."),
        ("Ravi Kumar", "Yes, loud and clear."),
        ("Alice Smith", "Thanks, Ravi."),
        ("Ravi Kumar", "No problem."),
    ]
    assert times(parsed) == [(0.34, 5.0), (5.6, 8.91), (65.0, 67.0), (65.0, 67.0)]
    assert "<v" not in parsed.text and "-->" not in parsed.text


def test_srt_with_speakers_and_markup(fixtures: Path) -> None:
    parsed = read_transcript(fixtures / "speakers.srt")
    assert parsed.format == "srt"
    assert parsed.convention == "srt-colon"
    assert parsed.text == (
        "INTERVIEWER: How did you first get involved?\n\n"
        "ANNA: Through my GP. She asked me directly.\n\n"
        "INTERVIEWER: Interesting."
    )
    assert times(parsed) == [(1.0, 3.0), (3.5, 8.0), (8.5, 9.0)]


def test_srt_without_speakers_keeps_times_on_unlabelled_turns(fixtures: Path) -> None:
    parsed = read_transcript(fixtures / "plain.srt")
    assert parsed.convention is None
    assert parsed.text == (
        "So the survey went out in January. We got forty responses.\n\n"
        "After that we held a meeting."
    )
    assert turns(parsed) == [
        (None, "So the survey went out in January. We got forty responses."),
        (None, "After that we held a meeting."),
    ]
    assert times(parsed) == [(1.0, 4.0), (10.0, 12.0)]


def test_vtt_pause_inside_a_turn_starts_a_paragraph(read: Read) -> None:
    parsed = read(
        "pause.vtt",
        "WEBVTT\n\n00:01.000 --> 00:02.000\n<v Ana>One.</v>\n\n"
        "00:10.000 --> 00:11.000\n<v Ana>Two.</v>\n\n01:00:00.000 --> 01:00:01.000\n<v Ben>Three.</v>\n",
    )
    assert turns(parsed) == [("Ana", "One.\nTwo."), ("Ben", "Three.")]
    assert times(parsed) == [(1.0, 11.0), (3600.0, 3601.0)]


def test_srt_cues_without_blank_lines_and_dialogue_dashes(read: Read) -> None:
    parsed = read(
        "tight.srt",
        "1\n00:00:01,000 --> 00:00:02,000\n- ANA: Hi.\n- BEN: Hello.\n"
        "2\n00:00:02,500 --> 00:00:03,000\nANA: Bye.\n",
    )
    assert turns(parsed) == [("ANA", "Hi."), ("BEN", "Hello."), ("ANA", "Bye.")]


def test_caption_label_alone_on_first_line(read: Read) -> None:
    parsed = read(
        "alone.vtt",
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nAna:\nHello there.\n\n"
        "00:00:02.000 --> 00:00:03.000\nBen: Hi.\n",
    )
    assert turns(parsed) == [("Ana", "Hello there."), ("Ben", "Hi.")]


def test_vtt_without_header_warns(read: Read) -> None:
    parsed = read("nohead.vtt", "00:00:01.000 --> 00:00:02.000\nHello.\n")
    assert parsed.text == "Hello."
    assert any("WEBVTT" in w for w in parsed.warnings)


def test_cue_ending_before_it_starts_warns(read: Read) -> None:
    parsed = read("order.srt", "1\n00:00:05,000 --> 00:00:02,000\nOops.\n")
    assert times(parsed) == [(5.0, 5.0)]
    assert parsed.warnings == (
        "1 cue(s) end before they start (line 2); their end was set to their start",
    )


def test_stray_caption_text_joins_the_cue_before_it(read: Read) -> None:
    parsed = read(
        "stray.srt",
        "1\n00:00:01,000 --> 00:00:02,000\nHello\n\nthere.\n\n2\n00:00:03,000 --> 00:00:04,000\nBye.\n",
    )
    assert parsed.text == "Hello there. Bye."
    assert any("line 5" in w for w in parsed.warnings)


def test_captions_speaker_pattern(read: Read) -> None:
    parsed = read(
        "custom.srt",
        "1\n00:00:01,000 --> 00:00:02,000\n(Ana) Hi.\n\n2\n00:00:03,000 --> 00:00:04,000\n(Ben) Hello.\n",
        speaker_pattern=r"\((?P<speaker>\w+)\)",
    )
    assert turns(parsed) == [("Ana", "Hi."), ("Ben", "Hello.")]


def test_captions_with_no_words(read: Read) -> None:
    with pytest.raises(InputError, match="no words"):
        read("empty.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<i></i>\n")


def test_vtt_header_without_blank_line_and_times_without_milliseconds(read: Read) -> None:
    parsed = read(
        "tight.vtt",
        "WEBVTT\n00:00:01 --> 00:00:02\n<v Ana>Hi.</v>\n\n00:03.500 --> 00:04\n<v Ben>Hello.</v>\n",
    )
    assert turns(parsed) == [("Ana", "Hi."), ("Ben", "Hello.")]
    assert times(parsed) == [(1.0, 2.0), (3.5, 4.0)]


def test_impossible_cue_time_is_malformed(read: Read) -> None:
    with pytest.raises(InputError, match=r"line 2: malformed cue timing line"):
        read("late.srt", "1\n00:00:75,000 --> 00:00:76,000\nHi.\n")


def test_docx_tracked_changes_read_as_accepted(tmp_path: Path) -> None:
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    for line in ("I: Where did it start?", "R: At the clinic."):
        document.add_paragraph(line)
    paragraph = document.add_paragraph("I: And who ")
    inserted = OxmlElement("w:ins")
    inserted.set(qn("w:id"), "1")
    inserted.set(qn("w:author"), "Transcriber")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "invited you?"
    run.append(text)
    inserted.append(run)
    deleted = OxmlElement("w:del")
    deleted.set(qn("w:id"), "2")
    deleted.set(qn("w:author"), "Transcriber")
    gone = OxmlElement("w:r")
    gone_text = OxmlElement("w:delText")
    gone_text.text = "asked you?"
    gone.append(gone_text)
    deleted.append(gone)
    paragraph._p.append(inserted)
    paragraph._p.append(deleted)
    document.add_paragraph("R: The manager.")
    document.save(str(tmp_path / "tracked.docx"))

    parsed = read_transcript(tmp_path / "tracked.docx")
    assert turns(parsed)[2] == ("I", "And who invited you?")
    assert "asked" not in parsed.text
