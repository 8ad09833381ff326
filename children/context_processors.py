"""What every page needs to draw its navigation: the signed-in person's roles, as staff and as family, at the
nursery the page is about (someone who manages one nursery and works as a practitioner at another sees the
menus of the post at the nursery shown)."""

from django.http import HttpRequest

from nursery.current import page_nurseries
from nursery.selectors import staff_roles

from .selectors import family_nursery_access_days


def roles(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    found: set[str] = set()
    if user is not None and user.is_authenticated:
        _, current = page_nurseries(request)
        found = staff_roles(user, nursery_id=current.pk if current else None)
        families = {nursery_id for nursery_id, _days in family_nursery_access_days(user)}  # read once per request
        if (current.pk in families) if current else families:
            found.add("parent")
    return {"roles": found}
