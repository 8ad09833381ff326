"""Reads for collection: the people who may collect a child on a day, and the ``access_*`` fetches of the
family's collection arrangements.

The list is the guardians marked "may collect", the emergency contacts marked "may collect", the people the
family names on their collection page, and the one-off collector the family named for that day (who must give
the collection password). Only a guardian with parental responsibility changes the family's part of it: who may
take a child home is a parent's decision.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from accounts.models import User
from children.access import access_child
from children.models import Child, EmergencyContact, Guardianship
from children.selectors import children_of_guardian, holds_parental_responsibility

from .models import AuthorisedCollector, CollectionPassword, OneOffCollector

FAMILY_WITH_RESPONSIBILITY = "Who may collect a child is decided by a parent or carer with parental responsibility."
NOT_ON_LIST = "other"  # the register's choice for someone who is not on the list


@dataclass(frozen=True)
class Collector:
    """One person who may collect a child, as the register offers them. ``key`` is what the form sends back."""

    key: str
    name: str
    relationship: str
    phone: str = ""
    one_off: bool = False

    @property
    def label(self) -> str:
        """How the register and the record name them: "Sam Taylor (Mother)", "Nan Jones (Neighbour, one-off)"."""
        return f"{self.name} ({self.relationship}{', one-off' if self.one_off else ''})"


def collectors_by_child(children: Iterable[Child], day: date) -> dict[int, list[Collector]]:
    """Who may collect each child on the day, in four queries: family first, then emergency contacts, the people
    the family named, and the day's one-off collector last."""
    ids = [child.pk for child in children]
    found: dict[int, list[Collector]] = defaultdict(list)
    for link in Guardianship.objects.filter(child_id__in=ids, can_collect=True).select_related("user"):
        found[link.child_id].append(
            Collector(f"guardian:{link.pk}", link.user.full_name, link.get_relationship_display(), link.user.phone)
        )
    for contact in EmergencyContact.objects.filter(child_id__in=ids, may_collect=True):
        found[contact.child_id].append(
            Collector(f"contact:{contact.pk}", contact.name, contact.relationship, contact.phone)
        )
    for person in AuthorisedCollector.objects.filter(child_id__in=ids):
        found[person.child_id].append(Collector(f"named:{person.pk}", person.name, person.relationship, person.phone))
    for person in OneOffCollector.objects.filter(child_id__in=ids, day=day):
        found[person.child_id].append(
            Collector(f"one_off:{person.pk}", person.name, person.relationship, person.phone, one_off=True)
        )
    return {pk: found.get(pk, []) for pk in ids}


def collectors_for(child: Child, day: date) -> list[Collector]:
    return collectors_by_child([child], day)[child.pk]


def with_collectors(children: Iterable[Child], day: date) -> list[Child]:
    """The children, each with ``collectors`` (who may collect on the day) and ``one_off`` (the day's one-off
    collector, or None): what the register shows and offers at sign-out."""
    children = list(children)
    lists = collectors_by_child(children, day)
    for child in children:
        child.collectors = lists[child.pk]
        child.one_off = next((person for person in child.collectors if person.one_off), None)
    return children


def collection_password_of(child: Child) -> CollectionPassword | None:
    return CollectionPassword.objects.filter(child=child).first()


def one_off_collectors_from(child: Child, day: date) -> list[OneOffCollector]:
    """The one-off collectors the family named for the day and later, soonest first."""
    return list(OneOffCollector.objects.filter(child=child, day__gte=day).select_related("named_by"))


def authorised_collectors_of(child: Child) -> list[AuthorisedCollector]:
    return list(AuthorisedCollector.objects.filter(child=child))


def may_arrange_collection(user: User, child: Child) -> bool:
    return holds_parental_responsibility(user, child)


def access_child_for_collection(user: User, pk: int) -> Child:
    """A child whose collection arrangements the user makes: their own child, for whom they hold parental
    responsibility, still at the nursery. Other family members get 403 with the reason; anyone else, staff of
    the child's nursery included (they see the list on the child's page and the register), 403 or 404."""
    child = access_child(user, pk, family=True, adding=True)
    if not may_arrange_collection(user, child):
        raise PermissionDenied(FAMILY_WITH_RESPONSIBILITY)
    return child


def _own_children(user: User):
    return children_of_guardian(user, with_parental_responsibility=True)


def access_authorised_collector(user: User, pk: int) -> AuthorisedCollector:
    """A person the user's family named to collect, for that family to remove, or 404."""
    return get_object_or_404(
        AuthorisedCollector.objects.filter(child__in=_own_children(user)).select_related("child"), pk=pk
    )


def access_one_off_collector(user: User, pk: int) -> OneOffCollector:
    """A one-off collector the user's family named, for that family to cancel, or 404."""
    return get_object_or_404(
        OneOffCollector.objects.filter(child__in=_own_children(user)).select_related("child"), pk=pk
    )
