"""Reads for the receiving school's links: fetching a link (by a manager, or by the school through its
address), a child's links and their e-mail, the child page's panel."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from accounts.models import User
from children.access import Viewer, access_child
from children.models import Child, ConsentPurpose
from children.selectors import can_manage_child, guardian_link, has_consent
from core.models import OutgoingMail
from core.outbox import mail_statuses
from nursery.models import Nursery
from nursery.selectors import managed_nursery_ids

from ..links import link_by_token
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
    statuses = mail_statuses(keys)
    sent = OutgoingMail.Status.SENT
    return [SchoolLinkRow(link=link, emailed=statuses.get(school_link_mail_key(link.pk)) == sent) for link in links]


def school_links_managed_by(user: User) -> QuerySet[SchoolShareLink]:
    return SchoolShareLink.objects.filter(pack__child__nursery_id__in=managed_nursery_ids(user)).select_related(
        "pack__child"
    )


def access_school_link(user: User, pk: int) -> SchoolShareLink:
    """A link made for a child of a nursery the user manages, or 404."""
    return get_object_or_404(school_links_managed_by(user), pk=pk)


def access_child_for_school_links(user: User, pk: int) -> tuple[Child, Viewer]:
    """A child whose school links the user may see, with their standing (``may_manage``: may make and revoke
    links), or 404; staff who do not manage the nursery get 403."""
    child = access_child(user, pk)
    manages = can_manage_child(user, child)
    link = guardian_link(user, child)
    if not manages and link is None:
        raise PermissionDenied("Only managers and the child's family see the school links.")
    viewer = Viewer(
        user=user,
        is_staff=manages,
        may_write=manages,
        may_manage=manages,
        is_parent=link is not None and link.has_parental_responsibility,
        family_child_ids=frozenset({child.pk}) if link else frozenset(),
    )
    return child, viewer


class SchoolLinkClosed(Exception):
    """A school's address that opens nothing: never made (``nursery`` None), or expired, revoked, its pack
    gone or the family's consent withdrawn (``nursery`` names who to ask)."""

    def __init__(self, nursery: Nursery | None = None) -> None:
        super().__init__("This link does not open a leaver pack.")
        self.nursery = nursery


def access_school_link_by_token(token: str) -> SchoolShareLink:
    """The working link a school's address names, for the school (no account); raises ``SchoolLinkClosed``.

    Checked on every request: not revoked or expired, the pack still there, and the family's consent to
    sharing with the school still given (withdrawing it stops the link at once).
    """
    link = link_by_token(SchoolShareLink.objects.select_related("pack__child__nursery"), token)
    if link is None:
        raise SchoolLinkClosed()
    pack = link.pack
    works = (
        link.is_open()
        and pack.status == LeaverPack.Status.READY
        and bool(pack.file)
        and has_consent(pack.child, ConsentPurpose.SHARE_WITH_SCHOOL)
    )
    if not works:
        raise SchoolLinkClosed(pack.child.nursery)
    return link


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
