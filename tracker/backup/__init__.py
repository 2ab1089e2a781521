"""Backups: a consistent copy of a SQLite database while the app runs; for PostgreSQL, the
pg_dump command to use."""
