"""Undo and redo from any screen: one action of the person at the keyboard."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.screen import Screen

from coder.errors import CoderError


def step_history(screen: Screen[Any], step: Callable[..., str], actor: str) -> bool:
    """Run `project.undo` or `project.redo` for `actor` and say what it did, or why it could
    not; True when something changed and the screen should reload."""
    try:
        message = step(actor=actor)
    except CoderError as error:
        screen.notify(str(error), severity="warning")
        return False
    screen.notify(message, timeout=3)
    return True
