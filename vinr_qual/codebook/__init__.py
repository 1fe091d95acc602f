"""Codebooks: the model, the YAML file researchers edit, REFI-QDA and plain code lists."""
