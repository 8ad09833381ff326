"""The learning story as each viewer may read it: names, photos and text a family may see, and the timeline."""
