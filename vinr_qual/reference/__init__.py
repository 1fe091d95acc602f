"""Reference data shipped with vinr-qual."""
