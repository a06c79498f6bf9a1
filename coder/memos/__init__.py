"""Memos on the project, a document, a participant, a code, a coding or an attribute value:
`api` is `project.memos`."""
