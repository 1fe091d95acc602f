"""Bringing source files into a project: read, normalise, split into turns and sentences."""
