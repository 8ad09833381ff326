"""The receiving school's expiring link to a leaver pack, with the family's consent."""
