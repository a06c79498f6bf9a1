"""REFI-QDA project exchange (.qdpx): export a project, import one from another program.

- `archive`: the ZIP package, read defensively (no escaping entries, a decompression budget).
- `xmlparse`: XML parsed with defusedxml (no DTDs, entities or external references).
- `reader`, `sources`, `read_state`: a project.qde into `model.ProjectData`.
- `offsets`: selection positions into coder's stored text (CRLF, UTF-16 producers).
- `gather`, `writer`, `extras`: a project into a valid project.qde and its sources.
- `load`: `ProjectData` into a project, new or existing.
- `report`: what was carried and what could not be.
- `api`: `Exchange` (as `project.exchange`) and `import_project`.

See docs/refi-qda.md for how each element maps.
"""
