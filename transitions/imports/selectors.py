"""Reads for imported leaver packs."""

from django.db.models import QuerySet

from accounts.models import User
from nursery.selectors import managed_nursery_ids

from ..models import PackImport


def imports_managed_by(user: User) -> QuerySet[PackImport]:
    return PackImport.objects.filter(nursery_id__in=managed_nursery_ids(user)).select_related("child", "imported_by")
