"""The day at the nursery: the register (signing in and out), the care log with sleep checks, and accidents."""
