"""Reads for imported leaver packs: a nursery's imports, and one fetched for a manager."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User
from nursery.selectors import managed_nursery_ids

from ..models import PackImport


def imports_managed_by(user: User) -> QuerySet[PackImport]:
    return PackImport.objects.filter(nursery_id__in=managed_nursery_ids(user)).select_related("child", "imported_by")


def access_pack_import(user: User, pk: int) -> PackImport:
    """An import into a nursery the user manages, or 404."""
    return get_object_or_404(imports_managed_by(user), pk=pk)
