"""Holding the cyclic garbage collector back while a screen opens.

Opening a long transcript makes tens of thousands of objects (its segments, the laid-out
lines, the painted strips). They set off the collector's passes, and a full pass walks every
object the session has made since start-up: 100 ms and more of a 300 ms open went there.
Almost everything an open makes is freed by reference counting, or lives on; nothing is
lost by letting the collector run once the screen is painted instead of in the middle.
"""

from __future__ import annotations

import gc


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
