"""Reads: a nursery's periods, what the next run will remove (counts only), holds, the removal log."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, DateTimeField, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from children.models import Child, Guardianship
from nursery.models import Nursery, StaffMember
from nursery.selectors import managed_nursery_ids

from .models import LegalHold, RemovalRun, RetentionPeriod
from .schedule import (
    BIRTH,
    EXPIRED,
    FAMILY_DETAILS,
    KEPT_WITH_CHILD,
    KINDS,
    LEFT,
    RECORD,
    SITE_KINDS,
    STAFF_LEFT,
    Kind,
    Part,
    months_before,
    start_of,
)


def periods(nursery: Nursery | None) -> dict[str, int]:
    """Each kind's period in months for this nursery: its own choice where it made one, else the default."""
    chosen = dict(RetentionPeriod.objects.filter(nursery=nursery).values_list("kind", "months")) if nursery else {}
    return {kind.code: max(chosen.get(kind.code, kind.default), kind.floor) for kind in KINDS}


def site_periods() -> dict[str, int]:
    """The whole install's kinds (sessions, sign-in log, invitations, second factors): their defaults."""
    return {kind.code: kind.default for kind in SITE_KINDS}


def held_child_ids(nursery_id: int | None) -> set[int]:
    """Children on hold at this nursery; for the whole install's run (``None``), on hold anywhere."""
    holds = LegalHold.objects.filter(released_at__isnull=True)
    if nursery_id is not None:
        holds = holds.filter(nursery_id=nursery_id)
    return set(holds.values_list("child_id", flat=True))


def _is_datetime(part: Part) -> bool:
    return isinstance(part.model._meta.get_field(part.dated), DateTimeField)


def _before(part: Part, lookup: str, cutoff: date) -> Q:
    value = start_of(cutoff) if lookup == part.dated and _is_datetime(part) else cutoff
    return Q(**{f"{lookup}__lt": value})


def _has_any(models, child_ref: str = "pk") -> Q:
    """True where the child has a row in any of ``models``."""
    condition = Q()
    for model in models:
        condition |= Exists(model.objects.filter(child_id=OuterRef(child_ref)))
    return condition


def due_rows(kind: Kind, part: Part, *, nursery_id: int | None, today: date, months: int, held: set[int]) -> QuerySet:
    """The rows of one table that the schedule says go on ``today``: held children's rows never do."""
    cutoff = months_before(today, months)
    prefix = f"{part.child}__" if part.child and part.child != "pk" else ""
    rows = part.model.objects.filter(part.extra)
    if part.nursery:
        rows = rows.filter(**{part.nursery: nursery_id})
    if kind.anchor == EXPIRED and not months:  # as soon as it expires
        rows = rows.filter(**{f"{part.dated}__lt": timezone.now()})
    elif kind.anchor in (RECORD, EXPIRED):
        rows = rows.filter(_before(part, part.dated, cutoff))
    elif kind.anchor == LEFT:
        rows = rows.filter(_before(part, f"{prefix}leave_date", cutoff))
    elif kind.anchor == BIRTH:
        born = f"{prefix}date_of_birth"
        rows = rows.filter(
            _before(part, born, cutoff) | (Q(**{f"{born}__isnull": True}) & _before(part, part.dated, cutoff))
        )
    elif kind.anchor == STAFF_LEFT:
        rows = rows.filter(leaves_on__lt=cutoff, anonymised__isnull=True)
    # CLOSED: due at once, the part's ``extra`` choosing the closed accounts' rows.
    if part.child and held:
        rows = rows.exclude(**{f"{part.child}__in": held})
    if part.model is Child:
        # Due while family details remain, or once nothing kept for longer needs the child's name.
        rows = rows.filter(_has_any(FAMILY_DETAILS) | ~_has_any(KEPT_WITH_CHILD) | ~Q(photo=""))
    return rows


@dataclass
class KindPreview:
    kind: Kind
    months: int
    total: int = 0
    by_child: dict[int, int] = field(default_factory=dict)

    @property
    def period(self) -> str:
        return self.kind.describe(self.months)


@dataclass
class Preview:
    kinds: list[KindPreview]
    children: dict[int, Child]
    family_accounts: int = 0  # parents' accounts closed because their last child's record goes

    @property
    def total(self) -> int:
        return sum(row.total for row in self.kinds) + self.family_accounts

    def child_rows(self) -> list[tuple[Child, list[tuple[Kind, int]]]]:
        """Per child: how many records of each kind go (names and counts only, never content)."""
        per_child: dict[int, list[tuple[Kind, int]]] = defaultdict(list)
        for row in self.kinds:
            for child_id, count in row.by_child.items():
                per_child[child_id].append((row.kind, count))
        return [(self.children[pk], per_child[pk]) for pk in sorted(per_child, key=lambda pk: str(self.children[pk]))]


def next_run(nursery: Nursery, today: date | None = None) -> Preview:
    """What the sweep would remove if it ran on ``today``: the same queries the run uses, counted."""
    today = today or timezone.localdate()
    chosen, held = periods(nursery), held_child_ids(nursery.pk)
    rows, child_ids = [], set()
    for kind in KINDS:
        row = KindPreview(kind=kind, months=chosen[kind.code])
        for part in kind.parts:
            due = due_rows(kind, part, nursery_id=nursery.pk, today=today, months=row.months, held=held)
            if part.child:
                counts = due.values(part.child).annotate(n=Count("pk", distinct=True)).values_list(part.child, "n")
                for child_id, n in counts:
                    row.by_child[child_id] = row.by_child.get(child_id, 0) + n
                    row.total += n
            else:
                row.total += due.count()
        child_ids |= set(row.by_child)
        rows.append(row)
    children = {child.pk: child for child in Child.objects.filter(pk__in=child_ids, nursery=nursery)}
    leaving = set(next(row for row in rows if row.kind.code == "child_record").by_child)
    return Preview(kinds=rows, children=children, family_accounts=former_family_members(leaving).count())


def former_family_members(child_ids: set[int]) -> QuerySet[User]:
    """Parents and carers linked only to these children, with no other use for KeyStory (no post, no group)."""
    return (
        User.objects.filter(guardianships__child_id__in=child_ids, is_superuser=False)
        .exclude(pk__in=Guardianship.objects.exclude(child_id__in=child_ids).values("user_id"))
        .exclude(pk__in=StaffMember.objects.filter(anonymised__isnull=True).values("user_id"))
        .exclude(owned_groups__isnull=False)
        .distinct()
    )


def holds_of(nursery: Nursery) -> QuerySet[LegalHold]:
    return LegalHold.objects.filter(nursery=nursery).select_related("child", "placed_by", "released_by")


def removal_log(nursery: Nursery) -> QuerySet[RemovalRun]:
    return RemovalRun.objects.filter(nursery=nursery).prefetch_related("counts").select_related("by")


def access_hold(user: User, pk: int) -> LegalHold:
    """A hold in a nursery the user manages, or 404."""
    try:
        return LegalHold.objects.select_related("child").get(pk=pk, nursery_id__in=managed_nursery_ids(user))
    except LegalHold.DoesNotExist:
        raise Http404("No such hold.") from None


def access_family_member(user: User, pk: int, *, nursery_id: int) -> User:
    """A parent or carer linked to a child of the manager's nursery, or 404 (another nursery's families)."""
    links = Guardianship.objects.filter(user_id=pk, child__nursery_id=nursery_id)
    if not managed_nursery_ids(user).filter(nursery_id=nursery_id).exists() or not links.exists():
        raise Http404("No such family member.")
    return User.objects.get(pk=pk)


def family_links(member: User, *, nursery_id: int) -> QuerySet[Guardianship]:
    return Guardianship.objects.filter(user=member, child__nursery_id=nursery_id).select_related("child")
