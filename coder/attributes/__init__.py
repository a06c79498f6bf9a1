"""Attributes of documents and participants (site, role, period...): naming them, filtering
by them (`--where`), and setting them after import (`project.attributes`)."""
