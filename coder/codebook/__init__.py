"""Codebooks: the project's code tree (`api`, `edit`, `tree`) and codebook files.

The file formats are pure functions over `CodebookSpec` (no database):

- `coder.codebook.yaml_format`: `load_yaml`, `dump_yaml` (coder's own format,
  docs/codebook-format.md)
- `coder.codebook.qdc`: `read_qdc`, `write_qdc` (REFI-QDA .qdc exchange files)
- `coder.codebook.csv_format`: `read_csv` (a name,parent,definition table)
- `coder.codebook.text_formats`: `to_markdown`, `to_latex` (the codebook as a paper appendix)

Only the data classes are imported here, so that opening a project does not load the parsers.
"""

from coder.codebook.spec import KINDS, CodebookSpec, CodeSpec, Loaded, Visit, walk

__all__ = ["KINDS", "CodeSpec", "CodebookSpec", "Loaded", "Visit", "walk"]
