"""Template tags of the learning stories app."""
