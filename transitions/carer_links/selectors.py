"""Reads for sharing with other carers: who may see and change a child's carers, a carer's link opened by
its address, the summary it shows, and the child page's panel."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from accounts.models import User
from children import care_team
from children.access import Viewer, access_child
from children.models import Child, ConsentPurpose
from children.selectors import can_manage_child, children_visible_to, guardian_link, has_consent
from learning_stories.assessments.selectors import PointSummary, assessment_summaries
from learning_stories.models import NextStep, Observation
from learning_stories.next_steps.selectors import next_steps_of
from learning_stories.story.selectors import decorate, family_viewer, story_entries, with_story_details
from nursery.models import Nursery

from ..links import link_by_token
from .models import CarerLinkView, CarerNote, CarerShareLink, OtherCarer

HIGHLIGHTS = 5  # story entries in the summary
NOT_THE_KEY_PERSON = "Only the child's key person and the managers share with other carers."
NOT_A_PARENT = "Only a parent with parental responsibility decides what is shared."


def may_share(user: User, child: Child) -> bool:
    """The key person (or co-key person) and the nursery's managers share the child's summary."""
    return can_manage_child(user, child) or care_team.is_key_person(user, child)


def access_child_for_carers(user: User, pk: int) -> tuple[Child, Viewer]:
    """A child whose other carers the user may see, with their standing (``may_write``: may add carers and
    share; ``is_parent``: may agree or say no), or 404; other staff of the nursery get 403."""
    child = access_child(user, pk)
    sharer = may_share(user, child)
    link = guardian_link(user, child)
    if not sharer and link is None:
        raise PermissionDenied(NOT_THE_KEY_PERSON)
    viewer = Viewer(
        user=user,
        is_staff=sharer,
        may_write=sharer,
        may_manage=can_manage_child(user, child),
        is_parent=link is not None and link.has_parental_responsibility,
        family_child_ids=frozenset({child.pk}) if link else frozenset(),
    )
    return child, viewer


def _carer_of_visible_child(user: User, pk: int) -> OtherCarer:
    return get_object_or_404(
        OtherCarer.objects.select_related("child__nursery").filter(child__in=children_visible_to(user)), pk=pk
    )


def access_carer_to_share(user: User, pk: int) -> OtherCarer:
    """A carer the user may share with (key person, managers); 404 when the child is not theirs to see."""
    carer = _carer_of_visible_child(user, pk)
    if not may_share(user, carer.child):
        raise PermissionDenied(NOT_THE_KEY_PERSON)
    return carer


def access_carer_to_decide(user: User, pk: int) -> OtherCarer:
    """A carer of the user's own child, whom they (holding parental responsibility) agree to or not."""
    carer = _carer_of_visible_child(user, pk)
    link = guardian_link(user, carer.child)
    if link is None or not link.has_parental_responsibility:
        raise PermissionDenied(NOT_A_PARENT)
    return carer


def access_carer_link(user: User, pk: int) -> CarerShareLink:
    """A carer's link the user may revoke (key person, managers), or 404 / 403."""
    link = get_object_or_404(
        CarerShareLink.objects.select_related("carer__child").filter(carer__child__in=children_visible_to(user)),
        pk=pk,
    )
    if not may_share(user, link.carer.child):
        raise PermissionDenied(NOT_THE_KEY_PERSON)
    return link


def carers_of(child: Child) -> QuerySet[OtherCarer]:
    """The child's carers with their links, each link's views and notes (a fixed number of queries)."""
    links = CarerShareLink.objects.select_related("created_by").prefetch_related(
        Prefetch("views", queryset=CarerLinkView.objects.order_by("-at")),
        Prefetch("notes", queryset=CarerNote.objects.order_by("-at")),
    )
    return (
        OtherCarer.objects.filter(child=child)
        .select_related("consent_by")
        .prefetch_related(Prefetch("links", queryset=links))
    )


class CarerLinkClosed(Exception):
    """A carer's address that opens nothing: never made (``nursery`` None), or expired, revoked, or the
    family's consent withdrawn (``nursery`` and ``ask`` say whom to ask)."""

    def __init__(self, nursery: Nursery | None = None, ask: str = "") -> None:
        super().__init__("This link does not open a summary.")
        self.nursery = nursery
        self.ask = ask


def link_works(link: CarerShareLink) -> bool:
    """Open, and the family still agrees to sharing with this carer and with other carers at all (checked on
    every request: withdrawing either stops the link at once)."""
    return (
        link.is_open() and link.carer.agreed and has_consent(link.carer.child, ConsentPurpose.SHARE_WITH_OTHER_CARERS)
    )


def access_carer_link_by_token(token: str) -> CarerShareLink:
    """The working link a carer's address names (no account); raises ``CarerLinkClosed``."""
    link = link_by_token(CarerShareLink.objects.select_related("carer__child__nursery", "created_by"), token)
    if link is None:
        raise CarerLinkClosed()
    if not link_works(link):
        child = link.carer.child
        ask = link.created_by.full_name if link.created_by else ""
        raise CarerLinkClosed(child.nursery, ask)
    return link


@dataclass
class CarerSummary:
    """What a carer's link shows: the family's view of the story's latest entries (text only, no photos), the
    open next steps and the latest assessment."""

    highlights: list[Observation]
    next_steps: list[NextStep]
    assessment: PointSummary | None


def carer_summary(child: Child) -> CarerSummary:
    viewer = family_viewer(child)  # exactly what the family reads: other children are "a friend"
    entries = decorate(list(with_story_details(story_entries(child, viewer))[:HIGHLIGHTS]), viewer)
    summaries = assessment_summaries(child, viewer)
    return CarerSummary(
        highlights=entries,
        next_steps=next_steps_of(child, viewer).open,
        assessment=summaries[0] if summaries else None,
    )


def carer_panel(request: HttpRequest, child: Child) -> dict:
    """The child's page: other carers and any waiting for the family's answer (key person, managers, family)."""
    sharer = may_share(request.user, child)
    link = None if sharer else guardian_link(request.user, child)
    if not sharer and link is None:
        return {"hidden": True}
    carers = list(OtherCarer.objects.filter(child=child))
    return {
        "child": child,
        "carers": carers,
        "waiting": [carer for carer in carers if carer.consent == OtherCarer.Consent.ASKED],
        "may_share": sharer,
        "is_parent": link is not None and link.has_parental_responsibility,
    }
