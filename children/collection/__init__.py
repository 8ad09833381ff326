"""Collection: who may collect a child, the family's collection password, and one-off collectors for a day."""
