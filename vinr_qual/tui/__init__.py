"""The terminal app: read, select and code passages. Built on the core; nothing outside
this package imports Textual."""
