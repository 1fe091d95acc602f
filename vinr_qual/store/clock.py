"""The one place that says what time it is, so every stored time has the same form."""

import datetime as dt


def now() -> str:
    """The current time in UTC as ISO 8601 with seconds, e.g. 2026-01-20T09:14:03+00:00."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
