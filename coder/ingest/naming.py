"""Document names for the files of one import.

A document is named after its file without the extension (`site-a-leader.docx` becomes
`site-a-leader`). When several files of the import would get the same name (`interview.vtt`
and `interview.txt`, or `site-a/int01.txt` and `site-b/int01.txt`), each of them keeps just
enough of its file name and folders to tell them apart: the extension first, then the folders
above it. The names depend only on the set of files, not on their order, so importing the same
files again gives the same names.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from coder.names import name_from


@dataclass(frozen=True)
class Naming:
    names: dict[Path, str]
    # One sentence per group of files that had to be told apart, for the import report.
    notes: tuple[str, ...] = ()


def document_names(files: Sequence[Path]) -> Naming:
    groups: dict[str, list[Path]] = defaultdict(list)
    for file in files:
        groups[file.stem.casefold()].append(file)
    names: dict[Path, str] = {}
    notes: list[str] = []
    for group in groups.values():
        if len(group) == 1:
            names[group[0]] = group[0].stem
            continue
        chosen = _distinct(group)
        names.update(chosen)
        shown = ", ".join(sorted(chosen.values(), key=str.casefold))
        how = "folders" if any("/" in name for name in chosen.values()) else "extensions"
        notes.append(
            f"{len(group)} files would all be named {group[0].stem!r}; "
            f"their names keep their {how}: {shown}"
        )
    # A file name may hold what a name may not (a line break, a tab): those become spaces.
    return Naming(
        {path: name_from(name) or "untitled" for path, name in names.items()}, tuple(notes)
    )


def _distinct(group: list[Path]) -> dict[Path, str]:
    depth = max(len(path.parts) for path in group)
    for folders in range(depth):
        for extension in (False, True):
            keys = {path: _key(path, folders, extension) for path in group}
            if len({key.casefold() for key in keys.values()}) == len(group):
                return keys
    # The same path given twice: the resolved path is all there is.
    return {path: str(path.resolve()) for path in group}


def _key(path: Path, folders: int, extension: bool) -> str:
    name = path.name if extension else path.stem
    above = path.parent.parts[len(path.parent.parts) - folders :] if folders else ()
    return "/".join((*above, name))
