"""A team of coders on a PostgreSQL server: `api` is `project.team` (see docs/team.md)."""
