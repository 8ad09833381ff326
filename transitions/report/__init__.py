"""The transition report across the seven areas, with the family's view and the child's voice."""
