"""coder: thematic coding of interview transcripts.

The public API is `Project`; see `coder.project`.
"""

from coder.errors import CoderError
from coder.project import Project
from coder.version import __version__

__all__ = ["CoderError", "Project", "__version__"]
