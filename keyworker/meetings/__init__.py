"""Meetings between families and key persons (consultations)."""
