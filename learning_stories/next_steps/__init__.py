"""Next steps: what a key person plans for a child next, set from observations or by hand, closed when achieved."""
