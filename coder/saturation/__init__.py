"""Thematic saturation: new codes per successive interview, and the stopping rule of Guest,
Namey & Chen (2020). `rule` is pure; `api` reads the project (see docs/saturation.md)."""
