"""The people who log in: the custom User, invitations, and the log-in and password flows."""
