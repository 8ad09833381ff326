"""The setting itself: the nursery (the tenant), its rooms, sessions and staff."""
