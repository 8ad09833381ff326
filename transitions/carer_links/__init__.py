"""Sharing a child's summary with another carer (a childminder, a therapist), with the family's consent."""
