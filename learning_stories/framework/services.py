"""Writes for the framework: a nursery's choice of framework, and its own statements (added, reworded,
retired, offered again)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from nursery.models import Nursery

from ..models import Area, Aspect, Band, Framework, NurseryFramework, Statement


def choose_framework(*, nursery: Nursery, framework: Framework, chosen_by: User) -> NurseryFramework:
    """Use another framework for new observations; old ones keep the statements they were tagged with."""
    if framework.superseded_by_id is not None:
        raise ValidationError("This version of the framework has been replaced; choose the newer one.")
    choice, _ = NurseryFramework.objects.update_or_create(
        nursery=nursery, defaults={"framework": framework, "chosen_by": chosen_by}
    )
    return choice


def _check_fits(*, area: Area, band: Band, aspect: Aspect | None) -> None:
    if band.framework_id != area.framework_id:
        raise ValidationError("The age band and the area belong to different frameworks.")
    if aspect is not None and aspect.area_id != area.pk:
        raise ValidationError("That early learning goal belongs to another area.")


def add_statement(
    *, nursery: Nursery, area: Area, band: Band, text: str, created_by: User, aspect: Aspect | None = None
) -> Statement:
    """A nursery's own statement, offered alongside the framework's."""
    _check_fits(area=area, band=band, aspect=aspect)
    return Statement.objects.create(
        nursery=nursery, area=area, band=band, aspect=aspect, text=text.strip(), created_by=created_by
    )


def is_in_use(statement: Statement) -> bool:
    """Whether anything (an observation, an assessment…) points at the statement.

    Asked of every model that refers to statements, so apps above this one need not be named here.
    """
    for relation in Statement._meta.related_objects:
        if relation.related_model is Statement:
            continue
        if relation.related_model._default_manager.filter(**{relation.field.name: statement}).exists():
            return True
    return False


@transaction.atomic
def edit_statement(*, statement: Statement, text: str, aspect: Aspect | None, edited_by: User) -> Statement:
    """Reword a nursery's own statement.

    Once something is tagged with it, the old wording stays for those records: the new wording becomes
    a new statement that replaces it, and the old one is retired.
    """
    if not statement.is_own:
        raise ValidationError("Statements from the framework cannot be changed; add your own instead.")
    _check_fits(area=statement.area, band=statement.band, aspect=aspect)
    if not is_in_use(statement):
        statement.text, statement.aspect = text.strip(), aspect
        statement.save(update_fields=["text", "aspect"])
        return statement
    replacement = Statement.objects.create(
        nursery_id=statement.nursery_id,
        area=statement.area,
        band=statement.band,
        aspect=aspect,
        text=text.strip(),
        created_by=edited_by,
        replaces=statement,
        order=statement.order,
    )
    retire_statement(statement=statement)
    return replacement


def retire_statement(*, statement: Statement) -> None:
    """Stop offering a nursery's own statement; what was tagged with it keeps it."""
    if not statement.is_own:
        raise ValidationError("Statements from the framework cannot be retired.")
    if statement.retired_at is None:
        statement.retired_at = timezone.now()
        statement.save(update_fields=["retired_at"])


def restore_statement(*, statement: Statement) -> None:
    statement.retired_at = None
    statement.save(update_fields=["retired_at"])
