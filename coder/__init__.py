"""coder: thematic coding of interview transcripts.

The public API is `Project`; see `coder.project`.
"""

from coder.errors import CoderError
from coder.project import Project

__version__ = "0.1.0"

__all__ = ["CoderError", "Project", "__version__"]
