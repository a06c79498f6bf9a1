"""A new project's store: what every project records when it is created.

`Project.create` and `coder.exchange.api.import_project` both start here, so a project made
from a .qdpx package begins exactly like one made by `coder init`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from coder.storage import Store


def create_store(
    location: str, *, title: str | None = None, on_wait: Callable[[str], None] | None = None
) -> Store:
    """Create an empty project at the current schema version, in the open phase."""
    store = Store.create(location, on_wait=on_wait)
    with store.write(actor=None) as tx:
        tx.log("project.create", "project", None, {"schema": store.schema_version()})
        tx.set_setting("title", title or default_title(location))
        tx.set_setting("created_at", datetime.now(UTC).isoformat())
        tx.set_setting("phase", "open")
    return store


def default_title(location: str) -> str:
    if "://" in location:
        return location.rsplit("/", 1)[-1].split("?", 1)[0] or "Untitled project"
    return Path(location).stem or "Untitled project"
