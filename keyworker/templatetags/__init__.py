"""Template tags of the key person system."""
