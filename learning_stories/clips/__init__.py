"""Short video and sound clips in observations and home contributions (issue 18)."""
