"""Observations: capture on a tablet, drafts, photos, review by a manager, comments and home contributions."""
