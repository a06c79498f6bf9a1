"""Holding the cyclic garbage collector, and the painting, back while a screen opens.

Opening a long transcript makes tens of thousands of objects (its segments, the laid-out
lines, the painted strips). They set off the collector's passes, and a full pass walks every
object the session has made since start-up: 100 ms and more of a 300 ms open went there.
Almost everything an open makes is freed by reference counting, or lives on; nothing is
lost by letting the collector run once the screen is painted instead of in the middle.

Until its reading is done, the screen has nothing to show but empty panels. Painting them on
every change while it mounts and lays out cost as much as painting the transcript, and kept
the reading worker waiting for the interpreter. Painting is held back instead (Textual's
batch update: only the first layout is drawn) for as long as the reading takes or at most a
moment (the caller's timer), and the full screen is painted when the transcript is in.
"""

from __future__ import annotations

import gc
from contextlib import ExitStack

from textual.app import App


class Held:
    """The collector held back from `hold()` until `release()` (or the first of several
    releases), and only if it was running to begin with."""

    def __init__(self) -> None:
        self._held = False

    def hold(self) -> None:
        if gc.isenabled() and not self._held:
            gc.disable()
            self._held = True

    def release(self) -> None:
        if self._held:
            self._held = False
            gc.enable()


class Unpainted:
    """The app's painting held back from `hold()` until `release()` (or the first of several
    releases)."""

    def __init__(self) -> None:
        self._held: ExitStack | None = None

    def hold(self, app: App[object]) -> None:
        if self._held is None:
            held = ExitStack()
            held.enter_context(app.batch_update())
            self._held = held

    def release(self) -> None:
        held, self._held = self._held, None
        if held is not None:
            held.close()
