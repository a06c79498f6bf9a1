"""The `coder` command line (click). `coder.cli.main` is the console script."""

from coder.cli.main import cli, main

__all__ = ["cli", "main"]
