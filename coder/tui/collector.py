"""Holding the cyclic garbage collector, and the painting, back while a screen opens.

Opening a long transcript makes tens of thousands of objects (its segments, the laid-out
lines, the painted strips). They set off the collector's passes, and a full pass walks every
object the session has made since start-up: 100 ms and more of a 300 ms open went there.
Almost everything an open makes is freed by reference counting, or lives on; nothing is
lost by letting the collector run once the screen is painted instead of in the middle.

Until its reading is done, the screen has nothing to show but empty panels. Painting them on
every change while it mounts and lays out cost as much as painting the transcript, and kept
the reading worker waiting for the interpreter. Painting is held back instead for as long as
the reading takes or at most a moment (the caller's timer), and the full screen is painted
when the transcript is in. Textual's batch update would hold the layout as well, and every
widget then had its first layout after the reading, and its second (a widget sized for the
first time asks for another) with a second paint of the screen.
"""

from __future__ import annotations

import gc
from typing import Any

from textual.screen import Screen


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
    """A screen's painting held back from `hold()` until `release()` (or the first of several
    releases). Only the frames are held, not the layout: the widgets are measured and placed
    while the reading runs, so that once it is in only what changed is laid out again. The
    screen asks `held` before it renders a frame (see CodingScreen._compositor_refresh)."""

    def __init__(self) -> None:
        self._screen: Screen[Any] | None = None

    @property
    def held(self) -> bool:
        return self._screen is not None

    def hold(self, screen: Screen[Any]) -> None:
        if self._screen is None:
            self._screen = screen

    def release(self) -> None:
        screen, self._screen = self._screen, None
        if screen is not None:
            # What was left unpainted is still marked so; the screen paints it when it
            # next looks for work.
            screen.check_idle()
