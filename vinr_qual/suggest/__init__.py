"""Suggested codings: the codebook's rules, and the review queue where people decide."""
