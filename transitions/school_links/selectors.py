"""Reads for the receiving school's links: a child's links and their e-mail, the school's token, the child
page's panel."""

import hmac
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import User
from children.models import Child, ConsentPurpose
from children.selectors import can_manage_child, guardian_link, has_consent
from core.models import OutgoingMail
from nursery.selectors import managed_nursery_ids

from ..models import LeaverPack, PackImport, SchoolDownload, SchoolShareLink


def ready_packs_of(child: Child) -> QuerySet[LeaverPack]:
    return child.leaver_packs.filter(status=LeaverPack.Status.READY).exclude(file="")


def school_links_of(child: Child) -> QuerySet[SchoolShareLink]:
    """Every link made for the child's packs, with its downloads (newest first)."""
    return (
        SchoolShareLink.objects.filter(pack__child=child)
        .select_related("pack", "created_by")
        .prefetch_related(Prefetch("downloads", queryset=SchoolDownload.objects.order_by("-at")))
    )


def school_link_mail_key(link_id: int) -> str:
    """The outbox key of the e-mail that gives the school its link."""
    return f"school-link:{link_id}"


@dataclass(frozen=True)
class SchoolLinkRow:
    """A link on the school links page, and whether its e-mail to the school has gone."""

    link: SchoolShareLink
    emailed: bool


def school_link_rows(child: Child) -> list[SchoolLinkRow]:
    """The child's links with their e-mail's state from the outbox, in two queries however many there are."""
    links = list(school_links_of(child))
    keys = [school_link_mail_key(link.pk) for link in links if link.email]
    sent = set(OutgoingMail.objects.filter(key__in=keys, status=OutgoingMail.Status.SENT).values_list("key", flat=True))
    return [SchoolLinkRow(link=link, emailed=school_link_mail_key(link.pk) in sent) for link in links]


def school_links_managed_by(user: User) -> QuerySet[SchoolShareLink]:
    return SchoolShareLink.objects.filter(pack__child__nursery_id__in=managed_nursery_ids(user)).select_related(
        "pack__child"
    )


def school_link_for_token(token: str) -> SchoolShareLink | None:
    """The link a school's address names, or None. Tokens are 256-bit random, so looking one up leaks
    nothing; the comparison is still constant-time."""
    link = SchoolShareLink.objects.filter(token=token).select_related("pack__child__nursery").first()
    if link is None or not hmac.compare_digest(link.token.encode(), token.encode()):
        return None
    return link


def school_link_works(link: SchoolShareLink) -> bool:
    """Checked on every request: not revoked or expired, the pack still there, and the family's consent
    to sharing with the school still given (withdrawing it stops the link at once)."""
    pack = link.pack
    return (
        link.revoked_at is None
        and link.expires_at > timezone.now()
        and pack.status == LeaverPack.Status.READY
        and bool(pack.file)
        and has_consent(pack.child, ConsentPurpose.SHARE_WITH_SCHOOL)
    )


def school_panel(request: HttpRequest, child: Child) -> dict:
    """The child's page: where they came from (an imported pack, for whoever sees the child), and the school
    links (for managers and the family)."""
    is_manager = can_manage_child(request.user, child)
    is_family = guardian_link(request.user, child) is not None
    links = list(school_links_of(child)) if is_manager or is_family else []
    return {
        "child": child,
        "pack_import": PackImport.objects.filter(child=child).first(),
        "is_manager": is_manager,
        "links": links,
        "may_share": is_manager and ready_packs_of(child).exists(),
    }
