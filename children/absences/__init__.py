"""Absences families report: their child will be off (ill, on holiday, another reason) for a day or a range."""
