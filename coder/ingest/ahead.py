"""Reading an import's next file while the current one is written: in a thread, or for a
batch on a machine with a second core, in a forked process.

Reading and segmenting a file is Python (and spaCy's tokenizer) holding the interpreter's
lock, so a thread overlaps it only with the database's own work; a process runs it beside the
writing. Forked, the process has the pipeline, the plan and the options as the importer has
them, with nothing to load or send: only each file's path goes to it, and its reading comes
back. Nothing is forked where other threads run (the workbench): a fork copies their locks as
they are at that moment.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from coder.errors import CoderError
from coder.userregex import PatternTimeout

T = TypeVar("T")

# A batch of at least this many files is read in a process of its own where one can be
# forked; a smaller one is not worth the process.
PROCESS_FROM = 8


@dataclass(frozen=True)
class Failure:
    """Why a forked reader could not read a file: a user's mistake, sent back as its message
    (an error object need not survive the trip), to be raised again where it is written."""

    message: str
    subject: str | None = None  # the text a speaker pattern ran out of time on

    def error(self) -> CoderError:
        if self.subject is not None:
            return PatternTimeout(self.message, self.subject)
        return CoderError(self.message)


def reader(
    stack: ExitStack,
    files: int,
    read: Callable[[Path], T],
    describe: Callable[[CoderError], str],
    ready: Callable[[], object] = lambda: None,
) -> Callable[[Path], Future[T | Failure]]:
    """A function that starts reading a file and gives its future: `read`'s result, or in a
    process the `Failure` that `describe` made of a `CoderError` it raised. `ready` makes
    ready what reading needs (spaCy's pipeline): called by a forked reader before its first
    file, while the importer goes on with its own start, or here before a thread starts. The
    reader lives as long as `stack`. Started before the project's connection is opened, a
    forked one holds none of it."""
    if files >= PROCESS_FROM and can_fork():
        pool = ProcessPoolExecutor(
            1,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_adopt,
            initargs=(read, describe, ready, os.getpid()),
        )
        stack.enter_context(pool)
        return lambda path: pool.submit(_read_adopted, path)
    # A thread shares the importer's interpreter: what it needs is loaded before it starts,
    # as no module is imported by two threads at once.
    ready()
    threads = stack.enter_context(ThreadPoolExecutor(1, thread_name_prefix="coder-import"))
    return lambda path: threads.submit(read, path)


def can_fork() -> bool:
    return (
        "fork" in multiprocessing.get_all_start_methods()
        and sys.platform == "linux"  # macOS's system libraries are not safe to fork
        and len(os.sched_getaffinity(0)) > 1
        and threading.active_count() == 1
    )


# What a forked reader reads with: set once in its process, before its first file.
_adopted: tuple[Callable[[Path], Any], Callable[[CoderError], str]] | None = None


def _adopt(
    read: Callable[[Path], Any],
    describe: Callable[[CoderError], str],
    ready: Callable[[], object],
    importer: int,
) -> None:
    global _adopted
    _adopted = (read, describe)
    # Ctrl-C is the importer's to handle: it stops the batch, and this process with it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Nor does a reader outlive an importer killed outright (it would wait for work forever).
    threading.Thread(target=_orphaned, args=(importer,), daemon=True).start()
    ready()


def _orphaned(importer: int) -> None:
    while os.getppid() == importer:
        time.sleep(0.5)
    os._exit(1)


def _read_adopted(path: Path) -> Any:
    assert _adopted is not None, "the reader process was not given its work"
    read, describe = _adopted
    try:
        return read(path)
    except PatternTimeout as error:
        return Failure(str(error), error.subject)
    except CoderError as error:
        return Failure(describe(error))
