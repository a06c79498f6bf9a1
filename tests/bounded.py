"""Running a piece of coder in a fresh interpreter with a ceiling on memory and time, so that
a test of a "bomb" fails (MemoryError, a timeout) instead of taking the machine with it."""

from __future__ import annotations

import subprocess
import sys

PRELUDE = """\
import resource
used = int(open('/proc/self/statm').read().split()[0]) * resource.getpagesize()
resource.setrlimit(resource.RLIMIT_AS, (used + {memory}, resource.RLIM_INFINITY))
from coder.errors import CoderError
try:
{body}
except CoderError as error:
    print(error)
"""


def run_bounded(
    body: str, *, memory: int = 2**30, seconds: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run `body` (statements) with `memory` bytes of address space beyond what the
    interpreter holds at the start; a `CoderError` it raises is printed on stdout."""
    indented = "\n".join(f"    {line}" for line in body.strip().splitlines())
    script = PRELUDE.format(memory=memory, body=indented)
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=seconds
    )
