"""Errors that reach the user as one line: what went wrong, where, and what to do."""


class VinrQualError(Exception):
    """A problem the user can act on; the command line prints it and exits non-zero."""


class ProjectError(VinrQualError):
    """The project file is missing, unreadable or not a vinr-qual project."""


class ImportRefused(VinrQualError):
    """A source file cannot be imported; nothing of it is written."""
