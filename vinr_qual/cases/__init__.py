"""Cases (municipalities), their attributes, the municipality reference table, and
reading documents back by case."""
