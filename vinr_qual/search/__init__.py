"""Finding passages: full-text search in Swedish, fuzzy find of a remembered quote."""
