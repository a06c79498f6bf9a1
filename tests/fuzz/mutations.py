"""Hypothesis strategies that damage a valid file the ways people and attackers do: bytes
flipped, cut short, repeated, and hostile pieces dropped in (NULs, quotes left open, deep
nesting, huge counts, entities, control characters, byte-order marks...)."""

from __future__ import annotations

from hypothesis import strategies as st

# Pieces that have broken readers before, or could: each is tried at random places.
HOSTILE: tuple[bytes, ...] = (
    b"\x00",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"\xc3\x28",
    b'"',
    b"'",
    b"\r",
    b"\n\n\n",
    b"\t",
    b"\x0b\x0c",
    b"\x1b[2J",
    "\u2028\u2029".encode(),
    "\ufeff".encode("utf-16-be"),
    b"\x85",
    b"<",
    b"&",
    b"&amp;&#0;&#x1;",
    b"]]>",
    b"<!DOCTYPE x [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;&a;'>]>",
    b"<!-- -->",
    b"{",
    b"}",
    b"[" * 300,
    b"{" * 300,
    b"<c>" * 400,
    b"  - " * 300,
    b"*a &a ",
    b": ",
    b"- name: ",
    b"\\",
    b"\\'ff\\u0000 ",
    b"{\\rtf1",
    b'text:c="99999999999"',
    b'startPosition="-5" endPosition="99999999999"',
    b"9" * 40,
    b"1e999",
    b"NaN",
    b"::",
    b"../../etc/passwd",
    b"a" * 20_000,
    b";" * 50,
    b",,,,",
    b"0:00:00,000 --> 99:99:99,999",
    b"(a|aa)+b",
    "é".encode("utf-16"),
    b"\x7f\x80\x9f",
)


@st.composite
def damaged(draw: st.DrawFn, seed: bytes) -> bytes:
    """`seed` after one to four damages, at most a few hundred kilobytes."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(("insert", "replace", "delete", "cut", "repeat", "bytes")))
        if kind == "insert":
            data[at:at] = draw(st.sampled_from(HOSTILE))
        elif kind == "replace":
            end = draw(st.integers(at, min(len(data), at + 64)))
            data[at:end] = draw(st.sampled_from(HOSTILE))
        elif kind == "delete":
            end = draw(st.integers(at, min(len(data), at + 64)))
            del data[at:end]
        elif kind == "cut":
            del data[at:]
        elif kind == "repeat":
            end = draw(st.integers(at, min(len(data), at + 200)))
            data[at:at] = bytes(data[at:end]) * draw(st.integers(2, 500))
        else:
            data[at:at] = draw(st.binary(min_size=1, max_size=32))
        del data[400_000:]
    return bytes(data)
