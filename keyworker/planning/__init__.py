"""The weekly planning board: a room's activities for its key groups' next steps."""
