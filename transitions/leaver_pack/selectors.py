"""Reads for the leaver pack: who may have a child's pack, and the child page's panel."""

from accounts.models import User
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


def pack_child_for(user: User, pk: int) -> Child:
    """A child whose pack the user may have (raises DoesNotExist otherwise: the view answers 404)."""
    child = children_visible_to(user).get(pk=pk)
    if not may_have_pack(user, child):
        raise Child.DoesNotExist
    return child


def pack_for(user: User, pk: int) -> LeaverPack:
    """A pack the user may follow and download (raises DoesNotExist otherwise)."""
    pack = LeaverPack.objects.select_related("child__nursery").get(pk=pk)
    if not children_visible_to(user).filter(pk=pack.child_id).exists() or not may_have_pack(user, pack.child):
        raise LeaverPack.DoesNotExist
    return pack


def latest_pack(child: Child) -> LeaverPack | None:
    return child.leaver_packs.first()


def pack_panel(request, child: Child) -> dict:
    """The child page's leaver pack section, for those who may have the pack."""
    if not may_have_pack(request.user, child):
        return {"hidden": True}
    return {"child": child, "pack": latest_pack(child)}
