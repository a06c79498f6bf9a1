"""Peer tools measured side by side with coder: Taguette and qc.

Each peer lives in its own virtual environment under bench/peers/ (git-ignored), created by the
bench run the first time it is needed and reused while its pinned version is unchanged. Neither
is a dependency of coder, and nothing here runs in `make test`. Scripts that run inside a
peer's environment (`drive_*.py`) import only the peer and the standard library.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

# The versions measured: pinned, so that a ratio means the same thing from run to run.
VERSIONS = {"taguette": ("taguette", "1.5.2"), "qc": ("qualitative-coding", "1.7.8")}


class PeerUnavailable(RuntimeError):
    """A peer could not be installed or started here; the message says why."""


def environment(name: str) -> Path:
    """The Python of the peer's own virtual environment, created and installed if missing."""
    package, version = VERSIONS[name]
    folder = HERE / f".venv-{name}"
    python = folder / "bin" / "python"
    stamp = folder / ".bench-installed"
    wanted = f"{package}=={version}"
    if python.exists() and stamp.exists() and stamp.read_text() == wanted:
        return python
    print(
        f"  {name}: installing {wanted} into {folder.relative_to(HERE.parent.parent)}/",
        file=sys.stderr,
    )
    steps = [
        [sys.executable, "-m", "venv", "--clear", str(folder)],
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", wanted],
    ]
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True)
        if done.returncode:
            tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
            raise PeerUnavailable(f"could not install {wanted}: {' / '.join(tail)}")
    stamp.write_text(wanted)
    return python


def slug(path: str) -> str:
    """A code path as a qc code name (qc accepts letters, digits, `_` and `-` only): the
    last segment, lower-cased, other characters as `_`."""
    leaf = path.rsplit("/", 1)[-1].lower()
    return "".join(ch if ch.isascii() and (ch.isalnum() or ch in "_-") else "_" for ch in leaf)
