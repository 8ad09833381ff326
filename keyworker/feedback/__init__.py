"""End-of-session feedback: the key person's summary of each session for the family."""
