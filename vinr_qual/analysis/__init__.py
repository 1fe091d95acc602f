"""Analyses across cases: code matrices, co-occurrence, framework summaries, agreement."""
