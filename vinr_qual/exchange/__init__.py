"""Exchange with other tools: codebook files (YAML is the codebook's own; REFI-QDA .qdc,
Taguette and QualCoder lists here)."""
