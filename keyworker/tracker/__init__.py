"""The tracker pages: children by areas at an assessment point, for a room, a key group or the nursery."""
