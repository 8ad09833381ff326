"""The nursery a page is about, for people linked to more than one (a group's staff, a family with children at
two nurseries).

The chosen nursery is kept in the session. Staff pages use the post at the chosen nursery; when the page needs a
role the person holds only at another nursery, the post there is used and that nursery becomes the chosen one,
so the page and its header always name the same nursery. Family pages do the same with the nurseries their
children go to. Nothing here widens what anyone may see: it only narrows lists to one nursery.
"""

from collections.abc import Callable, Sequence

from django.db.models import Q, QuerySet
from django.http import HttpRequest

from accounts.models import User
from accounts.tablet import is_pin_session

from .models import Nursery, StaffMember
from .selectors import posts_held, staff_nursery_ids

SESSION_KEY = "current_nursery"

# Apps above this one add nurseries a person is linked to other than through a post (e.g. a family's, through
# their children), as functions from a user to a subquery of nursery ids, registered in AppConfig.ready.
_member_nurseries: list[Callable[[User], QuerySet]] = []


def register_member_nurseries(nursery_ids_for: Callable[[User], QuerySet]) -> None:
    if nursery_ids_for not in _member_nurseries:
        _member_nurseries.append(nursery_ids_for)


def linked_nurseries(user: User) -> list[Nursery]:
    """The nurseries the user works at or whose children are theirs, by name: what the switcher offers."""
    if not user.is_authenticated:
        return []
    where = Q(pk__in=staff_nursery_ids(user))
    for nursery_ids_for in _member_nurseries:
        where |= Q(pk__in=nursery_ids_for(user))
    return list(Nursery.objects.filter(where).order_by("name", "pk"))


def chosen_nursery_id(request: HttpRequest) -> int | None:
    """The nursery chosen for this request (by a staff page's post) or earlier in the session."""
    chosen = getattr(request, "current_nursery_id", None)
    if chosen is None and hasattr(request, "session"):
        chosen = request.session.get(SESSION_KEY)
    return chosen if isinstance(chosen, int) else None


def choose(request: HttpRequest, nursery_id: int, *, remember: bool = True) -> None:
    """Make ``nursery_id`` the nursery this page is about and, with ``remember``, the following pages too (the
    caller checked the person's link to it)."""
    request.current_nursery_id = nursery_id
    if remember and hasattr(request, "session") and request.session.get(SESSION_KEY) != nursery_id:
        request.session[SESSION_KEY] = nursery_id


def settle(request: HttpRequest, nursery_ids: Sequence[int]) -> int | None:
    """Of ``nursery_ids`` (where the page can work, best first): the chosen one, or else the first, which
    becomes the chosen one if another had been chosen."""
    if not nursery_ids:
        return None
    chosen = chosen_nursery_id(request)
    nursery_id = chosen if chosen in nursery_ids else nursery_ids[0]
    # Nothing chosen yet (most people have one nursery): the first serves without writing the session.
    choose(request, nursery_id, remember=SESSION_KEY in getattr(request, "session", {}))
    return nursery_id


def tablet_nursery_id(request: HttpRequest) -> int | None:
    """In a PIN session on a room's tablet, the tablet's nursery: the only one its pages may be about."""
    tablet = getattr(request, "tablet", None)
    return tablet.nursery_id if tablet is not None and is_pin_session(request) else None


def current_post(request: HttpRequest, roles: Sequence[str] = tuple(StaffMember.Role.values)) -> StaffMember | None:
    """The post a staff page works in: the one at the chosen nursery if it has one of ``roles``; otherwise (like
    ``selectors.primary_post``) a managing post before a practitioner one, whose nursery becomes the chosen one.
    In a PIN session on a room's tablet, only a post at the tablet's nursery."""
    only = tablet_nursery_id(request)
    posts = [
        post for post in posts_held(request.user) if post.role in roles and (only is None or post.nursery_id == only)
    ]
    nursery_id = settle(request, [post.nursery_id for post in posts])
    return next((post for post in posts if post.nursery_id == nursery_id), None)


def home_post(request: HttpRequest) -> StaffMember | None:
    """The post the home page opens, as ``current_post``; None when the chosen nursery is one the person is
    linked to only as family (their family pages open, about that nursery)."""
    chosen = chosen_nursery_id(request)
    family_only = (
        chosen is not None
        and not any(post.nursery_id == chosen for post in posts_held(request.user))
        and chosen in {nursery.pk for nursery in linked_nurseries(request.user)}
    )
    return None if family_only else current_post(request)


def at_chosen_nursery(request: HttpRequest, records: list) -> list:
    """Of ``records`` (each with a ``nursery_id``, e.g. a family's children), those at the chosen nursery; when
    none of them is, the first record's nursery becomes the chosen one."""
    nursery_id = settle(request, list(dict.fromkeys(record.nursery_id for record in records)))
    return [record for record in records if record.nursery_id == nursery_id]


def current_nursery(request: HttpRequest, nurseries: list[Nursery]) -> Nursery | None:
    """Of the user's ``linked_nurseries``, the one pages are about: the chosen one, else where they work."""
    if not nurseries:
        return None
    by_id = {nursery.pk: nursery for nursery in nurseries}
    chosen = chosen_nursery_id(request)
    if chosen not in by_id:
        post = next(iter(posts_held(request.user)), None)
        chosen = post.nursery_id if post and post.nursery_id in by_id else nurseries[0].pk
    return by_id[chosen]


def page_nurseries(request: HttpRequest) -> tuple[list[Nursery], Nursery | None]:
    """The person's ``linked_nurseries`` and the ``current_nursery`` among them, worked out once per page when it
    is drawn (the navigation's menus all follow the current one)."""
    if not hasattr(request, "_page_nurseries"):
        nurseries = linked_nurseries(request.user)
        if (only := tablet_nursery_id(request)) is not None:  # a PIN session: the tablet's nursery only
            nurseries = [nursery for nursery in nurseries if nursery.pk == only]
        request._page_nurseries = (nurseries, current_nursery(request, nurseries))
    return request._page_nurseries


def context(request: HttpRequest) -> dict:
    """For the navigation: which nursery the page is about, the others the person may switch to, and the
    groups they own."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    nurseries, current = page_nurseries(request)
    return {
        "current_nursery": current,
        "linked_nurseries": nurseries,
        "owned_groups": list(user.owned_groups.all()),
    }
