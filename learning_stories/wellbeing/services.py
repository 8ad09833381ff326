"""Writes for the Leuven ratings: whether the nursery shows them to families."""

from nursery.models import Nursery


def set_families_see_wellbeing(*, nursery: Nursery, show: bool) -> None:
    nursery.families_see_wellbeing = show
    nursery.save(update_fields=["families_see_wellbeing"])
