"""Medicines: a parent's written permission to give one, each dose given (with a witness), and the parent's
same-day acknowledgement."""
