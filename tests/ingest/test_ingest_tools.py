"""Transcripts in the shapes transcription tools export (fixtures in `fixtures/tools/`, written
for these tests in each tool's layout): exact speakers, turns, paragraphs, times and text.

A turn is one speaker's uninterrupted speech: consecutive blocks by one speaker are one turn,
and each block stays a paragraph of it with its own times.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from ingest_helpers import Read, times, turns

from coder.ingest import ParsedTranscript, read_transcript

TOOLS = Path(__file__).resolve().parent / "fixtures" / "tools"


def paragraphs(parsed: ParsedTranscript) -> list[list[tuple[str, float | None, float | None]]]:
    """Each turn's paragraphs as (text, started_at, ended_at)."""
    return [
        [(parsed.text[p.start : p.end], p.started_at, p.ended_at) for p in turn.paragraphs]
        for turn in parsed.turns
    ]


def test_zoom_cloud_recording_vtt() -> None:
    parsed = read_transcript(TOOLS / "zoom_cloud.vtt")
    assert (parsed.format, parsed.convention) == ("vtt", "vtt-colon")
    assert turns(parsed) == [
        (
            "Mariana Ortíz",
            "Okay, the recording has started, so welcome, both of you. "
            "Could you each say a little about your clinic?",
        ),
        (
            "Dev’s iPad",
            "Sure. We are a small practice on the east side, about four physicians and two nurses.",
        ),
        ("Ashlee K (SL)", "Sorry, can I jump in here?"),
        ("Mariana Ortíz", "Of course, go ahead."),
        (
            "Ashlee K (SL)",
            "We share the building with the pharmacy, so patients see us as one place.",
        ),
    ]
    assert times(parsed) == [
        (2.31, 9.44),
        (10.05, 17.2),
        (18.9, 21.35),
        (21.6, 23.1),
        (23.4, 28.95),
    ]
    # Cue 4 has no label: Zoom could not tell who spoke, so it continues the speaker before it.
    assert parsed.warnings == (
        "1 of 7 cues have no speaker label; each was given to the speaker before it",
    )


def test_teams_vtt_with_guid_cue_ids() -> None:
    parsed = read_transcript(TOOLS / "teams.vtt")
    assert parsed.convention == "vtt-voice"
    assert turns(parsed) == [
        (
            "Priya Raman",
            "Good morning, thanks for making time today. I'll start with a broad question.",
        ),
        ("Tomás Ferreira", "Happy to. Where should I begin?"),
        ("Priya Raman", "With how the council started."),
        (
            "Tomás Ferreira",
            "It started with a complaint, honestly.\nA good one, though. It changed how we book.",
        ),
    ]
    # Seven seconds of silence inside Tomás's answer: a second paragraph, with its own times.
    assert paragraphs(parsed)[3] == [
        ("It started with a complaint, honestly.", 14.9, 18.3),
        ("A good one, though. It changed how we book.", 25.7, 29.05),
    ]
    assert "6d1c0e4f" not in parsed.text and "<v" not in parsed.text


@pytest.mark.parametrize("name", ["podcast.vtt", "podcast.srt"])
def test_podcast_captions_name_the_speaker_only_when_it_changes(name: str) -> None:
    parsed = read_transcript(TOOLS / name)
    assert parsed.convention == f"{name[-3:]}-colon"
    assert parsed.text == (
        "Hannah Cole: Welcome back to Clinic Talk, everyone. "
        "Today I'm talking with Olu Adeyemi about community clinics.\n\n"
        "Olu Adeyemi: Thanks for having me. It's great to be here, really great.\n\n"
        "Hannah Cole: So, how did you start?\n\n"
        "Olu Adeyemi: By listening, mostly."
    )
    assert times(parsed) == [(0.0, 8.0), (8.2, 13.0), (13.5, 15.0), (15.4, 19.0)]
    assert parsed.warnings == (
        "3 of 7 cues have no speaker label; each was given to the speaker before it",
    )


def test_noscribe_vtt_unclosed_voices_and_an_overlap() -> None:
    parsed = read_transcript(TOOLS / "noscribe.vtt")
    assert parsed.convention == "vtt-voice"
    assert turns(parsed) == [
        ("S00", "So, how did the partnership begin?"),
        ("S01", "It began with a survey, really, back in 2019,"),
        ("S00", "Mm-hmm."),
        ("S01", "and then the council grew out of it."),
        ("S00", "And who was on it?"),
    ]
    assert times(parsed) == [(0.0, 4.2), (4.9, 9.0), (9.0, 10.0), (10.0, 14.0), (15.2, 17.0)]
    assert "//" not in parsed.text and "noScribe" not in parsed.text
    assert parsed.warnings == ("1 overlapping passage(s) marked //…// became turns of their own",)


def test_noscribe_text_with_timestamps_and_overlaps() -> None:
    parsed = read_transcript(TOOLS / "noscribe.txt")
    assert parsed.convention == "name-colon"
    assert parsed.text.startswith(
        "interview-07\n\nTranscribed with noScribe vers. 0.6.2\n\nAudio file: interview-07.mp3"
    )
    assert turns(parsed) == [
        ("S00", "So, how did the partnership begin?"),
        ("S01", "It began with a survey, really, back in 2019,"),
        ("S00", "Mm-hmm."),
        ("S01", "and then the council grew out of it."),
        ("S00", "And who was on it? (..)"),
        ("S01", "Patients mostly. A nurse too."),
        ("S00", "Right."),
    ]
    assert [t.started_at for t in parsed.turns] == [0.0, 4.0, None, None, 15.0, 17.0, None]
    assert parsed.speakers == ("S00", "S01")
    assert parsed.warnings == ("2 overlapping passage(s) marked //…// became turns of their own",)


def test_otter_text_with_timestamps() -> None:
    parsed = read_transcript(TOOLS / "otter.txt")
    assert parsed.convention == "otter"
    assert [s for s, _ in turns(parsed)] == ["Speaker 1", "Speaker 2", "Speaker 1", "Speaker 2"]
    assert paragraphs(parsed) == [
        [("Okay, we are recording. Thanks for joining me today.", 3.0, None)],
        [("No problem at all.", 8.0, None)],
        [
            ("So let's start with your role.", 11.0, None),
            ("Actually, before that, could you say how long you have been there?", 25.0, None),
        ],
        [("Nine years. Nine years in March.", 31.0, None), ("And I plan to stay.", 3725.0, None)],
    ]
    assert "otter.ai" not in parsed.text
    assert parsed.warnings == (
        "1 line(s) dropped as a tool's notice: 'Transcribed by https://otter.ai'",
    )


def test_otter_without_timestamps_bare_name_lines() -> None:
    parsed = read_transcript(TOOLS / "otter_plain.txt")
    assert parsed.convention == "name-line"
    assert parsed.text == (
        "Interview with the practice manager, 14 March\n\n"
        "Jordan Lee: Okay, we are recording. Thanks for joining me today.\n\n"
        "Sam Okafor: No problem at all.\n\n"
        "Jordan Lee: So let's start with your role.\n\n"
        # A one-word answer on its own line is speech, not a speaker.
        "Sam Okafor: Right\nI run the front desk, and the phones.\nAnd the rota."
    )
    assert [len(p) for p in paragraphs(parsed)] == [1, 1, 1, 3]


def test_otter_docx(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Interview 3")
    for name, time, words in [
        ("Speaker 1", "0:04", "Thanks for coming in."),
        ("Speaker 2", "0:07", "Glad to."),
        ("Speaker 2", "0:12", "Where do you want me to start?"),
        ("Speaker 1", "0:15", "Anywhere you like."),
    ]:
        header = document.add_paragraph()
        header.add_run(name).bold = True
        header.add_run(f"  {time}")
        document.add_paragraph(words)
    document.add_paragraph("Transcribed by https://otter.ai")
    document.save(str(tmp_path / "otter.docx"))

    parsed = read_transcript(tmp_path / "otter.docx")
    assert (parsed.format, parsed.convention) == ("docx", "otter")
    assert parsed.text == (
        "Interview 3\n\n"
        "Speaker 1: Thanks for coming in.\n\n"
        "Speaker 2: Glad to.\nWhere do you want me to start?\n\n"
        "Speaker 1: Anywhere you like."
    )
    assert paragraphs(parsed)[1] == [
        ("Glad to.", 7.0, None),
        ("Where do you want me to start?", 12.0, None),
    ]


def test_otter_style_markdown(read: Read) -> None:
    parsed = read(
        "otter.md",
        "# Team call\n\n**Jordan Lee**  0:02\nShall we start?\n\n**Sam Okafor**  0:05\n"
        "Yes.\n\n**Sam Okafor**  0:09\nI have the numbers.\n",
    )
    assert parsed.convention == "otter"
    assert parsed.text == (
        "# Team call\n\nJordan Lee: Shall we start?\n\nSam Okafor: Yes.\nI have the numbers."
    )
    assert [t.started_at for t in parsed.turns] == [2.0, 5.0]


def test_markdown_headings_that_name_speakers(read: Read) -> None:
    parsed = read(
        "headings.md",
        "# Interview\n\n### Jordan Lee\nShall we start?\n\n### Sam Okafor\nYes.\n\n"
        "### Jordan Lee\nGood.\n\n### Sam Okafor\nFine.\n",
    )
    assert parsed.convention == "name-line"
    assert turns(parsed) == [
        ("Jordan Lee", "Shall we start?"),
        ("Sam Okafor", "Yes."),
        ("Jordan Lee", "Good."),
        ("Sam Okafor", "Fine."),
    ]
    assert parsed.text.startswith("# Interview\n\nJordan Lee: ")


def test_descript_markdown() -> None:
    parsed = read_transcript(TOOLS / "descript.md")
    assert (parsed.format, parsed.convention) == ("md", "name-colon")
    assert turns(parsed) == [
        (
            "Bekah",
            "Welcome, everyone, to episode twelve.\nToday we're talking about clinics that listen.",
        ),
        ("Nick Taylor", "Thanks for having me, Bekah."),
        ("Bekah Hawrot Weigel", "So where do we start?"),
        ("Nick Taylor", "With the waiting room, I think.\nIt tells you everything."),
        ("Bekah", "Say more?"),
    ]
    # `[00:00:20]` closes a paragraph: it is when that paragraph ends.
    assert paragraphs(parsed)[0] == [
        ("Welcome, everyone, to episode twelve.", 0.0, None),
        ("Today we're talking about clinics that listen.", None, 20.0),
    ]
    assert [t.started_at for t in parsed.turns] == [0.0, 22.0, 30.0, 33.0, 51.0]
    assert "_build" not in parsed.text and "[00:" not in parsed.text
    assert parsed.warnings == (
        "5 line(s) dropped as front matter: '---'; "
        "'title: \"Episode 12: Clinics that listen\"'; '_build:' …",
    )


def test_rev_markdown_with_a_section_heading() -> None:
    parsed = read_transcript(TOOLS / "rev.md")
    assert parsed.convention == "speaker-n-timestamp"
    assert parsed.text == (
        "# Interview with the clinic lead\n\n"
        "Speaker 1: What should clinics try first?\n\n"
        "Speaker 2: Talk to patients first.\nThen build a council, slowly.\n\n"
        # A section heading is nobody's speech: it stays between turns.
        "## Part two\n\n"
        "Speaker 1: And after that?\n\n"
        "Speaker 2: Keep the promises you made."
    )
    assert [[t for _, t, _ in p] for p in paragraphs(parsed)] == [[1.0], [4.0, 9.0], [60.0], [63.0]]


def test_zoom_saved_captions() -> None:
    parsed = read_transcript(TOOLS / "zoom_captions.txt")
    assert parsed.convention == "bracket-name"
    assert turns(parsed) == [
        ("Karin Olsen", "Hello everybody, can you hear me?\nI'll share my screen in a moment."),
        ("Bao Nguyen (he/him)", "Yes, we can hear you fine."),
        ("Karin Olsen", "Great, thanks."),
        ("Bao Nguyen (he/him)", "Go ahead whenever you're ready."),
    ]
    # The clock time of the meeting, 10:02:33, in seconds.
    assert [[t for _, t, _ in p] for p in paragraphs(parsed)] == [
        [36153.0, 36160.0],
        [36171.0],
        [36182.0],
        [36185.0],
    ]


def test_typed_interview_multi_paragraph_answers_and_a_name_inside() -> None:
    parsed = read_transcript(TOOLS / "typed.txt")
    assert (parsed.convention, parsed.runner_up) == ("i-r", "name-colon")
    assert turns(parsed) == [
        ("I", "How long have you worked here?"),
        ("R", "About eight years.\nIt was a different place then."),
        ("I", "Different how?"),
        ("R", "Smaller. We had one doctor.\nDr. Lee: she ran it alone, really."),
        ("I", "And now?"),
        ("R", "Six doctors."),
    ]
    assert parsed.warnings == (
        "1 line(s) inside turns start like a speaker label and were kept as speech: "
        "'Dr. Lee:' (line 12)",
    )


def test_qualcoder_sample_bracketed_ids() -> None:
    parsed = read_transcript(TOOLS / "qualcoder.txt")
    assert parsed.convention == "bracket-name"
    assert [s for s, _ in turns(parsed)] == ["id1", "id2", "id3", "id1", "id2"]
    assert turns(parsed)[3] == (
        "id1",
        "I agree about the assignments. Too long for a short term.\nstill, I learned a lot.",
    )


def test_legacy_encoded_korean_focus_group(read: Read) -> None:
    content = (
        "사회자: 오늘 와 주셔서 감사합니다. 먼저 자기소개 부탁드려요.\n"
        "참여자1: 안녕하세요. 저는 이 동네에서 십 년째 살고 있어요.\n"
        "참여자2: 저는 작년에 이사 왔어요.\n"
        "사회자: 병원을 이용할 때 가장 불편한 점은 무엇인가요?\n"
        "참여자1: 예약이 너무 어려워요.\n"
        "참여자1: 전화를 해도 잘 안 받아요.\n"
        "참여자2: 저도 그래요.\n"
    )
    parsed = read("focus-group.txt", content.encode("cp949"))
    assert (parsed.encoding, parsed.encoding_guessed) == ("cp949", True)
    assert parsed.encoding_confidence is not None and parsed.encoding_confidence >= 0.8
    assert [s for s, _ in turns(parsed)] == [
        "사회자",
        "참여자1",
        "참여자2",
        "사회자",
        "참여자1",
        "참여자2",
    ]
    assert turns(parsed)[4] == ("참여자1", "예약이 너무 어려워요.\n전화를 해도 잘 안 받아요.")


def test_a_file_without_extension_is_read_by_its_content(tmp_path: Path) -> None:
    path = tmp_path / "interview-07"
    path.write_bytes((TOOLS / "teams.vtt").read_bytes())
    parsed = read_transcript(path)
    assert parsed.format == "vtt" and parsed.convention == "vtt-voice"
    assert parsed.format_note == "no file extension; read as WebVTT by its content"
    assert parsed.text == read_transcript(TOOLS / "teams.vtt").text


@pytest.mark.parametrize(
    ("name", "content", "format", "note"),
    [
        (
            "captions.txt",
            "1\n00:00:01,000 --> 00:00:02,000\nAna: Hi.\n\n2\n00:00:03,000 --> 00:00:04,000\n"
            "Ben: Hello.\n",
            "srt",
            "the name ends in .txt but the content is SubRip (.srt); read as SubRip (.srt)",
        ),
        (
            "notes.docx",
            "I: Hello?\nR: Hi.\n",
            "txt",
            "the name ends in .docx but the content is plain text; read as plain text",
        ),
        (
            "transcript",
            "I: Hello?\nR: Hi.\n",
            "txt",
            "no file extension; read as plain text by its content",
        ),
    ],
)
def test_misleading_or_missing_extensions(
    read: Read, name: str, content: str, format: str, note: str
) -> None:
    parsed = read(name, content)
    assert (parsed.format, parsed.format_note) == (format, note)
    assert len(parsed.turns) == 2


def test_word_file_saved_as_txt(read: Read, fixtures: Path) -> None:
    parsed = read("really-a-docx.txt", (fixtures / "interview.docx").read_bytes())
    assert parsed.format == "docx"
    assert parsed.format_note == (
        "the name ends in .txt but the content is Word (.docx); read as Word (.docx)"
    )
    assert parsed.text == read_transcript(fixtures / "interview.docx").text


def test_rename_merges_aliases_into_one_speaker(read: Read) -> None:
    names = {"Bekah": "Bekah Hawrot Weigel", "Nick": "Nick Taylor"}
    parsed = read(
        "aliases.txt",
        "Bekah: Welcome.\nBekah Hawrot Weigel: Today: clinics.\nNick: Thanks.\nBekah: Go on.\n",
        rename=lambda label: names.get(label, label),
    )
    assert turns(parsed) == [
        ("Bekah Hawrot Weigel", "Welcome.\nToday: clinics."),
        ("Nick Taylor", "Thanks."),
        ("Bekah Hawrot Weigel", "Go on."),
    ]


def test_heading_words_alone_on_lines_are_not_speakers(read: Read) -> None:
    parsed = read(
        "notes.txt",
        "Observations\nThe room was full.\n\nReflections\nI felt rushed.\n\n"
        "Observations\nFewer people today.\n\nReflections\nCalmer.\n",
    )
    assert parsed.turns == ()
    assert parsed.convention is None


def test_a_key_value_header_stays_outside_turns(read: Read) -> None:
    parsed = read(
        "oral-history.txt",
        "Interviewer: Mary Jones\nInterviewee: John Smith\nDate: 12 May 2021\n\n"
        "Interviewer: Where were you born?\n\nInterviewee: In Leeds.\n\n"
        "Interviewer: And then?\n\nInterviewee: Manchester.\n",
    )
    assert parsed.text.startswith(
        "Interviewer: Mary Jones\n\nInterviewee: John Smith\n\nDate: 12 May 2021\n\n"
    )
    assert turns(parsed) == [
        ("Interviewer", "Where were you born?"),
        ("Interviewee", "In Leeds."),
        ("Interviewer", "And then?"),
        ("Interviewee", "Manchester."),
    ]
    assert parsed.warnings == (
        "2 line(s) of the header at the top look like speaker labels and were kept outside "
        "turns: 'Interviewer: Mary Jones'; 'Interviewee: John Smith'",
    )


def test_a_short_exchange_at_the_top_is_not_a_header(read: Read) -> None:
    parsed = read("short.txt", "Interviewer: Okay\nParticipant: Hi\n\nInterviewer: Ready?\n")
    assert [s for s, _ in turns(parsed)] == ["Interviewer", "Participant", "Interviewer"]


def test_a_time_on_the_line_after_a_bare_name(read: Read) -> None:
    parsed = read(
        "otter-lines.txt",
        "Jordan Lee\n0:02\nShall we start?\n\nSam Okafor\n0:05\nYes.\n\n"
        "Jordan Lee\n0:09\nGood.\n\nSam Okafor\n1:02:05\nFine.\n",
    )
    assert parsed.convention == "name-line"
    assert [(t.speaker, t.started_at) for t in parsed.turns] == [
        ("Jordan Lee", 2.0),
        ("Sam Okafor", 5.0),
        ("Jordan Lee", 9.0),
        ("Sam Okafor", 3725.0),
    ]
    assert "0:05" not in parsed.text


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            "主持人：大家好。\n参与者一：你好。\n主持人：我们开始吧。\n参与者一：好的。\n",
            [
                ("主持人", "大家好。"),
                ("参与者一", "你好。"),
                ("主持人", "我们开始吧。"),
                ("参与者一", "好的。"),
            ],
        ),
        (
            "사회자:안녕하세요.\n참여자1:네, 안녕하세요.\n사회자:시작할게요.\n참여자1:좋아요.\n",
            [
                ("사회자", "안녕하세요."),
                ("참여자1", "네, 안녕하세요."),
                ("사회자", "시작할게요."),
                ("참여자1", "좋아요."),
            ],
        ),
    ],
)
def test_full_width_colons_and_no_space_after_the_label(
    read: Read, content: str, expected: list[tuple[str, str]]
) -> None:
    assert turns(read("cjk.txt", content)) == expected


def test_zoom_names_typed_in_lower_case(read: Read) -> None:
    parsed = read(
        "lower.vtt",
        "WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\njo kim: Hi all.\n\n"
        "2\n00:00:02.500 --> 00:00:04.000\nAmal Haddad: Hello.\n\n"
        "3\n00:00:04.500 --> 00:00:06.000\njo kim: Shall we?\n",
    )
    assert turns(parsed) == [
        ("jo kim", "Hi all."),
        ("Amal Haddad", "Hello."),
        ("jo kim", "Shall we?"),
    ]


def test_stream_vtt_with_note_blocks_between_cues(read: Read) -> None:
    parsed = read(
        "stream.vtt",
        'WEBVTT\n\nNOTE duration:"00:01:10.5000000"\n\nNOTE language:en-us\n\n'
        "NOTE Confidence: 0.91\n\n1a2b3c4d-0000-4000-8000-0123456789ab/15-0\n"
        "00:00:05.140 --> 00:00:09.640\n<v Grace Obi>So shall we start with introductions?</v>\n\n"
        "NOTE Confidence: 0.87\n\n1a2b3c4d-0000-4000-8000-0123456789ab/16-0\n"
        "00:00:10.000 --> 00:00:12.500\n<v Lars Berg>Sure, I'm Lars.</v>\n",
    )
    assert turns(parsed) == [
        ("Grace Obi", "So shall we start with introductions?"),
        ("Lars Berg", "Sure, I'm Lars."),
    ]
    assert "Confidence" not in parsed.text and "duration" not in parsed.text


def test_teams_word_transcript_with_timing_lines(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    for timing, name, words in [
        ("0:0:0.0 --> 0:0:3.470", "Grace Obi", "Shall we start?"),
        ("0:0:3.470 --> 0:0:9.200", "Lars Berg", "Yes, go ahead."),
        ("0:0:9.200 --> 0:0:12.10", "Lars Berg", "I have ten minutes."),
        ("0:0:12.10 --> 0:0:15.0", "Grace Obi", "Then let's be quick."),
    ]:
        document.add_paragraph(timing)
        document.add_paragraph(name)
        document.add_paragraph(words)
    document.save(str(tmp_path / "teams.docx"))
    parsed = read_transcript(tmp_path / "teams.docx")
    assert parsed.convention == "name-line"
    assert parsed.text == (
        "Grace Obi: Shall we start?\n\n"
        "Lars Berg: Yes, go ahead.\nI have ten minutes.\n\n"
        "Grace Obi: Then let's be quick."
    )
    assert paragraphs(parsed)[1] == [
        ("Yes, go ahead.", 3.47, None),
        ("I have ten minutes.", 9.2, None),
    ]


def test_captions_with_the_name_on_the_cue_s_first_line(read: Read) -> None:
    parsed = read(
        "named.vtt",
        "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\nGrace Obi\nShall we start?\n\n"
        "00:00:03.500 --> 00:00:05.000\nLars Berg\nYes, go ahead.\n\n"
        "00:00:05.500 --> 00:00:07.000\nGrace Obi\nGood.\n\n"
        "00:00:07.500 --> 00:00:08.000\nOkay.\n",
    )
    assert parsed.convention == "vtt-name-line"
    assert turns(parsed) == [
        ("Grace Obi", "Shall we start?"),
        ("Lars Berg", "Yes, go ahead."),
        ("Grace Obi", "Good. Okay."),
    ]
