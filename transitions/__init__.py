"""Transitions: room moves and leavers, the transition report, the leaver pack and the school's link."""
