"""Importing another setting's leaver pack: the child arrives as enrolling, with their story."""
