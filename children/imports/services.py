"""Import the children of a checked CSV and invite their families: everything, or nothing."""

from dataclasses import dataclass

from django.db import transaction

from accounts.models import User
from accounts.services import Invited
from nursery.models import Nursery

from ..models import Child
from ..services import invite_guardian, save_child
from .reading import ImportPlan, read_children


class ImportRejected(ValueError):
    """The file has problems (listed on ``plan.errors``); nothing was saved."""

    def __init__(self, plan: ImportPlan) -> None:
        super().__init__("; ".join(plan.errors))
        self.plan = plan


@dataclass
class Imported:
    children: list[Child]
    invited: list[Invited]


@transaction.atomic
def import_children(*, nursery: Nursery, text: str, by: User) -> Imported:
    """Check the file again and import it in one transaction.

    The nursery row is locked first, so two managers confirming the same file at once cannot add the
    children twice: the second finds them already at the nursery.
    """
    list(Nursery.objects.select_for_update().filter(pk=nursery.pk).values_list("pk"))
    plan = read_children(text, nursery=nursery)
    if not plan.ok:
        raise ImportRejected(plan)
    made: dict[int, Child] = {}
    for row in plan.rows:
        child = Child(
            nursery=nursery,
            first_name=row.first_name,
            last_name=row.last_name,
            preferred_name=row.preferred_name,
            date_of_birth=row.date_of_birth,
            start_date=row.start_date,
            room=row.room,
        )
        made[row.row] = save_child(child=child, by=by, changed=[])
    invited = [
        invite_guardian(
            children=[made[row.row] for row in invitation.children],
            email=invitation.guardian.email,
            full_name=invitation.guardian.name,
            relationship=invitation.guardian.relationship,
            has_parental_responsibility=invitation.guardian.has_parental_responsibility,
            invited_by=by,
        )
        for invitation in plan.invitations
    ]
    return Imported(list(made.values()), invited)
