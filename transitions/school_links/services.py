"""Writes for the receiving school's link to a leaver pack: made (and e-mailed through the outbox), revoked,
stopped with the family's consent, and each download recorded."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from children.models import ChildAuditEvent, ConsentPurpose
from children.selectors import has_consent
from children.services import record_event
from core.outbox import cancel_mail, queue_mail
from core.queue import Dispatch

from ..links import link_expiry
from ..models import LeaverPack, SchoolDownload, SchoolShareLink
from .selectors import school_link_mail_key

Action = ChildAuditEvent.Action


def school_link_problem(pack: LeaverPack) -> str:
    """Why this pack cannot be shared with a school now ("" when it can)."""
    if pack.status != LeaverPack.Status.READY or not pack.file:
        return "The leaver pack is not ready yet: build it first, then share it."
    if not has_consent(pack.child, ConsentPurpose.SHARE_WITH_SCHOOL):
        return (
            f"{pack.child.known_as}'s family has not agreed to sharing with the receiving school. "
            "Ask them to give that consent on the child's consents page first."
        )
    return ""


@transaction.atomic
def create_school_link(
    *, pack: LeaverPack, school: str, email: str, by: User, days: int | None = None
) -> tuple[SchoolShareLink, Dispatch | None]:
    """An expiring link for the school, e-mailed to it when an address is given (after commit)."""
    if problem := school_link_problem(pack):
        raise ValidationError(problem)
    link = SchoolShareLink.objects.create(
        pack=pack,
        school=school.strip(),
        email=email.strip(),
        created_by=by,
        expires_at=link_expiry(days, default=settings.SCHOOL_LINK_VALID_DAYS, maximum=365),
    )
    record_event(child=pack.child, actor=by, action=Action.SHARED, what=f"Leaver pack link for {link.school}")
    dispatch = None
    if link.email:
        dispatch = queue_mail(
            key=school_link_mail_key(link.pk),
            kind="Leaver pack link for the school",
            to=link.email,
            template="transitions/email/school_link",
            context={"link": link, "child": pack.child, "url": school_link_url(link)},
            nursery_id=pack.child.nursery_id,
        )
    return link, dispatch


@transaction.atomic
def revoke_school_link(*, link: SchoolShareLink, by: User) -> None:
    """The link stops working at once, and its e-mail stays unsent if it has not gone yet."""
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
        cancel_mail(keys=[school_link_mail_key(link.pk)])
        record_event(child=link.pack.child, actor=by, action=Action.CHANGED, what=f"Link for {link.school} revoked")


def stop_school_link_mail(*, child_id: int) -> int:
    """The family withdrew their consent to sharing with the school: e-mails of links not yet sent stay unsent."""
    link_ids = SchoolShareLink.objects.filter(pack__child_id=child_id).values_list("pk", flat=True)
    return cancel_mail(keys=[school_link_mail_key(link_id) for link_id in link_ids])


def school_link_url(link: SchoolShareLink) -> str:
    return settings.SITE_URL + reverse("transitions:school_page", args=[link.token])


def record_school_download(*, link: SchoolShareLink, ip_address: str | None, user_agent: str) -> SchoolDownload:
    """Each download by the school: on the link (for the manager and family) and in the child's record."""
    download = SchoolDownload.objects.create(link=link, ip_address=ip_address, user_agent=user_agent[:300])
    record_event(
        child=link.pack.child, actor=None, action=Action.EXPORTED, what=f"Leaver pack downloaded by {link.school}"
    )
    return download
