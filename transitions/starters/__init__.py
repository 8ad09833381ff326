"""Settling in for new starters: the visit before the first day, the key person introduced, sessions."""
