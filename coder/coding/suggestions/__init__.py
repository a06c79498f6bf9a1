"""Code suggestions from the codebook's keywords and spaCy token patterns.

- `rules`: the pure part: rules built from codes, matched against units, scored against
  human codings (no database).
- `run`: suggestions on a project: run the rules, store them for a coder, accept or reject
  them, score them against a coder's codings.

`project.coding.suggest`, `.suggestions`, `.accept`, `.reject` and `.evaluate_suggestions`
(coder/coding/api.py) are the way in.
"""
