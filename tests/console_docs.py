"""Run the console blocks of a Markdown page and compare (or rewrite) their output.

Used for docs/tutorial.md and the worked examples in docs/studies/.

A console block holds `$ ` command lines, each followed by the output it prints. Only
`coder ...` commands and `export NAME=VALUE` are allowed. An output line `…` stands for
lines left out: the lines before it must open the real output and the lines after it must
close it. With `update=True` the outputs that no longer match are rewritten from what the commands
print: in full where the page gave them in full, else long ones shortened around a `…`.
"""

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

from coder.cli.main import cli

BLOCK = re.compile(r"```console\n(.*?)```", re.DOTALL)
KEEP_HEAD, KEEP_TAIL, LONG = 12, 2, 16


@dataclass
class Step:
    command: str
    expected: list[str]


def steps(block: str) -> Iterator[Step]:
    step: Step | None = None
    for line in block.splitlines():
        if line.startswith("$ "):
            if step is not None:
                yield step
            step = Step(line[2:], [])
        elif step is not None:
            step.expected.append(line)
    if step is not None:
        yield step


def run(step: Step, env: dict[str, str]) -> list[str]:
    words = shlex.split(step.command)
    if words[0] == "export":
        name, _, value = words[1].partition("=")
        env[name] = value
        return []
    assert words[0] == "coder", f"the tutorial runs only coder commands: {step.command}"
    result = CliRunner().invoke(cli, words[1:], env=env, catch_exceptions=False)
    lines = (result.output).rstrip("\n").splitlines()
    return [line.rstrip() for line in lines]


def matches(expected: list[str], actual: list[str]) -> bool:
    expected = [line.rstrip() for line in expected]
    while expected and not expected[-1]:
        expected.pop()
    if "…" not in expected:
        return expected == actual
    cut = expected.index("…")
    head, tail = expected[:cut], expected[cut + 1 :]
    return (
        actual[: len(head)] == head
        and (not tail or actual[-len(tail) :] == tail)
        and len(actual) >= len(head) + len(tail)
    )


def shortened(lines: list[str]) -> list[str]:
    if len(lines) <= LONG:
        return lines
    return [*lines[:KEEP_HEAD], "…", *lines[-KEEP_TAIL:]]


def rewritten(expected: list[str], actual: list[str]) -> list[str]:
    """What an update writes: the page as it was where it still matches, the output in full
    where the page gave it in full, else the output shortened around a `…`."""
    if matches(expected, actual):
        return expected
    return actual if expected and "…" not in expected else shortened(actual)


def check(tutorial: Path, workdir: Path, *, update: bool = False) -> list[str]:
    """Run every block in `workdir`; return the mismatches (or rewrite the file)."""
    text = tutorial.read_text(encoding="utf-8")
    # No $COLUMNS: the pages show tables whole, as piped output prints them (a width would
    # fold the wide ones into blocks).
    env = {"CODER_USER": "lead"}
    problems: list[str] = []
    previous = Path.cwd()
    os.chdir(workdir)
    pieces: list[str] = []
    position = 0
    try:
        for match in BLOCK.finditer(text):
            pieces.append(text[position : match.start(1)])
            written: list[str] = []
            for step in steps(match.group(1)):
                actual = run(step, env)
                if not update and not matches(step.expected, actual):
                    problems.append(
                        f"$ {step.command}\nexpected:\n"
                        + "\n".join(step.expected)
                        + "\nbut got:\n"
                        + "\n".join(actual)
                    )
                kept = step.expected if not update else rewritten(step.expected, actual)
                written += [f"$ {step.command}", *kept]
            pieces.append("\n".join(written).rstrip("\n") + "\n")
            position = match.end(1)
        pieces.append(text[position:])
    finally:
        os.chdir(previous)
    if update:
        tutorial.write_text("".join(pieces), encoding="utf-8")
    return problems
