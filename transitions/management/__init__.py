"""Management commands of the transitions app."""
