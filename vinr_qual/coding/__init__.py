"""Codings and what hangs on them: the one writer of the codings table, memos, undo."""
