"""Transition plans: room moves and leavers, trial visits, handover notes and the move itself."""
