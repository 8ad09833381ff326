"""manage.py commands for transitions: writing a leaver pack to a file."""
