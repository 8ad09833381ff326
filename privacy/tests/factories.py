"""Test data for privacy: a subject access export as the job leaves it, without running the job."""

from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from privacy.models import SubjectAccessExport


def ready_export(*, child=None, person=None, requested_by, **fields) -> SubjectAccessExport:
    """A built export with a small file (about ``child`` and/or ``person`` at the child's nursery)."""
    now = timezone.now()
    export = SubjectAccessExport(
        nursery=fields.pop("nursery", None) or child.nursery,
        child=child,
        person=person,
        subject_name=" and ".join(n for n in (child and child.known_as, person and person.full_name) if n),
        requested_by=requested_by,
        received_on=timezone.localdate(),
        status=SubjectAccessExport.Status.READY,
        progress=100,
        built_at=now,
        expires_at=now + timedelta(days=settings.SUBJECT_ACCESS_LINK_DAYS),
        **fields,
    )
    export.file.save("export.zip", ContentFile(b"PK\x05\x06" + bytes(18)), save=False)
    export.size = export.file.size
    export.save()
    return export
