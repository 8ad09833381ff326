"""What every page needs to draw its navigation: the signed-in person's roles, as staff and as family."""

from django.http import HttpRequest

from nursery.selectors import staff_roles

from .selectors import is_guardian


def roles(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    found: set[str] = set()
    if user is not None and user.is_authenticated:
        found = staff_roles(user)
        if is_guardian(user):
            found.add("parent")
    return {"roles": found}
