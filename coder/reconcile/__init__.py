"""Reconciliation: two coders' codings into a consensus layer, decision by decision.

`consensus` decides and writes; `api` is `project.reconcile`. The SQL behind decisions and
their sources is in `coder/storage/reconcile.py`.
"""
