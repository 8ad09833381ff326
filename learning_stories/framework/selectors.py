"""Reads for the EYFS framework: which framework a nursery uses, its areas and bands, and the statements
that fit a child's age."""

from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from children.models import Child
from core.caching import cached
from nursery.models import Nursery
from nursery.selectors import managed_nursery_ids

from ..models import (
    Area,
    Aspect,
    Band,
    Characteristic,
    CharacteristicPart,
    Framework,
    NurseryFramework,
    Statement,
)


def frameworks_available() -> QuerySet[Framework]:
    """Framework versions a nursery may choose (superseded versions stay only for old observations)."""
    return Framework.objects.filter(superseded_by__isnull=True)


# Framework data changes only when a nursery chooses another framework or the admin edits one: it is cached
# (core.caching) under this kind, whose version every save or delete of those models bumps (see apps.py).
FRAMEWORK_DATA = "framework"
FRAMEWORK_MODELS = (Framework, Area, Aspect, Characteristic, CharacteristicPart, Band, Statement, NurseryFramework)


def default_framework() -> Framework:
    return Framework.objects.get(is_default=True)


def current_framework_for(nursery: Nursery | int) -> Framework:
    """The framework the nursery chose, or the default one (Development Matters) until it chooses."""
    nursery_id = getattr(nursery, "pk", nursery)

    def read() -> Framework:
        choice = NurseryFramework.objects.filter(nursery_id=nursery_id).select_related("framework").first()
        return choice.framework if choice else default_framework()

    return cached(FRAMEWORK_DATA, "all", f"current:{nursery_id}", read)


def framework_areas(framework: Framework) -> list[Area]:
    """The framework's areas in order (from the cache: pages that draw every area read them on every view)."""
    return cached(FRAMEWORK_DATA, "all", f"areas:{framework.pk}", lambda: list(framework.areas.all()))


def framework_bands(framework: Framework) -> list[Band]:
    return cached(FRAMEWORK_DATA, "all", f"bands:{framework.pk}", lambda: list(framework.bands.all()))


def areas_of(framework: Framework) -> QuerySet[Area]:
    """The seven areas, prime first, each with its aspects (early learning goals) prefetched."""
    return framework.areas.prefetch_related(Prefetch("aspects", queryset=Aspect.objects.order_by("order")))


def characteristic_parts_of(framework: Framework) -> QuerySet[CharacteristicPart]:
    return CharacteristicPart.objects.filter(characteristic__framework=framework).select_related("characteristic")


def bands_for_age(framework: Framework, months: int) -> list[Band]:
    """The framework's bands or ranges for a child of this age: ranges overlap, so there may be two."""
    return list(framework.bands.filter(Q(max_months__isnull=True) | Q(max_months__gt=months), min_months__lte=months))


def statements_for(
    *, nursery: Nursery | int, framework: Framework, include_retired: bool = False
) -> QuerySet[Statement]:
    """The framework's statements and this nursery's own ones, ready to group by area and band."""
    nursery_id = getattr(nursery, "pk", nursery)
    statements = Statement.objects.filter(
        Q(nursery__isnull=True) | Q(nursery_id=nursery_id), area__framework=framework
    ).select_related("area", "aspect", "band")
    return statements if include_retired else statements.filter(retired_at__isnull=True)


def suggested_statements(child: Child, on: date | None = None) -> QuerySet[Statement]:
    """Statements for the child's age band(s) in their nursery's framework, for suggesting while tagging.

    Empty when the child's date of birth is not recorded.
    """
    months = child.age_in_months(on or timezone.localdate())
    if months is None:
        return Statement.objects.none()
    framework = current_framework_for(child.nursery_id)
    return statements_for(nursery=child.nursery_id, framework=framework).filter(
        band__in=bands_for_age(framework, months)
    )


def suggestions_for(children: list[Child]) -> list[tuple[Child, list[Statement]]]:
    """Statements typical of each tagged child's age band, to tick the ones seen (a few queries per child)."""
    today = timezone.localdate()
    return [(child, list(suggested_statements(child, on=today))) for child in children]


def aspects_by_area(framework: Framework | None) -> list[tuple[Area, list[Aspect]]]:
    if framework is None:
        return []
    grouped: dict[int, tuple[Area, list[Aspect]]] = {}
    for aspect in Aspect.objects.filter(area__framework=framework).select_related("area"):
        grouped.setdefault(aspect.area_id, (aspect.area, []))[1].append(aspect)
    return list(grouped.values())


def access_statement(user: User, pk: int, *, nursery: Nursery) -> Statement:
    """One of the nursery's own statements (``nursery``: the manager's post) for a manager of it; the
    framework's own statements and another nursery's answer 404."""
    return get_object_or_404(
        Statement.objects.select_related("area", "band", "aspect"),
        pk=pk,
        nursery=nursery,
        nursery_id__in=managed_nursery_ids(user),
    )
