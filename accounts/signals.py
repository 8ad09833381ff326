"""The signal apps above this one listen to, to apply what an accepted invitation grants."""

from django.dispatch import Signal

# Sent inside the accepting transaction with ``invitation`` and ``user``. Apps that attached a
# grant to the invitation (a staff post, a guardian link) apply it in their receivers.
invitation_accepted = Signal()
