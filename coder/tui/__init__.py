"""The terminal workbench (Textual). Nothing outside this package imports Textual."""
