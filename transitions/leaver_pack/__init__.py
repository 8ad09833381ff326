"""The leaver pack: a ZIP of the child's story, photos and reports, built by a job and downloaded."""
