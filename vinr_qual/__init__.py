"""vinr-qual: qualitative coding of interviews and steering documents, for Swedish text.

The package root imports nothing heavy, so that `vinr-qual --help` answers at once.
"""

__version__ = "0.1.0"
