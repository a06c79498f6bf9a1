"""Speaker-label conventions in plain text: detection, turns, offsets and timestamps."""

from __future__ import annotations

from pathlib import Path

import pytest
from ingest_helpers import Read, times, turns

from coder.errors import UsageError
from coder.ingest import ParsedTranscript, read_transcript


def check_offsets(parsed: ParsedTranscript) -> None:
    """Every turn's utterance follows its `Label: ` (if any) and turns are blank-line apart."""
    previous_end = 0
    for turn in parsed.turns:
        assert parsed.text[turn.start : turn.end].strip() == parsed.text[turn.start : turn.end]
        if turn.speaker is not None:
            label = f"{turn.speaker}: "
            assert parsed.text[turn.start - len(label) : turn.start] == label
        assert turn.start >= previous_end
        previous_end = turn.end


def test_name_colon_with_titles_preamble_and_continuations(fixtures: Path) -> None:
    parsed = read_transcript(fixtures / "name_colon.txt")
    assert parsed.convention == "name-colon"
    assert parsed.format == "txt"
    assert parsed.text == (
        "Interview 7 - Site C, frontline provider\n\n"
        "Recorded 12 March 2021\n\n"
        "Dr. Lee: Thank you for taking part. Could you tell me how patients were involved?\n\n"
        "Amira Haddad: At first it was mostly surveys. We had a suggestion box too.\n"
        "Later we set up an advisory council.\n"
        "Note: the council met monthly, usually at 3:30.\n\n"
        "Dr. Lee: What changed after that?\n\n"
        "Amira Haddad: Patients joined the improvement team itself. That was the big step."
    )
    assert turns(parsed) == [
        ("Dr. Lee", "Thank you for taking part. Could you tell me how patients were involved?"),
        (
            "Amira Haddad",
            "At first it was mostly surveys. We had a suggestion box too.\n"
            "Later we set up an advisory council.\n"
            "Note: the council met monthly, usually at 3:30.",
        ),
        ("Dr. Lee", "What changed after that?"),
        ("Amira Haddad", "Patients joined the improvement team itself. That was the big step."),
    ]
    assert parsed.speakers == ("Dr. Lee", "Amira Haddad")
    assert times(parsed) == [(None, None)] * 4
    check_offsets(parsed)


def test_role_labels(fixtures: Path) -> None:
    parsed = read_transcript(fixtures / "roles.txt")
    assert parsed.convention == "name-colon"
    assert turns(parsed) == [
        ("Interviewer", "How long have you been a patient partner?"),
        ("Respondent", "About three years now."),
        ("Interviewer", "And what do you do in that role?"),
        ("Respondent", "I review materials.\nI also sit on two committees."),
        ("Participant", "Sorry to interrupt - can I add something?"),
        ("Interviewer", "Of course."),
    ]
    check_offsets(parsed)


def test_i_r(fixtures: Path) -> None:
    parsed = read_transcript(fixtures / "i_r.txt")
    assert parsed.convention == "i-r"
    assert parsed.text == (
        "I: Can you describe your first meeting?\n\n"
        "R: It was awkward. Nobody knew what to expect.\n\n"
        "I: Why awkward?\n\n"
        "R: Staff were unsure. Honestly: so were we.\n"
        "Then it got better."
    )
    # Two labelled paragraphs in a row by R are one turn of two paragraphs.
    assert [s for s, _ in turns(parsed)] == ["I", "R", "I", "R"]
    last = parsed.turns[-1]
    assert [parsed.text[p.start : p.end] for p in last.paragraphs] == [
        "Staff were unsure. Honestly: so were we.",
        "Then it got better.",
    ]
    check_offsets(parsed)


def test_q_a_with_colons_and_full_stops(fixtures: Path) -> None:
    parsed = read_transcript(fixtures / "q_a.txt")
    assert parsed.convention == "q-a"
    assert turns(parsed) == [
        ("Q", "What resources did the clinic provide?"),
        ("A", "A room, and some funding for parking."),
        ("Q", "Anything else?"),
        ("A", "Training, eventually."),
    ]
    assert parsed.text.startswith("Q: What resources")
    assert "\n\nQ: Anything else?\n\n" in parsed.text


def test_bracket_and_paren_timestamps(fixtures: Path) -> None:
    parsed = read_transcript(fixtures / "bracket_timestamp.txt")
    assert parsed.convention == "bracket-timestamp"
    assert parsed.text == (
        "Interviewer: Let's begin. What is your role?\n\n"
        "Participant 4: I'm a nurse practitioner.\nI have been here for ten years.\n\n"
        "Interviewer: And the partnership?\n\n"
        "Participant 4: It grew slowly."
    )
    assert [t.started_at for t in parsed.turns] == [5.0, 12.0, 62.0, 3723.5]
    assert [t.ended_at for t in parsed.turns] == [None] * 4
    check_offsets(parsed)


def test_otter_headers(fixtures: Path) -> None:
    parsed = read_transcript(fixtures / "otter.txt")
    assert parsed.convention == "otter"
    assert parsed.text == (
        "Team meeting transcript\n\n"
        "Maria Gonzalez: Okay, I think we're recording now. Welcome, everyone.\n\n"
        "James O'Neil: Thanks. So the first thing is the survey results.\n"
        "They came in on Friday.\n\n"
        "Maria Gonzalez: Great, let's look at them.\n\n"
        "James O'Neil: Sure."
    )
    assert [t.started_at for t in parsed.turns] == [3.0, 15.0, 62.0, 3723.0]
    check_offsets(parsed)


def test_speaker_n_timestamp_headers(fixtures: Path) -> None:
    parsed = read_transcript(fixtures / "speaker_n_timestamp.txt")
    assert parsed.convention == "speaker-n-timestamp"
    assert turns(parsed) == [
        ("Speaker 1", "So tell me about the advisory council."),
        ("Speaker 2", "It started small. Five patients and two staff."),
        ("Speaker 1", "And now?"),
        ("Speaker 2", "About twenty people, across three sites."),
    ]
    assert [t.started_at for t in parsed.turns] == [3.0, 9.0, 75.0, 78.0]


def test_bracketed_names_ignore_annotations(fixtures: Path) -> None:
    parsed = read_transcript(fixtures / "bracket_name.txt")
    assert parsed.convention == "bracket-name"
    assert turns(parsed) == [
        ("Interviewer", "What did the partnership look like in practice?"),
        ("Sam Patel", "We met every second week.\n[laughs] Well, most weeks."),
        ("Interviewer", "Was that enough?"),
        ("Sam Patel", "Not really. We needed more time with the managers."),
    ]


def test_monologue_with_colons_has_no_speakers(fixtures: Path) -> None:
    parsed = read_transcript(fixtures / "monologue.txt")
    assert parsed.convention is None
    assert parsed.turns == ()
    assert parsed.text == (
        "Field notes, second visit.\n\n"
        "I spent the morning at the clinic. Note: we met at 3:30 instead of 2:00 because of a "
        "staff meeting.\n\n"
        "The improvement team had grown since the first visit.\n\n"
        "Interviews planned:\n\n"
        "Site A: two patient partners and a manager.\n\n"
        "Site B: one provider.\n\n"
        "Site C: to be confirmed.\n\n"
        "Overall the atmosphere was positive."
    )
    assert any("no speaker labels" in w for w in parsed.warnings)


@pytest.mark.parametrize(
    "content",
    [
        "Paris: 12 interviews\nLondon: 8 interviews\nBerlin: 3 interviews\n",
        "We talked for an hour.\nJohn: said he agreed.\n" + "More prose here.\n" * 30,
        "Step 1: recruit.\nStep 2: interview.\nStep 3: analyse.\n",
        "Date: 2021-03-12\nLocation: Site B\nDuration: 45 minutes\n",
        "The plan was simple: ask, listen, repeat.\nIt worked: mostly.\n",
    ],
)
def test_lists_and_stray_colons_are_not_speakers(read: Read, content: str) -> None:
    parsed = read("notes.txt", content)
    assert parsed.turns == ()
    assert parsed.convention is None


def test_a_labelled_transcript_keeps_its_header_lines_outside_turns(read: Read) -> None:
    parsed = read(
        "p3.txt",
        "Date: 12 March 2021\nSite: B\n\nInterviewer: Hello.\nP3: Hi.\nInterviewer: Bye.\n",
    )
    assert parsed.text == (
        "Date: 12 March 2021\n\nSite: B\n\nInterviewer: Hello.\n\nP3: Hi.\n\nInterviewer: Bye."
    )
    assert [s for s, _ in turns(parsed)] == ["Interviewer", "P3", "Interviewer"]


def test_a_speaker_who_speaks_once_in_a_focus_group_is_kept(read: Read) -> None:
    parsed = read(
        "fg.txt",
        "Moderator: Welcome.\nAna: Hi.\nBen: Hello.\nModerator: Who starts?\nAna: Me.\n"
        "Moderator: Go on.\nAna: Right.\nChidi Okafor: Can I add one thing?\nModerator: Sure.\n",
    )
    assert parsed.speakers == ("Moderator", "Ana", "Ben", "Chidi Okafor")


def test_labels_alone_on_their_line(read: Read) -> None:
    parsed = read("alone.txt", "Interviewer:\nHow are you?\n\nRespondent:\nFine.\nThanks.\n")
    assert turns(parsed) == [("Interviewer", "How are you?"), ("Respondent", "Fine.\nThanks.")]


def test_empty_turns_are_dropped_with_a_warning(read: Read) -> None:
    parsed = read("gaps.txt", "I: Hello?\nR:\nI: Anyone there?\nR: Yes.\n")
    # With R's empty label gone, I speaks twice in a row: one turn of two paragraphs.
    assert turns(parsed) == [("I", "Hello?\nAnyone there?"), ("R", "Yes.")]
    assert any("no words" in w for w in parsed.warnings)


def test_hard_wrapped_text_is_rejoined(read: Read) -> None:
    wrapped = (
        "Interviewer: Could you tell me a little about how the patient advisory\n"
        "council first started at your clinic, and who was involved in it?\n"
        "Participant: It started in 2018 when our manager asked a few patients\n"
        "whether they would like to meet with staff every month to talk about\n"
        "the waiting room, the phones and the booking system at the front desk\n"
        "of the clinic.\n"
        "Then it grew.\n"
        "Interviewer: And how did the staff react to that at the very beginning\n"
        "of the project, before anything had really changed for them at work?\n"
        "Participant: Some were sceptical, to be honest, and a few were worried\n"
        "that patients would only complain about them in front of the manager.\n"
    )
    parsed = read("wrapped.txt", wrapped)
    assert turns(parsed)[1] == (
        "Participant",
        "It started in 2018 when our manager asked a few patients whether they would like to "
        "meet with staff every month to talk about the waiting room, the phones and the "
        "booking system at the front desk of the clinic.\nThen it grew.",
    )


def test_custom_speaker_pattern(read: Read) -> None:
    content = "JD> Where did you work?\nMK> At the clinic.\nfor six years\nJD> Thanks.\n"
    parsed = read("custom.txt", content, speaker_pattern=r"(?P<speaker>[A-Z]{2})>")
    assert parsed.convention == "custom"
    assert turns(parsed) == [
        ("JD", "Where did you work?"),
        ("MK", "At the clinic.\nfor six years"),
        ("JD", "Thanks."),
    ]
    assert parsed.text.startswith("JD: Where did you work?\n\nMK: At the clinic.")


def test_custom_speaker_pattern_with_time(read: Read) -> None:
    content = "00:12 - Ana - Hello.\n01:30 - Ben - Hi.\n"
    parsed = read(
        "custom.txt",
        content,
        speaker_pattern=r"(?P<time>\d+:\d+) - (?P<speaker>\w+) - ",
    )
    assert turns(parsed) == [("Ana", "Hello."), ("Ben", "Hi.")]
    assert [t.started_at for t in parsed.turns] == [12.0, 90.0]


def test_custom_pattern_matching_nothing_warns(read: Read) -> None:
    parsed = read("plain.txt", "Just text.\n", speaker_pattern=r"(?P<speaker>XYZ):")
    assert parsed.turns == ()
    assert any("matched no line" in w for w in parsed.warnings)


@pytest.mark.parametrize(
    ("pattern", "message"),
    [("(?P<speaker>[A-Z", "not a valid regex"), (r"(\w+):", "named group")],
)
def test_bad_custom_pattern(read: Read, pattern: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        read("x.txt", "A: b\n", speaker_pattern=pattern)


def test_indented_labels_and_markdown_quotes(read: Read) -> None:
    parsed = read(
        "indented.txt", "   Interviewer: Hello.\n\tRespondent: Hi.\n   Interviewer: Bye.\n"
    )
    assert turns(parsed) == [
        ("Interviewer", "Hello."),
        ("Respondent", "Hi."),
        ("Interviewer", "Bye."),
    ]
    assert parsed.text == "Interviewer: Hello.\n\nRespondent: Hi.\n\nInterviewer: Bye."


def test_non_latin_names(read: Read) -> None:
    parsed = read("zh.txt", "采访者: 你好。\n王芳: 你好。\n采访者: 谢谢。\n")
    assert turns(parsed) == [("采访者", "你好。"), ("王芳", "你好。"), ("采访者", "谢谢。")]


def test_labels_with_a_note_in_brackets(read: Read) -> None:
    parsed = read(
        "notes.txt",
        "Interviewer (IV): Where do you work?\nParticipant (P07): At Site A.\n"
        "Interviewer (IV): Since when?\nParticipant (P07): 2019.\n",
    )
    assert parsed.convention == "name-colon"
    assert parsed.speakers == ("Interviewer (IV)", "Participant (P07)")


def test_tab_separated_labels(read: Read) -> None:
    parsed = read(
        "tabs.txt", "Interviewer\tWhere do you work?\nAna Lima\tAt Site A.\nInterviewer\tOk.\n"
    )
    assert parsed.convention == "name-tab"
    assert turns(parsed) == [
        ("Interviewer", "Where do you work?"),
        ("Ana Lima", "At Site A."),
        ("Interviewer", "Ok."),
    ]


def test_time_right_after_the_label(read: Read) -> None:
    parsed = read("sonix.txt", "Speaker 1: [00:00:04] Hello.\nSpeaker 2: [00:01:10] Hi.\n")
    assert turns(parsed) == [("Speaker 1", "Hello."), ("Speaker 2", "Hi.")]
    assert [t.started_at for t in parsed.turns] == [4.0, 70.0]


def test_timestamp_lines_date_the_next_turn(read: Read) -> None:
    parsed = read(
        "stamps.txt",
        "[00:00:00]\nInterviewer: Hello.\nRespondent: Hi.\n[00:05:00]\nmore words\n"
        "(00:06:30)\nInterviewer: Later.\n",
    )
    assert (
        parsed.text == "Interviewer: Hello.\n\nRespondent: Hi.\nmore words\n\nInterviewer: Later."
    )
    assert [t.started_at for t in parsed.turns] == [0.0, None, 390.0]


def test_timestamp_lines_stay_in_unlabelled_text(read: Read) -> None:
    parsed = read("diary.txt", "12:30\nWe arrived at the clinic.\n")
    assert parsed.text == "12:30\n\nWe arrived at the clinic."
