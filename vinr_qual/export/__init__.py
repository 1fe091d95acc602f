"""Writing results out: tables as CSV and XLSX, reports as HTML or Markdown."""
