"""Storage of a project: the SQLite schema and its migrations."""
