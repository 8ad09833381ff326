"""Reads for the leaver pack: who may have a child's pack, fetching a pack (or the child to ask for one) for
them, and the child page's panel."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import User
from children.access import access_child
from children.models import Child, Guardianship
from children.selectors import can_manage_child, children_visible_to
from keyworker.selectors import is_key_person

from ..models import LeaverPack


def may_have_pack(user: User, child: Child) -> bool:
    """Who may ask for and download a child's leaver pack: the nursery's managers, the child's key person,
    and the child's own family with parental responsibility who may read the story (a relative with
    view-only access, such as a grandparent, does not get the reports and All about me)."""
    return (
        can_manage_child(user, child)
        or is_key_person(user, child)
        or Guardianship.objects.filter(
            user=user, child=child, can_view_story=True, has_parental_responsibility=True
        ).exists()
    )


def access_child_for_pack(user: User, pk: int) -> Child:
    """A child whose leaver pack the user may ask for (see ``may_have_pack``), or 404."""
    child = access_child(user, pk)
    if not may_have_pack(user, child):
        raise Http404("No such child.")
    return child


def access_pack(user: User, pk: int) -> LeaverPack:
    """A pack the user may follow and download (see ``may_have_pack``), or 404."""
    packs = LeaverPack.objects.filter(child__in=children_visible_to(user)).select_related("child__nursery")
    pack = get_object_or_404(packs, pk=pk)
    if not may_have_pack(user, pack.child):
        raise Http404("No such pack.")
    return pack


def latest_pack(child: Child) -> LeaverPack | None:
    return child.leaver_packs.first()


def pack_panel(request, child: Child) -> dict:
    """The child page's leaver pack section, for those who may have the pack."""
    if not may_have_pack(request.user, child):
        return {"hidden": True}
    return {"child": child, "pack": latest_pack(child)}
