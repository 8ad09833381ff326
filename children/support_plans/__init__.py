"""Support plans (SEN support): assess, plan, do and review with the family."""
