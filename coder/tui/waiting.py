"""What the workbench does when a change finds another process writing to the project.

On SQLite one process writes at a time; a change waits for the write lock (coder.storage) and
says once, through `on_wait`, that it is waiting. The workbench makes most changes on its UI
thread, where waiting would freeze the screen with nothing on it for as long as the lock wait
(minutes): there the change is refused after the first second, with nothing changed and a
message saying why, so the coder can carry on and try again. A change made in a worker (the
methods report, say) waits as the command line does, and the message appears in the corner.
"""

from __future__ import annotations

import threading
from typing import Any

from textual.app import App

from coder.errors import ProjectError
from coder.project import tell_stderr

BUSY = (
    "Another process is writing to the project: nothing was changed; try again when it has finished"
)
WAITING = "Waiting for the project (another process is writing to it)…"


class ProjectBusy(ProjectError):
    """A change on the UI thread found another process holding the project's write lock."""


class LockNotice:
    """The `on_wait` of the workbench's project; `app` is set once the workbench runs."""

    def __init__(self) -> None:
        self.app: App[Any] | None = None

    def __call__(self, message: str) -> None:
        app = self.app
        if app is None or not app.is_running:
            tell_stderr(message)  # before or after the workbench: the terminal is plain
            return
        if threading.current_thread() is threading.main_thread():
            raise ProjectBusy(BUSY)
        app.notify(WAITING, severity="warning", timeout=10)  # notify is safe from a thread
