"""`python -m coder` is the `coder` command."""

from coder.cli import main

main()
