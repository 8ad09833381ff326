"""Import children and their families from a CSV file: upload, preview with row-by-row errors, confirm."""
